"""The SHACL shapes in shapes/policykg-shapes.ttl, checked with pyshacl against their example folders.

Every node shape has tests/shape_examples/<ShapeLocalName>/valid.ttl (conforms to all shapes) and
invalid.ttl (fails with that shape, and only with that shape). Validation runs the shapes as
``validation.batched_shapes`` rewrites them for speed; the last tests check that pyshacl reports
the same results for them.
"""

from __future__ import annotations

import calendar
import random
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pyshacl
import pytest
from pyshacl.entrypoints import meta_validate
from rdflib import RDF, RDFS, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH, XSD
from rdflib.term import Node

from policykg.validate.shacl import batched_shapes, path_text

ROOT = Path(__file__).resolve().parent.parent
SHAPES_FILE = ROOT / "shapes" / "policykg-shapes.ttl"
ONTOLOGY_FILE = ROOT / "ontology" / "policykg.ttl"
EXAMPLES = Path(__file__).resolve().parent / "shape_examples"

PKG = Namespace("https://w3id.org/policykg/ns#")
PKGSH = Namespace("https://w3id.org/policykg/shapes#")
TIME = Namespace("http://www.w3.org/2006/time#")
DATA = Namespace("https://w3id.org/policykg/data/")
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
# Shape-valued parameters through which a node shape reaches the shapes whose results it owns.
SHAPE_PARAMETERS = (SH.property, SH.node, SH["not"], SH.qualifiedValueShape)
LIST_PARAMETERS = (SH["or"], SH["and"], SH.xone)


@pytest.fixture(scope="module", autouse=True)
def report_time(request: pytest.FixtureRequest) -> Iterator[None]:
    """Print how long this module's tests took, even under -q."""
    started = time.perf_counter()
    yield
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if reporter is not None and capture is not None:
        with capture.global_and_fixture_disabled():
            reporter.write_line(f"\ntest_shapes.py took {time.perf_counter() - started:.1f} s")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(SHAPES_FILE)


def node_shape_names() -> list[str]:
    graph = Graph().parse(SHAPES_FILE)
    return sorted(
        str(shape).removeprefix(str(PKGSH))
        for shape in graph.subjects(RDF.type, SH.NodeShape)
        if isinstance(shape, URIRef)
    )


def example_cases() -> list[Any]:
    """Each folder's valid.ttl and invalid.ttl, and its further invalid-<what>.ttl: one for each
    constraint <ShapeName minus "Shape">-<what> that the first invalid example does not reach."""
    return [
        pytest.param(folder.name, half, id=f"{folder.name}-{half}")
        for folder in sorted(p for p in EXAMPLES.iterdir() if p.is_dir())
        for half in ("valid", "invalid", *sorted(p.stem for p in folder.glob("invalid-*.ttl")))
    ]


def owned_shapes(shapes: Graph, shape: URIRef) -> set[Node]:
    """The shape and every shape it reaches through sh:property, sh:node, sh:or … (its results' sources)."""
    owned: set[Node] = set()
    todo: list[Node] = [shape]
    while todo:
        current = todo.pop()
        if current in owned:
            continue
        owned.add(current)
        for parameter in SHAPE_PARAMETERS:
            todo.extend(shapes.objects(current, parameter))
        for parameter in LIST_PARAMETERS:
            for head in shapes.objects(current, parameter):
                todo.extend(Collection(shapes, head))
    return owned


def validate(data: Graph, shapes: Graph) -> tuple[bool, Graph]:
    conforms, report, text = pyshacl.validate(
        data, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=False
    )
    assert isinstance(report, Graph), (
        text
    )  # pyshacl returns a failure object when it cannot validate
    return conforms, report


def describe(report: Graph) -> str:
    lines = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        lines.append(
            f"{report.value(result, SH.sourceShape)} on {report.value(result, SH.focusNode)}: "
            f"{report.value(result, SH.resultMessage)}"
        )
    return "\n".join(sorted(lines))


@pytest.mark.parametrize(("shape_name", "half"), example_cases())
def test_shape_example(shapes: Graph, shape_name: str, half: str) -> None:
    data = Graph().parse(EXAMPLES / shape_name / f"{half}.ttl")
    conforms, report = validate(data, shapes)
    if half == "valid":
        assert conforms, describe(report)
        return
    assert not conforms, f"{shape_name}/invalid.ttl conforms"
    owned = owned_shapes(shapes, PKGSH[shape_name])
    sources = {
        report.value(r, SH.sourceShape) for r in report.subjects(RDF.type, SH.ValidationResult)
    }
    assert sources, describe(report)
    assert sources <= owned, f"results from other shapes:\n{describe(report)}"
    if half != "invalid":  # invalid-<what>.ttl: the constraint <Name minus Shape>-<what> fails
        constraint = PKGSH[f"{shape_name.removesuffix('Shape')}-{half.removeprefix('invalid-')}"]
        constraints = sources | {
            report.value(r, SH.sourceConstraint)
            for r in report.subjects(RDF.type, SH.ValidationResult)
        }
        assert constraint in constraints, f"{constraint} did not fail:\n{describe(report)}"


