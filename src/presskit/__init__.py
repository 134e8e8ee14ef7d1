"""presskit: one content file in, a ready-to-send press kit out.

The content file is loaded into one model (:mod:`presskit.model`) by
:mod:`presskit.loader`; each output has its own renderer under
:mod:`presskit.render`; :mod:`presskit.build` writes them; :mod:`presskit.cli` is the
thin command line on top.
"""

__version__ = "0.1.0"
