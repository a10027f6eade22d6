"""Shared items: registry tenures and events, articles' readings of them, and one graph per triple.

An item is defined in one file; an article that speaks of a registry item gives its reading of it
(its quote and, of an event, its own dating), written in the article's graph only. The tests build
a corpus whose articles share actors, posts, tenures and events and check that no triple of the
output is in two named graphs.
"""

from __future__ import annotations

import copy
from collections import defaultdict
from pathlib import Path

import pyoxigraph as ox
import pytest
import yaml
from rdflib import Graph

from conftest import EXAMPLE, edit, minimal_corpus
from policykg.build import corpus as corpus_stage
from policykg.build.corpus import batched_scoped_shapes
from policykg.build.documents import build_document
from policykg.build.pipeline import BuildResult, build
from policykg.errors import FactsError
from policykg.facts.loader import load_registry
from policykg.namespaces import DEFAULT_BASE
from policykg.rdf.mapping import map_registry
from policykg.rdf.ntriples import subject_lines
from policykg.rdf.serialization import serialize
from policykg.validate.shacl import report_from, shacl_report

BASE = DEFAULT_BASE
PKG = "https://w3id.org/policykg/ns#"
SEM = "http://semanticweb.cs.vu.nl/2009/11/sem/"
OA = "http://www.w3.org/ns/oa#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
REGISTRY_GRAPH = f"{BASE}graph/registry"
ONTOLOGY_GRAPH = "https://w3id.org/policykg/ns"
DOC_SCOPED = (
    "statement", "stance", "claim", "reading", "evidence", "time", "role", "relation", "membership"
)  # fmt: skip


def shared_corpus(folder: Path) -> Path:
    """A registry and three articles that share actors, a post, a tenure and an event: each
    article reads them, dates the speech its own way, and defines a place of its own."""
    corpus = minimal_corpus(folder, 3, own_events=False)
    edit(corpus / "doc1" / "facts.yaml", 'value: "2016-06-03"', 'value: "2016-06"')
    edit(corpus / "doc1" / "facts.yaml", "      weekday: Friday\n", "")
    edit(
        corpus / "doc2" / "facts.yaml",
        "    quote: made a significant speech\n",
        "    place: tehran\n    quote: made a significant speech\n",
    )
    for n in range(3):
        name = ("Qom", "Mashhad", "Tehran")[n]
        place = "tehran" if n == 2 else f"place-{n}"
        edit(
            corpus / f"doc{n}" / "facts.yaml",
            "posts:\n",
            f"places:\n  {place}:\n    name: {name}\n    source: https://example.org/{place}\n"
            "posts:\n",
        )
    return corpus


def graphs_of(data: bytes, rdf_format: ox.RdfFormat) -> dict[str, set[tuple[str, str, str]]]:
    """The triples of a dataset by graph IRI."""
    graphs: dict[str, set[tuple[str, str, str]]] = defaultdict(set)
    for quad in ox.parse(data, format=rdf_format):
        name = quad.graph_name.value if isinstance(quad.graph_name, ox.NamedNode) else ""
        graphs[name].add((str(quad.subject), str(quad.predicate), str(quad.object)))
    return graphs


def triples_in_several_graphs(data: bytes, rdf_format: ox.RdfFormat) -> dict[tuple, list[str]]:
    """Each triple that more than one graph of *data* holds, with those graphs (CQ-A0)."""
    holders: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for name, triples in graphs_of(data, rdf_format).items():
        for triple in triples:
            holders[triple].append(name)
    return {triple: sorted(names) for triple, names in holders.items() if len(names) > 1}


