"""Find each quote in the source text and anchor it by 0-based code-point offsets.

Matching tolerates exactly two kinds of difference: typographic versus straight quotes and
apostrophes, and runs of whitespace. A match must also begin and end at word boundaries, so
"experienc" does not match inside "experience", and at character boundaries, so "The cafe" does
not match inside "The cafe\u0301" (an e and a combining accent: one character to a reader).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import cached_property

from policykg.errors import GroundingError, Location
from policykg.facts.model import FactsFile, Quote

CONTEXT_LENGTH = 32
# Typographic quotes and apostrophes, written as escapes so the table reads unambiguously.
_QUOTE_FOLDS = str.maketrans(
    {
        "\u2018": "'",  # left single quotation mark
        "\u2019": "'",  # right single quotation mark, the typographic apostrophe
        "\u201a": "'",  # single low-9 quotation mark
        "\u201b": "'",  # single high-reversed-9 quotation mark
        "\u201c": '"',  # left double quotation mark
        "\u201d": '"',  # right double quotation mark
        "\u201e": '"',  # double low-9 quotation mark
        "\u201f": '"',  # double high-reversed-9 quotation mark
    }
)


@dataclass(frozen=True)
class Span:
    """Where a quote stands in the text: ``text[start:end] == exact``."""

    start: int
    end: int
    exact: str
    prefix: str
    suffix: str


class QuoteNotFound(ValueError):
    """The quote is not in the text (``closest`` is the most similar passage)."""

    def __init__(self, message: str, closest: str | None = None) -> None:
        self.closest = closest
        super().__init__(message)


class SourceText:
    """A document's text, with a folded copy for tolerant, position-preserving search."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._folded, self._origin = _fold(text)

    def locate(self, quote: str, *, after: str | None = None, start: int | None = None) -> Span:
        """Return the span of *quote*; raise :class:`QuoteNotFound` if it is missing or ambiguous.

        *after* picks the first occurrence that begins after the (unique) passage *after*;
        *start*, when given, must be where the quote begins.
        """
        needle = fold(quote)
        if not needle:
            raise QuoteNotFound("the quote is empty")
        hits = self._occurrences(needle)
        if not hits:
            raise self._not_found(needle)
        if after is not None:
            hits = self._hits_after(hits, after)
        if start is not None:
            return self._hit_at(hits, start, needle)
        if len(hits) > 1:
            where = ", ".join(str(self._origin[h]) for h in hits)
            raise QuoteNotFound(
                f"the quote occurs {len(hits)} times (at offsets {where}); say which with"
                " `after:` (a unique passage before it) or `start:`"
            )
        return self._span(hits[0], len(needle))

    def _not_found(self, needle: str) -> QuoteNotFound:
        """Why *needle* is not in the text, with the closest passage when there is one."""
        closest = self.closest_passage(needle)
        cut = self._cut_character(needle)
        if cut is not None:
            return QuoteNotFound(
                f"the quote ends or begins inside a character of the text: there it is joined to"
                f" U+{ord(cut):04X} {unicodedata.name(cut, 'a combining mark')}, which belongs"
                " to the letter next to it; quote the whole character",
                closest,
            )
        nfc = unicodedata.normalize("NFC", needle)
        if self._composed._occurrences(nfc):
            quote_form = "composed (NFC)" if nfc == needle else "decomposed (NFD)"
            return QuoteNotFound(
                f"the quote is in the text only up to Unicode normalization: the quote writes"
                f" accented letters {quote_form}, the text the other way (a letter and a"
                " combining accent versus one precomposed character), so passages that look"
                " the same differ in code points; copy the quote from the text",
                closest,
            )
        return QuoteNotFound("the quote is not in the text", closest)

    def _cut_character(self, needle: str) -> str | None:
        """The combining mark that splits a character at an edge of an occurrence of *needle*
        that is otherwise a whole-word match, if there is one."""
        text = self._folded
        index = text.find(needle)
        while index != -1:
            end = index + len(needle)
            if self._at_word_boundaries(index, len(needle), whole_characters=False):
                for edge in (index, end):
                    if edge < len(text) and _continues_character(text, edge):
                        return text[edge]
            index = text.find(needle, index + 1)
        return None

    def _occurrences(self, needle: str) -> list[int]:
        hits: list[int] = []
        index = self._folded.find(needle)
        while index != -1:
            if self._at_word_boundaries(index, len(needle)):
                hits.append(index)
            index = self._folded.find(needle, index + 1)
        return hits

    def _at_word_boundaries(
        self, index: int, length: int, *, whole_characters: bool = True
    ) -> bool:
        text = self._folded
        end = index + length
        starts_clean = index == 0 or not (text[index].isalnum() and text[index - 1].isalnum())
        ends_clean = end == len(text) or not (text[end - 1].isalnum() and text[end].isalnum())
        if whole_characters:
            starts_clean = starts_clean and not _continues_character(text, index)
            ends_clean = ends_clean and (end == len(text) or not _continues_character(text, end))
        return starts_clean and ends_clean

    def _hits_after(self, hits: list[int], after: str) -> list[int]:
        anchor = self._occurrences(_fold(after.strip())[0])
        if not anchor:
            raise QuoteNotFound(
                f"the `after` passage {after!r} is not in the text",
                self.closest_passage(_fold(after.strip())[0]),
            )
        if len(anchor) > 1:
            raise QuoteNotFound(f"the `after` passage {after!r} occurs {len(anchor)} times")
        later = [hit for hit in hits if hit > anchor[0]]
        if not later:
            raise QuoteNotFound(f"the quote does not occur after {after!r}")
        return later[:1]

    def _hit_at(self, hits: list[int], start: int, needle: str) -> Span:
        if not 0 <= start < len(self.text):
            raise QuoteNotFound(
                f"`start: {start}` is outside the text, which has {len(self.text)} characters"
            )
        for hit in hits:
            if self._origin[hit] == start:
                return self._span(hit, len(needle))
        found = ", ".join(str(self._origin[h]) for h in hits)
        raise QuoteNotFound(f"the quote does not start at offset {start} (it is at {found})")

    def _span(self, folded_start: int, folded_length: int) -> Span:
        start = self._origin[folded_start]
        end = self._origin[folded_start + folded_length - 1] + 1
        text = self.text
        return Span(
            start=start,
            end=end,
            exact=text[start:end],
            prefix=text[max(0, start - CONTEXT_LENGTH) : start],
            suffix=text[end : end + CONTEXT_LENGTH],
        )

    def closest_passage(self, needle: str) -> str | None:
        """The passage of the text most like *needle* (already folded), for error messages.

        The words of *needle* vote for where it would begin in the text (each place a word
        occurs, less the word's position in the quote); only the few places with the most votes
        are compared character by character, so the time grows with the text's and the quote's
        lengths, not with their product.
        """
        words = needle.split(" ")
        votes: Counter[int] = Counter()
        for position, word in enumerate(words):
            places = self._word_index.get(word, ())
            if len(places) <= MAX_ANCHORS:
                for place in places:
                    votes[max(0, place - position)] += 1
        candidates = [start for start, _ in votes.most_common(CANDIDATE_PASSAGES)]
        if not candidates and len(words) == 1:  # one word, misspelt: the most similar word
            similar = difflib.get_close_matches(needle, self._word_index, n=1, cutoff=0.6)
            candidates = list(self._word_index[similar[0]][:1]) if similar else []
        return self._most_similar(needle, candidates)

    def _most_similar(self, needle: str, word_numbers: list[int]) -> str | None:
        """Of the passages that begin at *word_numbers*, the one most like *needle*."""
        width = len(needle)
        best: tuple[float, int] | None = None
        matcher = difflib.SequenceMatcher(autojunk=False)
        matcher.set_seq2(needle)
        for begin in sorted(self._word_starts[number] for number in word_numbers):
            matcher.set_seq1(self._folded[begin : begin + width])
            ratio = matcher.ratio()
            if best is None or ratio > best[0]:
                best = (ratio, begin)
        if best is None or best[0] < 0.4:
            return None
        begin = best[1]
        start = self._origin[begin]
        end = self._origin[min(begin + width, len(self._folded)) - 1] + 1
        while end < len(self.text) and self.text[end].isalnum():
            end += 1
        return self.text[start:end]

    @cached_property
    def _composed(self) -> SourceText:
        """The text with its accented letters composed (NFC), to tell a quote that differs only
        in normalization."""
        return SourceText(unicodedata.normalize("NFC", self.text))

    @cached_property
    def _word_starts(self) -> list[int]:
        """Where each space-separated word of the folded text begins."""
        return [match.start() for match in _WORD.finditer(self._folded)]

    @cached_property
    def _word_index(self) -> dict[str, list[int]]:
        """The numbers (0, 1, …) of the words of the folded text, by word."""
        index: dict[str, list[int]] = {}
        for number, match in enumerate(_WORD.finditer(self._folded)):
            index.setdefault(match.group(), []).append(number)
        return index


