"""policykg diff: two builds compared fact by fact, on edits of the example corpus.

Each edit of ``examples/khamenei-2016/facts.yaml`` must give exactly the fact it touched, with
exactly the values it changed, and nothing else: a changed date precision, a new stance, a
removed quote, a renamed actor.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

import policykg
from conftest import ROOT, edit
from policykg.cli import main
from policykg.diff.compare import compare_datasets
from policykg.diff.facts import group_facts, natural_key
from policykg.diff.report import FactChange
from policykg.errors import FactsError, GraphInputError

DATA = "https://w3id.org/policykg/data/"
GRAPH = f"{DATA}graph/khamenei-negotiations-2016"
XSD = "http://www.w3.org/2001/XMLSchema#"
FACTS = "khamenei-2016/facts.yaml"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example corpus built once, as N-Quads: the old side of every edit."""
    output = tmp_path_factory.mktemp("built") / "examples.nq"
    policykg.write(policykg.build_graphs(ROOT / "examples", validate=False, jobs=1), output)
    return output


@pytest.fixture
def examples(tmp_path: Path) -> Path:
    """A writable copy of the example corpus."""
    return Path(shutil.copytree(ROOT / "examples", tmp_path / "examples"))


def _compare(old: Path | str, new: Path | str) -> policykg.DiffReport:
    return policykg.compare(old, new, jobs=1)


def _changes(fact: FactChange) -> set[tuple[str, str, tuple[str, ...], tuple[str, ...]]]:
    """(the node's last IRI segment, the property's local name, old, new) of each change."""
    return {
        (
            change.node.rsplit("/", 1)[-1],
            change.property.rsplit("#", 1)[-1].rsplit("/", 1)[-1],
            tuple(str(v) for v in change.old),
            tuple(str(v) for v in change.new),
        )
        for change in fact.properties
    }


def test_a_changed_date_precision_is_a_change_of_the_fact_it_dates(
    built: Path, examples: Path
) -> None:
    edit(
        examples / FACTS,
        '      value: "2015-04"\n      basis: derived\n      note: “At that time”',
        '      value: "2015"\n      basis: derived\n      note: “At that time”',
    )
    report = _compare(built, examples)
    assert [(f.change, f.graph, f.fact) for f in report.facts] == [
        (
            "changed",
            GRAPH,
            f"{DATA}statement/khamenei-negotiations-2016/senior-officials-emphasised-2015-remark",
        )
    ]
    fact = report.facts[0]
    time = "senior-officials-emphasised-2015-remark"
    assert _changes(fact) == {
        (time, "inXSDgYearMonth", (f'"2015-04"^^<{XSD}gYearMonth>',), ()),
        (time, "inXSDgYear", (), (f'"2015"^^<{XSD}gYear>',)),
        (
            time,
            "earliest",
            (f'"2015-04-01T00:00:00"^^<{XSD}dateTime>',),
            (f'"2015-01-01T00:00:00"^^<{XSD}dateTime>',),
        ),
        (
            time,
            "latest",
            (f'"2015-04-30T23:59:59"^^<{XSD}dateTime>',),
            (f'"2015-12-31T23:59:59"^^<{XSD}dateTime>',),
        ),
        ("description", "month", (f'"--04"^^<{XSD}gMonth>',), ()),
        (
            "description",
            "unitType",
            ("<http://www.w3.org/2006/time#unitMonth>",),
            ("<http://www.w3.org/2006/time#unitYear>",),
        ),
    }
    assert (
        fact.old_quotes
        == fact.new_quotes
        == (
            "At that time, some senior Iranian officials, speaking on condition of anonymity, placed"
            " great emphasis on this statement.",
        )
    )
    paths = {change.node.rsplit("/", 1)[-1]: change.path for change in fact.properties}
    assert [step.property.rsplit("#")[-1] for step in paths["description"]] == [
        "hasTime",
        "inDateTime",
    ]


