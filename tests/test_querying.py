"""``policykg query`` through the command line: the competency questions on every kind of source
(built files, a folder of them, a store written by ``policykg load``, a real Oxigraph server), the
output formats read back by independent parsers, bound parameters (injection attempts included),
row order, and the errors."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pyoxigraph as ox
import pytest
import requests
from click.testing import CliRunner, Result

from conftest import EXAMPLE
from policykg.build.pipeline import build
from policykg.cli import main
from policykg.errors import StoreError
from policykg.namespaces import ONTOLOGY_IRI
from policykg.rdf.serialization import serialize
from policykg.store import querying, sparql_text
from policykg.store.http import HttpSettings
from policykg.store.sparql_text import shape_of

QUERY_FILES = sorted((EXAMPLE / "queries").glob("*.rq"))
QUERY_IDS = [path.stem for path in QUERY_FILES]
SOURCES = ("ttl", "trig", "jsonld", "jsonld-reference", "folder", "store")
RESULTS_NS = "{http://www.w3.org/2005/sparql-results#}"
XSD = "http://www.w3.org/2001/XMLSchema#"
KHAMENEI = "https://w3id.org/policykg/data/actor/khamenei"
PREFIXES = """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX time: <http://www.w3.org/2006/time#>
PREFIX pkg:  <https://w3id.org/policykg/ns#>
"""
# No ORDER BY; IRIs, language-tagged and typed literals, and an unbound variable.
TOPICS = (
    PREFIXES
    + """SELECT ?topic ?label ?length ?nothing WHERE {
  ?topic skos:inScheme <https://w3id.org/policykg/scheme/topic> ; skos:prefLabel ?label .
  BIND (STRLEN(?label) AS ?length)
  OPTIONAL { ?topic <urn:example:none> ?nothing }
}"""
)
INJECTION = 'x" } ; DROP ALL ; SELECT * { "'
ESCAPED_INJECTION = r"x\u0022 } ; DROP ALL ; SELECT * { \u0022"


def query(*args: str) -> Result:
    return CliRunner().invoke(main, ["query", *args])


def succeeded(result: Result) -> str:
    assert result.exit_code == 0, result.stderr
    return result.stdout


def csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The example built into every output format, a folder of outputs and a loaded store."""
    folder = tmp_path_factory.mktemp("query-sources")
    graphs = build([EXAMPLE], validate=False).graphs
    found = {}
    for name, fmt in (("ttl", "turtle"), ("trig", "trig"), ("jsonld", "json-ld"), ("nq", "nquads")):
        found[name] = folder / f"khamenei.{name}"
        found[name].write_bytes(serialize(graphs, fmt))
    found["jsonld-reference"] = folder / "khamenei-reference.jsonld"
    found["jsonld-reference"].write_bytes(serialize(graphs, "json-ld", embed_context=False))

    # A corpus-like folder: the document's graph in one file, the ontology in a subfolder.
    found["folder"] = folder / "outputs"
    (found["folder"] / "ontology").mkdir(parents=True)
    documents = [graph for graph in graphs if graph.graph_iri != ONTOLOGY_IRI]
    ontology = [graph for graph in graphs if graph.graph_iri == ONTOLOGY_IRI]
    assert len(documents) == 1 and len(ontology) == 1
    (found["folder"] / "khamenei.trig").write_bytes(serialize(documents, "trig"))
    (found["folder"] / "ontology" / "policykg.nq").write_bytes(serialize(ontology, "nquads"))

    found["store"] = folder / "store"
    load = CliRunner().invoke(
        main, ["load", str(found["trig"]), "--store-dir", str(found["store"])]
    )
    assert load.exit_code == 0, load.output
    return found


@pytest.fixture(scope="module")
def endpoint(oxigraph_server: str, sources: dict[str, Path]) -> str:
    """The example's N-Quads in the Oxigraph server; its query service over the union graph."""
    stored = requests.post(
        f"{oxigraph_server}/store",
        data=sources["nq"].read_bytes(),
        headers={"Content-Type": "application/n-quads"},
        timeout=30,
    )
    assert stored.status_code in (200, 201, 204), stored.text
    return f"{oxigraph_server}/query?union-default-graph"