MAX_ANCHORS = 1000
"""A word that occurs more often than this in the text ("the") does not vote for a passage."""

CANDIDATE_PASSAGES = 8
"""How many of the passages with the most votes are compared with the quote."""

_WORD = re.compile(r"[^ ]+")


def _continues_character(text: str, index: int) -> bool:
    """Whether ``text[index]`` belongs to the character before it (a combining accent, a
    variation selector, an emoji modifier, or what follows a zero-width joiner), so that a
    passage may not begin or end between them."""
    if index == 0:
        return False
    character = text[index]
    return (
        unicodedata.category(character) in _EXTENDING_CATEGORIES
        or "\U0001f3fb" <= character <= "\U0001f3ff"
        or character == _ZERO_WIDTH_JOINER
        or text[index - 1] == _ZERO_WIDTH_JOINER
    )


_EXTENDING_CATEGORIES = frozenset({"Mn", "Mc", "Me"})
_ZERO_WIDTH_JOINER = "\u200d"


def _fold(text: str) -> tuple[str, list[int]]:
    """Fold quotes to straight ones and whitespace runs to one space, keeping origin offsets."""
    translated = text.translate(_QUOTE_FOLDS)
    pieces: list[str] = []
    origin: list[int] = []
    done = 0
    for run in _IRREGULAR_WHITESPACE.finditer(translated):
        start, end = run.span()
        pieces.append(translated[done:start] + " ")
        origin.extend(range(done, start + 1))
        done = end
    pieces.append(translated[done:])
    origin.extend(range(done, len(translated)))
    return "".join(pieces), origin


