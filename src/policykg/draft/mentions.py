"""Names in the text: the registry's (matched with a spaCy PhraseMatcher fed from the registry)
and capitalised names the registry does not know (candidate actors)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from policykg.draft.language import matcher, pipeline
from policykg.facts.model import Actor, Event, Item, Place, Post, Registry

_SECTIONS = ((Actor, "actors"), (Place, "places"), (Post, "posts"), (Event, "events"))
_CONNECTORS = {"of", "for", "on", "the", "de", "al"}
_NOT_NAMES_TEXT = """
    a an the in on at as by but and or if when while after before although though this that
    these those it its he she they we i his her their our you your there here what which who
    why how since so yet for from to with without not no one two three some many several
    monday tuesday wednesday thursday friday saturday sunday january february march april may
    june july august september october november december mr mrs ms dr president minister
    secretary ambassador leader editing reporting let maybe yes please then later now
    meanwhile however also
"""
_NOT_NAMES = frozenset(_NOT_NAMES_TEXT.split())
"""Capitalised words that are not names, or do not begin one."""
_DEMONYM_ENDINGS = ("ian", "ean", "ese", "ish")
_ADJECTIVES = frozenset(["western", "eastern", "northern", "southern"])
"""Capitalised adjectives that are no name alone: "a key Western demand"."""
_ORGANIZATION_WORDS_TEXT = """
    council ministry agency organization organisation nations union party committee department
    office bank news times post press assembly parliament congress court commission forum
    institute centre center foundation group guard guards corps army force forces company
    government administration majlis
"""
_ORGANIZATION_WORDS = frozenset(_ORGANIZATION_WORDS_TEXT.split())
"""Words that make a name an organization's."""
_TITLE_WORDS_TEXT = """
    president vice prime foreign deputy minister supreme leader ayatollah grand secretary
    secretary-general general ambassador spokesman spokeswoman spokesperson chief senator
    chairman chairwoman director commander envoy special king queen prince crown sheikh emir
    mr mrs ms dr sir lord rapporteur speaker advisor adviser mp hojatoleslam ministers under
"""
TITLE_WORDS = frozenset(_TITLE_WORDS_TEXT.split())
"""Words of a title or an honorific before a personal name ("Foreign Minister", "Ayatollah")."""
_PORTFOLIOS = frozenset(
    ["state", "defense", "defence", "treasury", "energy", "commerce", "political", "affairs"]
)
"""The words of a portfolio after a title: "Secretary of State", "for Political Affairs"."""
_COUNTRY_ACRONYMS = frozenset(["us", "u.s.", "uk", "u.k.", "un", "u.n.", "eu"])


@dataclass(frozen=True)
class Mention:
    """A name in the text: a registry item's (``item_id``) or a candidate's (``item_id`` None)."""

    section: str
    item_id: str | None
    start: int
    end: int
    text: str


def registry_names(registry: Registry) -> list[tuple[str, str, str]]:
    """``(section, id, name)`` for every name and alternative name of the registry's actors,
    places, posts (their labels) and events (their alternative names only: labels are
    descriptions, seldom written as such)."""
    names: list[tuple[str, str, str]] = []
    for item in registry.items():
        for kind, section in _SECTIONS:
            if isinstance(item, kind):
                names.extend((section, item.id, name) for name in _names(item))
    return sorted(set(names))


def _names(item: Item) -> tuple[str, ...]:
    if isinstance(item, Actor):
        return (item.name, *item.alt_names)
    if isinstance(item, Place):
        return (item.name, *getattr(item, "alt_names", ()))
    if isinstance(item, Post):
        return (item.label,)
    if isinstance(item, Event):
        return tuple(getattr(item, "alt_names", ()))
    return ()


def registry_mentions(doc: object, registry: Registry) -> list[Mention]:
    """Every occurrence of a registry name in the parsed text, longest first where they overlap."""
    from spacy.tokens import Doc

    assert isinstance(doc, Doc)
    phrases = matcher()
    keys: dict[str, tuple[str, str]] = {}
    for section, item_id, name in registry_names(registry):
        key = f"{section}/{item_id}"
        keys[key] = (section, item_id)
        phrases.add(key, [pipeline().make_doc(name)])
    found = []
    for match_id, start, end in phrases(doc):
        section, item_id = keys[doc.vocab.strings[match_id]]
        span = doc[start:end]
        found.append(Mention(section, item_id, span.start_char, span.end_char, span.text))
    return _longest_first(found)


def _longest_first(mentions: list[Mention]) -> list[Mention]:
    kept: list[Mention] = []
    for mention in sorted(mentions, key=lambda m: (-(m.end - m.start), m.start, m.section)):
        if not any(m.start < mention.end and mention.start < m.end for m in kept):
            kept.append(mention)
    return sorted(kept, key=lambda m: (m.start, m.section))


