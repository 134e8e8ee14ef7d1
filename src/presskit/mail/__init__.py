"""Press e-mails: the kit composed into messages, saved as drafts or sent over SMTP.

:mod:`.recipients` reads who gets what; :mod:`.compose` builds each message from the
same view as the documents, with the PDF and Word files attached; :mod:`presskit.util.mailheaders`
guards every header against injection; :mod:`.send` delivers over one SMTP
connection, with a journal (:mod:`.journal`) so that a rerun never sends twice.

May import :mod:`presskit.kit` and everything below it; never the newsroom, Word
import, the preview or the command line.
"""