def test_every_node_shape_has_examples_and_messages(shapes: Graph) -> None:
    names = node_shape_names()
    folders = sorted(p.name for p in EXAMPLES.iterdir() if p.is_dir())
    assert folders == names
    for name in names:
        shape = PKGSH[name]
        assert (EXAMPLES / name / "valid.ttl").is_file(), name
        assert (EXAMPLES / name / "invalid.ttl").is_file(), name
        assert shapes.value(shape, SH.message), f"{name} has no sh:message"
        assert shapes.value(shape, RDFS.label), f"{name} has no rdfs:label"
        comment = str(shapes.value(shape, RDFS.comment) or "")
        assert comment.startswith(("Per-document", "Cross-document")), (
            f"{name}: comment must say its scope"
        )
        for child in [*shapes.objects(shape, SH.property), *shapes.objects(shape, SH.sparql)]:
            assert isinstance(child, URIRef), (
                f"{name} has an anonymous property shape or constraint"
            )
            assert shapes.value(child, SH.message), f"{child} has no sh:message"


def test_shapes_conform_to_shacl_shacl(shapes: Graph) -> None:
    conforms, _, text = meta_validate(shapes, inference="none")
    assert conforms, text


def test_ontology_triggers_no_shape(shapes: Graph) -> None:
    """The ontology is loaded with the data: on its own it must not be a focus of any failing shape."""
    if not ONTOLOGY_FILE.is_file():
        pytest.skip("ontology/policykg.ttl is not written yet")
    conforms, report = validate(Graph().parse(ONTOLOGY_FILE), shapes)
    assert conforms, describe(report)


def test_valid_examples_together_with_the_ontology_conform(shapes: Graph) -> None:
    """As at build time: the union of all valid examples plus the ontology, with its SKOS schemes."""
    if not ONTOLOGY_FILE.is_file():
        pytest.skip("ontology/policykg.ttl is not written yet")
    data = Graph().parse(ONTOLOGY_FILE)
    for path in sorted(EXAMPLES.glob("*/valid.ttl")):
        data.parse(path)
    conforms, report = validate(data, shapes)
    assert conforms, describe(report)


def test_example_concepts_match_the_ontology() -> None:
    """Every concept an example defines is defined the same way (scheme) in the ontology."""
    if not ONTOLOGY_FILE.is_file():
        pytest.skip("ontology/policykg.ttl is not written yet")
    ontology = Graph().parse(ONTOLOGY_FILE)
    skos_in_scheme = URIRef("http://www.w3.org/2004/02/skos/core#inScheme")
    missing = set()
    for path in sorted(EXAMPLES.glob("*/valid.ttl")):
        for concept, scheme in Graph().parse(path).subject_objects(skos_in_scheme):
            if (concept, skos_in_scheme, scheme) not in ontology:
                missing.add(f"{concept} in {scheme}")
    assert not missing, "\n".join(sorted(missing))


def select(graph: Graph, query: str) -> list[dict[str, Node]]:
    """The solutions of a SELECT query, keyed by variable name."""
    return [{str(k): v for k, v in row.items()} for row in graph.query(query).bindings]


def sparql_of(shapes: Graph, constraint: URIRef) -> str:
    """The constraint's SELECT with its sh:declare prefixes, runnable directly with rdflib."""
    prefixes = "".join(
        f"PREFIX {shapes.value(d, SH.prefix)}: <{shapes.value(d, SH.namespace)}>\n"
        for source in shapes.objects(constraint, SH.prefixes)
        for d in shapes.objects(source, SH.declare)
    )
    return prefixes + str(shapes.value(constraint, SH.select))


def add_instant(graph: Graph, iri: URIRef, first: date, last: date, literal: Literal) -> URIRef:
    """An instant with bounds [first 00:00:00, last 23:59:59] and an empty description."""
    description = URIRef(f"{iri}/description")
    predicate = {
        XSD.date: TIME.inXSDDate,
        XSD.gYearMonth: TIME.inXSDgYearMonth,
        XSD.gYear: TIME.inXSDgYear,
    }
    assert literal.datatype is not None
    graph.add((iri, predicate[literal.datatype], literal))
    graph.add((iri, TIME.inDateTime, description))
    graph.add((iri, PKG.earliest, Literal(f"{first.isoformat()}T00:00:00", datatype=XSD.dateTime)))
    graph.add((iri, PKG.latest, Literal(f"{last.isoformat()}T23:59:59", datatype=XSD.dateTime)))
    return description


