"""Stage 2, RDF: the facts as RDF terms and lines, and the RDF syntaxes policykg writes and reads.

Owns mapping facts to triples (``mapping``), serialization to Turtle, JSON-LD, N-Triples,
N-Quads and TriG (``serialization``), reading RDF files back (``files``), and built graphs as
pyoxigraph and rdflib objects (``in_memory``).
"""