def layout_offences(nquads: bytes, result: BuildResult, base: str = BASE) -> list[str]:
    """The quads of an article's graph whose subject is neither a node of that article (its
    document, claims, readings, evidence, times, roles) nor an item the article defines, nor a node
    of such an item (its time), and whose object is not a node of that article either (a shared
    event's sem:hasActor pointing at this article's role): each as its N-Quads line."""
    local: dict[str, set[str]] = {
        build.graph_iri: {f"{base}{kind}/{item_id}" for item_id, kind, _ in build.definitions}
        for build in result.documents
    }
    offences = []
    for line in nquads.decode("utf-8").splitlines():
        (quad,) = ox.parse(line.encode(), format=ox.RdfFormat.N_QUADS)
        graph = quad.graph_name.value if isinstance(quad.graph_name, ox.NamedNode) else ""
        if graph in (REGISTRY_GRAPH, ONTOLOGY_GRAPH):
            continue
        doc = graph.removeprefix(f"{base}graph/")
        subject = quad.subject.value if isinstance(quad.subject, ox.NamedNode) else ""
        obj = quad.object.value if isinstance(quad.object, ox.NamedNode) else ""
        scoped = (f"{base}document/{doc}/", *(f"{base}{kind}/{doc}/" for kind in DOC_SCOPED))
        own = subject == f"{base}document/{doc}" or subject.startswith(scoped)
        item = "/".join(subject.split("/")[: len(base.split("/")) + 1])
        if not own and not obj.startswith(scoped) and item not in local.get(graph, set()):
            offences.append(line)
    return offences


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return shared_corpus(tmp_path_factory.mktemp("shared"))


@pytest.fixture(scope="module")
def built(corpus: Path) -> BuildResult:
    return build([corpus], jobs=1)


def test_the_shared_corpus_conforms(built: BuildResult) -> None:
    assert built.report is not None and built.report.conforms, built.report.describe()


@pytest.mark.parametrize(
    ("fmt", "rdf_format"), [("trig", ox.RdfFormat.TRIG), ("nquads", ox.RdfFormat.N_QUADS)]
)
def test_no_triple_is_in_two_graphs(built: BuildResult, fmt: str, rdf_format: ox.RdfFormat) -> None:
    data = serialize(built.graphs, fmt)
    graphs = graphs_of(data, rdf_format)
    assert {f"{BASE}graph/minimal-{n}" for n in range(3)} | {REGISTRY_GRAPH} <= set(graphs)
    assert triples_in_several_graphs(data, rdf_format) == {}


def test_every_quad_of_an_article_is_about_its_own_nodes(built: BuildResult) -> None:
    assert layout_offences(serialize(built.graphs, "nquads"), built) == []


def test_the_layout_checks_fail_with_the_offending_quad(built: BuildResult) -> None:
    """Restating a registry triple in an article (what articles did before readings) is caught,
    and named."""
    data = serialize(built.graphs, "nquads")
    restated = (
        f"<{BASE}event/speech> <{RDF_TYPE}> <{SEM}Event> <{BASE}graph/minimal-1> .\n".encode()
    )
    planted = data + restated
    assert layout_offences(planted, built) == [restated.decode().rstrip("\n")]
    several = triples_in_several_graphs(planted, ox.RdfFormat.N_QUADS)
    assert several == {
        (f"<{BASE}event/speech>", f"<{RDF_TYPE}>", f"<{SEM}Event>"): [
            f"{BASE}graph/minimal-1",
            REGISTRY_GRAPH,
        ]
    }


def test_the_example_corpus_has_no_triple_in_two_graphs() -> None:
    result = build([EXAMPLE.parent], validate=False)
    data = serialize(result.graphs, "nquads")
    assert triples_in_several_graphs(data, ox.RdfFormat.N_QUADS) == {}
    assert layout_offences(data, result) == []


