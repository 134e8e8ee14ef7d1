"""Content in: the content file read, resolved per language, validated into the model.

The strict reading and the per-language resolution (:mod:`.loader`,
:mod:`.translations`), the model every renderer reads (:mod:`.model`), its JSON
Schema, the prose parsed once into a tree (:mod:`.markdown`), typography per language,
time zones of places, and the greeting's small template language.

May import :mod:`presskit.theme` (the words a content file may use in dates and
places), :mod:`presskit.assets` and :mod:`presskit.util`; never a renderer.
"""