@pytest.fixture(scope="module")
def engine(sources: dict[str, Path]) -> ox.Store:
    """pyoxigraph on its own, the reference the formats are read back against."""
    store = ox.Store()
    store.load(path=str(sources["nq"]), format=ox.RdfFormat.N_QUADS)
    return store


def reference_rows(engine: ox.Store, text: str) -> list[tuple[object, ...]]:
    solutions = engine.query(text, use_default_graph_as_union=True)
    assert isinstance(solutions, ox.QuerySolutions)
    rows = [tuple(solution) for solution in solutions]
    return sorted(rows, key=lambda row: ["" if term is None else str(term) for term in row])


# --------------------------------------------------------------- competency questions, sources


@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize("query_file", QUERY_FILES, ids=QUERY_IDS)
def test_competency_answers_from_every_source(
    sources: dict[str, Path], source: str, query_file: Path
) -> None:
    output = succeeded(query(str(sources[source]), str(query_file), "--format", "csv"))
    expected = query_file.with_name(query_file.stem + ".expected.csv").read_text(encoding="utf-8")
    assert csv_rows(output) == csv_rows(expected)


@pytest.mark.parametrize("query_file", QUERY_FILES, ids=QUERY_IDS)
def test_competency_answers_from_an_oxigraph_server(endpoint: str, query_file: Path) -> None:
    output = succeeded(query(endpoint, str(query_file), "--format", "csv"))
    expected = query_file.with_name(query_file.stem + ".expected.csv").read_text(encoding="utf-8")
    assert csv_rows(output) == csv_rows(expected)


def test_inline_query_text(sources: dict[str, Path]) -> None:
    output = succeeded(query(str(sources["ttl"]), f'ASK {{ <{KHAMENEI}> ?p "Ali Khamenei" }}'))
    assert output == "true\n"


def test_the_store_is_opened_read_only(sources: dict[str, Path]) -> None:
    before = sorted(path.name for path in sources["store"].iterdir())
    succeeded(query(str(sources["store"]), str(QUERY_FILES[0])))
    assert sorted(path.name for path in sources["store"].iterdir()) == before


# ------------------------------------------------------------------------------------ formats


def _expected_csv_cell(term: object) -> str:
    return "" if term is None else str(getattr(term, "value", term))


def _expected_tsv_cell(term: object) -> str:
    if isinstance(term, ox.Literal) and term.datatype == ox.NamedNode(XSD + "integer"):
        return term.value  # Turtle's short form, which SPARQL TSV allows
    return "" if term is None else str(term)


def _expected_json_binding(term: object) -> dict[str, str]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    assert isinstance(term, ox.Literal)
    if term.language:
        return {"type": "literal", "value": term.value, "xml:lang": term.language}
    return {"type": "literal", "value": term.value, "datatype": term.datatype.value}


def test_csv_rows_are_sorted_without_order_by(sources: dict[str, Path], engine: ox.Store) -> None:
    rows = csv_rows(succeeded(query(str(sources["trig"]), TOPICS, "--format", "csv")))
    expected = reference_rows(engine, TOPICS)
    assert len(expected) > 5
    assert rows[0] == ["topic", "label", "length", "nothing"]
    assert rows[1:] == [[_expected_csv_cell(term) for term in row] for row in expected]


def test_tsv_reads_back(sources: dict[str, Path], engine: ox.Store) -> None:
    text = succeeded(query(str(sources["trig"]), TOPICS, "--format", "tsv"))
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter="\t", quoting=csv.QUOTE_NONE))
    assert rows[0] == ["?topic", "?label", "?length", "?nothing"]
    expected = reference_rows(engine, TOPICS)
    assert rows[1:] == [[_expected_tsv_cell(term) for term in row] for row in expected]


