"""Mapping facts to RDF: IRIs, types, dates at their precision, evidence with exact offsets."""

from __future__ import annotations

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, TIME, XSD

from conftest import MINIMAL
from policykg.errors import MappingError
from policykg.facts.grounding import ground_facts
from policykg.facts.loader import load_facts
from policykg.namespaces import ASSERTION, OA, PKG, POLARITY, SCHEMA, SEM, TOPIC
from policykg.rdf.mapping import map_facts
from policykg.rdf.ntriples import as_nquads, as_ntriples

BASE = "https://example.org/kg/"
ARTICLE = (MINIMAL / "article.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def graph() -> Graph:
    facts = load_facts(MINIMAL / "facts.yaml")
    return map_facts(facts, ground_facts(facts), BASE).graph


def iri(path: str) -> URIRef:
    return URIRef(BASE + path)


def test_iris_are_minted_from_the_base_and_the_ids(graph: Graph) -> None:
    assert graph.identifier == iri("graph/minimal")
    subjects = {s for s in graph.subjects() if isinstance(s, URIRef)}
    assert iri("actor/khamenei") in subjects
    assert iri("event/speech") in subjects
    assert iri("stance/minimal/rules-out-talks") in subjects
    assert iri("statement/minimal/us-disloyal") in subjects
    assert all(str(s).startswith(BASE) for s in subjects)


def test_no_blank_nodes(graph: Graph) -> None:
    assert not any(isinstance(term, BNode) for triple in graph for term in triple)


def test_types_are_written_in_full(graph: Graph) -> None:
    iran = set(graph.objects(iri("actor/iran"), RDF.type))
    assert iran == {
        SCHEMA.Country,
        URIRef("http://www.w3.org/ns/org#FormalOrganization"),
        URIRef("http://www.w3.org/ns/org#Organization"),
        PROV.Agent,
    }
    stance = set(graph.objects(iri("stance/minimal/rules-out-talks"), RDF.type))
    assert stance == {PKG.Stance, PKG.Claim, PROV.Entity}


def test_dates_keep_their_precision_and_get_bounds(graph: Graph) -> None:
    speech_time = iri("event/speech/time")
    assert graph.value(speech_time, TIME.inXSDDate) == Literal("2016-06-03", datatype=XSD.date)
    description = graph.value(speech_time, TIME.inDateTime)
    assert graph.value(description, TIME.unitType) == TIME.unitDay
    assert graph.value(description, TIME.dayOfWeek) == TIME.Friday
    assert graph.value(speech_time, PKG.assertionMode) == ASSERTION.derived
    month = iri("time/minimal/rules-out-talks")
    assert graph.value(month, TIME.inXSDgYearMonth) == Literal("2016-06", datatype=XSD.gYearMonth)
    assert graph.value(month, TIME.inXSDDate) is None
    assert graph.value(month, PKG.earliest) == Literal("2016-06-01T00:00:00", datatype=XSD.dateTime)
    assert graph.value(month, PKG.latest) == Literal("2016-06-30T23:59:59", datatype=XSD.dateTime)
    assert graph.value(graph.value(month, TIME.inDateTime), TIME.unitType) == TIME.unitMonth


def test_events_carry_sortable_bounds(graph: Graph) -> None:
    speech = iri("event/speech")
    assert graph.value(speech, SEM.hasEarliestBeginTimeStamp) == Literal(
        "2016-06-03T00:00:00", datatype=XSD.dateTime
    )
    assert graph.value(speech, SEM.hasLatestEndTimeStamp) == Literal(
        "2016-06-03T23:59:59", datatype=XSD.dateTime
    )


def test_tenure_interval_with_curator_sourced_beginning(graph: Graph) -> None:
    tenure = iri("tenure/khamenei-as-supreme-leader")
    interval = graph.value(tenure, URIRef("http://www.w3.org/ns/org#memberDuring"))
    assert (interval, RDF.type, TIME.Interval) in graph
    begin = graph.value(interval, TIME.hasBeginning)
    assert graph.value(begin, PKG.assertionMode) == ASSERTION.curator
    assert graph.value(begin, PROV.hadPrimarySource) == URIRef(
        "https://en.wikipedia.org/wiki/Ali_Khamenei"
    )
    assert graph.value(interval, TIME.hasEnd) is None


def test_who_asserts_it_is_kept_apart(graph: Graph) -> None:
    statement = iri("statement/minimal/us-disloyal")
    stance = iri("stance/minimal/rules-out-talks")
    claim = iri("claim/minimal/speech-significant")
    assert graph.value(statement, PKG.assertionMode) == ASSERTION.stated
    assert graph.value(statement, PKG.assertedBy) == iri("actor/khamenei")
    assert graph.value(stance, PKG.assertionMode) == ASSERTION.reported
    assert graph.value(stance, PKG.assertedBy) == iri("actor/analyst")
    assert graph.value(claim, PKG.assertionMode) == ASSERTION.assessment
    assert graph.value(stance, PKG.polarity) == POLARITY["rules-out"]
    assert set(graph.objects(stance, URIRef("http://purl.org/dc/terms/subject"))) == {
        TOPIC.negotiations,
        TOPIC["bilateral-relations"],
    }
    assert (stance, PROV.wasDerivedFrom, statement) in graph
    assert (stance, PROV.wasDerivedFrom, iri("document/minimal")) in graph


def test_every_annotation_selects_the_exact_text(graph: Graph) -> None:
    annotations = list(graph.subjects(RDF.type, OA.Annotation))
    assert len(annotations) >= 9
    for annotation in annotations:
        target = graph.value(annotation, OA.hasTarget)
        assert graph.value(target, OA.hasSource) == iri("document/minimal")
        selectors = list(graph.objects(target, OA.hasSelector))
        quote = next(s for s in selectors if (s, RDF.type, OA.TextQuoteSelector) in graph)
        position = next(s for s in selectors if (s, RDF.type, OA.TextPositionSelector) in graph)
        start = graph.value(position, OA.start).toPython()
        end = graph.value(position, OA.end).toPython()
        assert ARTICLE[start:end] == str(graph.value(quote, OA.exact))
        prefix = graph.value(quote, OA.prefix)
        assert prefix is None or ARTICLE[:start].endswith(str(prefix))


def test_the_document_records_its_text(graph: Graph) -> None:
    document = iri("document/minimal")
    assert graph.value(document, PKG.textLength).toPython() == len(ARTICLE)
    assert len(str(graph.value(document, PKG.textSha256))) == 64
    original = graph.value(document, SCHEMA.isBasedOn)
    assert graph.value(original, SCHEMA.datePublished) == Literal("2016-06-07", datatype=XSD.date)
    assert graph.value(original, SCHEMA.publisher) == iri("actor/lobelog")


@pytest.mark.parametrize(
    "base", ["example.org/kg/", "https://example.org/kg", "https://ex ample.org/"]
)
def test_a_base_that_is_not_an_absolute_iri_is_refused(base: str) -> None:
    facts = load_facts(MINIMAL / "facts.yaml")
    with pytest.raises(MappingError, match="not an absolute IRI"):
        map_facts(facts, ground_facts(facts), base)


def test_n_triples_and_n_quads_lines_turn_into_each_other() -> None:
    facts = load_facts(MINIMAL / "facts.yaml")
    mapped = map_facts(facts, ground_facts(facts), BASE)
    end = f" <{mapped.graph_iri}> .\n".encode()
    lines = mapped.ntriples.splitlines(keepends=True)
    assert lines == sorted(lines) and mapped.triple_count == len(lines) == len(mapped.graph) > 0
    nquads = as_nquads(mapped.ntriples, mapped.graph_iri)
    assert nquads == b"".join(line[:-3] + end for line in lines)
    assert as_ntriples(nquads, mapped.graph_iri) == mapped.ntriples
