"""Quotes for proposals: the exact words at a span, unique in the text or pinned with ``after``,
and checked with the loader's own quote search (:mod:`policykg.facts.grounding`)."""

from __future__ import annotations

import re

from policykg.facts.grounding import QuoteNotFound, SourceText

QuoteValue = str | dict[str, object]
_MAX_AFTER_WORDS = 12


def anchored(source: SourceText, start: int, end: int) -> QuoteValue:
    """The quote of ``text[start:end]``: the plain words when they occur once, else the words
    with the shortest unique passage before them as ``after``, else pinned with ``start``."""
    exact = source.text[start:end]
    if _found_at(source, start, exact):
        return exact
    words = list(re.finditer(r"\S+", source.text[:start]))
    for count in range(1, min(len(words), _MAX_AFTER_WORDS) + 1):
        first = words[-count]
        after = source.text[first.start() : words[-1].end()]
        if _found_at(source, start, exact, after=after):
            return {"text": exact, "after": after}
    return {"text": exact, "start": start}


def _found_at(source: SourceText, start: int, exact: str, *, after: str | None = None) -> bool:
    try:
        return source.locate(exact, after=after).start == start
    except QuoteNotFound:
        return False


def located(source: SourceText, quote: QuoteValue) -> tuple[int, int]:
    """Where *quote* stands, found as the loader finds it; raise :class:`QuoteNotFound`."""
    if isinstance(quote, str):
        span = source.locate(quote)
    else:
        after = quote.get("after")
        start = quote.get("start")
        span = source.locate(
            str(quote["text"]),
            after=None if after is None else str(after),
            start=None if start is None else int(str(start)),
        )
    return span.start, span.end