def test_json_reads_back(sources: dict[str, Path], engine: ox.Store) -> None:
    document = json.loads(succeeded(query(str(sources["trig"]), TOPICS, "--format", "json")))
    assert document["head"]["vars"] == ["topic", "label", "length", "nothing"]
    names = document["head"]["vars"]
    expected = [
        {name: _expected_json_binding(term) for name, term in zip(names, row, strict=True) if term}
        for row in reference_rows(engine, TOPICS)
    ]
    assert document["results"]["bindings"] == expected


def test_xml_reads_back(sources: dict[str, Path], engine: ox.Store) -> None:
    text = succeeded(query(str(sources["trig"]), TOPICS, "--format", "xml"))
    root = ElementTree.fromstring(text)
    names = [variable.get("name") for variable in root.iter(f"{RESULTS_NS}variable")]
    assert names == ["topic", "label", "length", "nothing"]
    read = []
    for result in root.iter(f"{RESULTS_NS}result"):
        row = {}
        for binding in result:
            (term,) = list(binding)
            row[binding.get("name")] = (term.tag.removeprefix(RESULTS_NS), term.text, term.attrib)
        read.append(row)
    lang = "{http://www.w3.org/XML/1998/namespace}lang"
    expected = []
    for terms in reference_rows(engine, TOPICS):
        topic, label, length, _ = terms
        assert isinstance(topic, ox.NamedNode) and isinstance(label, ox.Literal)
        assert isinstance(length, ox.Literal)
        expected.append(
            {
                "topic": ("uri", topic.value, {}),
                "label": ("literal", label.value, {lang: label.language}),
                "length": ("literal", length.value, {"datatype": XSD + "integer"}),
            }
        )
    assert read == expected


def test_table_is_aligned(sources: dict[str, Path]) -> None:
    output = succeeded(query(str(sources["trig"]), str(QUERY_FILES[0]), "--format", "table"))
    assert output == (
        "postLabel               holder                                         holderLabel     from        to\n"
        "----------------------  ---------------------------------------------  --------------  ----------  --\n"
        "President of Iran       https://w3id.org/policykg/data/actor/rouhani   Hassan Rouhani  2013-08-03\n"
        "Supreme Leader of Iran  https://w3id.org/policykg/data/actor/khamenei  Ali Khamenei    1989-06-04\n"
    )


def test_table_shortens_vocabulary_iris_but_csv_keeps_them_whole(
    sources: dict[str, Path],
) -> None:
    question = (
        "PREFIX time: <http://www.w3.org/2006/time#> SELECT DISTINCT ?unit WHERE"
        " { ?d time:unitType ?unit } ORDER BY ?unit"
    )
    table = succeeded(query(str(sources["trig"]), question, "--format", "table"))
    assert table.splitlines()[2:] == ["time:unitDay", "time:unitMonth", "time:unitYear"]
    rows = succeeded(query(str(sources["trig"]), question, "--format", "csv")).splitlines()
    assert rows[1:] == [
        "http://www.w3.org/2006/time#unitDay",
        "http://www.w3.org/2006/time#unitMonth",
        "http://www.w3.org/2006/time#unitYear",
    ]


def test_table_escapes_line_breaks(tmp_path: Path) -> None:
    data = tmp_path / "lines.nt"
    data.write_text('<urn:example:a> <urn:example:p> "one\\ntwo\\tthree" .\n', encoding="utf-8")
    output = succeeded(query(str(data), "SELECT ?o WHERE { ?s ?p ?o }", "--format", "table"))
    assert output.splitlines() == ["o", "-" * 15, "one\\ntwo\\tthree"]


def test_csv_is_the_default_off_a_terminal(sources: dict[str, Path]) -> None:
    default = succeeded(query(str(sources["trig"]), TOPICS))
    assert default == succeeded(query(str(sources["trig"]), TOPICS, "--format", "csv"))


