"""Stage 7, diff: two builds compared fact by fact, as ``policykg diff`` reports them.

Owns reading each side, a build output or facts built in memory (``inputs``), grouping the
triples of each named graph into facts, with the nodes a fact owns (its times, its evidence
annotations and their selectors, its factuality and role nodes) attributed to it (``facts``),
the comparison (``compare``) and the report of it, with its text and JSON forms (``report``).
"""
