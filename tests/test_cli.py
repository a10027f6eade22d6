"""The policykg command, end to end through click's runner (and once as ``python -m``)."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph

from conftest import EXAMPLE, MINIMAL, REGISTRY, edit, minimal_corpus, strictly_parsed
from policykg import __version__
from policykg.cli import main
from policykg.progress import ProgressLine


def run(*args: str) -> CliRunner.invoke:  # type: ignore[name-defined]
    return CliRunner().invoke(main, list(args))


def test_version() -> None:
    result = run("--version")
    assert result.exit_code == 0
    assert result.output.strip() == f"policykg, version {__version__}"


def test_python_dash_m_runs_the_same_command() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "policykg", "--version"], capture_output=True, text=True, check=True
    )
    assert completed.stdout.strip() == f"policykg, version {__version__}"


@pytest.mark.parametrize("command", [[], ["build"], ["validate"]])
def test_every_command_has_help_with_an_example(command: list[str]) -> None:
    result = run(*command, "--help")
    assert result.exit_code == 0
    assert "Example:" in result.output


def test_build_the_example_to_turtle(tmp_path: Path) -> None:
    output = tmp_path / "out.ttl"
    result = run("build", str(EXAMPLE), str(REGISTRY), "-o", str(output))
    assert result.exit_code == 0, result.output
    assert "1 document(s)" in result.stderr and "validated" in result.stderr
    assert strictly_parsed(output) == len(Graph().parse(output)) > 2000


def test_build_accepts_a_file_and_a_base(tmp_path: Path) -> None:
    output = tmp_path / "out.nt"
    result = run(
        "build",
        str(MINIMAL / "facts.yaml"),
        "-o",
        str(output),
        "--base",
        "https://example.org/kg/",
        "--no-ontology",
    )
    assert result.exit_code == 0, result.output
    text = output.read_text(encoding="utf-8")
    assert strictly_parsed(output) > 100
    assert "<https://example.org/kg/actor/khamenei>" in text
    assert "https://w3id.org/policykg/data/" not in text


def test_build_to_standard_output_needs_a_format() -> None:
    result = run("build", str(MINIMAL), "-o", "-")
    assert result.exit_code == 2
    assert "needs --format" in result.output
    result = run("build", str(MINIMAL), "-o", "-", "--format", "json-ld", "--no-validate")
    assert result.exit_code == 0
    assert "@graph" in json.loads(result.stdout)


def test_build_refuses_a_relative_base(tmp_path: Path) -> None:
    result = run("build", str(MINIMAL), "-o", str(tmp_path / "x.ttl"), "--base", "kg/")
    assert result.exit_code == 2
    assert "not an absolute IRI" in result.stderr
    assert not (tmp_path / "x.ttl").exists()


def test_build_refuses_an_unknown_extension(tmp_path: Path) -> None:
    result = run("build", str(MINIMAL), "-o", str(tmp_path / "x.rdf"))
    assert result.exit_code == 2
    assert "cannot tell the format" in result.stderr


@pytest.fixture
def nonconforming(minimal_copy: Path) -> Path:
    """Facts the loader accepts but the shapes refuse: a statement made before its tenure began."""
    edit(minimal_copy / "facts.yaml", 'from: {value: "1989-06-04"', 'from: {value: "2017-01-01"')
    return minimal_copy


def test_build_of_nonconforming_data_exits_1_and_writes_nothing(
    nonconforming: Path, tmp_path: Path
) -> None:
    output = tmp_path / "out.ttl"
    report = tmp_path / "report.ttl"
    result = run("build", str(nonconforming), "-o", str(output), "--report", str(report))
    assert result.exit_code == 1, result.output
    assert not output.exists()
    assert "TenureContainsClaim" in result.stderr
    facts_line = _line_of(nonconforming / "facts.yaml", "  us-disloyal:")
    assert f"{nonconforming / 'facts.yaml'}:{facts_line} [us-disloyal]" in result.stderr
    assert "conforms" in report.read_text(encoding="utf-8")


def test_no_validate_writes_nonconforming_data(nonconforming: Path, tmp_path: Path) -> None:
    output = tmp_path / "out.ttl"
    result = run("build", str(nonconforming), "-o", str(output), "--no-validate")
    assert result.exit_code == 0
    assert strictly_parsed(output) > 100


def test_validate_a_built_graph(tmp_path: Path) -> None:
    output = tmp_path / "out.trig"
    assert run("build", str(MINIMAL), "-o", str(output)).exit_code == 0
    assert strictly_parsed(output) > 100
    result = run("validate", str(output))
    assert result.exit_code == 0, result.output
    assert "conforms" in result.output


def test_validate_reports_facts_lines_and_writes_the_report(
    nonconforming: Path, tmp_path: Path
) -> None:
    output = tmp_path / "out.jsonld"
    assert run("build", str(nonconforming), "-o", str(output), "--no-validate").exit_code == 0
    assert strictly_parsed(output) > 100
    report = tmp_path / "report.ttl"
    result = run("validate", str(output), "--facts", str(nonconforming), "--report", str(report))
    assert result.exit_code == 1
    assert "TenureContainsClaim" in result.stderr
    assert f"{nonconforming / 'facts.yaml'}:" in result.stderr
    shacl_report = Graph().parse(report)
    assert len(shacl_report) > 0
    without_facts = run("validate", str(output))
    assert without_facts.exit_code == 1
    assert "facts.yaml" not in without_facts.stderr


def test_validate_refuses_an_unreadable_graph(tmp_path: Path) -> None:
    broken = tmp_path / "broken.ttl"
    broken.write_text("<a> <b> .\n")
    result = run("validate", str(broken))
    assert result.exit_code == 2
    assert f"{broken}:1:1: cannot be parsed as turtle" in result.stderr
    assert "Traceback" not in result.output
    missing = run("validate", str(tmp_path / "missing.ttl"))
    assert missing.exit_code == 2


def test_validate_refuses_literals_their_datatype_cannot_read(tmp_path: Path) -> None:
    """rdflib's SPARQL engine fails on "x"^^xsd:integer: an input error naming it, no traceback."""
    built = tmp_path / "built.nt"
    assert run("build", str(MINIMAL), "-o", str(built)).exit_code == 0
    lines = built.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if '<http://www.w3.org/ns/oa#start> "' in line)
    lines[start] = re.sub(r'"\d+"', '"twelve"', lines[start])
    broken = tmp_path / "broken.nt"
    broken.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run("validate", str(broken))
    assert result.exit_code == 2
    assert f"{broken}: has 1 literal(s) whose text is not a valid value" in result.stderr
    assert '"twelve"^^<http://www.w3.org/2001/XMLSchema#nonNegativeInteger>' in result.stderr
    assert "Traceback" not in result.output + result.stderr


