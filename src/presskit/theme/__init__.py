"""The theme: its parts (templates, CSS, strings per language, the Word reference
document), resolved from the user's ``--theme`` folder or the built-in one, and its
wording read per language.

May import :mod:`presskit.assets` and :mod:`presskit.util`; never the content model:
the theme describes how any release looks and what its fixed words are.
"""