def test_a_new_stance_is_one_fact_added_with_its_quote(built: Path, examples: Path) -> None:
    quote = "Iran should not make deals with the United States"
    edit(
        examples / FACTS,
        "stances:\n",
        "stances:\n  khamenei-distrusts-us:\n    holder: khamenei\n    polarity: sceptical\n"
        "    summary: Khamenei distrusts the United States.\n    asserted_as: reported\n"
        f"    target: united-states\n    quote: {quote}\n",
    )
    report = _compare(built, examples)
    stance = f"{DATA}stance/khamenei-negotiations-2016/khamenei-distrusts-us"
    assert [(f.change, f.graph, f.fact) for f in report.facts] == [("added", GRAPH, stance)]
    fact = report.facts[0]
    assert (fact.old_quotes, fact.new_quotes) == ((), (quote,))
    assert all(not change.old and change.new for change in fact.properties)
    own = {
        c.property.rsplit("#")[-1]: [str(v) for v in c.new]
        for c in fact.properties
        if c.node == stance
    }
    assert own["holder"] == [f"<{DATA}actor/khamenei>"]
    assert own["polarity"] == ["<https://w3id.org/policykg/polarity/sceptical>"]


def test_a_removed_quote_removes_its_evidence_from_the_fact_and_nothing_else(
    built: Path, examples: Path
) -> None:
    kept = "three aspects of Iran’s foreign policy trajectory"
    gone = "the economic and political isolation of the Islamic Republic"
    edit(examples / FACTS, f"      - {kept}\n      - {gone}\n", f"      - {kept}\n")
    report = _compare(built, examples)
    assert [(f.change, f.graph, f.fact) for f in report.facts] == [
        ("changed", GRAPH, f"{DATA}actor/iran")
    ]
    fact = report.facts[0]
    assert (fact.old_quotes, fact.new_quotes) == ((kept, gone), (kept,))
    evidence = f"{DATA}evidence/khamenei-negotiations-2016/iran/2"
    assert {change.node for change in fact.properties} == {
        evidence,
        f"{evidence}/target",
        f"{evidence}/quote",
        f"{evidence}/position",
    }
    assert all(change.old and not change.new for change in fact.properties)


def test_a_renamed_actor_changes_its_label_only(built: Path, examples: Path) -> None:
    edit(
        examples / FACTS,
        "    name: International Atomic Energy Agency\n",
        "    name: The International Atomic Energy Agency\n",
    )
    report = _compare(built, examples)
    assert [(f.change, f.graph, f.fact) for f in report.facts] == [
        ("changed", GRAPH, f"{DATA}actor/iaea")
    ]
    (change,) = report.facts[0].properties
    assert change.property == "http://www.w3.org/2000/01/rdf-schema#label"
    assert [str(v) for v in change.old] == ['"International Atomic Energy Agency"']
    assert [str(v) for v in change.new] == ['"The International Atomic Energy Agency"']


def test_the_same_build_as_a_file_and_as_facts_has_no_differences(
    built: Path, examples: Path, tmp_path: Path
) -> None:
    trig = tmp_path / "examples.trig"
    policykg.write(policykg.build_graphs(examples, validate=False, jobs=1), trig)
    for old, new in ((built, examples), (built, trig), (examples, examples)):
        report = _compare(old, new)
        assert report.same and not report.facts, (old, new)
        assert report.text() == f"no differences between {old} and {new}\n"


def test_a_fact_id_changed_is_one_fact_removed_and_one_added(built: Path, examples: Path) -> None:
    edit(examples / FACTS, "  khamenei-opposes-deals-with-us:\n", "  khamenei-opposes-deals:\n")
    report = _compare(built, examples)
    stance = f"{DATA}stance/khamenei-negotiations-2016/khamenei-opposes-deals"
    assert [(f.change, f.fact) for f in report.facts] == [
        ("added", stance),
        ("removed", f"{stance}-with-us"),
    ]
    assert report.facts[0].new_quotes == report.facts[1].old_quotes