def test_each_article_keeps_its_own_dating_of_a_shared_event(built: BuildResult) -> None:
    graphs = graphs_of(serialize(built.graphs, "nquads"), ox.RdfFormat.N_QUADS)
    event = f"<{BASE}event/speech>"
    dates = {}
    for n in range(3):
        reading = f"<{BASE}reading/minimal-{n}/speech>"
        article = graphs[f"{BASE}graph/minimal-{n}"]
        assert (reading, f"<{RDF_TYPE}>", f"<{PKG}Reading>") in article
        assert (reading, f"<{PKG}readingOf>", event) in article
        assert (reading, f"<{SEM}accordingTo>", f"<{BASE}document/minimal-{n}>") in article
        assert (reading, f"<{PKG}assertedBy>", f"<{BASE}actor/analyst>") in article
        time = f"<{BASE}reading/minimal-{n}/speech/time>"
        assert (reading, "<http://www.w3.org/2006/time#hasTime>", time) in article
        (date,) = [o for s, p, o in article if s == time and "inXSD" in p]
        dates[n] = date
        # The evidence of the reading has the reading as its body, not the event.
        annotation = f"<{BASE}evidence/minimal-{n}/speech/1>"
        assert (annotation, f"<{OA}hasBody>", reading) in article
        # The event itself is described in the registry only.
        assert not [t for t in article if t[0] == event]
    assert dates[0] == dates[2] == '"2016-06-03"^^<http://www.w3.org/2001/XMLSchema#date>'
    assert dates[1] == '"2016-06"^^<http://www.w3.org/2001/XMLSchema#gYearMonth>'
    reading = f"<{BASE}reading/minimal-2/speech>"
    assert (reading, f"<{SEM}hasPlace>", f"<{BASE}place/tehran>") in graphs[
        f"{BASE}graph/minimal-2"
    ]
    registry = graphs[REGISTRY_GRAPH]
    assert (event, f"<{PKG}assertionMode>", "<https://w3id.org/policykg/assertion/curator>") in (
        registry
    )
    defined_by = "<http://www.w3.org/2000/01/rdf-schema#isDefinedBy>"
    assert (event, defined_by, f"<{REGISTRY_GRAPH}>") in registry


def test_a_mention_of_a_shared_item_is_its_evidence_only(built: BuildResult) -> None:
    graphs = graphs_of(serialize(built.graphs, "nquads"), ox.RdfFormat.N_QUADS)
    article = graphs[f"{BASE}graph/minimal-0"]
    for item in (
        "actor/khamenei",
        "post/supreme-leader-of-iran",
        "tenure/khamenei-as-supreme-leader",
    ):
        key = item.split("/")[1]
        annotation = f"<{BASE}evidence/minimal-0/{key}/1>"
        assert (annotation, f"<{OA}hasBody>", f"<{BASE}{item}>") in article
        assert not [t for t in article if t[0] == f"<{BASE}{item}>"]


def test_author_roles_are_the_documents_not_the_shared_authors(built: BuildResult) -> None:
    graphs = graphs_of(serialize(built.graphs, "nquads"), ox.RdfFormat.N_QUADS)
    article = graphs[f"{BASE}graph/minimal-0"]
    document = f"<{BASE}document/minimal-0>"
    assert (document, f"<{PKG}authorRole>", '"Senior Policy Fellow"') in article
    assert not [t for t in article if t[0] == f"<{BASE}actor/analyst>"]


# -- errors ------------------------------------------------------------------------------------


def error_of(corpus: Path) -> FactsError:
    with pytest.raises(FactsError) as caught:
        build([corpus], validate=False, jobs=1)
    return caught.value


def line_of(path: Path, text: str, start: int = 1) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if n >= start and line == text)


def test_a_reading_that_restates_the_definition_names_the_field_and_both_values(
    tmp_path: Path,
) -> None:
    corpus = minimal_corpus(tmp_path / "corpus", 2, own_events=False)
    facts = corpus / "doc1" / "facts.yaml"
    edit(facts, "  speech:\n    date:", "  speech:\n    label: The speech\n    date:")
    error = error_of(corpus)
    registry = corpus / "registry.yaml"
    assert error.location.path == facts
    assert error.location.line == line_of(facts, "    label: The speech")
    assert error.fact_id == "speech"
    assert f"{registry}:{line_of(registry, '  speech:')}" in error.message
    assert "not 'label'" in error.message
    assert 'registry: "Khamenei\'s speech of 3 June 2016", here: "The speech"' in error.message
    assert "(quote, date, from, to, place, roles, asserted_as, note)" in error.message
    assert "another id" in (error.hint or "")


