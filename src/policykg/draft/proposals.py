"""Proposals: the facts a text suggests, each with its quote, before an analyst confirms them."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from policykg.draft.anchoring import anchored, located
from policykg.draft.attribution import Attribution
from policykg.draft.language import parse, sentence_spans
from policykg.draft.mentions import (
    Mention,
    candidate_names,
    group_phrases,
    guessed_type,
    is_place_name,
    is_title,
    person_aliases,
    registry_mentions,
)
from policykg.draft.verbs import (
    PARAPHRASE,
    REPORTING,
    assessment_cue,
    cameo_code,
    stance_verb,
)
from policykg.draft.wording import after, event_type, id_words, summary, topics
from policykg.facts.grounding import SourceText
from policykg.facts.model import Registry
from policykg.facts.template import slug

SECTIONS = ("actors", "places", "posts", "events", "statements", "stances", "claims")
"""The sections a draft proposes items in, in the order a facts file has them."""

_QUOTED = re.compile(r"[“\"]([^“”\"\n]{2,}?)[”\"]")
DATED = "#dated"
"""The coverage key of the quotes of items that give a date: their dates are curated."""
_NAME_NOTE = "A name the registry does not know: check it is an actor, and its type."
_GROUP_NOTE = (
    "A group the text describes without naming it: keep it as a group, or give instead the"
    " reading of the registry actor it stands for (world powers: the P5+1)."
)
_PLACE_NOTE = "A place or region the registry does not know: check it."


@dataclass(frozen=True)
class Proposal:
    """One proposed item: its section, id and fields (``quote`` included), and where its quote
    stands in the text (the first passage when it has several)."""

    section: str
    id: str
    fields: dict[str, Any]
    span: tuple[int, int]


@dataclass
class Coverage:
    """What the facts file already says: its ids, and its quotes' spans by section."""

    ids: set[str] = field(default_factory=set)
    spans: dict[str, list[tuple[int, int]]] = field(default_factory=dict)

    def overlaps(self, section: str, span: tuple[int, int]) -> bool:
        return any(s < span[1] and span[0] < e for s, e in self.spans.get(section, ()))


def propose(
    text: str,
    published: dt.date,
    registry: Registry | None = None,
    covered: Coverage | None = None,
    *,
    published_from: dt.date | None = None,
) -> list[Proposal]:
    """The proposals for *text*, skipping what *covered* already says (by id and quote span).

    Every proposal's quote is found in *text* exactly as the loader finds curated quotes.

    :param published_from: when the day of publication is not known, the first day the text can
        have appeared (*published* is then the last): relative dates become ranges.
    """
    drafter = _Drafter(text, published, registry or Registry(), covered or Coverage())
    drafter.published_from = published_from
    return drafter.run()


_PUBLICATION = re.compile(
    r"\b(?:(?:first|originally)\s+)?(?:published|appeared|posted)\b", re.IGNORECASE
)
"""A sentence about the article's own publication ("first published by LobeLog on …")."""


