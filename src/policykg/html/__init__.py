"""Stage 6, HTML: pages for people: the report of a built graph and the ontology's documentation.

Owns the report page (``report``, fed by ``report_data``) and the documentation of the ontology,
its code lists and its shapes (``documentation``, with ``rdf_pages``).
"""
