"""Loading facts files: the model values, and every bad input in tests/bad_inputs."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import EXAMPLE, MINIMAL, REGISTRY, edit
from policykg.build.pipeline import load_all
from policykg.cli import main
from policykg.errors import FactsError
from policykg.facts.dates import Precision
from policykg.facts.loader import find_facts_files, load_facts, load_registry
from policykg.facts.model import Actor, Claim, Event, Tenure

BAD_INPUTS = Path(__file__).parent / "bad_inputs"
BAD_CASES = sorted(path for path in BAD_INPUTS.iterdir() if path.is_dir())


def test_minimal_file_loads_into_typed_values() -> None:
    facts = load_facts(MINIMAL / "facts.yaml")
    assert facts.document.id == "minimal"
    assert facts.document.reference_date.lexical == "2016-06-07"
    khamenei = facts.items_by_id["khamenei"]
    assert isinstance(khamenei, Actor)
    assert (khamenei.kind, khamenei.wikidata, khamenei.alt_names) == (
        "person",
        "Q57336",
        ("Ayatollah Ali Khamenei",),
    )
    speech = facts.items_by_id["speech"]
    assert isinstance(speech, Event) and speech.date is not None
    assert (speech.date.date.lexical, speech.date.weekday, speech.date.basis) == (
        "2016-06-03",
        "Friday",
        "derived",
    )
    stance = facts.items_by_id["rules-out-talks"]
    assert isinstance(stance, Claim)
    assert stance.kind == "stance" and stance.agent == "khamenei"
    assert stance.date is not None and stance.date.date.precision is Precision.MONTH
    tenure = facts.items_by_id["khamenei-as-supreme-leader"]
    assert isinstance(tenure, Tenure) and tenure.start is not None and tenure.end is None


def test_item_lines_point_at_their_ids() -> None:
    facts = load_facts(MINIMAL / "facts.yaml")
    lines = (MINIMAL / "facts.yaml").read_text(encoding="utf-8").splitlines()
    for item in facts.items():
        assert lines[item.line - 1].strip() == f"{item.id}:"


def test_the_example_loads() -> None:
    facts = load_facts(EXAMPLE / "facts.yaml", load_registry([REGISTRY]))
    assert len(facts.claims) > 30
    assert {claim.asserted_as for claim in facts.claims} >= {"stated", "reported", "assessment"}


def test_folders_are_searched_for_facts_files(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "facts.yaml").write_text("x: 1\n")
    (tmp_path / "b.yml").write_text("x: 1\n")
    (tmp_path / "notes.txt").write_text("not facts\n")
    found = find_facts_files([tmp_path])
    assert found == [tmp_path / "a" / "facts.yaml", tmp_path / "b.yml"]


def test_an_empty_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(FactsError, match="holds no facts files"):
        find_facts_files([tmp_path])


def test_two_files_for_one_document_are_refused(tmp_path: Path, minimal_copy: Path) -> None:
    twin = minimal_copy / "again.yaml"
    twin.write_text((minimal_copy / "facts.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(FactsError, match="document id 'minimal' is also used by") as error:
        load_all([minimal_copy])
    # Both places are named: the first file in the message, the second as the location.
    assert f"{twin}:" in str(error.value)
    assert error.value.location.path == minimal_copy / "facts.yaml"


def test_a_claim_in_office_must_be_by_the_office_holder(minimal_copy: Path) -> None:
    edit(minimal_copy / "facts.yaml", "    speaker: khamenei\n", "    speaker: iran\n")
    with pytest.raises(FactsError, match="held by 'khamenei', not by the speaker 'iran'"):
        load_facts(minimal_copy / "facts.yaml")


def test_words_must_be_inside_the_quote(minimal_copy: Path) -> None:
    edit(minimal_copy / "facts.yaml", "words: [disloyal]", "words: [treacherous]")
    with pytest.raises(FactsError, match="'treacherous' are not inside"):
        load_facts(minimal_copy / "facts.yaml")


def test_a_part_of_cycle_is_refused(minimal_copy: Path) -> None:
    path = minimal_copy / "facts.yaml"
    edit(path, '    cameo: "010"\n', '    cameo: "010"\n    part_of: other\n')
    edit(
        path,
        "statements:\n",
        "  other:\n    label: Other\n    type: speech\n    part_of: speech\n"
        "    quote: significant speech\nstatements:\n",
    )
    with pytest.raises(FactsError, match="cycle: speech → other → speech"):
        load_facts(path)


def test_every_bad_input_case_has_an_expectation() -> None:
    assert len(BAD_CASES) >= 40
    for case in BAD_CASES:
        assert (case / "facts.yaml").is_file(), case
        assert (case / "expected.json").is_file(), case


SHARED_TEXT = "../../data/minimal/article.txt"
"""The text the cases name; an article text must be inside its facts file's folder, so each case
is built from a copy that has it there."""


def _case_copy(case: Path, folder: Path) -> Path:
    """*case* copied into *folder*, with the shared article text beside its facts file."""
    copy = folder / case.name
    shutil.copytree(case, copy)
    facts = copy / "facts.yaml"
    data = facts.read_bytes()
    if SHARED_TEXT.encode() in data:
        facts.write_bytes(data.replace(SHARED_TEXT.encode(), b"article.txt"))
        shutil.copy(MINIMAL / "article.txt", copy / "article.txt")
    return copy


@pytest.mark.parametrize("case", BAD_CASES, ids=[case.name for case in BAD_CASES])
def test_bad_input_is_refused_at_its_line(case: Path, tmp_path: Path) -> None:
    expected = json.loads((case / "expected.json").read_text(encoding="utf-8"))
    case = _case_copy(case, tmp_path / "cases")
    outputs = tmp_path / "outputs"
    outputs.mkdir()
    output = outputs / "out.ttl"
    output.write_bytes(b"previous output\n")
    arguments = ["build", str(case), "-o", str(output), *expected.get("args", [])]
    result = CliRunner().invoke(main, arguments)
    assert result.exit_code == expected["exit"], result.output
    first_line = result.stderr.splitlines()[0]
    if expected["line"] is not None:
        location = f"{case / 'facts.yaml'}:{expected['line']}"
        assert first_line.startswith((f"error: {location}:", f"error: {location} ")), result.stderr
    else:
        assert first_line.startswith("error: "), result.stderr
    assert expected["message"] in result.stderr
    assert "Traceback" not in result.output
    assert output.read_bytes() == b"previous output\n"
    assert [p.name for p in outputs.iterdir()] == ["out.ttl"]