def sample_dates() -> list[date]:
    """Edge cases (leap days, century years, year ends) and random days from 1600 to 2400."""
    edges = [
        date(y, m, d)
        for y in (1600, 1700, 1900, 2000, 2100, 2400)
        for m, d in ((1, 1), (2, 28), (3, 1), (12, 31))
    ]
    edges += [date(y, 2, 29) for y in (1600, 1996, 2000, 2016, 2024, 2400)]
    rng = random.Random(20160603)
    start, span = date(1600, 1, 1), (date(2400, 12, 31) - date(1600, 1, 1)).days
    return edges + [start + timedelta(days=rng.randrange(span)) for _ in range(400)]


def test_weekday_sparql_agrees_with_python(shapes: Graph) -> None:
    """WeekdayShape's SPARQL weekday against datetime: right weekdays pass, every wrong one is caught."""
    graph, expected = Graph(), set()
    for n, day in enumerate(sample_dates()):
        right = day.weekday()
        for offset in (0, 3):  # the true weekday, and a wrong one three days off
            description = add_instant(
                graph,
                DATA[f"time/weekday/{n}-{offset}"],
                day,
                day,
                Literal(day.isoformat(), datatype=XSD.date),
            )
            graph.add((description, TIME.dayOfWeek, TIME[WEEKDAYS[(right + offset) % 7]]))
            if offset:
                expected.add((description, TIME[WEEKDAYS[right]]))
    query = sparql_of(shapes, PKGSH["Weekday-matchesDate"])
    flagged = {(row["this"], row["expected"]) for row in select(graph, query)}
    assert flagged == expected


def test_weekday_in_range_sparql_agrees_with_python(shapes: Graph) -> None:
    """Weekday-inRange's day numbers against datetime: ranges of one to seven days from each
    sample day are flagged for exactly the weekdays that none of their days has."""
    graph, expected = Graph(), set()
    for n, first in enumerate(sample_dates()[::8]):
        for length in (0, 2, 5, 6):
            last = first + timedelta(days=length)
            present = {(first + timedelta(days=k)).weekday() for k in range(length + 1)}
            for number, weekday in enumerate(WEEKDAYS):
                iri = DATA[f"time/range/{n}-{length}-{number}"]
                description = URIRef(f"{iri}/description")
                graph.add((iri, TIME.inDateTime, description))
                earliest = Literal(f"{first.isoformat()}T00:00:00", datatype=XSD.dateTime)
                graph.add((iri, PKG.earliest, earliest))
                latest = Literal(f"{last.isoformat()}T23:59:59", datatype=XSD.dateTime)
                graph.add((iri, PKG.latest, latest))
                graph.add((description, TIME.dayOfWeek, TIME[weekday]))
                if number not in present:
                    expected.add(description)
    query = sparql_of(shapes, PKGSH["Weekday-inRange"])
    assert {row["this"] for row in select(graph, query)} == expected


def test_date_precision_sparql_agrees_with_python(shapes: Graph) -> None:
    """MonthPrecisionShape's month lengths and YearPrecisionShape's bounds against the calendar
    module."""
    graph, wrong = Graph(), set()
    for year in (1899, 1900, 1996, 2000, 2015, 2016, 2100):
        for month in range(1, 13):
            days = calendar.monthrange(year, month)[1]
            for last_day in (days, days - 1):
                iri = DATA[f"time/precision/{year}-{month:02d}-{last_day}"]
                literal = Literal(f"{year}-{month:02d}", datatype=XSD.gYearMonth)
                add_instant(graph, iri, date(year, month, 1), date(year, month, last_day), literal)
                if last_day != days:
                    wrong.add(iri)
        iri = DATA[f"time/precision/{year}"]
        add_instant(
            graph, iri, date(year, 1, 1), date(year, 12, 31), Literal(str(year), datatype=XSD.gYear)
        )
    flagged = {
        row["this"]
        for constraint in ("MonthPrecision-values", "YearPrecision-values")
        for row in select(graph, sparql_of(shapes, PKGSH[constraint]))
        if row["path"] == PKG.latest
    }
    assert flagged == wrong


