"""Outputs never replace inputs, devices stay devices, symlinks stay symlinks, and temporary files
of killed writers do not pile up."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import MINIMAL
from policykg.cli import main
from policykg.outputs import write_atomically


def _invoke(*arguments: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(arguments))
    assert "Traceback" not in result.output
    return result.exit_code, result.stderr


@pytest.fixture(scope="module")
def built_graph(tmp_path_factory: pytest.TempPathFactory) -> Path:
    graph = tmp_path_factory.mktemp("graph") / "graph.trig"
    assert _invoke("build", str(MINIMAL), "-o", str(graph), "--no-cache")[0] == 0
    return graph


@pytest.mark.parametrize("name", ["facts.yaml", "article.txt"])
def test_build_refuses_to_write_over_its_facts_or_text(minimal_copy: Path, name: str) -> None:
    target = minimal_copy / name
    before = target.read_bytes()
    code, errors = _invoke("build", str(minimal_copy), "-o", str(target), "--format", "turtle")
    assert code == 2
    assert f"{target} is also an input of this command" in errors
    assert target.read_bytes() == before
    assert sorted(p.name for p in minimal_copy.iterdir()) == ["article.txt", "facts.yaml"]


def test_build_refuses_an_output_that_is_a_symlink_to_an_input(
    minimal_copy: Path, tmp_path: Path
) -> None:
    link = tmp_path / "out.ttl"
    link.symlink_to(minimal_copy / "facts.yaml")
    before = (minimal_copy / "facts.yaml").read_bytes()
    code, errors = _invoke("build", str(minimal_copy), "-o", str(link))
    assert code == 2 and "is also an input" in errors
    assert (minimal_copy / "facts.yaml").read_bytes() == before and link.is_symlink()


def test_build_refuses_the_same_file_as_output_and_report(tmp_path: Path) -> None:
    target = tmp_path / "out.ttl"
    code, errors = _invoke("build", str(MINIMAL), "-o", str(target), "--report", str(target))
    assert code == 2 and "given as two outputs" in errors
    assert list(tmp_path.iterdir()) == []


def test_report_refuses_to_write_over_the_graph_it_reads(built_graph: Path, tmp_path: Path) -> None:
    graph = tmp_path / built_graph.name
    graph.write_bytes(built_graph.read_bytes())
    code, errors = _invoke("report", str(graph), "-o", str(graph))
    assert code == 2 and "is also an input" in errors
    assert graph.read_bytes() == built_graph.read_bytes()


def test_report_refuses_to_write_over_a_text_it_shows(
    built_graph: Path, minimal_copy: Path
) -> None:
    text = minimal_copy / "article.txt"
    before = text.read_bytes()
    arguments = ["report", str(built_graph), "--facts", str(minimal_copy), "-o", str(text)]
    code, errors = _invoke(*arguments)
    assert code == 2 and "is also an input" in errors
    assert text.read_bytes() == before


def test_validate_refuses_a_report_over_the_graph(built_graph: Path, tmp_path: Path) -> None:
    graph = tmp_path / built_graph.name
    graph.write_bytes(built_graph.read_bytes())
    code, errors = _invoke("validate", str(graph), "--report", str(graph))
    assert code == 2 and "is also an input" in errors
    assert graph.read_bytes() == built_graph.read_bytes()


def test_an_output_to_dev_null_writes_to_the_device(tmp_path: Path) -> None:
    """Through a symlink in a temporary folder, so that a regression replaces that symlink, not
    the machine's /dev/null (which a build run as root did)."""
    null = tmp_path / "null"
    null.symlink_to("/dev/null")
    code, errors = _invoke("build", str(MINIMAL), "-o", str(null), "--format", "nt")
    assert code == 0, errors
    assert null.is_symlink() and stat.S_ISCHR(os.stat(null).st_mode)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".null")]


def test_an_output_to_a_pipe_writes_into_it(tmp_path: Path) -> None:
    """As `-o /dev/stdout` does when standard output is a pipe (a symlink to it, as there)."""
    script = (
        "import sys; from pathlib import Path; from policykg.outputs import write_atomically;"
        " write_atomically(Path(sys.argv[1]), [b'one ', b'two'])"
    )
    link = tmp_path / "stdout"
    link.symlink_to("/dev/stdout")
    completed = subprocess.run(
        [sys.executable, "-c", script, str(link)], capture_output=True, timeout=60, check=True
    )
    assert completed.stdout == b"one two"
    assert link.is_symlink() and list(tmp_path.iterdir()) == [link]


def test_a_symlink_output_stays_a_symlink_to_the_new_file(tmp_path: Path) -> None:
    target = tmp_path / "real.ttl"
    target.write_bytes(b"old\n")
    link = tmp_path / "out.ttl"
    link.symlink_to(target)
    write_atomically(link, b"new\n")
    assert link.is_symlink() and link.resolve() == target
    assert target.read_bytes() == b"new\n"


def test_temporary_files_of_dead_writers_are_removed_and_live_ones_kept(tmp_path: Path) -> None:
    finished = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    dead = int(finished.stdout)  # a process that has ended (reaped by run)
    stale = tmp_path / f".out.ttl.pid{dead}.abc123.tmp"
    stale.write_bytes(b"half of a killed build")
    live = tmp_path / f".out.ttl.pid{os.getpid()}.def456.tmp"
    live.write_bytes(b"a write in progress")
    other = tmp_path / f".other.ttl.pid{dead}.abc123.tmp"
    other.write_bytes(b"not ours to remove")
    write_atomically(tmp_path / "out.ttl", b"data\n")
    assert not stale.exists()
    assert live.exists() and other.exists()
    assert (tmp_path / "out.ttl").read_bytes() == b"data\n"
