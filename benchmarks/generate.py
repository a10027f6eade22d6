"""Write a deterministic synthetic corpus of facts files for the benchmarks (not a test).

About N facts spread over N/25 article folders, each with ``article.txt`` and ``facts.yaml`` in the
current facts format, and a ``registry.yaml`` of what the articles share. Every article holds 25
items: its readings of 6 registry actors (author, two office holders, two states, an organization
or group: their quotes), 2 posts and 2 tenures, 3 events of its own (a day, a month and an
interval), its readings of 3 registry events (each with its own date, of day, month or year
precision), 4 statements, 3 stances and 2 claims. The article text is generated from the facts so
that every quote occurs in it exactly once (or, for shared actors, first after a fixed passage).

Actors, places, posts and tenures come from a fixed pool of about 350 recurring entities, defined
once in the registry; the registry also defines about one shared event per 100 facts (at least
6). An article's own events carry the article number in their ids. The same N and seed give the
same bytes.

    python benchmarks/generate.py --facts 10000 -o corpus [--seed 1]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from rdflib.namespace import SKOS

from policykg.resources import ontology_graph, scheme_codes

FACTS_PER_ARTICLE = 25
MARKER = "The analysis covers"
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
STATE_STEMS = [
    "Al",
    "Bel",
    "Car",
    "Dra",
    "Est",
    "Fal",
    "Gor",
    "Hal",
    "Ist",
    "Kal",
    "Lum",
    "Mor",
    "Nev",
    "Ost",
    "Pel",
    "Quar",
    "Ros",
    "Sar",
    "Tal",
    "Ulv",
    "Var",
    "Wes",
    "Xan",
    "Yor",
    "Zel",
    "Bra",
    "Cel",
    "Dor",
    "Fen",
    "Gal",
]
STATE_ENDINGS = ("oria", "mark", "enia", "avia", "istan", "land")
FIRST_NAMES = [
    "Amira",
    "Bastian",
    "Celine",
    "Darius",
    "Elena",
    "Farid",
    "Greta",
    "Hamid",
    "Ines",
    "Jonas",
    "Katya",
    "Leila",
    "Marek",
    "Nadia",
    "Omar",
    "Petra",
    "Rafael",
    "Samira",
    "Tobias",
    "Ursula",
    "Viktor",
    "Yasmin",
    "Zoran",
    "Alma",
    "Bruno",
    "Clara",
    "Emil",
    "Hana",
    "Igor",
    "Lina",
]
SURNAMES = [
    "Castellan",
    "Drummond",
    "Eskander",
    "Falkner",
    "Grisham",
    "Haddad",
    "Ivanova",
    "Jaramillo",
    "Kessler",
    "Lindqvist",
    "Moradi",
    "Novak",
    "Okafor",
    "Petrakis",
    "Quintero",
    "Rahimi",
    "Sandoval",
    "Takeda",
    "Ulrich",
    "Valdes",
    "Weston",
    "Yilmaz",
    "Zamora",
    "Abbasi",
    "Brennan",
    "Cordova",
    "Dietrich",
    "Ekström",
    "Ferrante",
    "Gallardo",
]
ORG_WORDS = [
    "Meridian",
    "Northgate",
    "Crescent",
    "Harbour",
    "Summit",
    "Keystone",
    "Lodestar",
    "Bastion",
    "Compass",
    "Horizon",
    "Sentinel",
    "Beacon",
    "Pinnacle",
    "Cardinal",
    "Vanguard",
]
ORG_KINDS = ("Energy Council", "Security Forum")
GROUP_KINDS = ("Hardliners in", "Reformists in")
PUBLISHERS = (
    "Meridian Policy Review",
    "Eastern Affairs Monitor",
    "Global Security Brief",
    "Strategic Outlook Weekly",
    "Diplomatic Courier Digest",
    "Regional Analysis Quarterly",
    "Foreign Affairs Ledger",
    "Policy Horizons Journal",
)
AUTHOR_ROLES = ("Senior Policy Fellow", "Research Director", "Visiting Fellow", "Correspondent")
PLACES = [
    "Port Calder",
    "Vessengrad",
    "Lorimer Bay",
    "Ashcombe",
    "Tiravel",
    "Keldmouth",
    "Sorrel Heights",
    "Marrowind",
    "Glenhaven",
    "Dunmarrow",
    "Ostrel Falls",
    "Quillon",
    "Redcastle",
    "Saltmere",
    "Thornbury",
    "Umberfield",
    "Valecross",
    "Wrenfold",
    "Yarrowby",
    "Zennor Point",
]
AUTHOR_SURNAMES = ["Ashdown", "Blackwood", "Carrington", "Davenport", "Ellery", "Fairbanks"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
POST_KINDS = ("President", "Foreign Minister", "Defence Minister", "Chief Nuclear Negotiator")
WORDS = (
    "disloyal",
    "unreliable",
    "a destructive force",
    "a difficult partner",
    "acting in bad faith",
    "ready to compromise",
    "serious about dialogue",
    "a threat to the region",
    "a reliable neighbour",
    "deeply hypocritical",
    "out of touch",
    "a partner for peace",
)
ACTIONS = (
    "resume talks",
    "tighten its demands",
    "reconsider its position",
    "seek international mediation",
    "refuse further concessions",
    "press for guarantees",
)
CONDITIONS = (
    "sanctions are lifted first",
    "the talks are held in a neutral country",
    "the other side honours its earlier commitments",
    "international observers take part",
)
POLARITY_PHRASES = {
    "supports": "supports",
    "opposes": "opposes",
    "rules-out": "rules out",
    "open-to": "is open to",
    "conditionally-open": "is open to",
}
ARTICLE_TYPES = ("AnalysisNewsArticle", "OpinionNewsArticle", "NewsArticle")
FIRST_DAY = dt.date(2020, 1, 1)
SECTIONS = ("actors", "places", "posts", "tenures", "events", "statements", "stances", "claims")
PROPER_ADJECTIVES = frozenset({"Syrian"})


@dataclass(frozen=True)
class Entity:
    """One recurring actor, place, post or tenure: its id, its definition in the registry, its
    name in the text and the quote an article's reading of it gives (if any)."""

    id: str
    name: str
    entry: dict[str, Any]
    quote: Any = None


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower().replace("ö", "o")).strip("-")


