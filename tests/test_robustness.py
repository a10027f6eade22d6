"""Faults and hostile input: killed builds, huge or malicious files, no network, no imports."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from conftest import EXAMPLE, MINIMAL, REGISTRY, minimal_corpus, strictly_parsed
from policykg.cli import main
from policykg.errors import FactsError
from policykg.facts import article_text, reading
from policykg.facts.loader import load_facts


def test_a_billion_laughs_file_fails_at_the_first_alias(tmp_path: Path) -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for n in range(1, 10):
        previous = chr(ord("a") + n - 1)
        current = chr(ord("a") + n)
        lines.append(f"{current}: &{current} [{', '.join(['*' + previous] * 9)}]")
    path = tmp_path / "laughs.yaml"
    path.write_text("\n".join(lines) + "\n")
    completed = subprocess.run(
        [sys.executable, "-m", "policykg", "build", str(path), "-o", str(tmp_path / "o.ttl")],
        capture_output=True,
        text=True,
        timeout=60,  # a safety bound, not a speed assertion: expansion would never finish
    )
    assert completed.returncode == 2
    assert f"{path}:1:" in completed.stderr and "alias" in completed.stderr


def test_an_oversized_facts_file_is_refused_before_parsing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reading, "MAX_FACTS_BYTES", 1000)
    path = tmp_path / "big.yaml"
    path.write_text("policykg: 1\n" + "# padding\n" * 200)
    with pytest.raises(FactsError, match="more than the 1,000 allowed"):
        load_facts(path)


def test_an_oversized_text_is_refused(minimal_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(article_text, "MAX_TEXT_BYTES", 100)
    with pytest.raises(FactsError, match="more than the 100 bytes allowed") as error:
        load_facts(minimal_copy / "facts.yaml")
    assert error.value.location.line is not None


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Make every attempt to open a network connection fail, and record it."""
    attempts: list[object] = []

    def refuse(*args: object, **kwargs: object) -> None:
        attempts.append(args)
        raise OSError("network access is blocked in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    return attempts


def test_build_and_validate_touch_no_network(no_network: list[object], tmp_path: Path) -> None:
    for suffix in (".ttl", ".jsonld", ".trig"):
        output = tmp_path / f"out{suffix}"
        result = CliRunner().invoke(main, ["build", str(EXAMPLE), str(REGISTRY), "-o", str(output)])
        assert result.exit_code == 0, result.output
        assert strictly_parsed(output) > 2000
        checked = CliRunner().invoke(main, ["validate", str(output)])
        assert checked.exit_code == 0, checked.output
    assert no_network == []


def test_owl_imports_are_never_followed(no_network: list[object], tmp_path: Path) -> None:
    output = tmp_path / "out.ttl"
    assert CliRunner().invoke(main, ["build", str(MINIMAL), "-o", str(output)]).exit_code == 0
    with output.open("a", encoding="utf-8") as handle:
        handle.write(
            "\n<https://example.org/x> <http://www.w3.org/2002/07/owl#imports> "
            "<https://example.org/unreachable-ontology> .\n"
        )
    result = CliRunner().invoke(main, ["validate", str(output)])
    assert result.exit_code == 0, result.output
    assert no_network == []


def _slow_input(tmp_path: Path, copies: int = 12) -> Path:
    """A folder of several documents, so that a build runs long enough to be interrupted."""
    return minimal_corpus(tmp_path / "corpus", copies)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_a_killed_build_leaves_the_previous_output_intact(tmp_path: Path, sig: int) -> None:
    corpus = _slow_input(tmp_path, copies=6)
    output = tmp_path / "out.nq"
    previous = b"<https://example.org/s> <https://example.org/p> <https://example.org/o> .\n"
    command = [sys.executable, "-m", "policykg", "build", str(corpus), "-o", str(output)]
    started = time.monotonic()
    subprocess.run([*command[:-1], str(tmp_path / "timing.nq")], check=True, capture_output=True)
    duration = time.monotonic() - started
    complete = (tmp_path / "timing.nq").read_bytes()
    assert len(list(ox.parse(complete, format=ox.RdfFormat.N_QUADS))) > 1000
    # Kill at points spread over the whole run, the last ones close to the final write.
    for fraction in (0.2, 0.5, 0.7, 0.85, 0.95, 1.0):
        output.write_bytes(previous)
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(duration * fraction)
        process.send_signal(sig)
        process.wait(timeout=60)
        content = output.read_bytes()
        # Either nothing changed or the whole new output is in place (the rename was done).
        if content != previous:
            assert content == complete, f"killed at {fraction:.0%}: a partial output"
        if sig == signal.SIGTERM:
            assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    completed = subprocess.run(command, capture_output=True, timeout=120)
    assert completed.returncode == 0, completed.stderr
    assert output.read_bytes() == complete


def _children(pid: int) -> set[int]:
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux's /proc")
def test_validation_workers_end_with_a_killed_build(tmp_path: Path) -> None:
    corpus = minimal_corpus(tmp_path / "corpus", 6)
    command = [sys.executable, "-m", "policykg", "build", str(corpus), "-o", str(tmp_path / "o.nq")]
    process = subprocess.Popen([*command, "--jobs", "2"], stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while not (workers := _children(process.pid)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert workers, "the build started no validation workers"
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=60)
    deadline = time.monotonic() + 10
    while any(Path(f"/proc/{pid}").exists() for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = [pid for pid in workers if Path(f"/proc/{pid}").exists()]
    for pid in left:  # never leave them behind, even when the test fails
        os.kill(pid, signal.SIGKILL)
    assert not left, "validation workers outlived the build"
