"""Importers: membership and attendance files in, validated records out.

Importers know nothing of the database: they turn CSV/XLSX exports,
Eventbrite and Zoom reports and plain participant lists into the typed
records of :mod:`graphsvc.model`, with a report of every row they reject;
:mod:`graphsvc.store` writes the records. (Formats arrive with the importers
issue; the layout is fixed here so the grain of the tree is clear.)
"""
