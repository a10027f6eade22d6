"""Stage 5, stores: loading built graphs into triple stores and asking them SPARQL questions.

Owns loading (``loading``), HTTP to SPARQL stores (``http``), queries over files, stores and
endpoints (``querying``, with ``sparql_text`` reading a query's shape) and their results
(``results``).
"""
