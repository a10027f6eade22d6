"""Stage 4, builds: the pipeline that chains the stages for one article or a corpus.

Owns the column of steps (``pipeline``), one article as a unit of work (``documents``), the
process pool (``workers``), the content-keyed cache (``cache``) and the checks that only a whole
corpus can make (``corpus``).
"""
