"""One renderer per output: HTML (and PDF from it), and Word.

Each takes a :class:`~presskit.view.ReleaseView` and returns the document's bytes;
writing files is :mod:`presskit.build`'s job.
"""
