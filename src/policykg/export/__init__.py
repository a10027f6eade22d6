"""Stage 6, export: the coded facts of a built graph as event data, one row per coded fact.

Owns the event-data table that ``policykg export events`` writes (``events``: SPARQL over any
graph ``policykg query`` reads, rows in CSV or JSON Lines) and the CAMEO code table it draws on
(``cameo``: labels, Goldstein scale values and quad classes, shipped in ``data/cameo``).
"""
