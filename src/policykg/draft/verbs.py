"""The verbs that make a sentence a statement, a stance or a CAMEO event, and the words of hedging.

CAMEO codes come from a subset of the PETRARCH verb dictionary shipped as data
(``data/cameo-verbs.yaml``, with its source and licence). The stance polarities and the
reporting and hedging words are policykg's own short lists: each polarity is one of the
ontology's polarity scheme.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import yaml

from policykg.resources import data_path

CAMEO_FILE = "cameo-verbs.yaml"
_OBJECT_WINDOW = 6
"""How many words after the verb its object may stand (``rejected any talks with Iran``)."""


@dataclass(frozen=True)
class CameoEntry:
    """A verb block of the dictionary: its verb forms, optional objects and CAMEO code."""

    code: str
    block: str
    forms: tuple[tuple[str, ...], ...]
    objects: frozenset[str]


@dataclass(frozen=True)
class VerbHit:
    """A verb found in a sentence: what it signals and where (code-point offsets)."""

    value: str
    start: int
    end: int
    words: str


def inflections(verb: str) -> set[str]:
    """The regular forms of a base verb (``accuse`` → accuses, accused, accusing); in a phrasal
    verb (``rule out``) the first word is inflected."""
    first, _, rest = verb.partition(" ")
    tail = f" {rest}" if rest else ""
    if first.endswith("e"):
        forms = {first, first + "s", first + "d", first[:-1] + "ing"}
    elif first.endswith("y") and first[-2:-1] not in "aeiou":
        forms = {first, first[:-1] + "ies", first[:-1] + "ied", first + "ing"}
    elif first.endswith(("s", "sh", "ch", "x", "z")):
        forms = {first, first + "es", first + "ed", first + "ing"}
    else:
        forms = {first, first + "s", first + "ed", first + "ing"}
    return {form + tail for form in forms}


@cache
def cameo_entries() -> tuple[CameoEntry, ...]:
    """The dictionary's entries, those with objects first (a pattern before its bare verb)."""
    with data_path(CAMEO_FILE).open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    entries = []
    for entry in data["entries"]:
        forms = {form for verb in entry["verbs"] for form in inflections(verb)}
        forms.update(entry.get("forms", ()))
        entries.append(
            CameoEntry(
                code=str(entry["code"]),
                block=entry["block"],
                forms=tuple(sorted(tuple(form.split()) for form in forms)),
                objects=frozenset(entry.get("objects", ())),
            )
        )
    return tuple(sorted(entries, key=lambda entry: not entry.objects))


def cameo_code(words: Sequence[tuple[str, int, int]]) -> VerbHit | None:
    """The CAMEO code of the first dictionary verb among *words* (lower-case word, start, end):
    the first verb with its object if there is one, else the first bare verb."""
    lowered = [word for word, _, _ in words]
    for with_objects in (True, False):
        hits = [
            hit
            for entry in cameo_entries()
            if bool(entry.objects) is with_objects
            for hit in _entry_hits(entry, lowered, words)
        ]
        if hits:
            return min(hits, key=lambda hit: (hit.start, hit.value))
    return None


def _entry_hits(
    entry: CameoEntry, lowered: list[str], words: Sequence[tuple[str, int, int]]
) -> list[VerbHit]:
    hits = []
    for form in entry.forms:
        for index in range(len(lowered) - len(form) + 1):
            if tuple(lowered[index : index + len(form)]) != form:
                continue
            if index and lowered[index - 1] in _ARTICLES:
                continue  # a noun: "a lifting of sanctions", "the rejection"
            following = lowered[index + len(form) : index + len(form) + _OBJECT_WINDOW]
            if entry.objects and not (
                entry.objects.intersection(following) or _passive_object(entry, lowered, index)
            ):
                continue
            start, end = words[index][1], words[index + len(form) - 1][2]
            hits.append(VerbHit(entry.code, start, end, " ".join(form)))
    return hits


_ARTICLES = frozenset(["a", "an", "the"])
_PASSIVE = frozenset(["be", "been", "being", "is", "are", "was", "were"])
_PASSIVE_WINDOW = 4
"""How many words before a passive verb its object may stand ("sanctions have been lifted")."""


def _passive_object(entry: CameoEntry, lowered: list[str], index: int) -> bool:
    """Whether the verb at *index* is passive ("were lifted") with one of *entry*'s objects
    among the words before it: the object of the active verb is then its subject."""
    if index == 0 or lowered[index - 1] not in _PASSIVE:
        return False
    before = lowered[max(0, index - 1 - _PASSIVE_WINDOW) : index - 1]
    return bool(entry.objects.intersection(before))