def candidate_names(doc: object, known: list[Mention]) -> list[Mention]:
    """Runs of capitalised words (joined by "of", "for" …) that no registry name covers.

    A single capitalised word that opens a sentence is not a name ("When", "Maybe"); nor are
    weekdays, months, titles alone or pronouns.
    """
    from spacy.tokens import Doc

    assert isinstance(doc, Doc)
    known_lower = {doc.text[m.start : m.end].lower() for m in known}
    runs: list[list[Any]] = []
    current: list[Any] = []
    for token in doc:
        capitalised = (token.text[:1].isupper() and token.is_alpha) or _is_acronym(token.text)
        if capitalised:
            current.append(token)
            continue
        if current and _joins(token, doc):
            current.append(token)
            continue
        if current:
            runs.append(current)
        current = []
    if current:
        runs.append(current)
    runs = [_without_known_prefix(_trimmed(run), known) for run in runs]
    surnames = {run[-1].text for run in runs if len(_without_title(run)) > 1}
    headline = _headline_words(doc.text)
    found = []
    for run in runs:
        if not run:
            continue
        first, last = run[0], run[-1]
        start, end = first.idx, last.idx + len(last.text)
        possessive = doc.text[end : end + 2] in ("'s", "\u2019s")
        opening = _opens_sentence(doc.text, start) and not possessive and first.text not in surnames
        if len(run) == 1 and (opening or (len(first.text) < 3 and not _is_acronym(first.text))):
            continue
        if end <= len(headline) and headline and doc.text.count(doc.text[start:end]) == 1:
            continue  # a title-case headline capitalises every word: a name must recur
        if doc.text[start:end].lower() in known_lower:
            continue
        if len(run) == 1 and (first.text.endswith(_DEMONYM_ENDINGS) or first.lower_ in _ADJECTIVES):
            continue  # "Iranian leadership": an adjective, not a name
        inside = [m for m in known if m.start < end and start < m.end]
        if any(m.end == end and m.section == "actors" for m in inside):
            continue  # a title before a known name: "Supreme Leader Ayatollah Ali Khamenei"
        if any(
            not (start <= m.start and m.end <= end and (m.start, m.end) != (start, end))
            for m in inside
        ):
            continue  # a registry name covers it, or part of it and more
        found.append(Mention("actors", None, start, end, doc.text[start:end]))
    return found


def _trimmed(run: list[Any]) -> list[Any]:
    """*run* without connectors at its end, words that begin no name, and a title."""
    while run and getattr(run[-1], "lower_", "") in _CONNECTORS:
        run.pop()
    while run and getattr(run[0], "lower_", "") in _NOT_NAMES:
        run.pop(0)
    return _without_title(run)


def _without_known_prefix(run: list[Any], known: list[Mention]) -> list[Any]:
    """*run* without a registry actor's name and the title after it ("United States President
    Donald Trump" is Donald Trump)."""
    if len(run) < 3:
        return run
    for mention in known:
        if mention.section == "actors" and mention.start == run[0].idx:
            rest = [token for token in run if token.idx >= mention.end]
            if len(rest) > 2 and rest[0].lower_ in TITLE_WORDS:
                untitled_rest = _without_title(rest)
                if untitled_rest is not rest:
                    return untitled_rest
    return run


def _headline_words(text: str) -> str:
    """The first line when it is a title-case headline (most of its longer words capitalised),
    else the empty string."""
    line = text.split("\n", 1)[0]
    if line == text or line.rstrip().endswith((".", "!", "?")):
        return ""  # no headline: a text of one line, or a first line that is a sentence
    words = [word for word in re.findall(r"[A-Za-z][\w'\u2019-]*", line) if len(word) > 3]
    capitalised = [word for word in words if word[0].isupper()]
    return line if len(words) >= 3 and len(capitalised) >= 0.6 * len(words) else ""


def _without_title(run: list[Any]) -> list[Any]:
    """*run* without the title before a personal name ("Iranian Foreign Minister Abbas
    Araghchi" is Abbas Araghchi), when two words or more are left; a title alone is kept."""
    words = [getattr(token, "lower_", "") for token in run]
    cut = 0
    while cut < len(run) - 2 and (
        words[cut] in TITLE_WORDS
        or (
            (words[cut].endswith(_DEMONYM_ENDINGS) or words[cut] in _COUNTRY_ACRONYMS)
            and words[cut + 1] in TITLE_WORDS
        )
        or (  # "Secretary of State", "Under Secretary for Political Affairs"
            cut
            and words[cut] in ("of", "for")
            and words[cut - 1] in TITLE_WORDS | _PORTFOLIOS
            and words[cut + 1] in _PORTFOLIOS
        )
        or (cut and words[cut] in _PORTFOLIOS and words[cut - 1] in _PORTFOLIOS | {"of", "for"})
    ):
        cut += 1
    if not cut or words[cut] in TITLE_WORDS or any(w in _CONNECTORS for w in words[cut:]):
        return run  # "Chief Justice of Iran Sadegh Larijani": the title is not cut in two
    return run[cut:]