def test_cli_text_and_exit_status(built: Path, examples: Path) -> None:
    runner = CliRunner()
    same = runner.invoke(main, ["diff", str(built), str(examples), "--jobs", "1"])
    assert (same.exit_code, same.output) == (0, f"no differences between {built} and {examples}\n")
    edit(examples / FACTS, "    name: LobeLog\n", "    name: Lobelog\n")
    changed = runner.invoke(main, ["diff", str(built), str(examples), "--jobs", "1"])
    assert changed.exit_code == 1, changed.output
    assert changed.output.splitlines() == [
        f"{built} → {examples}: facts 0 added, 0 removed, 1 changed",
        "",
        f"changed <{DATA}actor/lobelog> in graph <{GRAPH}>",
        '  quote: "first published by LobeLog"',
        "  rdfs:label",
        '    - "LobeLog"',
        '    + "Lobelog"',
    ]


def test_cli_json_is_sorted_deterministic_and_complete(built: Path, examples: Path) -> None:
    edit(examples / FACTS, "    name: LobeLog\n", "    name: Lobelog\n")
    edit(examples / FACTS, "    name: International Atomic Energy Agency\n", "    name: IAEA\n")
    arguments = ["diff", str(built), str(examples), "--format", "json", "--jobs", "1"]
    first = CliRunner().invoke(main, arguments)
    second = CliRunner().invoke(main, arguments)
    assert first.exit_code == 1 and first.output == second.output
    document = json.loads(first.output)
    assert document["same"] is False
    assert document["summary"] == {"added": 0, "removed": 0, "changed": 2}
    assert [fact["fact"] for fact in document["facts"]] == [
        f"{DATA}actor/iaea",
        f"{DATA}actor/lobelog",
    ]
    assert document["facts"][0] == {
        "change": "changed",
        "graph": GRAPH,
        "fact": f"{DATA}actor/iaea",
        "quotes": {
            "old": ["International Atomic Energy Agency"],
            "new": ["International Atomic Energy Agency"],
        },
        "properties": [
            {
                "node": f"{DATA}actor/iaea",
                "path": "",
                "property": "http://www.w3.org/2000/01/rdf-schema#label",
                "old": ['"International Atomic Energy Agency"'],
                "new": ['"IAEA"'],
            }
        ],
    }


def test_json_of_identical_inputs(built: Path) -> None:
    result = CliRunner().invoke(main, ["diff", str(built), str(built), "--format", "json"])
    assert result.exit_code == 0
    document = json.loads(result.output)
    assert (document["same"], document["facts"]) == (True, [])


def test_graph_names_matter(tmp_path: Path) -> None:
    triple = '<http://example.org/a> <http://example.org/p> "v" '
    old, new = tmp_path / "old.nq", tmp_path / "new.nq"
    old.write_text(triple + "<http://example.org/g1> .\n", encoding="utf-8")
    new.write_text(triple + "<http://example.org/g2> .\n", encoding="utf-8")
    report = _compare(old, new)
    assert [(f.change, f.graph) for f in report.facts] == [
        ("removed", "http://example.org/g1"),
        ("added", "http://example.org/g2"),
    ]
    assert (report.graphs_removed, report.graphs_added) == (
        ("http://example.org/g1",),
        ("http://example.org/g2",),
    )
    assert "in graph <http://example.org/g2>" in report.text()


