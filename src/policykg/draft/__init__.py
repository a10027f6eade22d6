"""Drafting: propose facts for an article from its text, its registry and the facts already curated.

Owns what a program can find in the text of a new article, written as draft items of the facts
format, each grounded in its quote (``dates`` owns the date expressions). A stage beside
``facts`` (it reads facts files and imports nothing later): ``policykg draft`` finds, in
``article.txt``, the registry's actors, places, posts and events, names the registry
does not know, dates, quoted statements and their speakers, stances and their verbs, CAMEO codes
and the author's assessments, and writes them as items marked ``draft: true``. Every proposal
carries a quote located in the text as the loader locates curated quotes; ``build`` refuses an
item that is still a draft, so nothing unconfirmed enters the graph.

It needs the optional extra ``policykg[draft]`` (spaCy's rule-based components and dateparser;
no statistical model).
"""
