"""Stage 3, validation: SHACL over built graphs with pyshacl, and its reports.

Owns running pyshacl and reading its report (``shacl``) and the split of the shapes into
per-document and cross-document scopes, with merged reports (``scopes``).
"""
