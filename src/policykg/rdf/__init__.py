"""Stage 2, RDF: the facts as RDF terms and lines, and the RDF syntaxes policykg writes and reads.

Owns mapping facts to triples (``mapping``), serialization to Turtle, JSON-LD, N-Triples,
N-Quads and TriG (``serialization``), and reading RDF files back (``files``).
"""