class Pool:
    """The recurring entities: 30 states, 120 office holders, 30 organizations, 20 groups…"""

    def __init__(self) -> None:
        rng = random.Random("policykg-benchmark-pool")
        state_names = [s + STATE_ENDINGS[i % len(STATE_ENDINGS)] for i, s in enumerate(STATE_STEMS)]
        self.states = [self._actor("state", name, quote_after=True) for name in state_names]
        people = [f"{first} {last}" for first in FIRST_NAMES for last in SURNAMES]
        rng.shuffle(people)
        self.posts: list[Entity] = []
        self.post_state: dict[str, Entity] = {}
        self.holder: dict[str, Entity] = {}
        self.tenure_start: dict[str, str] = {}
        self.tenure: dict[str, Entity] = {}
        for index, (state, kind) in enumerate(
            (state, kind) for state in self.states for kind in POST_KINDS
        ):
            label = f"{kind} of {state.name}"
            post = Entity(slug(label), label, {"label": label, "organization": state.id}, label)
            self.posts.append(post)
            self.post_state[post.id] = state
            holder = self._actor("person", people[index], quote_after=True)
            self.holder[post.id] = holder
            start = f"{rng.randint(2008, 2018)}-{rng.randint(1, 12):02d}"
            self.tenure_start[post.id] = start
            tenure_id = f"{holder.id}-as-{post.id}"
            assert len(tenure_id) <= 64, tenure_id
            tenure = {"holder": holder.id, "post": post.id, "from": start}
            tenure["source"] = f"https://registry.example.org/tenures/{tenure_id}"
            self.tenure[post.id] = Entity(tenure_id, label, tenure)
        words = [f"{w} {k}" for k in ORG_KINDS for w in ORG_WORDS]
        self.others = [self._actor("organization", name, quote_after=True) for name in words]
        self.others += [
            self._actor("group", f"{kind} {state.name}", quote_after=True)
            for kind in GROUP_KINDS
            for state in self.states[:10]
        ]
        self.publishers = [self._actor("organization", name) for name in PUBLISHERS]
        authors = [f"{first} {last}" for last in AUTHOR_SURNAMES for first in FIRST_NAMES[::6]]
        self.authors = [self._author(name, i) for i, name in enumerate(authors[:30])]
        self.places = [Entity(slug(p), p, {"name": p}) for p in PLACES]

    @staticmethod
    def _actor(kind: str, name: str, *, quote_after: bool = False) -> Entity:
        entry: dict[str, Any] = {"type": kind, "name": name}
        if quote_after:
            return Entity(slug(name), name, entry, {"text": name, "after": MARKER})
        entry["source"] = f"https://{slug(name)}.example.org/"
        return Entity(slug(name), name, entry)

    @staticmethod
    def _author(name: str, index: int) -> Entity:
        role = AUTHOR_ROLES[index % len(AUTHOR_ROLES)]
        entry = {"type": "person", "name": name, "role": role}
        return Entity(slug(name), name, entry, f"By {name}")

    def registry(self, events: list[SharedEvent]) -> dict[str, Any]:
        """The registry file: every recurring entity, and the shared *events*."""
        actors = [*self.states, *self.holder.values(), *self.others, *self.publishers]
        actors += self.authors
        sections: dict[str, list[Entity]] = {
            "actors": actors,
            "places": self.places,
            "posts": self.posts,
            "tenures": list(self.tenure.values()),
        }
        tree: dict[str, Any] = {"policykg": 1, "registry": {"title": "Benchmark corpus"}}
        for name, entities in sections.items():
            tree[name] = {e.id: {k: v for k, v in e.entry.items() if k != "role"} for e in entities}
        tree["events"] = {event.id: event.entry for event in events}
        return tree