def test_blank_nodes_compare_by_what_they_say_not_by_their_labels(tmp_path: Path) -> None:
    def turtle(name: str, text: str) -> Path:
        path = tmp_path / name
        path.write_text("@prefix : <http://example.org/> .\n" + text, encoding="utf-8")
        return path

    old = turtle("old.ttl", ":a :p [ :q 1 ; :r [ :s 2 ] ] . [ :t 3 ] .\n")
    same = turtle("same.ttl", "_:z :t 3 . :a :p _:x . _:x :r _:y ; :q 1 . _:y :s 2 .\n")
    new = turtle("new.ttl", ":a :p [ :q 1 ; :r [ :s 5 ] ] . [ :t 3 ] .\n")
    assert _compare(old, same).same
    report = _compare(old, new)
    assert [(f.change, f.graph, f.fact) for f in report.facts] == [
        ("changed", None, "http://example.org/a")
    ]
    assert "in the default graph" in report.text()


def test_blank_nodes_that_no_iri_reaches_are_facts_of_their_own(tmp_path: Path) -> None:
    old, new = tmp_path / "old.ttl", tmp_path / "new.ttl"
    old.write_text("_:a <http://example.org/p> _:b . _:b <http://example.org/p> _:a .\n")
    new.write_text("_:x <http://example.org/p> _:y . _:y <http://example.org/q> _:x .\n")
    assert _compare(old, old).same and _compare(new, new).same
    report = _compare(old, new)
    assert [fact.change for fact in report.facts] == ["removed", "added"]
    assert report.facts[0].fact.startswith("[ <http://example.org/p> [ <http://example.org/p>")
    assert "\nremoved [ <http://example.org/p>" in report.text()


def test_an_annotation_belongs_to_its_body_even_in_another_graph() -> None:
    body, note = ox.NamedNode("http://example.org/actor"), ox.NamedNode("http://example.org/ev/1")
    has_body = ox.NamedNode("http://www.w3.org/ns/oa#hasBody")
    facts = group_facts([ox.Triple(note, has_body, body)])
    assert list(facts) == [body.value]
    assert list(facts[body.value].nodes) == [note.value]


def test_compare_datasets_reports_every_graph_in_order() -> None:
    a = ox.NamedNode("http://example.org/a")
    p = ox.NamedNode("http://example.org/p")
    same = [ox.Triple(a, p, ox.Literal("x"))]
    old = {"http://example.org/g": [ox.Triple(a, p, ox.Literal("1"))], None: same}
    new = {"http://example.org/g": [ox.Triple(a, p, ox.Literal("2"))], None: same}
    report = compare_datasets(old, new, old_name="old", new_name="new")
    assert [(f.graph, [str(v) for v in f.properties[0].new]) for f in report.facts] == [
        ("http://example.org/g", ['"2"'])
    ]


def test_a_missing_input_is_named_with_exit_status_2(tmp_path: Path, built: Path) -> None:
    missing = tmp_path / "nowhere.nq"
    with pytest.raises(GraphInputError, match=r"nowhere\.nq: no such file"):
        _compare(missing, built)
    result = CliRunner().invoke(main, ["diff", str(built), str(missing)])
    assert result.exit_code == 2
    assert f"error: {missing}" in result.output


