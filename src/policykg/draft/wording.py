"""The words a proposal is written with: summaries, ids, topics and event types guessed from a
sentence, and whether a date lies after publication."""

from __future__ import annotations

import datetime as dt
import re

SUMMARY_LENGTH = 300
_ID_WORDS = 5
_TOPICS = (
    ("nuclear-deal", r"\bdeal\b|\bagreement\b|\bframework\b|\bJCPOA\b"),
    ("nuclear-programme", r"\bnuclear (?:program|programme|activities|facilities)|\benrichment"),
    ("sanctions", r"\bsanction"),
    ("negotiations", r"\btalks\b|\bnegotiat"),
    ("ballistic-missiles", r"\bmissile"),
    ("syrian-crisis", r"\bSyria"),
    ("human-rights", r"\bhuman rights?\b"),
    ("terrorism", r"\bterror"),
    ("regional-security", r"\bregion(?:al)?\b|\bsecurity\b"),
)
"""Topics of the ontology's scheme and the words that suggest them."""
_EVENT_TYPES = (
    ("speech", r"\bspeech|\baddress"),
    ("agreement", r"\bagree|\bdeal\b|\baccord|\bframework"),
    ("negotiation", r"\btalks\b|\bnegotiat"),
    ("death", r"\bdeath\b|\bdied\b|\bkilled\b"),
    ("sanctions-relief", r"\bsanctions\b"),
)
"""Event types of the ontology's scheme and the words that suggest them (else ``remark``)."""


def summary(sentence: str, length: int = SUMMARY_LENGTH) -> str:
    """The sentence as a first summary (the analyst rewrites it in their own words)."""
    flat = " ".join(sentence.split())
    return flat if len(flat) <= length else flat[: length - 1].rsplit(" ", 1)[0] + "…"


def id_words(text: str) -> str:
    """The first words of *text*, hyphenated, for an id."""
    return "-".join(re.findall(r"[A-Za-z0-9]+", text)[:_ID_WORDS])


def topics(text: str) -> list[str]:
    """The topics whose words *text* uses, most used first."""
    counts = [(len(re.findall(p, text, re.IGNORECASE)), topic) for topic, p in _TOPICS]
    return [topic for count, topic in sorted(counts, key=lambda c: -c[0]) if count]


def event_type(sentence: str) -> str:
    """The event type *sentence* suggests."""
    for kind, pattern in _EVENT_TYPES:
        if re.search(pattern, sentence, re.IGNORECASE):
            return kind
    return "remark"


def after(value: str, published: dt.date) -> bool:
    """Whether the date *value* (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``) begins after *published*."""
    parts = [int(part) for part in value.split("-")]
    first = dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    return first > published