def untitled(name: str) -> str:
    """*name* without the title words before it ("Ayatollah Khamenei" is Khamenei)."""
    words = name.split()
    while len(words) > 1 and words[0].lower() in TITLE_WORDS:
        words.pop(0)
    return " ".join(words)


def is_title(name: str) -> bool:
    """Whether *name* is a title alone ("the Supreme Leader"), not a name."""
    words = name.lower().split()
    return bool(words) and all(word in TITLE_WORDS for word in words)


def person_aliases(text: str, candidates: list[Mention]) -> dict[str, str]:
    """The candidate names that stand for a person named in full in *text*: the surname alone
    ("Khamenei" for Ali Khamenei, after it) and a title alone that the full name was given with
    ("the Supreme Leader"); each with the full name it stands for."""
    people = [
        m
        for m in candidates
        if guessed_type(m.text) == "person" and not is_title(m.text) and not is_place_name(m.text)
    ]
    by_surname: dict[str, set[str]] = {}
    for person in people:
        if " " in untitled(person.text):
            by_surname.setdefault(person.text.split()[-1], set()).add(person.text)
    first_seen: dict[str, int] = {}
    headline = text.find("\n")
    for mention in candidates:  # the first mention after the headline, which names briefly
        if mention.start > headline:
            first_seen.setdefault(mention.text, mention.start)
    aliases: dict[str, str] = {}
    for mention in candidates:
        bare = untitled(mention.text)
        full = by_surname.get(bare, set())
        if (
            " " not in bare
            and len(full) == 1
            and first_seen.get(next(iter(full)), -1) < first_seen.get(mention.text, len(text))
        ):  # "Khamenei", "Ayatollah Khamenei", after "Ali Khamenei"
            aliases[mention.text] = next(iter(full))
        elif is_title(mention.text):
            titled = [
                p.text
                for p in people
                if mention.text.lower() in text[max(0, p.start - 40) : p.start].lower()
            ]
            if titled:
                aliases[mention.text] = titled[0]
    return aliases


_GROUP = re.compile(
    r"\b(?:(?:[A-Z][\w'\u2019-]*|senior|top|some|international|financial|security|"
    r"negotiating|world|major|six)\s+){0,3}"
    r"(?:officials|diplomats|lawmakers|negotiators|reporters|partners|powers|establishment|"
    r"institutions|negotiating team|leadership)\b"
)
"""A group the text describes without naming it: "senior Iranian officials", "world powers"."""


def group_phrases(text: str, known: list[Mention]) -> list[Mention]:
    """Descriptions of unnamed groups, as candidate actors of type ``group``."""
    found = []
    for match in _GROUP.finditer(text):
        start, end = match.span()
        words = match[0].split()
        while len(words) > 1 and words[0].lower() in ("the", "some", "a"):
            start += len(words[0]) + 1
            words.pop(0)
        overlapping = [m for m in known if m.start < end and start < m.end]
        if any(not (start <= m.start and m.end <= end) for m in overlapping):
            continue
        found.append(Mention("actors", None, start, end, text[start:end]))
    return found


def _joins(token: Any, doc: Any) -> bool:
    """Whether *token* joins two capitalised words into one name: "of" in "Ministry of Foreign
    Affairs", the hyphen of "Secretary-General" (not "for" before a month: "for April")."""
    if token.i + 1 >= len(doc):
        return False
    following = doc[token.i + 1]
    if not (following.text[:1].isupper() and following.is_alpha):
        return False
    if following.lower_ in _NOT_NAMES:
        return False
    if token.text == "-":
        return not doc[token.i - 1].whitespace_ and not token.whitespace_
    return token.lower_ in _CONNECTORS


def _opens_sentence(text: str, start: int) -> bool:
    """Whether the word at *start* opens a sentence, a line or a quotation."""
    before = text[:start].rstrip(" \t")
    if before.endswith('"'):  # a straight quotation mark opens when it is the paragraph's odd one
        paragraph = before[before.rfind("\n") + 1 :]
        return paragraph.count('"') % 2 == 1
    return not before or before[-1] in "\n.:;?!\u201c\u2018(\u2026-\u2013\u2014"


def _is_acronym(text: str) -> bool:
    letters = text.replace(".", "")
    return len(letters) >= 2 and letters.isalpha() and letters.isupper()


_PLACE_WORDS = {"east", "west", "north", "south", "gulf", "sea", "peninsula", "city", "region"}


def is_place_name(name: str) -> bool:
    """Whether a candidate name is a region or a place rather than an actor ("Middle East";
    "the West" alone is an actor)."""
    words = name.lower().split()
    return len(words) > 1 and any(word in _PLACE_WORDS for word in words)


def guessed_type(name: str) -> str:
    """A guess at a candidate's actor type: the analyst confirms or corrects it."""
    if _GROUP.fullmatch(name):
        return "group"
    words = name.lower().replace(".", "").split()
    if any(word in _ORGANIZATION_WORDS for word in words) or _is_acronym(name):
        return "organization"
    if 2 <= len(words) <= 4:
        return "person"
    return "state"