def fold(text: str) -> str:
    """The folded form of *text* that quote matching compares (exposed for ``words`` checks)."""
    # _fold(text.strip())[0] without the offsets, in C: \s is str.isspace, code point by code point.
    return _WHITESPACE_RUN.sub(" ", text.strip().translate(_QUOTE_FOLDS))


_WHITESPACE_RUN = re.compile(r"\s+")
_IRREGULAR_WHITESPACE = re.compile(r"\s\s+|[^\S ]")
"""The whitespace runs that folding changes: a single space between words stays as it is."""


FIRST_PUBLICATION = "#first-publication"
"""The grounding key of the document's first-publication quotes (never a valid item id)."""
DISCLAIMER = "#disclaimer"
"""The grounding key of the quotes of the document's disclaimer (never a valid item id)."""


def ground_facts(facts: FactsFile) -> dict[str, tuple[Span, ...]]:
    """Locate every quote of *facts* in its text, by item id; raise :class:`GroundingError`."""
    source = SourceText(facts.text)
    grounded: dict[str, tuple[Span, ...]] = {}
    first = facts.document.first_published
    if first is not None and first.quotes:
        grounded[FIRST_PUBLICATION] = _ground(facts, source, first.quotes, facts.document.id)
    if facts.document.disclaimer:
        grounded[DISCLAIMER] = _ground(facts, source, facts.document.disclaimer, facts.document.id)
    for item in facts.items():
        if item.quotes:
            grounded[item.id] = _ground(facts, source, item.quotes, item.id)
    return grounded


def _ground(
    facts: FactsFile, source: SourceText, quotes: tuple[Quote, ...], fact_id: str
) -> tuple[Span, ...]:
    spans = []
    for quote in quotes:
        try:
            spans.append(source.locate(quote.text, after=quote.after, start=quote.start))
        except QuoteNotFound as problem:
            hint = None
            if problem.closest:
                hint = f"the closest passage of the text is: {problem.closest!r}"
            raise GroundingError(
                f"quote {quote.text!r}: {problem} ({facts.document.text_path.name})",
                Location(facts.path, quote.line),
                fact_id=fact_id,
                hint=hint,
            ) from problem
    return tuple(spans)
