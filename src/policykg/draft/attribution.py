"""Who says or holds what: the actor a sentence attributes words or a verb to, found from word
order (no parser): the nearest person named before, or a pronoun's antecedent."""

from __future__ import annotations

import re

from policykg.draft.mentions import Mention, guessed_type
from policykg.facts.model import Actor, Registry

_PRONOUN = re.compile(r"\b(?:he|she|they|He|She|They)\b")


class Attribution:
    """The actors named in a text (registry actors and candidates), in text order."""

    def __init__(
        self, text: str, registry: Registry, mentions: list[Mention], ids: dict[str, str]
    ) -> None:
        self.text = text
        self.registry = registry
        self.mentions = mentions
        self.ids = ids
        """The id proposed for each candidate name."""
        self.full_names: dict[str, str] = {}
        """Each candidate id's longest name: the full name a surname or a title stands for."""
        for name, actor_id in sorted(ids.items()):
            if len(name) > len(self.full_names.get(actor_id, "")):
                self.full_names[actor_id] = name

    def actor_id(self, mention: Mention) -> str:
        """The id of the actor *mention* names (a registry id or a candidate's)."""
        return mention.item_id or self.ids[mention.text]

    def person_before(self, offset: int) -> Mention | None:
        """The last actor named before *offset*: whom "he" or "she" most likely means."""
        before = [m for m in self.mentions if m.end <= offset]
        people = [m for m in before if self.is_person(m)]
        found = people or before
        return found[-1] if found else None

    def is_person(self, mention: Mention) -> bool:
        """Whether *mention* names a person (by the registry, else by the guessed type)."""
        item = self.registry.items_by_id.get(mention.item_id or "")
        if isinstance(item, Actor):
            return item.kind == "person"
        name = self.full_names.get(self.ids.get(mention.text, ""), mention.text)
        return guessed_type(name) == "person"

    def speaker(
        self, sentence: tuple[int, int], at: int, quoted: list[tuple[int, int]] | None = None
    ) -> Mention | None:
        """The actor a sentence attributes the words or verb at *at* to: the nearest person
        named before it in the sentence (else the nearest actor), or the antecedent of a
        pronoun that stands nearer; failing both, the first actor named after it. Names inside
        *quoted* passages are the speaker's words, not the speaker."""
        quoted = quoted or []
        inside = [
            m
            for m in self.mentions
            if sentence[0] <= m.start
            and m.end <= sentence[1]
            and not any(q[0] <= m.start < q[1] for q in quoted)
        ]
        before = [m for m in inside if m.end <= at]
        people = [m for m in before if self.is_person(m)]
        subjects = [m for m in people if not self._possessive(m)]  # not "Khamenei's advisor"
        choice = (subjects or people or before)[-1] if (people or before) else None
        pronouns = [
            p
            for p in _PRONOUN.finditer(self.text, sentence[0], at)
            if not any(q[0] <= p.start() < q[1] for q in quoted)
        ]
        if pronouns and (choice is None or pronouns[-1].start() > choice.end):
            return self.person_before(pronouns[-1].start())
        if choice is not None:
            return choice
        after = [m for m in inside if m.start >= at]
        later_pronoun = [
            p
            for p in _PRONOUN.finditer(self.text, at, sentence[1])
            if not any(q[0] <= p.start() < q[1] for q in quoted)
        ]
        if later_pronoun and (not after or later_pronoun[0].start() < after[0].start):
            return self.person_before(later_pronoun[0].start())
        return after[0] if after else None

    def _possessive(self, mention: Mention) -> bool:
        """Whether *mention* is a possessive ("the Supreme Leader's advisor said"): it names
        whose the subject is, not the subject."""
        return self.text[mention.end : mention.end + 2] in ("'s", "\u2019s")

    def first_after(self, sentence: tuple[int, int], at: int) -> Mention | None:
        """The first actor named in *sentence* after *at*."""
        after = [m for m in self.mentions if at <= m.start and m.end <= sentence[1]]
        return after[0] if after else None

    def target(self, sentence: tuple[int, int], at: int, holder: str | None) -> str | None:
        """The first actor named after the verb at *at*, other than the holder."""
        for mention in self.mentions:
            if at <= mention.start and mention.end <= sentence[1]:
                actor_id = self.actor_id(mention)
                if actor_id != holder:
                    return actor_id
        return None
