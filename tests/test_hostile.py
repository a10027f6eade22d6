"""Hostile facts files and article texts: every case in tests/hostile is refused at its line, and
no mutation of the example's facts file ends in a traceback, exit 1 or a half-written output.

Each folder of tests/hostile holds a facts file (and the files it names) and ``expected.json``:
the exit status, the facts line the error names and a part of its message. The cases are built
in place, since some name files outside their folder on purpose.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import EXAMPLE, MINIMAL
from policykg.cli import main

HOSTILE = Path(__file__).parent / "hostile"
CASES = sorted(path for path in HOSTILE.iterdir() if path.is_dir())


def test_the_corpus_is_complete() -> None:
    assert len(CASES) >= 9
    for case in CASES:
        assert (case / "facts.yaml").is_file(), case
        assert (case / "expected.json").is_file(), case


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_hostile_input_is_refused_at_its_line(case: Path, tmp_path: Path) -> None:
    expected = json.loads((case / "expected.json").read_text(encoding="utf-8"))
    output = tmp_path / "out.ttl"
    arguments = ["build", str(case), "-o", str(output), "--no-cache", "--jobs", "1"]
    result = CliRunner().invoke(main, arguments)
    assert result.exit_code == expected["exit"], result.output
    location = f"error: {case / 'facts.yaml'}:{expected['line']}"
    assert result.stderr.startswith((f"{location}:", f"{location} ")), result.stderr
    assert expected["message"] in result.stderr
    assert not output.exists() and list(tmp_path.iterdir()) == []


# -- mutations of the example's facts file ------------------------------------------------------

FACTS = (EXAMPLE / "facts.yaml").read_text(encoding="utf-8")
LINES = FACTS.splitlines(keepends=True)
YAML_PIECES = [
    ":",
    "- ",
    "[",
    "]",
    "{",
    "}",
    "&a ",
    "*a",
    "!!str ",
    '"',
    "'",
    "\t",
    "\n",
    "  ",
    "#",
]


@st.composite
def mutated_facts(draw: st.DrawFn) -> bytes:
    """The example's facts file with a few random edits: lines dropped, repeated or swapped,
    YAML punctuation or random text put in, or random bytes written over a part."""
    lines = list(LINES)
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(lines) - 1))
        edit = draw(st.sampled_from(["drop", "repeat", "swap", "insert", "text"]))
        if edit == "drop":
            del lines[at]
        elif edit == "repeat":
            lines.insert(at, lines[at])
        elif edit == "swap":
            other = draw(st.integers(0, len(lines) - 1))
            lines[at], lines[other] = lines[other], lines[at]
        else:
            line = lines[at]
            column = draw(st.integers(0, len(line)))
            piece = draw(st.sampled_from(YAML_PIECES) if edit == "insert" else st.text(max_size=8))
            lines[at] = line[:column] + piece + line[column:]
    data = "".join(lines).encode("utf-8", "surrogatepass")
    if draw(st.booleans()):
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.binary(min_size=1, max_size=6)) + data[at + 6 :]
    return data


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(facts=mutated_facts())
def test_a_mutated_facts_file_builds_or_is_refused_at_a_line(facts: bytes, tmp_path: Path) -> None:
    folder = tmp_path / "article"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    shutil.copy(EXAMPLE / "article.txt", folder / "article.txt")
    (folder / "facts.yaml").write_bytes(facts)
    output = tmp_path / "out.nt"
    output.unlink(missing_ok=True)
    arguments = ["build", str(folder), "-o", str(output), "--no-validate", "--no-cache"]
    result = CliRunner().invoke(main, [*arguments, "--jobs", "1", "--quiet"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    assert result.exit_code in (0, 2), result.output
    if result.exit_code == 0:
        assert output.stat().st_size > 0
    else:
        location = re.escape(f"error: {folder / 'facts.yaml'}:")
        assert re.match(rf"{location}\d+", result.stderr), result.stderr
        assert not output.exists()


def test_a_folder_name_that_is_not_utf8_is_refused_clearly(tmp_path: Path) -> None:
    folder = Path(os.fsdecode(bytes(tmp_path) + b"/caf\xe9"))
    shutil.copytree(MINIMAL, folder)
    output = tmp_path / "out.ttl"
    completed = subprocess.run(
        [sys.executable, "-m", "policykg", "build", os.fsencode(folder), "-o", str(output)],
        capture_output=True,
        timeout=120,
    )
    errors = completed.stderr.decode("utf-8", "replace")
    assert completed.returncode == 2, errors
    assert "not UTF-8" in errors and "Traceback" not in errors
    assert not output.exists()