SHARED_EVENT_KINDS = (
    ("summit", "Summit", "speech"),
    ("accord", "Accord", "agreement"),
    ("round", "Round of talks", "negotiation"),
    ("review", "Review conference", "verification"),
)


@dataclass(frozen=True)
class SharedEvent:
    """An event of the registry that several articles give their reading of."""

    id: str
    label: str
    day: dt.date
    entry: dict[str, Any]


def shared_events(pool: Pool, count: int, seed: int) -> list[SharedEvent]:
    """*count* shared events, dated in 2018 and 2019 (before any article's publication)."""
    rng = random.Random(f"{seed}:shared-events")
    events = []
    for number in range(1, count + 1):
        word, name, kind = SHARED_EVENT_KINDS[number % len(SHARED_EVENT_KINDS)]
        place = rng.choice(pool.places)
        first, second = rng.sample(pool.states, 2)
        day = dt.date(2018, 1, 1) + dt.timedelta(days=rng.randrange(2 * 365))
        event_id = f"shared-{word}-{number:05d}"
        label = f"{place.name} {name} {number}"
        entry = {"label": label, "type": kind, "date": day.isoformat()}
        entry |= {"actors": [first.id, second.id], "place": place.id}
        entry |= {"source": f"https://registry.example.org/events/{event_id}"}
        events.append(SharedEvent(event_id, label, day, entry))
    return events


