"""The kit: every document of a release built and written, and what comes with them.

The build (:mod:`.build`: documents rendered in memory, then written atomically), the
press-kit ZIP (:mod:`.archive`), the event invitation (:mod:`.invite`), the revision
record that dates corrections (:mod:`.revisions`), the global names of what is
published (:mod:`.identity`), the editor's review of
``presskit check`` (:mod:`.review`) and the starter folder of ``presskit new``
(:mod:`.scaffold`).

May import :mod:`presskit.render` and everything below it; never mail, the newsroom,
Word import, the preview or the command line.
"""