def test_an_unparsable_file_is_named_with_its_line(tmp_path: Path, built: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix : <http://example.org/> .\n:a :b .\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["diff", str(bad), str(built)])
    assert result.exit_code == 2
    assert f"error: {bad}:2:" in result.output


def test_bad_facts_are_named_with_their_file_and_line(examples: Path, built: Path) -> None:
    edit(
        examples / FACTS,
        "    quote: International Atomic Energy Agency\n",
        "    quote: International Atomic Energy Authority\n",
    )
    with pytest.raises(FactsError, match=r"khamenei-2016/facts\.yaml:\d+ \[iaea\]"):
        _compare(built, examples)
    result = CliRunner().invoke(main, ["diff", str(built), str(examples), "--jobs", "1"])
    assert result.exit_code == 2 and "facts.yaml:" in result.output


def test_a_folder_without_facts_or_rdf_is_refused(tmp_path: Path, built: Path) -> None:
    (tmp_path / "empty").mkdir()
    with pytest.raises(GraphInputError, match="neither facts files"):
        _compare(tmp_path / "empty", built)


def test_a_folder_of_outputs_is_read_whole(tmp_path: Path, built: Path) -> None:
    folder = tmp_path / "outputs"
    folder.mkdir()
    shutil.copy(built, folder / "examples.nq")
    (folder / ".hidden").mkdir()
    (folder / ".hidden" / "junk.ttl").write_text("not turtle", encoding="utf-8")
    assert _compare(built, folder).same


def test_no_ontology_leaves_the_ontology_graph_out_of_both_sides(
    tmp_path: Path, examples: Path
) -> None:
    without = tmp_path / "without.nq"
    policykg.write(
        policykg.build_graphs(examples, validate=False, include_ontology=False, jobs=1), without
    )
    with_ontology = _compare(without, examples)
    assert with_ontology.graphs_added == ("https://w3id.org/policykg/ns",)
    assert policykg.compare(without, examples, include_ontology=False, jobs=1).same


def test_git_revisions_are_compared_as_rev_colon_path(
    examples: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    monkeypatch.chdir(tmp_path)

    def git(*arguments: str) -> None:
        subprocess.run(
            ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *arguments],
            check=True,
            capture_output=True,
        )

    git("init", "-q")
    git("add", "examples")
    git("commit", "-qm", "examples")
    edit(examples / FACTS, "    name: LobeLog\n", "    name: Lobelog\n")
    report = _compare("HEAD:examples", "examples")
    assert [(f.change, f.fact) for f in report.facts] == [("changed", f"{DATA}actor/lobelog")]
    with pytest.raises(GraphInputError, match="HEAD:nothing-here: no such file or folder"):
        _compare("HEAD:nothing-here", "examples")
    with pytest.raises(GraphInputError, match=r"--output=x:y: no such file or folder$"):
        _compare("--output=x:y", "examples")


@pytest.mark.parametrize("suffix", [".trig", ".jsonld"])
def test_every_dataset_format_reads_as_the_same_build(
    built: Path, tmp_path: Path, suffix: str
) -> None:
    other = tmp_path / f"examples{suffix}"
    policykg.write(policykg.build_graphs(ROOT / "examples", validate=False, jobs=1), other)
    assert _compare(built, other).same


def test_a_turtle_union_compares_with_n_triples_in_the_default_graph(tmp_path: Path) -> None:
    result = policykg.build_graphs(ROOT / "examples", validate=False, jobs=1)
    turtle, ntriples = tmp_path / "examples.ttl", tmp_path / "examples.nt"
    policykg.write(result, turtle)
    policykg.write(result, ntriples)
    assert _compare(turtle, ntriples).same
    against_facts = _compare(turtle, ROOT / "examples")
    assert against_facts.graphs_removed == (None,)
    assert {fact.change for fact in against_facts.facts} == {"added", "removed"}


def test_control_characters_of_the_data_are_escaped_on_the_terminal(tmp_path: Path) -> None:
    old, new = tmp_path / "old.nt", tmp_path / "new.nt"
    old.write_text('<http://example.org/a> <http://example.org/p> "x" .\n', encoding="utf-8")
    new.write_text(
        '<http://example.org/a> <http://example.org/p> "\\u001B]0;owned\\u0007\\u2028" .\n',
        encoding="utf-8",
    )
    for fmt in ("text", "json"):
        result = CliRunner().invoke(main, ["diff", str(old), str(new), "--format", fmt])
        assert result.exit_code == 1
        assert not any(char in result.output for char in "\x1b\x07\u2028"), fmt
    assert json.loads(result.output)["facts"][0]["properties"][0]["new"] == [
        '"\\u001B]0;owned\\u0007\u2028"'
    ]


def test_facts_are_in_natural_order_and_iris_that_sort_alike_keep_one_order() -> None:
    assert sorted(["e/10", "e/2", "e/01", "e/1"], key=natural_key) == ["e/01", "e/1", "e/2", "e/10"]
