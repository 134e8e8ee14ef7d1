"""Press e-mails: the kit composed into messages, saved as drafts or sent over SMTP.

:mod:`.recipients` reads who gets what; :mod:`.compose` builds each message from the
same view as the documents, with the PDF and Word files attached; :mod:`.headers`
guards every header against injection; :mod:`.send` delivers over one SMTP
connection, with a journal (:mod:`.journal`) so that a rerun never sends twice.
"""