@pytest.mark.parametrize(
    ("fmt", "true", "false"),
    [
        ("table", "true\n", "false\n"),
        ("csv", "true\n", "false\n"),
        ("tsv", "true\n", "false\n"),
        ("json", '{"head":{},"boolean":true}\n', '{"head":{},"boolean":false}\n'),
    ],
)
def test_ask(sources: dict[str, Path], fmt: str, true: str, false: str) -> None:
    yes = (
        "ASK { ?s <http://www.w3.org/2002/07/owl#sameAs> <http://www.wikidata.org/entity/Q57336> }"
    )
    no = yes.replace("Q57336", "Q1")
    assert succeeded(query(str(sources["ttl"]), yes, "--format", fmt)) == true
    assert succeeded(query(str(sources["ttl"]), no, "--format", fmt)) == false


def test_ask_as_xml(sources: dict[str, Path]) -> None:
    text = succeeded(query(str(sources["ttl"]), "ASK { ?s ?p ?o }", "--format", "xml"))
    assert ElementTree.fromstring(text).findtext(f"{RESULTS_NS}boolean") == "true"


CONSTRUCT = (
    PREFIXES
    + """PREFIX dcterms: <http://purl.org/dc/terms/>
CONSTRUCT { ?stance <urn:example:topic> ?label }
WHERE { ?stance a pkg:Stance ; dcterms:subject/skos:prefLabel ?label }"""
)


@pytest.mark.parametrize(("fmt", "rdf_format"), [("turtle", "TURTLE"), ("nt", "N_TRIPLES")])
def test_construct_parses_with_pyoxigraph(
    sources: dict[str, Path], engine: ox.Store, fmt: str, rdf_format: str
) -> None:
    output = succeeded(query(str(sources["trig"]), CONSTRUCT, "--format", fmt))
    parsed = {quad.triple for quad in ox.parse(output, format=getattr(ox.RdfFormat, rdf_format))}
    built = engine.query(CONSTRUCT, use_default_graph_as_union=True)
    assert isinstance(built, ox.QueryTriples)
    expected = set(built)
    assert len(expected) > 10 and parsed == expected


def test_construct_defaults_to_turtle_with_policykg_prefixes(sources: dict[str, Path]) -> None:
    output = succeeded(query(str(sources["trig"]), f"DESCRIBE <{KHAMENEI}>"))
    assert output.startswith("@prefix ")
    assert "owl:sameAs wd:Q57336" in output and "@prefix pkg:" not in output  # only those used
    triples = {quad.triple for quad in ox.parse(output, format=ox.RdfFormat.TURTLE)}
    assert {triple.subject for triple in triples} == {ox.NamedNode(KHAMENEI)}
    label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    assert ox.Triple(ox.NamedNode(KHAMENEI), label, ox.Literal("Ali Khamenei")) in triples


def test_same_query_same_bytes(sources: dict[str, Path]) -> None:
    for text in (TOPICS, CONSTRUCT):
        first = query(str(sources["folder"]), text).stdout_bytes
        assert first and query(str(sources["folder"]), text).stdout_bytes == first


@pytest.mark.parametrize(
    ("text", "fmt"),
    [(TOPICS, "turtle"), ("ASK {}", "nt"), (CONSTRUCT, "csv"), (CONSTRUCT, "table")],
)
def test_a_format_that_does_not_fit_the_answer(
    sources: dict[str, Path], text: str, fmt: str
) -> None:
    result = query(str(sources["ttl"]), text, "--format", fmt)
    assert result.exit_code == 2 and "choose --format" in result.stderr


# ---------------------------------------------------------------------------------- row order


LABELS = PREFIXES + "SELECT ?label WHERE { ?topic skos:inScheme ?scheme ; skos:prefLabel ?label }"


def test_order_by_keeps_the_engines_order(sources: dict[str, Path]) -> None:
    ordered = LABELS + " ORDER BY DESC(?label)"
    labels = [row[0] for row in csv_rows(succeeded(query(str(sources["ttl"]), ordered)))[1:]]
    assert len(labels) > 5 and labels == sorted(labels, reverse=True)


