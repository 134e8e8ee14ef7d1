"""``presskit preview``: the release in a browser, rebuilt when a file is saved.

May import :mod:`presskit.kit` and everything below it.
"""
