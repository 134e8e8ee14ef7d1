"""One renderer per output: HTML (and PDF from it), and Word.

Each takes a :class:`~presskit.render.view.ReleaseView` and returns the document's bytes;
writing files is :mod:`presskit.kit.build`'s job. The views (:mod:`.view`,
:mod:`.kitview`) word the model once for every renderer; :mod:`.photometa` decides what
metadata a published picture carries.

May import :mod:`presskit.content`, :mod:`presskit.theme`, :mod:`presskit.assets` and
:mod:`presskit.util`; never the kit or anything above it.
"""
