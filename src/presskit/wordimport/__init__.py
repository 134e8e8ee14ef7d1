"""Edits made in a Word file presskit built, brought back into the content file.

``presskit import EDITED.docx CONTENT`` reads the edited file (:mod:`.package` opens it,
checks its provenance, lists comments and tracked changes; :mod:`.reader` turns its
paragraphs into styled runs), finds which paragraph holds which field by building the
same release again from the content (:mod:`.mapping`), turns each changed field back
into what a person types (:mod:`.markdown_out`, :mod:`.untype`, laid out as the field
already was by :mod:`.layout`) and writes it into the content file with a round-trip
YAML editor that keeps comments and layout (:mod:`.yamledit`).
:func:`~.importer.import_word` ties the steps together.

May import :mod:`presskit.kit` and everything below it; never mail, the newsroom, the
preview or the command line.
"""