def test_order_by_in_a_subquery_only_still_sorts_the_rows(sources: dict[str, Path]) -> None:
    subquery = (
        LABELS.replace("SELECT ?label WHERE {", "SELECT ?label WHERE { { SELECT ?label WHERE {")
        + " ORDER BY DESC(?label) LIMIT 4 } }"
    )
    labels = [row[0] for row in csv_rows(succeeded(query(str(sources["ttl"]), subquery)))[1:]]
    assert len(labels) == 4 and labels == sorted(labels)


@pytest.mark.parametrize(
    ("text", "form", "ordered", "has_values"),
    [
        ("SELECT * { ?s ?p ?o } ORDER BY ?s", "SELECT", True, False),
        ("select * { ?s ?p ?o } order\n  by ?s", "SELECT", True, False),
        ("SELECT * { ?s ?p 'ORDER BY' } # ORDER BY ?s", "SELECT", False, False),
        ('SELECT * { ?s ?p """\nORDER BY\n""" }', "SELECT", False, False),
        ("SELECT * { { SELECT ?s { ?s ?p ?o } ORDER BY ?s LIMIT 1 } }", "SELECT", False, False),
        (
            "PREFIX ask: <urn:x:> PREFIX order: <urn:y:> CONSTRUCT { ?s ask:b ?o } WHERE { ?s order:by ?o }",
            "CONSTRUCT",
            False,
            False,
        ),
        ("DESCRIBE <urn:example:select>", "DESCRIBE", False, False),
        ("ASK { ?s ?p ?o } VALUES ?s { <urn:x> }", "ASK", False, True),
        ("SELECT * { VALUES ?s { <urn:x> } FILTER(?s < <urn:y>) }", "SELECT", False, False),
        ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", None, False, False),
    ],
)
def test_query_shape(text: str, form: str | None, ordered: bool, has_values: bool) -> None:
    shape = shape_of(text)
    assert (shape.form, shape.ordered, shape.has_values) == (form, ordered, has_values)


# ---------------------------------------------------------------------------------- --param


DATED = PREFIXES + "SELECT ?fact ?date WHERE { ?fact time:hasTime/time:inXSDDate ?date }"
SPOKEN = PREFIXES + "SELECT ?statement ?speaker WHERE { ?statement pkg:speaker ?speaker }"
PREF_LABELS = PREFIXES + "SELECT ?topic ?label WHERE { ?topic skos:prefLabel ?label }"
RDFS_LABELS = PREFIXES + "SELECT ?thing ?label WHERE { ?thing rdfs:label ?label }"


def column(output: str, index: int) -> list[str]:
    return [row[index] for row in csv_rows(output)[1:]]


@pytest.fixture(params=["local", "endpoint"])
def source_for_params(request: pytest.FixtureRequest, sources: dict[str, Path]) -> str:
    """The same answers are expected from a built file and from the Oxigraph server."""
    if request.param == "local":
        return str(sources["trig"])
    return str(request.getfixturevalue("endpoint"))


@pytest.mark.parametrize(
    "value", ["2016-06-03^^xsd:date", f"2016-06-03^^<{XSD}date>", f'"2016-06-03"^^<{XSD}date>']
)
def test_param_typed_literal(source_for_params: str, value: str) -> None:
    output = succeeded(query(source_for_params, DATED, "--param", f"date={value}"))
    assert set(column(output, 1)) == {"2016-06-03"}
    assert "https://w3id.org/policykg/data/event/speech-2016-06-03" in column(output, 0)
    everything = succeeded(query(source_for_params, DATED))
    assert len(set(column(everything, 1))) > 1


def test_param_plain_value_is_a_string_not_a_date(source_for_params: str) -> None:
    output = succeeded(query(source_for_params, DATED, "--param", "date=2016-06-03"))
    assert csv_rows(output) == [["fact", "date"]]


def test_param_iri(source_for_params: str) -> None:
    output = succeeded(query(source_for_params, SPOKEN, "--param", f"speaker=<{KHAMENEI}>"))
    assert len(column(output, 0)) == 10 and set(column(output, 1)) == {KHAMENEI}


