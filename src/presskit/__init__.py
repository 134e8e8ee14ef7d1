"""presskit: one content file in, a ready-to-send press kit out.

The packages follow the data, bottom to top (each may import only those below it; a
test holds the rule, written as a contract in ``pyproject.toml``):

- :mod:`presskit.util`: the few shared utilities (atomic writes, errors, the strict
  YAML reader, cache and state folders);
- :mod:`presskit.assets`: which files may be read, pictures checked for safety;
- :mod:`presskit.theme`: the theme's parts and its words per language;
- :mod:`presskit.content`: the content file read and validated into the model;
- :mod:`presskit.render`: the views, then one renderer per output (HTML/PDF, Word);
- :mod:`presskit.kit`: a release's documents built and written, its ZIP, invitation,
  review and starter folder;
- :mod:`presskit.mail`, :mod:`presskit.newsroom`, :mod:`presskit.wordimport`,
  :mod:`presskit.preview`: what is made from built kits, side by side;
- :mod:`presskit.cli`: the thin command line on top.
"""

__version__ = "0.1.0"
