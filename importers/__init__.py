"""Importers: membership and attendance files in, validated records out.

Importers know nothing of the database: they read files safely
(:mod:`importers.source`), read dates without guessing
(:mod:`importers.dates`), turn rows into members
(:mod:`importers.membership`), match them to people and organisations
already known (:mod:`importers.resolution`, :mod:`importers.places`) and
build the typed records of :mod:`graphsvc.model`
(:mod:`importers.member_records`), with a report of every row they reject.
:mod:`graphsvc.ingest` hands them what the store knows and writes the result.
"""