def test_a_reading_that_repeats_a_registry_value_says_so(tmp_path: Path) -> None:
    corpus = minimal_corpus(tmp_path / "corpus", 2)
    facts = corpus / "doc0" / "facts.yaml"
    edit(facts, "  iran:\n", "  iran:\n    name: Iran\n")
    error = error_of(corpus)
    assert "not 'name' (the registry gives it the same value)" in error.message
    assert "(quote, note)" in error.message


def test_an_id_defined_in_two_articles_names_both_and_the_field_that_differs(
    tmp_path: Path,
) -> None:
    corpus = minimal_corpus(tmp_path / "corpus", 2)
    for n, date in ((0, "1989-06-04"), (1, "1989-06")):
        facts = corpus / f"doc{n}" / "facts.yaml"
        text = facts.read_text(encoding="utf-8").replace(
            f"khamenei-as-supreme-leader-{n}", "khamenei-as-supreme-leader"
        )
        facts.write_text(text.replace('value: "1989-06-04"', f'value: "{date}"'), encoding="utf-8")
    error = error_of(corpus)
    first, second = (corpus / f"doc{n}" / "facts.yaml" for n in range(2))
    line = line_of(first, "  khamenei-as-supreme-leader:")
    assert error.location.path == second
    assert error.location.line == line
    assert f"{first}:{line} and {second}:{line}" in error.message
    assert "both define tenure 'khamenei-as-supreme-leader'" in error.message
    assert "field 'from' differs" in error.message and '"1989-06-04"' in error.message
    assert "registry.yaml" in (error.hint or "") and "reading" in (error.hint or "")


def test_an_id_defined_the_same_way_in_two_articles_is_refused_too(tmp_path: Path) -> None:
    corpus = minimal_corpus(tmp_path / "corpus", 2)
    for n in range(2):
        facts = corpus / f"doc{n}" / "facts.yaml"
        text = facts.read_text(encoding="utf-8")
        facts.write_text(text.replace(f"speech-{n}", "speech"), encoding="utf-8")
    error = error_of(corpus)
    assert "both define event 'speech' (the same way)" in error.message
    assert "its quote and its date" in (error.hint or "")


def test_two_ids_with_one_wikidata_entity_name_both_files_lines_and_ids(tmp_path: Path) -> None:
    corpus = minimal_corpus(tmp_path / "corpus", 2)
    facts = corpus / "doc1" / "facts.yaml"
    edit(
        facts,
        "posts:\n",
        "  supreme-leader:\n    type: person\n    name: The Leader\n    wikidata: Q57336\n"
        "    source: https://example.org/leader\nposts:\n",
    )
    error = error_of(corpus)
    registry = corpus / "registry.yaml"
    assert error.location.path == facts
    assert error.location.line == line_of(facts, "    wikidata: Q57336")
    assert f"{registry}:{line_of(registry, '    wikidata: Q57336')} (actor 'khamenei'" in (
        error.message
    )
    assert f"{facts}:{error.location.line} (actor 'supreme-leader', wikidata Q57336)" in (
        error.message
    )
    assert "http://www.wikidata.org/entity/Q57336" in error.message


def test_two_registry_events_with_one_wikidata_entity_are_refused(tmp_path: Path) -> None:
    corpus = minimal_corpus(tmp_path / "corpus", 2, own_events=False)
    registry = corpus / "registry.yaml"
    tree = yaml.safe_load(registry.read_text(encoding="utf-8"))
    tree["events"]["speech"]["wikidata"] = "Q1"
    tree["events"]["speech-again"] = {**copy.deepcopy(tree["events"]["speech"]), "label": "Again"}
    registry.write_text(yaml.safe_dump(tree, sort_keys=False), encoding="utf-8")
    error = error_of(corpus)
    assert "(event 'speech', wikidata Q1)" in error.message
    assert "(event 'speech-again', wikidata Q1)" in error.message


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "    source: https://example.org/registry/speech\n",
            "",
            "a registry event needs its 'source'",
        ),
        (
            "    source: https://example.org/registry/speech\n",
            "    source: https://example.org/registry/speech\n    asserted_as: reported\n",
            "a registry event has no 'asserted_as'",
        ),
    ],
)
def test_a_registry_event_is_the_curators(
    tmp_path: Path, old: str, new: str, expected: str
) -> None:
    corpus = minimal_corpus(tmp_path / "corpus", 2, own_events=False)
    edit(corpus / "registry.yaml", old, new)
    assert expected in error_of(corpus).message


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("    quote: made a significant speech\n", "", "has no 'quote'"),
        (
            "    quote: made a significant speech\n",
            "    asserted_as: curator\n    quote: made a significant speech\n",
            "cannot be the curator's",
        ),
        # A mention of the event among the actors.
        (
            "posts:\n",
            "  speech:\n    quote: made a significant speech\nposts:\n",
            "listed under 'actors' here, but the registry defines it as an event",
        ),
    ],
)
def test_a_reading_must_be_the_articles_own(
    tmp_path: Path, old: str, new: str, expected: str
) -> None:
    corpus = minimal_corpus(tmp_path / "corpus", 2, own_events=False)
    facts = corpus / "doc0" / "facts.yaml"
    edit(facts, old, new)
    error = error_of(corpus)
    assert expected in error.message
    assert error.location.path == facts


