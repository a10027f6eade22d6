"""Drafting, before the facts: propose facts from an article's text for the analyst to confirm.

Owns finding what a program can find in the text of a new article (``dates``: every date
expression, resolved against the publication date at the text's precision) and writing it as
draft items of the facts format, each grounded in its quote.
"""