_POLARITIES: tuple[tuple[str, str], ...] = (
    ("rules-out", r"rul(?:e|es|ed|ing) out|exclud(?:e|es|ed|ing)"),
    ("non-committal", r"neither for nor against|undecided"),
    (
        "sceptical",
        r"cast(?:s|ing)? (?:\w+ )?doubts? (?:on|over)|doubt(?:s|ed|ful)?|s[ck]eptic(?:al|ism)",
    ),
    (
        "opposes",
        r"reject(?:s|ed|ing)?|oppos(?:e|es|ed|ing)|refus(?:e|es|ed|ing)|unwilling(?:ness)?"
        r"|dismiss(?:es|ed|ing)?|debunk(?:s|ed|ing)?|scorn(?:s|ed|ing)?|condemn(?:s|ed|ing)?"
        r"|critici[sz](?:e|es|ed|ing)|denounc(?:e|es|ed|ing)",
    ),
    (
        "welcomes",
        r"welcom(?:e|es|ed|ing)|congratulat(?:e|es|ed|ing)|prais(?:e|es|ed|ing)|hail(?:s|ed)",
    ),
    ("hopeful", r"hop(?:ed|ing)|hopes? (?:that|to|for)|hopeful|optimistic"),
    ("concerned", r"concerned|worr(?:y|ies|ied)|fear(?:s|ed)?|apprehensi(?:ve|on)"),
    (
        "supports",
        r"support(?:s|ed|ing)?|back(?:s|ed|ing)|endors(?:e|es|ed|ing)|favou?r(?:s|ed)"
        r"|stand by|committed to",
    ),
    ("open-to", r"open to|willing(?:ness)? to|ready to"),
)
_POLARITY_PATTERNS = tuple(
    (polarity, re.compile(rf"\b(?:{pattern})\b")) for polarity, pattern in _POLARITIES
)


def stance_verb(sentence: str, offset: int = 0) -> VerbHit | None:
    """The first word of *sentence* that signals a stance, with its polarity."""
    hits = []
    for polarity, pattern in _POLARITY_PATTERNS:
        match = pattern.search(sentence)
        if match:
            hits.append(VerbHit(polarity, offset + match.start(), offset + match.end(), match[0]))
    return min(hits, key=lambda hit: hit.start) if hits else None


REPORTING = re.compile(
    r"\b(?:said|says|say|told|tells|stated|states|noted|notes|added|adds|stressed|stresses|"
    r"warned|warns|insisted|insists|declared|declares|announced|explained|argued|argues|"
    r"suggested|suggests|claimed|claims|asserted|reiterated|emphasi[sz]ed|wrote|writes|"
    r"remarked|replied|underlined|underscored|denies|denied|reported|suggest|stressing|"
    r"saying|accused|accuses|tweeted|referred to|emphasi[sz]ing)\b"
)
"""Verbs that report speech (lower case: "United States" is no reporting verb)."""

PARAPHRASE = re.compile(
    r"\b(?:(?:said|says|told \w+(?: \w+)?|stated|noted|added|stressed|warned|insisted|declared|"
    r"argued|suggested|claimed|reiterated|emphasi[sz]ed) that|[Aa]ccording to)\b"
)
"""What introduces reported speech without quotation marks: "said that", "according to"."""

_HEDGES: tuple[tuple[str, str], ...] = (
    ("probable", r"likely|probably|appears?|appeared|seems?|seemed|suggests?|is expected to"),
    ("possible", r"could|may|might|[Pp]erhaps|[Pp]ossibly"),
    ("certain", r"will|would|significant|important|crucial|[Cc]learly|[Uu]ndoubtedly|must"),
)
_HEDGE_PATTERNS = tuple(
    (certainty, re.compile(rf"\b(?:{pattern})\b")) for certainty, pattern in _HEDGES
)
"""Lower case unless the word may open a sentence: "May" is a month, "Will" a name."""


def assessment_cue(sentence: str) -> tuple[str, str] | None:
    """The certainty and the word that make *sentence* evaluative or predictive, if any
    (``probable``/"likely", ``possible``/"could", ``certain``/"will")."""
    for certainty, pattern in _HEDGE_PATTERNS:
        match = pattern.search(sentence)
        if match:
            return certainty, match[0]
    return None