def test_precision_values_flag_exactly_the_parts_that_differ(shapes: Graph) -> None:
    """The three *-values constraints: every bound and part that does not repeat the literal,
    and nothing else, for days, months and years."""
    graph, wrong = Graph(), set()
    cases = [
        (
            Literal("2016-06-03", datatype=XSD.date),
            date(2016, 6, 3),
            date(2016, 6, 3),
            "2016-06-03",
        ),
        (
            Literal("2016-02", datatype=XSD.gYearMonth),
            date(2016, 2, 1),
            date(2016, 2, 29),
            "2016-02",
        ),
        (Literal("1989", datatype=XSD.gYear), date(1989, 1, 1), date(1989, 12, 31), "1989"),
    ]
    for literal, first, last, text in cases:
        parts = {TIME.year: Literal(text[:4], datatype=XSD.gYear)}
        if len(text) > 4:
            parts[TIME.month] = Literal(f"--{text[5:7]}", datatype=XSD.gMonth)
        if len(text) > 7:
            parts[TIME.day] = Literal(f"---{text[8:10]}", datatype=XSD.gDay)
        variants = {None: (first, last, parts)}
        variants[PKG.earliest] = (first + timedelta(days=1), last, parts)
        variants[PKG.latest] = (first, last - timedelta(days=1), parts)
        others = {
            TIME.year: f"{int(text[:4]) + 1}",
            TIME.month: f"--{int(text[5:7] or 0) % 12 + 1:02d}",
            TIME.day: f"---{int(text[8:10] or 0) % 28 + 1:02d}",
        }
        for path, value in parts.items():
            changed = Literal(others[path], datatype=value.datatype)
            variants[path] = (first, last, {**parts, path: changed})
        for changed_path, (begin, end, described) in variants.items():
            iri = DATA[f"time/values/{text}/{str(changed_path).rsplit('#', 1)[-1]}"]
            description = add_instant(graph, iri, begin, end, literal)
            for path, value in described.items():
                graph.add((description, path, value))
            if changed_path is not None:
                wrong.add((iri, changed_path))
    flagged = {
        (row["this"], row["path"])
        for constraint in ("DayPrecision-values", "MonthPrecision-values", "YearPrecision-values")
        for row in select(graph, sparql_of(shapes, PKGSH[constraint]))
    }
    assert flagged == wrong


def result_keys(report: Graph) -> list[tuple[str, ...]]:
    """The report's results as comparable text (paths by their structure), sorted."""
    keys = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        fields = (SH.focusNode, SH.sourceShape, SH.sourceConstraintComponent, SH.value)
        keys.append(
            (
                *(str(report.value(result, field)) for field in fields),
                path_text(report, report.value(result, SH.resultPath)),
                " | ".join(sorted(str(m) for m in report.objects(result, SH.resultMessage))),
                str(report.value(result, SH.resultSeverity)),
            )
        )
    return sorted(keys)


INVALID_EXAMPLES = sorted(p.name for p in EXAMPLES.iterdir() if (p / "invalid.ttl").is_file())


@pytest.mark.parametrize("shape_name", INVALID_EXAMPLES)
def test_batched_shapes_report_what_the_shapes_report(shapes: Graph, shape_name: str) -> None:
    """Validation runs the shapes as batched_shapes rewrites them: pyshacl must find the same."""
    data = Graph().parse(EXAMPLES / shape_name / "invalid.ttl")
    _, as_written = validate(data, shapes)
    _, batched = validate(data, batched_shapes(shapes))
    assert result_keys(batched) == result_keys(as_written)


def test_batched_shapes_give_the_shipped_property_shapes_targets(shapes: Graph) -> None:
    batched = batched_shapes(shapes)
    moved = PKGSH["Claim-label"]
    assert (PKGSH.ClaimShape, SH.property, moved) not in batched
    assert (moved, SH.targetClass, PKG.Claim) in batched
    assert batched_shapes(batched) is batched  # nothing left to move


BATCH_CASES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <https://example.org/> .
ex:Closed a sh:NodeShape ; sh:targetClass ex:A ; sh:closed true ; sh:property ex:p1 .
ex:Referenced a sh:NodeShape ; sh:targetClass ex:A ; sh:property ex:p2 .
ex:Referring a sh:NodeShape ; sh:targetClass ex:B ; sh:node ex:Referenced .
ex:Off a sh:NodeShape ; sh:targetClass ex:A ; sh:deactivated true ; sh:property ex:p3 .
ex:Siblings a sh:NodeShape ; sh:targetClass ex:A ; sh:property ex:p4 .
ex:p4 sh:path ex:q ; sh:qualifiedValueShape [ sh:class ex:C ] ; sh:qualifiedMinCount 1 ;
    sh:qualifiedValueShapesDisjoint true .
ex:Untargeted a sh:NodeShape ; sh:property ex:p5 .
ex:Sharing1 a sh:NodeShape ; sh:targetClass ex:A ; sh:property ex:p6 .
ex:Sharing2 a sh:NodeShape ; sh:targetClass ex:B ; sh:property ex:p6 .
"""


def test_batched_shapes_leave_alone_what_moving_could_change() -> None:
    """Closed, referenced, deactivated and untargeted node shapes, disjoint qualified value
    shapes and property shapes of two node shapes keep their sh:property."""
    shapes = Graph().parse(data=BATCH_CASES, format="turtle")
    assert batched_shapes(shapes) is shapes