def _long_date(day: dt.date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def _month_text(day: dt.date) -> str:
    return f"{MONTHS[day.month - 1]} {day.year}"


def _list(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _lower_first(label: str) -> str:
    """ "Human rights" → "human rights", but "Syrian crisis" keeps its proper adjective."""
    return label if label.split()[0] in PROPER_ADJECTIVES else label[0].lower() + label[1:]


class Topics:
    """The topic scheme's codes with the lower-case labels used in sentences."""

    def __init__(self) -> None:
        graph = ontology_graph()
        self.labels = {
            code: _lower_first(str(graph.value(iri, SKOS.prefLabel)))
            for code, iri in sorted(scheme_codes("topic").items())
        }
        self.codes = sorted(self.labels)


class Article:
    """One generated article: its sentences and its facts, built together."""

    def __init__(
        self, pool: Pool, topics: Topics, seed: int, number: int, shared: list[SharedEvent]
    ) -> None:
        self.rng = random.Random(f"{seed}:{number}")
        self.pool, self.topics, self.shared = pool, topics, shared
        self.doc_id = f"article-{number:05d}"
        self.prefix = f"a{number:05d}"
        self.sentences: list[str] = []
        self.facts: dict[str, dict[str, Any]] = {key: {} for key in SECTIONS}
        self.published = FIRST_DAY + dt.timedelta(days=self.rng.randrange(5 * 365))

    # -- building --------------------------------------------------------------------------

    def build(self) -> tuple[str, dict[str, Any]]:
        rng, pool = self.rng, self.pool
        first_state, second_state = rng.sample(range(len(pool.states)), 2)
        post1 = pool.posts[first_state * len(POST_KINDS) + rng.randrange(len(POST_KINDS))]
        post2 = pool.posts[second_state * len(POST_KINDS) + rng.randrange(len(POST_KINDS))]
        self.s1, self.s2 = pool.post_state[post1.id], pool.post_state[post2.id]
        self.h1, self.h2 = pool.holder[post1.id], pool.holder[post2.id]
        self.other = rng.choice(pool.others)
        self.author = rng.choice(pool.authors)
        self.publisher = rng.choice(pool.publishers)
        self.place = rng.choice(pool.places)
        title = f"{self.s1.name} and {self.s2.name}: where the talks stand ({self.doc_id})"
        self.sentences += [title, f"By {self.author.name}, {self.author.entry['role']}", ""]
        self.actors()
        self.tenures(post1, post2)
        self.events()
        self.statements()
        self.stances()
        self.claims()
        text = "\n".join(self.sentences) + "\n"
        document = {
            "id": self.doc_id,
            "title": title,
            "url": f"https://{self.publisher.id}.example.org/articles/{self.doc_id}",
            "type": ARTICLE_TYPES[rng.randrange(len(ARTICLE_TYPES))],
            "publisher": self.publisher.id,
            "author": self.author.id,
            "author_roles": [self.author.entry["role"]],
            "published": self.published.isoformat(),
            "text": "article.txt",
        }
        facts = {"policykg": 1, "document": document}
        facts |= {key: value for key, value in self.facts.items() if value}
        return text, facts

    def say(self, sentence: str) -> str:
        self.sentences.append(sentence)
        return sentence

    def add(self, section: str, item_id: str, entry: dict[str, Any]) -> None:
        self.facts[section][item_id] = entry

    def actors(self) -> None:
        """Its readings of the registry's actors that the text names: their quotes."""
        named = [self.s1, self.s2, self.h1, self.h2, self.other]
        self.say(f"{MARKER} {_list([e.name for e in named])}.")
        for entity in [self.author, *named]:
            self.add("actors", entity.id, {"quote": entity.quote})

    def tenures(self, *posts: Entity) -> None:
        self.tenure_ids = []
        for post, holder in zip(posts, (self.h1, self.h2), strict=True):
            start = self.pool.tenure_start[post.id]
            year, month = (int(part) for part in start.split("-"))
            quote = f"{holder.name} has served as {post.name}"
            self.say(f"{quote} since {MONTHS[month - 1]} {year}.")
            self.add("posts", post.id, {"quote": post.quote})
            tenure = self.pool.tenure[post.id]
            self.tenure_ids.append(tenure.id)
            self.add("tenures", tenure.id, {"quote": quote})

    def day_before(self, low: int, high: int) -> dt.date:
        return self.published - dt.timedelta(days=self.rng.randint(low, high))

    def events(self) -> None:
        rng, p = self.rng, self.prefix
        self.speech_day = self.day_before(2, 40)
        weekday = WEEKDAYS[self.speech_day.weekday()]
        kind = rng.choice(("speech", "remark"))
        sentence = self.say(
            f"On {weekday}, {_long_date(self.speech_day)}, {self.h1.name} gave a {kind} in"
            f" {self.place.name}."
        )
        date: Any = self.speech_day.isoformat()
        if rng.random() < 0.5:
            date = {"value": date, "weekday": weekday}
        self.add(
            "events",
            f"{p}-speech",
            {"label": f"{self.h1.name}'s {kind} in {self.place.name}", "type": kind}
            | {"date": date, "actors": [self.h1.id], "place": self.place.id, "cameo": "010"}
            | {"quote": sentence},
        )
        self.talks_month = self.day_before(45, 300)
        self.talks_topic = rng.choice(self.topics.codes)
        sentence = self.say(
            f"In {_month_text(self.talks_month)}, {self.s1.name} and {self.s2.name} held talks on"
            f" {self.topics.labels[self.talks_topic]}."
        )
        process = rng.random() < 0.5
        talks = {"label": f"Talks between {self.s1.name} and {self.s2.name}", "type": "negotiation"}
        talks |= {"date": self.talks_month.strftime("%Y-%m"), "actors": [self.s1.id, self.s2.id]}
        talks |= {"cameo": "046"} | ({"part_of": f"{p}-process"} if process else {})
        self.add("events", f"{p}-talks", talks | {"quote": sentence})
        self.readings()
        start = self.day_before(400, 700)
        if process:
            end = self.day_before(5, 40)
            sentence = self.say(
                f"From {_month_text(start)} to {_long_date(end)}, {self.other.name} mediated"
                f" between {self.s1.name} and {self.s2.name}."
            )
            when = {"from": start.strftime("%Y-%m"), "to": end.isoformat()}
            label, kind = "Mediation process", "diplomatic-process"
        else:
            sentence = self.say(
                f"Since {_month_text(start)}, {self.other.name} has monitored how"
                f" {self.s1.name} keeps its commitments."
            )
            when = {"from": {"value": start.strftime("%Y-%m"), "note": "still going on"}}
            label, kind = "Monitoring of commitments", "verification"
        event = {"label": label, "type": kind} | when
        event |= {"actors": [self.other.id, self.s1.id], "quote": sentence}
        self.add("events", f"{p}-process" if process else f"{p}-monitoring", event)

    def readings(self) -> None:
        """Its readings of three registry events, each dated to the day, month or year."""
        for event in self.rng.sample(self.shared, 3):
            precision = self.rng.choice(("day", "month", "year"))
            if precision == "day":
                when, date = f"On {_long_date(event.day)}", event.day.isoformat()
            elif precision == "month":
                when, date = f"In {_month_text(event.day)}", event.day.strftime("%Y-%m")
            else:
                when, date = f"In {event.day.year}", str(event.day.year)
            sentence = self.say(f"{when}, the {event.label} was held.")
            self.add("events", event.id, {"date": date, "quote": sentence})

    def statements(self) -> None:
        rng, topics, p = self.rng, self.topics, self.prefix
        words = rng.sample(WORDS, 2)
        topic = rng.choice(topics.codes)
        sentence = self.say(
            f"At the {self.facts['events'][f'{p}-speech']['type']}, {self.h1.name} said that"
            f" {self.s2.name} had been “{words[0]}” on {topics.labels[topic]}."
        )
        self.add(
            "statements",
            "speech-statement",
            {"speaker": self.h1.id, "summary": f"{self.s2.name} had been {words[0]}."}
            | {"asserted_as": "stated", "words": [words[0]], "event": f"{p}-speech"}
            | {"in_office": self.tenure_ids[0], "date": self.speech_day.isoformat()}
            | {"target": self.s2.id, "topics": [topic], "cameo": rng.choice(("111", "112"))}
            | {"quote": sentence},
        )
        action = rng.choice(ACTIONS)
        sentence = self.say(
            f"In {_month_text(self.talks_month)}, {self.h2.name} told reporters that"
            f" {self.s2.name} would {action}."
        )
        self.add(
            "statements",
            "reporters-statement",
            {"speaker": self.h2.id, "summary": f"{self.s2.name} would {action}."}
            | {"asserted_as": "reported", "in_office": self.tenure_ids[1]}
            | {"date": self.talks_month.strftime("%Y-%m"), "target": self.s1.id}
            | {"about": [f"{p}-talks"], "topics": sorted({self.talks_topic, "negotiations"})}
            | {"quote": sentence},
        )
        year = self.published.year - 1
        topic = rng.choice(topics.codes)
        sentence = self.say(
            f"Throughout {year}, {self.other.name} argued that {topics.labels[topic]} was"
            f" the real obstacle."
        )
        self.add(
            "statements",
            "other-statement",
            {"speaker": self.other.id, "summary": f"{topics.labels[topic]} is the obstacle."}
            | {"asserted_as": "reported", "date": {"value": str(year), "basis": "stated"}}
            | {"topics": [topic], "quote": sentence},
        )
        sentence = self.say(f"During the talks, {self.h2.name} called the proposal “{words[1]}”.")
        self.add(
            "statements",
            "talks-statement",
            {"speaker": self.h2.id, "summary": f"The proposal was {words[1]}."}
            | {"asserted_as": "stated", "words": [words[1]], "event": f"{p}-talks"}
            | {"cameo": "012", "quote": sentence},
        )

    def stances(self) -> None:
        rng, topics = self.rng, self.topics
        holders = [(self.h1, self.s2), (self.h2, self.s1), (self.s1, self.s2)]
        based_on = ["speech-statement", "talks-statement", None]
        for number, ((holder, target), basis) in enumerate(zip(holders, based_on, strict=True)):
            polarity = rng.choice(sorted(POLARITY_PHRASES))
            chosen = sorted(rng.sample(topics.codes, rng.randint(1, 3)))
            subject = _list([topics.labels[c] for c in chosen])
            sentence = (
                f"{holder.name} {POLARITY_PHRASES[polarity]} talks with {target.name} on {subject}"
            )
            entry: dict[str, Any] = {"holder": holder.id, "polarity": polarity}
            entry["summary"] = f"{holder.name} {POLARITY_PHRASES[polarity]} talks on {subject}."
            if polarity == "conditionally-open":
                condition = rng.choice(CONDITIONS)
                sentence += f", provided that {condition}"
                entry["condition"] = condition
            entry |= {"asserted_as": "reported", "target": target.id, "topics": chosen}
            if number < 2:
                entry["in_office"] = self.tenure_ids[number]
            if basis:
                entry["based_on"] = [basis]
            sentence = self.say(f"In the author's reading, {sentence}.")
            self.add("stances", f"stance-{number + 1}", entry | {"quote": sentence})

    def claims(self) -> None:
        rng, topics, p = self.rng, self.topics, self.prefix
        topic = rng.choice(topics.codes)
        year = self.published.year + 1
        sentence = self.say(
            f"{self.s1.name} and {self.s2.name} are unlikely to settle their differences over"
            f" {topics.labels[topic]} before {year}."
        )
        self.add(
            "claims",
            "outlook",
            {"summary": f"No settlement over {topics.labels[topic]} before {year}."}
            | {"asserted_as": "assessment", "about": [self.s1.id, self.s2.id]}
            | {"topics": [topic], "refers_to": ["reporters-statement"], "forecast": True}
            | {"quote": sentence},
        )
        sentence = self.say(
            f"{self.other.name} will remain central to {topics.labels[self.talks_topic]}, the"
            " author concludes."
        )
        self.add(
            "claims",
            "conclusion",
            {"summary": f"{self.other.name} will remain central."}
            | {"asserted_as": "assessment", "about": [self.other.id, f"{p}-talks"]}
            | {"topics": [self.talks_topic], "quote": sentence},
        )


class _Dumper(yaml.SafeDumper):
    """Plain block YAML without anchors: the facts reader refuses aliases."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def generate(facts: int, output: Path, *, seed: int = 1) -> list[Path]:
    """Write about *facts* facts over ``facts // 25`` article folders in *output*, and the
    registry file they share; return the article folders."""
    pool, topics = Pool(), Topics()
    shared = shared_events(pool, max(6, facts // 100), seed)
    output.mkdir(parents=True, exist_ok=True)
    registry = yaml.dump(
        pool.registry(shared), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=10_000
    )
    (output / "registry.yaml").write_text(registry, encoding="utf-8")
    folders = []
    for number in range(1, max(1, facts // FACTS_PER_ARTICLE) + 1):
        text, tree = Article(pool, topics, seed, number, shared).build()
        folder = output / f"article-{number:05d}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "article.txt").write_text(text, encoding="utf-8")
        body = yaml.dump(tree, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=10_000)
        (folder / "facts.yaml").write_text(body, encoding="utf-8")
        folders.append(folder)
    return folders


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--facts", type=int, required=True, help="about how many facts")
    parser.add_argument("-o", "--output", type=Path, required=True, help="folder to write")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    folders = generate(args.facts, args.output, seed=args.seed)
    print(f"{args.output}: {len(folders)} article(s), {len(folders) * FACTS_PER_ARTICLE} facts")


if __name__ == "__main__":
    main()