def test_param_language_tagged(source_for_params: str) -> None:
    tagged = succeeded(query(source_for_params, PREF_LABELS, "--param", 'label="terrorism"@en'))
    assert column(tagged, 0) == ["https://w3id.org/policykg/topic/terrorism"]
    plain = succeeded(query(source_for_params, PREF_LABELS, "--param", "label=terrorism"))
    assert column(plain, 0) == []  # "terrorism" is not "terrorism"@en


def test_param_string(source_for_params: str) -> None:
    output = succeeded(query(source_for_params, RDFS_LABELS, "--param", "label=Ali Khamenei"))
    assert column(output, 0) == [KHAMENEI]


@pytest.mark.parametrize("value", [INJECTION, ESCAPED_INJECTION])
def test_param_injection_is_bound_as_data(source_for_params: str, value: str) -> None:
    output = succeeded(query(source_for_params, RDFS_LABELS, "--param", f"label={value}"))
    assert csv_rows(output) == [["thing", "label"]]


@pytest.mark.parametrize("value", [INJECTION, ESCAPED_INJECTION])
def test_param_injection_matches_exactly_that_text(tmp_path: Path, value: str) -> None:
    data = tmp_path / "tricky.nt"
    label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    triples = [ox.Triple(ox.NamedNode("urn:example:tricky"), label, ox.Literal(value))]
    data.write_bytes(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"")
    output = succeeded(query(str(data), RDFS_LABELS, "--param", f"label={value}"))
    assert csv_rows(output) == [["thing", "label"], ["urn:example:tricky", value]]


def test_param_injection_at_an_endpoint_matches_exactly_that_text(
    oxigraph_server: str, endpoint: str
) -> None:
    graph = "urn:example:injection-test"
    label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    triples = [
        ox.Triple(ox.NamedNode(f"urn:example:tricky-{number}"), label, ox.Literal(value))
        for number, value in enumerate([INJECTION, ESCAPED_INJECTION])
    ]
    stored = requests.put(
        f"{oxigraph_server}/store",
        params={"graph": graph},
        data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES),
        headers={"Content-Type": "application/n-triples"},
        timeout=30,
    )
    assert stored.status_code in (200, 201, 204), stored.text
    try:
        for number, value in enumerate([INJECTION, ESCAPED_INJECTION]):
            output = succeeded(query(endpoint, RDFS_LABELS, "--param", f"label={value}"))
            assert csv_rows(output)[1:] == [[f"urn:example:tricky-{number}", value]]
        count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
        assert csv_rows(succeeded(query(endpoint, count)))[1] == ["3678"]  # nothing dropped
    finally:
        requests.delete(f"{oxigraph_server}/store", params={"graph": graph}, timeout=30)


@pytest.mark.parametrize(
    ("param", "message"),
    [
        ("thing=<urn:example:a> } ; DROP ALL ; { <b>", "an IRI cannot hold"),
        ("thing=<http://example.org/a>b>", "an IRI cannot hold"),
        ("thing=<relative/iri>", "not an absolute IRI"),
        ("label=x^^xsd:no-such", "not an XML Schema datatype"),
        ("label=x^^<urn:a b>", "an IRI cannot hold"),
        ("1label=x", "not a variable name"),
        ("label x", "write name=value"),
        ("nope=x", "the query has no variable ?nope"),
    ],
)
def test_bad_params_are_refused(sources: dict[str, Path], param: str, message: str) -> None:
    result = query(str(sources["ttl"]), RDFS_LABELS, "--param", param)
    assert result.exit_code == 2 and message in result.stderr, result.stderr


def test_a_param_given_twice_is_refused(sources: dict[str, Path]) -> None:
    result = query(str(sources["ttl"]), RDFS_LABELS, "--param", "label=a", "--param", "label=b")
    assert result.exit_code == 2 and "given twice" in result.stderr