def test_an_item_the_registry_lacks_needs_its_definition(tmp_path: Path) -> None:
    corpus = minimal_corpus(tmp_path / "corpus", 2)
    edit(corpus / "doc0" / "facts.yaml", "  iran:\n", "  persia:\n")
    error = error_of(corpus)
    assert (
        error.message
        == "'type' is missing: 'persia' is defined here, as no registry file defines it"
    )
    assert "registry.yaml" in (error.hint or "")


# -- the cache ---------------------------------------------------------------------------------


def test_a_changed_registry_event_revalidates_the_articles_that_read_it(tmp_path: Path) -> None:
    corpus = minimal_corpus(tmp_path / "corpus", 2, own_events=False)
    registry = corpus / "registry.yaml"
    # The event is a forecast: the articles may date it after their publication (7 June 2016).
    edit(registry, "    cameo: '010'\n", "    cameo: '010'\n    forecast: true\n")
    for n in range(2):
        facts = corpus / f"doc{n}" / "facts.yaml"
        edit(facts, 'value: "2016-06-03"', 'value: "2016-06-10"')
        edit(facts, "      weekday: Friday\n", "")
    cache = tmp_path / "cache"
    first = build([corpus], jobs=1, cache=cache)
    assert first.report is not None and first.report.conforms, first.report.describe()
    assert build([corpus], jobs=1, cache=cache).cache_hits == 2
    # No longer a forecast: each article's reading now dates it after the article's publication.
    edit(registry, "    forecast: true\n", "")
    again = build([corpus], jobs=1, cache=cache)
    assert again.cache_hits == 0
    assert again.report is not None and not again.report.conforms
    focus = {v.focus_node for v in again.report.violations}
    assert focus == {f"{BASE}reading/minimal-{n}/speech" for n in range(2)}
    shapes = {v.shape for v in again.report.violations}
    assert shapes == {"pkgsh:EventNotAfterPublicationShape"}
    assert serialize(again.graphs, "nquads") != serialize(first.graphs, "nquads")
    assert serialize(again.graphs, "nquads") == serialize(build([corpus], jobs=1).graphs, "nquads")


def test_the_schema_and_the_loader_agree_on_readings_and_definitions() -> None:
    """The fields of a reading and those a definition needs are the same in the schema (which
    editors check) and in the loader (which tells a reading from a definition)."""
    from policykg.facts.loader import DEFINING_FIELDS
    from policykg.facts.model import READING_FIELDS
    from policykg.resources import facts_schema

    defs = facts_schema()["$defs"]
    for section, reading in READING_FIELDS.items():
        definition = defs["work" if section == "documents" else section.removesuffix("s")]
        (required,) = [b["required"] for b in definition["anyOf"] if "required" in b]
        assert tuple(required) == DEFINING_FIELDS[section]
        (other,) = [b for b in definition["anyOf"] if "$ref" in b]
        names = defs[other["$ref"].rsplit("/", 1)[1]]["propertyNames"]["enum"]
        assert tuple(names) == reading
        assert not set(reading) & set(required)