def _line_of(path: Path, text: str) -> int:
    return path.read_text(encoding="utf-8").splitlines().index(text) + 1


def test_build_ends_with_a_summary_and_no_progress_off_a_terminal(tmp_path: Path) -> None:
    corpus = minimal_corpus(tmp_path / "corpus", 2)
    output = tmp_path / "out.nq"
    result = run("build", str(corpus), "-o", str(output), "--jobs", "2")
    assert result.exit_code == 0, result.output
    # CliRunner's stderr is not a terminal: the summary line is all there is.
    assert result.stderr.splitlines() == [result.stderr.strip()]
    assert re.fullmatch(
        re.escape(f"{output}: 2 document(s), 27 facts, ")
        + r"\d+ triples, nquads, validated, \d+\.\d s, cache: 0 of 2 article\(s\)\n",
        result.stderr,
    ), result.stderr
    assert "\r" not in result.stderr


def test_quiet_silences_progress_and_summary(tmp_path: Path) -> None:
    output = tmp_path / "out.ttl"
    result = run("build", str(MINIMAL), "-o", str(output), "--quiet", "--jobs", "1")
    assert result.exit_code == 0, result.output
    assert result.stderr == "" and output.is_file()
    # Errors and verdicts are not silenced.
    failed = run("build", str(tmp_path / "missing"), "-o", str(output), "-q")
    assert failed.exit_code == 2 and "error:" in failed.stderr


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_progress_line_shows_on_a_terminal_after_the_delay() -> None:
    now = [0.0]
    terminal = _Terminal()
    progress = ProgressLine(terminal, delay=2.0, clock=lambda: now[0])
    progress("loading", 1, 4)
    assert terminal.getvalue() == ""  # a quick build shows nothing
    now[0] = 3.0
    progress("validating", 2, 4)
    assert terminal.getvalue() == "\rvalidating [##########----------] 2/4"
    progress.close()
    assert terminal.getvalue().endswith("\r")
    quiet = _Terminal()
    silenced = ProgressLine(quiet, enabled=False, delay=0)
    silenced("loading", 1, 1)
    plain = io.StringIO()
    ProgressLine(plain, delay=0)("loading", 1, 1)
    assert quiet.getvalue() == plain.getvalue() == ""