NOT_SELECTED = PREFIXES + "SELECT ?thing WHERE { ?thing rdfs:label ?label }"


def test_locally_a_param_must_be_selected(sources: dict[str, Path]) -> None:
    result = query(str(sources["ttl"]), NOT_SELECTED, "--param", "label=Ali Khamenei")
    assert result.exit_code == 2 and "add ?label to SELECT" in result.stderr


def test_an_endpoint_binds_a_param_that_is_not_selected(endpoint: str) -> None:
    output = succeeded(query(endpoint, NOT_SELECTED, "--param", "label=Ali Khamenei"))
    assert column(output, 0) == [KHAMENEI]


def test_an_endpoint_query_ending_in_values_takes_no_param(endpoint: str) -> None:
    text = RDFS_LABELS + ' VALUES ?label { "a" }'
    result = query(endpoint, text, "--param", "label=Ali Khamenei")
    assert result.exit_code == 2 and "ends in VALUES" in result.stderr


# ------------------------------------------------------------------------------------- errors


def test_syntax_error_names_line_and_column(sources: dict[str, Path], tmp_path: Path) -> None:
    broken = tmp_path / "broken.rq"
    broken.write_text("# a comment\nSELECT ?s\nWHERE { ?s nope:p ?o }\n", encoding="utf-8")
    result = query(str(sources["ttl"]), str(broken))
    assert result.exit_code == 2
    # pyoxigraph's position is where its parser gave up: just after the unknown prefix.
    assert "query error: line 3, column 18: expected one of Prefix not found" in result.stderr
    assert "..=" not in result.stderr  # pyoxigraph's character classes are left out
    assert "\n  WHERE { ?s nope:p ?o }\n" + " " * 19 + "^\n" in result.stderr


def test_endpoint_refusal_is_a_store_failure(endpoint: str) -> None:
    result = query(endpoint, "SELECT ?s WHERE { ?s ?p }")
    assert result.exit_code == 3
    assert "HTTP status: 400" in result.stderr and "response: " in result.stderr
    assert "endpoint: http://127.0.0.1:" in result.stderr


def test_unreachable_endpoint_is_a_store_error() -> None:
    closed = "http://127.0.0.1:9/query"
    with pytest.raises(StoreError, match="cannot run the query") as raised:
        querying.run_query(closed, "ASK {}", settings=HttpSettings(timeout=2, retries=0))
    assert raised.value.endpoint == closed


UNREADABLE = {
    "missing.ttl": (None, "no such file, folder or store"),
    "bad.ttl": ("<urn:a> <urn:b> .", "cannot be parsed as turtle"),
    "remote.jsonld": ('{"@context": "https://example.org/c.jsonld"}', "policykg never fetches"),
}


@pytest.mark.parametrize("name", sorted(UNREADABLE))
def test_unreadable_files_are_input_errors(tmp_path: Path, name: str) -> None:
    content, message = UNREADABLE[name]
    if content is not None:
        (tmp_path / name).write_text(content, encoding="utf-8")
    result = query(str(tmp_path / name), "ASK {}")
    assert result.exit_code == 2 and message in result.stderr, result.stderr
    assert f"{tmp_path / name}:" in result.stderr  # then the line and column, if known


def test_a_folder_without_rdf_files_is_an_input_error(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("not RDF", encoding="utf-8")
    result = query(str(tmp_path), "ASK {}")
    assert result.exit_code == 2 and "neither a store nor a folder of RDF files" in result.stderr


def test_missing_query_file(sources: dict[str, Path]) -> None:
    result = query(str(sources["ttl"]), "no-such-question.rq")
    assert result.exit_code == 2 and "no such query file" in result.stderr


def test_non_http_url_is_refused(sources: dict[str, Path]) -> None:
    result = query("ftp://example.org/sparql", "ASK {}")
    assert result.exit_code == 2 and "http://" in result.stderr


def test_docstring_examples_run() -> None:
    import doctest

    for module in (querying, sparql_text):
        assert doctest.testmod(module).failed == 0
