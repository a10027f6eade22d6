"""Property-based tests (hypothesis).

1. Any facts file, however broken, either builds or fails with a ``PolicyKGError`` that carries a
   location: never another exception.
2. For generated valid facts files, every field of every fact is found back in the serialized
   output: nothing is dropped between YAML and N-Quads.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import EXAMPLE, MINIMAL
from policykg.build.pipeline import build
from policykg.errors import FactsError, PolicyKGError
from policykg.facts.grounding import SourceText
from policykg.rdf.serialization import serialize
from policykg.resources import scheme_codes

BASE = "https://example.org/kg/"
ARTICLE = (EXAMPLE / "article.txt").read_text(encoding="utf-8")
MINIMAL_LINES = (MINIMAL / "facts.yaml").read_text(encoding="utf-8").splitlines()
SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# --- 1. broken files ---------------------------------------------------------------------------

JUNK = st.sampled_from(
    [
        "",
        "- x",
        "  : y",
        "{",
        "]",
        "'",
        '"',
        "\t",
        "&a",
        "*a",
        "!!str",
        "2016-02-30",
        "null",
        "  extra: 1",
        "quote: not in the article at all",
        "speaker: nobody",
        "id: Bad Id",
        "#",
    ]
)
EDIT = st.tuples(
    st.sampled_from(["delete", "insert", "replace-value", "duplicate"]),
    st.integers(0, len(MINIMAL_LINES) - 1),
    JUNK,
)


def _apply(lines: list[str], edits: list[tuple[str, int, str]]) -> str:
    result = list(lines)
    for operation, index, junk in edits:
        index %= max(len(result), 1)
        if not result:
            result.append(junk)
        elif operation == "delete":
            del result[index]
        elif operation == "insert":
            result.insert(index, junk)
        elif operation == "duplicate":
            result.insert(index, result[index])
        elif ":" in result[index]:
            key = result[index].split(":", 1)[0]
            result[index] = f"{key}: {junk}"
    return "\n".join(result) + "\n"


@settings(SETTINGS, max_examples=300)
@given(st.lists(EDIT, min_size=1, max_size=4))
def test_any_edit_builds_or_fails_with_a_location(tmp_path: Path, edits: list[Any]) -> None:
    folder = tmp_path / "case"
    folder.mkdir(exist_ok=True)
    (folder / "article.txt").write_bytes((MINIMAL / "article.txt").read_bytes())
    (folder / "facts.yaml").write_text(_apply(MINIMAL_LINES, edits), encoding="utf-8")
    try:
        build([folder], base=BASE, validate=False)
    except FactsError as error:
        assert error.location.path == folder / "facts.yaml"
        assert error.location.line is not None and error.location.line >= 1
    except PolicyKGError as error:  # pragma: no cover - would be a bug: say which
        raise AssertionError(f"an error without a facts location: {error!r}") from error


# --- 2. nothing dropped ----------------------------------------------------------------------


@functools.cache
def _unique_passages() -> list[str]:
    """Passages of 2-5 words that occur exactly once in the article (valid quotes)."""
    source = SourceText(ARTICLE)
    words = re.findall(r"\w[\w’'-]*", ARTICLE)
    found: set[str] = set()
    for size in (2, 3, 5):
        for start in range(0, len(words) - size, 7):
            passage = " ".join(words[start : start + size])
            try:
                source.locate(passage)
            except ValueError:
                continue
            found.add(passage)
    return sorted(found)


NAMES = st.text(
    st.characters(whitelist_categories=("L", "N", "P", "Zs")), min_size=1, max_size=30
).filter(lambda s: s.strip() == s and s != "")
DATES = st.one_of(
    st.integers(1900, 2030).map(str),
    st.tuples(st.integers(1900, 2030), st.integers(1, 12)).map(lambda t: f"{t[0]}-{t[1]:02d}"),
    st.dates().filter(lambda d: d.year >= 1000).map(lambda d: d.isoformat()),
)


@st.composite
def facts_files(draw: st.DrawFn) -> dict[str, Any]:
    passages = _unique_passages()
    quote = st.sampled_from(passages)
    actors: dict[str, Any] = {
        "publisher": {"type": "organization", "name": "Publisher", "quote": draw(quote)}
    }
    for n in range(draw(st.integers(1, 4))):
        actor: dict[str, Any] = {
            "type": draw(st.sampled_from(["person", "state", "organization", "group"])),
            "name": draw(NAMES),
            "quote": draw(quote),
        }
        if draw(st.booleans()):
            actor["alt_names"] = draw(st.lists(NAMES, min_size=1, max_size=2, unique=True))
        if draw(st.booleans()):
            # Distinct per actor: two ids with one Wikidata entity are refused (one thing, one id).
            actor["wikidata"] = f"Q{draw(st.integers(1, 10**6)) * 10 + n}"
        actors[f"actor-{n}"] = actor
    actor_ids = sorted(actors)
    events: dict[str, Any] = {}
    for n in range(draw(st.integers(0, 3))):
        event: dict[str, Any] = {
            "label": draw(NAMES),
            "type": draw(st.sampled_from(sorted(scheme_codes("eventtype")))),
            "date": draw(DATES),
            "quote": draw(quote),
            "actors": draw(
                st.lists(st.sampled_from(actor_ids), min_size=1, max_size=2, unique=True)
            ),
            "cameo": draw(st.sampled_from(sorted(scheme_codes("cameo")))),
        }
        if draw(st.booleans()):
            event["forecast"] = True
        events[f"event-{n}"] = event
    claims: dict[str, dict[str, Any]] = {"statements": {}, "stances": {}, "claims": {}}
    claim_ids: list[str] = []
    for section in ("statements", "stances", "claims"):
        for n in range(draw(st.integers(0, 3))):
            claim_id = f"{section[:-1]}-{n}"
            claim: dict[str, Any] = {
                "summary": draw(NAMES),
                "asserted_as": draw(
                    st.sampled_from(["stated", "reported", "assessment", "derived"])
                ),
                "quote": draw(quote),
                "topics": draw(
                    st.lists(
                        st.sampled_from(sorted(scheme_codes("topic"))),
                        min_size=1,
                        max_size=3,
                        unique=True,
                    )
                ),
                "date": draw(DATES),
                "target": draw(st.sampled_from(actor_ids)),
            }
            if section == "statements":
                claim["speaker"] = draw(st.sampled_from(actor_ids))
                claim["words"] = [claim["quote"].split(" ")[0]]
            if section == "stances":
                claim["holder"] = draw(st.sampled_from(actor_ids))
                claim["polarity"] = draw(st.sampled_from(sorted(scheme_codes("polarity"))))
                if draw(st.booleans()):
                    claim["condition"] = draw(NAMES)
            if events and draw(st.booleans()):
                claim["event"] = draw(st.sampled_from(sorted(events)))
            if claim_ids and draw(st.booleans()):
                claim["refers_to"] = [draw(st.sampled_from(claim_ids))]
            claims[section][claim_id] = claim
            claim_ids.append(claim_id)
    return {
        "policykg": 1,
        "document": {
            "id": "doc",
            "title": draw(NAMES),
            "url": "https://example.org/doc",
            "publisher": "publisher",
            "published": "2030-12-31",
            "text": "article.txt",
        },
        "actors": actors,
        "events": events,
        **{section: entries for section, entries in claims.items() if entries},
    }


def _store_of(facts: dict[str, Any], folder: Path) -> ox.Store:
    folder.mkdir(exist_ok=True)
    (folder / "article.txt").write_text(ARTICLE, encoding="utf-8")
    text = yaml.safe_dump(facts, allow_unicode=True, sort_keys=False)
    (folder / "facts.yaml").write_text(text, encoding="utf-8")
    result = build([folder], base=BASE, validate=False, include_ontology=False)
    store = ox.Store()
    store.load(serialize(result.graphs, "nquads"), format=ox.RdfFormat.N_QUADS)
    return store


def _values(store: ox.Store, subject: str, predicate: str) -> set[str]:
    found = store.quads_for_pattern(ox.NamedNode(subject), ox.NamedNode(predicate), None, None)
    return {quad.object.value for quad in found}


RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
PKG = "https://w3id.org/policykg/ns#"
TIME = "http://www.w3.org/2006/time#"
INXSD = (TIME + "inXSDDate", TIME + "inXSDgYearMonth", TIME + "inXSDgYear")


def _date_of(store: ox.Store, subject: str) -> set[str]:
    times = _values(store, subject, TIME + "hasTime")
    return {value for t in times for p in INXSD for value in _values(store, t, p)}


@SETTINGS
@given(facts_files())
def test_every_field_is_found_back_in_the_output(tmp_path: Path, facts: dict[str, Any]) -> None:
    store = _store_of(facts, tmp_path / "doc")
    for actor_id, actor in facts["actors"].items():
        iri = f"{BASE}actor/{actor_id}"
        assert _values(store, iri, RDFS_LABEL) == {actor["name"]}
        assert _values(store, iri, "http://www.w3.org/2004/02/skos/core#altLabel") == set(
            actor.get("alt_names", [])
        )
        wikidata = (
            {f"http://www.wikidata.org/entity/{actor['wikidata']}"}
            if "wikidata" in actor
            else set()
        )
        assert _values(store, iri, "http://www.w3.org/2002/07/owl#sameAs") == wikidata
    for event_id, event in facts["events"].items():
        iri = f"{BASE}event/{event_id}"
        assert _values(store, iri, RDFS_LABEL) == {event["label"]}
        assert _values(store, iri, "http://semanticweb.cs.vu.nl/2009/11/sem/eventType") == {
            f"https://w3id.org/policykg/eventtype/{event['type']}"
        }
        assert _values(store, iri, "http://semanticweb.cs.vu.nl/2009/11/sem/hasActor") == {
            f"{BASE}actor/{a}" for a in event["actors"]
        }
        assert _values(store, iri, PKG + "cameoCode") == {
            f"https://w3id.org/policykg/cameo/{event['cameo']}"
        }
        assert _date_of(store, iri) == {event["date"]}
        assert _values(store, iri, PKG + "forecast") == (
            {"true"} if event.get("forecast") else set()
        )
    for section, kind in (("statements", "statement"), ("stances", "stance"), ("claims", "claim")):
        for claim_id, claim in facts.get(section, {}).items():
            iri = f"{BASE}{kind}/doc/{claim_id}"
            assert _values(store, iri, RDFS_LABEL) == {claim["summary"]}
            assert _values(store, iri, PKG + "assertionMode") == {
                f"https://w3id.org/policykg/assertion/{claim['asserted_as']}"
            }
            assert _values(store, iri, "http://purl.org/dc/terms/subject") == {
                f"https://w3id.org/policykg/topic/{t}" for t in claim["topics"]
            }
            assert _values(store, iri, PKG + "target") == {f"{BASE}actor/{claim['target']}"}
            assert _date_of(store, iri) == {claim["date"]}
            assert _values(store, iri, PKG + "directQuote") == set(claim.get("words", []))
            assert _values(store, iri, PKG + "speaker") == (
                {f"{BASE}actor/{claim['speaker']}"} if "speaker" in claim else set()
            )
            assert _values(store, iri, PKG + "holder") == (
                {f"{BASE}actor/{claim['holder']}"} if "holder" in claim else set()
            )
            assert _values(store, iri, PKG + "polarity") == (
                {f"https://w3id.org/policykg/polarity/{claim['polarity']}"}
                if "polarity" in claim
                else set()
            )
            assert _values(store, iri, PKG + "condition") == (
                {claim["condition"]} if "condition" in claim else set()
            )
            assert _values(store, iri, PKG + "statedAt") == (
                {f"{BASE}event/{claim['event']}"} if "event" in claim else set()
            )
            references = _values(store, iri, "http://purl.org/dc/terms/references")
            assert len(references) == len(claim.get("refers_to", []))
            _assert_evidence(store, iri, claim["quote"])


def _assert_evidence(store: ox.Store, body: str, quote: str) -> None:
    annotations = {
        quad.subject.value
        for quad in store.quads_for_pattern(
            None, ox.NamedNode("http://www.w3.org/ns/oa#hasBody"), ox.NamedNode(body), None
        )
    }
    assert len(annotations) == 1
    (annotation,) = annotations
    target = _values(store, annotation, "http://www.w3.org/ns/oa#hasTarget").pop()
    selectors = _values(store, target, "http://www.w3.org/ns/oa#hasSelector")
    exact = {v for s in selectors for v in _values(store, s, "http://www.w3.org/ns/oa#exact")}
    start = {int(v) for s in selectors for v in _values(store, s, "http://www.w3.org/ns/oa#start")}
    end = {int(v) for s in selectors for v in _values(store, s, "http://www.w3.org/ns/oa#end")}
    assert len(exact) == len(start) == len(end) == 1
    assert ARTICLE[start.pop() : end.pop()] == exact.pop()