class _Drafter:
    published_from: dt.date | None = None

    def __init__(self, text: str, published: dt.date, registry: Registry, covered: Coverage):
        self.text = text
        self.published = published
        self.registry = registry
        self.covered = covered
        self.source = SourceText(text)
        self.doc = parse(text)
        self.sentences = sentence_spans(self.doc)
        self.used_ids = set(covered.ids) | set(registry.items_by_id)
        self.proposals: list[Proposal] = []

    def run(self) -> list[Proposal]:
        known = registry_mentions(self.doc, self.registry)
        groups = group_phrases(self.text, known)
        names = [
            n
            for n in candidate_names(self.doc, known)
            if not any(g.start <= n.start and n.end <= g.end for g in groups)
        ]
        groups = [g for g in groups if not any(n.start < g.end and g.start < n.end for n in names)]
        candidates = sorted(names + groups, key=lambda m: m.start)
        self._readings(known)
        candidate_ids = self._candidates(candidates)
        actors = sorted(
            [m for m in known if m.section == "actors"]
            + [m for m in candidates if m.text in candidate_ids],
            key=lambda m: m.start,
        )
        self.who = Attribution(self.text, self.registry, actors, candidate_ids)
        statement_sentences = self._statements()
        self._stances()
        self._assessments(statement_sentences)
        self._dates()
        for proposal in self.proposals:  # the loader's own check, so a bad quote never ships
            located(self.source, proposal.fields["quote"])
        return self.proposals

    # --- names -----------------------------------------------------------------------------
    def _readings(self, known: list[Mention]) -> None:
        seen: set[str] = set()
        for mention in known:
            assert mention.item_id is not None
            if mention.item_id in seen or mention.item_id in self.covered.ids:
                continue
            seen.add(mention.item_id)
            quote = anchored(self.source, mention.start, mention.end)
            self._add(mention.section, mention.item_id, {"quote": quote}, mention)

    def _candidates(self, candidates: list[Mention]) -> dict[str, str]:
        """Propose each new name once; return the actor id of each name. A name that a curated
        actor's quote covers anywhere is that actor's, wherever else it occurs."""
        ids: dict[str, str] = {}
        curated = {
            m.text
            for m in candidates
            if self.covered.overlaps("actors", (m.start, m.end))
            or self.covered.overlaps("places", (m.start, m.end))
        }
        aliases = person_aliases(self.text, candidates)
        for mention in candidates:
            if mention.text in ids or mention.text in curated or mention.text in aliases:
                continue
            base = slug(mention.text)
            if not base or base in self.covered.ids:
                continue
            item_id = self._new_id(base)
            if is_place_name(mention.text):
                quote = anchored(self.source, mention.start, mention.end)
                fields = {"name": mention.text, "quote": quote, "note": _PLACE_NOTE}
                self._add("places", item_id, fields, mention)
                continue
            ids[mention.text] = item_id
            kind = guessed_type(mention.text)
            fields = {
                "type": kind,
                "name": mention.text,
                "quote": anchored(self.source, mention.start, mention.end),
                "note": _GROUP_NOTE if kind == "group" else _NAME_NOTE,
            }
            self._add("actors", item_id, fields, mention)
        self._name_aliases(ids, aliases)
        return ids

    def _name_aliases(self, ids: dict[str, str], aliases: dict[str, str]) -> None:
        """Give each alias the id of the person it stands for, and a surname as an alternative
        name of that person's proposal."""
        proposals = {p.id: p for p in self.proposals if p.section == "actors"}
        for alias, full in sorted(aliases.items()):
            if full not in ids:
                continue
            ids[alias] = ids[full]
            proposal = proposals.get(ids[full])
            if proposal is None or is_title(alias):
                continue
            fields = proposal.fields
            names = [*fields.get("alt_names", []), alias]
            rest = {
                key: fields.pop(key)
                for key in list(fields)
                if key not in ("type", "name", "alt_names")
            }
            fields["alt_names"] = names
            fields.update(rest)

    # --- statements, stances, assessments -------------------------------------------------------
    def _statements(self) -> set[tuple[int, int]]:
        """Direct quotations (``stated``), then reported speech (``reported``): sentences with a
        reporting verb ("said", "told", "according to") and no quotation marks."""
        done = self._quotations()
        for sentence in self.sentences:
            if any(s[0] <= sentence[0] and sentence[1] <= s[1] for s in done):
                continue
            body = self.text[sentence[0] : sentence[1]]
            if _QUOTED.search(body):
                continue
            verb = PARAPHRASE.search(body) or REPORTING.search(body)
            if verb is None:
                continue
            speaker = self.who.speaker(sentence, sentence[0] + verb.start())
            if verb[0].lower() == "according to":
                speaker = self.who.first_after(sentence, sentence[0] + verb.end()) or speaker
            if speaker is not None:
                self._statement(sentence, speaker, {"asserted_as": "reported"}, verb)
                done.add(sentence)
        return done

    def _quotations(self) -> set[tuple[int, int]]:
        """One statement per passage of quoted words: the sentences from the one that opens the
        quotation to the one that closes it, the speaker and verb found outside the quotes."""
        passages: list[tuple[tuple[int, int], list[re.Match[str]]]] = []
        for quoted in _QUOTED.finditer(self.text):
            start = self._sentence_at(quoted.start())
            end = self._sentence_at(quoted.end() - 1)
            span = (start[0], end[1])
            if passages and passages[-1][0][1] > span[0]:
                previous, matches = passages.pop()
                span = (min(previous[0], span[0]), max(previous[1], span[1]))
                passages.append((span, [*matches, quoted]))
            else:
                passages.append((span, [quoted]))
        done: set[tuple[int, int]] = set()
        for span, matches in passages:
            inner = [(m.start(), m.end()) for m in matches]
            outside = "".join(
                " " * (e - s) if any(q[0] <= s < q[1] for q in inner) else self.text[s:e]
                for s, e in ((i, i + 1) for i in range(*span))
            )
            verbs = list(REPORTING.finditer(outside))
            first, last = inner[0][0] - span[0], inner[-1][1] - span[0]
            reporting = _nearest_verb(verbs, first, last)
            if not any(_is_speech(m[1], reporting is not None) for m in matches):
                continue
            at = span[0] + (reporting.start() if reporting is not None else first)
            speaker = self.who.speaker(span, at, inner)
            if speaker is None:
                continue
            fields = {"words": [m[1] for m in matches], "asserted_as": "stated"}
            self._statement(span, speaker, fields, reporting)
            done.add(span)
        return done

    def _sentence_at(self, offset: int) -> tuple[int, int]:
        for sentence in self.sentences:
            if sentence[0] <= offset < sentence[1]:
                return sentence
        return (offset, offset + 1)

    def _statement(
        self,
        sentence: tuple[int, int],
        speaker: Mention,
        fields: dict[str, Any],
        verb: re.Match[str] | None,
    ) -> None:
        if self.covered.overlaps("statements", sentence):
            return
        speaker_id = self.who.actor_id(speaker)
        body = self.text[sentence[0] : sentence[1]]
        words = fields.get("words") or [body[verb.end() :] if verb else body]
        item_id = self._new_id(f"{speaker_id}-{id_words(' '.join(words))}")
        proposal: dict[str, Any] = {"speaker": speaker_id, "summary": summary(body)}
        proposal.update(fields)
        self._cameo(proposal, sentence)
        proposal["quote"] = anchored(self.source, *sentence)
        proposal["note"] = (
            f"Reporting verb: {verb[0]!r}." if verb else "No reporting verb: check the speaker."
        )
        self._add("statements", item_id, proposal, sentence)

    def _stances(self) -> None:
        for sentence in self.sentences:
            body = self.text[sentence[0] : sentence[1]]
            verb = stance_verb(body, sentence[0])
            if verb is None or self.covered.overlaps("stances", sentence):
                continue
            holder = self.who.speaker(sentence, verb.start)
            fields: dict[str, Any] = {}
            if holder is None:
                fields["unattributed"] = True
            else:
                fields["holder"] = self.who.actor_id(holder)
            fields["polarity"] = verb.value
            fields["summary"] = summary(body)
            fields["topics"] = topics(body) or topics(self.text)[:1] or ["negotiations"]
            fields["asserted_as"] = "reported"
            target = self.who.target(sentence, verb.end, fields.get("holder"))
            if target is not None:
                fields["target"] = target
            self._cameo(fields, sentence)
            fields["quote"] = anchored(self.source, *sentence)
            fields["note"] = f"Polarity from {verb.words!r}."
            who = fields.get("holder", "unattributed")
            rest = self.text[verb.end : sentence[1]]
            item_id = self._new_id(f"{who}-{verb.value}-{id_words(rest)}")
            self._add("stances", item_id, fields, sentence)

    def _assessments(self, statements: set[tuple[int, int]]) -> None:
        for sentence in self.sentences[1:]:  # the first line is the title: init's headline claim
            body = self.text[sentence[0] : sentence[1]]
            cue = assessment_cue(body)
            if cue is None or sentence in statements or _QUOTED.search(body):
                continue
            if self.covered.overlaps("claims", sentence):
                continue
            certainty, hedge = cue
            fields: dict[str, Any] = {"summary": summary(body), "asserted_as": "assessment"}
            if certainty != "certain":
                fields.update({"certainty": certainty, "hedge": [hedge]})
            fields["quote"] = anchored(self.source, *sentence)
            fields["note"] = f"A candidate assessment: {hedge!r} marks the author's judgement."
            self._add("claims", self._new_id(f"assessment-{id_words(body)}"), fields, sentence)

    def _cameo(self, fields: dict[str, Any], sentence: tuple[int, int]) -> None:
        words = [
            (token.lower_, token.idx, token.idx + len(token.text))
            for token in self.doc.char_span(*sentence, alignment_mode="expand") or ()
        ]
        hit = cameo_code(words)
        if hit is not None:
            fields["cameo"] = hit.value

    # --- dates ------------------------------------------------------------------------------
    def _dates(self) -> None:
        """An event for each date the text gives, one per sentence and date (the mention with a
        weekday to check wins: "April 2 … on Thursday")."""
        from policykg.draft.dates import find_dates

        chosen: dict[tuple[tuple[int, int], str], Any] = {}
        for mention in find_dates(self.text, self.published, self.published_from):
            where = (mention.start, mention.end)
            if self.covered.overlaps("events", where) or self.covered.overlaps(DATED, where):
                continue  # an item of the facts quotes it: its date is curated
            sentence = self._sentence_at(mention.start)
            if self._is_publication(sentence, mention):
                continue
            key = (
                sentence,
                str(mention.as_facts().get("value", mention.as_facts().get("between"))),
            )
            earlier = chosen.get(key)
            if earlier is None or (
                "weekday" in mention.as_facts() and "weekday" not in earlier.as_facts()
            ):
                chosen[key] = mention
        for (sentence, _), mention in sorted(chosen.items(), key=lambda item: item[1].start):
            body = self.text[sentence[0] : sentence[1]]
            dated: dict[str, Any] = {"date": mention.as_facts()}
            if mention.ends is not None:
                dated = {
                    "from": mention.as_facts(),
                    "to": {
                        "value": mention.ends,
                        "basis": "derived",
                        "note": f"the end of “{mention.text}”: check it",
                    },
                }
            fields: dict[str, Any] = {
                "label": f"{summary(body, 80)} ({mention.text})",
                "type": event_type(body),
                **dated,
                **({"forecast": True} if after(mention.value, self.published) else {}),
                "quote": anchored(self.source, *sentence),
                "note": f"Proposed for the date {mention.text!r}: check the event, label and type.",
            }
            self._cameo(fields, sentence)
            item_id = self._new_id(f"event-{slug(mention.value)}-{id_words(mention.text)}")
            self._add("events", item_id, fields, (mention.start, mention.end))

    def _is_publication(self, sentence: tuple[int, int], mention: Any) -> bool:
        """Whether *mention* is the article's own publication date, in a sentence about it."""
        first = self.published_from or self.published
        return (
            mention.precision == "day"
            and first.isoformat() <= mention.value <= self.published.isoformat()
            and _PUBLICATION.search(self.text[sentence[0] : sentence[1]]) is not None
        )

    # --- bookkeeping -------------------------------------------------------------------------
    def _new_id(self, wanted: str) -> str:
        base = slug(wanted)[:56].strip("-") or "item"
        item_id, number = base, 2
        while item_id in self.used_ids:
            item_id, number = f"{base}-{number}", number + 1
        self.used_ids.add(item_id)
        return item_id

    def _add(
        self, section: str, item_id: str, fields: dict[str, Any], where: Mention | tuple[int, int]
    ) -> None:
        span = (where.start, where.end) if isinstance(where, Mention) else where
        self.used_ids.add(item_id)
        self.proposals.append(Proposal(section, item_id, fields, span))


def _nearest_verb(verbs: list[re.Match[str]], first: int, last: int) -> re.Match[str] | None:
    """The reporting verb that introduces quoted words running from *first* to *last*: the
    nearest before them or after them ("…,” Zarif told CBS), the one before on a tie; a verb
    between two quoted passages counts as before the next."""
    earlier = [verb for verb in verbs if verb.start() < first]
    later = [verb for verb in verbs if verb.start() >= last]
    if not earlier or not later:
        return earlier[-1] if earlier else (verbs[0] if verbs else None)
    before, after = earlier[-1], later[0]
    return after if after.start() - last < first - before.end() else before


def _is_speech(words: str, reported: bool) -> bool:
    """Quoted words that are someone's speech rather than a title or scare quotes: words with
    a reporting verb beside them ("he said the US was “disloyal”"), or a clause without one."""
    return reported or len(words.split()) >= 6


def by_section(proposals: Iterable[Proposal]) -> dict[str, list[Proposal]]:
    """Proposals grouped by section, in :data:`SECTIONS` order."""
    grouped: dict[str, list[Proposal]] = {section: [] for section in SECTIONS}
    for proposal in proposals:
        grouped[proposal.section].append(proposal)
    return {section: items for section, items in grouped.items() if items}