def test_the_registry_report_is_kept_in_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A rebuild after editing one article does not validate the registry graph again (its
    report is kept with the cache), unless the registry or the kept report changed."""
    corpus = minimal_corpus(tmp_path / "corpus", 2, own_events=False)
    validated: list[bytes | Graph] = []
    real = corpus_stage.shacl_report

    def recorded(data: bytes | Graph, shapes: Graph) -> Graph:
        validated.append(data)
        return real(data, shapes)

    monkeypatch.setattr(corpus_stage, "shacl_report", recorded)
    cache = tmp_path / "cache"
    first = build([corpus], jobs=1, cache=cache)
    assert first.registry is not None and first.report is not None
    registry = first.registry.ntriples
    assert validated.count(registry) == 1
    for damage in (None, b"damaged"):
        validated.clear()
        if damage is not None:
            (cache / "registry.report").write_bytes(damage)
        again = build([corpus], jobs=1, cache=cache)
        assert validated.count(registry) == (0 if damage is None else 1)
        assert again.report is not None and again.report.describe() == first.report.describe()
    edit(corpus / "registry.yaml", "  iran:\n", "  persia: {type: state, name: Persia}\n  iran:\n")
    validated.clear()
    changed = build([corpus], jobs=1, cache=cache)
    assert changed.registry is not None and changed.registry.ntriples != registry
    assert validated.count(changed.registry.ntriples) == 1


def test_an_article_validates_its_own_nodes_not_the_registry_items_it_reads(tmp_path: Path) -> None:
    """The registry's items are validated once, in the registry's graph: an article's validation
    has them only for its paths to follow (a broken registry event is not the article's fault,
    nor is it validated again for each article that reads it)."""
    corpus = minimal_corpus(tmp_path / "corpus", 2, own_events=False)
    registry = load_registry([corpus / "registry.yaml"])
    lines = subject_lines(map_registry(registry, BASE).ntriples)
    event = f"{BASE}event/speech"
    lines[event] = [line for line in lines[event] if b"rdf-schema#label" not in line]
    per_document = batched_scoped_shapes()[0]
    article = corpus / "doc0" / "facts.yaml"
    built = build_document(article, registry, BASE, shapes=per_document, registry_lines=lines)
    assert built.conforms, built.report
    broken = b"".join(line for subject in sorted(lines) for line in lines[subject])
    report = report_from(shacl_report(broken, per_document))
    assert [(v.focus_node, v.shape) for v in report.violations] == [(event, "pkgsh:Event-label")]


def test_each_article_gives_its_own_roles_in_a_shared_event(tmp_path: Path) -> None:
    """Roles are an article's account: two readings of one registry event give it different
    roles, each written in its own article's graph, and no triple is in two graphs."""
    corpus = minimal_corpus(tmp_path / "corpus", 2, own_events=False)
    for n, roles in ((0, "{khamenei: speaker}"), (1, "{khamenei: [speaker, leader]}")):
        edit(
            corpus / f"doc{n}" / "facts.yaml",
            "  speech:\n    date:",
            f"  speech:\n    roles: {roles}\n    date:",
        )
    result = build([corpus], validate=True, include_ontology=False)
    assert result.report.conforms, result.report.text
    data = serialize(result.graphs, "nquads")
    assert not triples_in_several_graphs(data, ox.RdfFormat.N_QUADS)
    assert not layout_offences(data, result)
    graphs = graphs_of(data, ox.RdfFormat.N_QUADS)
    role = f"<{BASE}role/{{doc}}/speech/khamenei/{{code}}>"
    has_actor = f"<{SEM}hasActor>"
    event = f"<{BASE}event/speech>"
    assert (event, has_actor, role.format(doc="minimal-0", code="speaker")) in graphs[
        f"{BASE}graph/minimal-0"
    ]
    assert (event, has_actor, role.format(doc="minimal-1", code="leader")) in graphs[
        f"{BASE}graph/minimal-1"
    ]
    assert not any(
        triple[1] == has_actor and "/role/" in triple[2] for triple in graphs[REGISTRY_GRAPH]
    )
