"""Article texts stay inside their facts file's folder, are regular files and are bounded in size
(the cases that need no temporary files are in tests/hostile)."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import edit
from policykg.cli import main
from policykg.errors import FactsError
from policykg.facts import article_text
from policykg.facts.loader import load_facts


def _text_line(facts: Path) -> int:
    lines = facts.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if line.startswith("  text:"))


def test_a_text_in_a_folder_below_the_facts_file_is_read(minimal_copy: Path) -> None:
    (minimal_copy / "texts").mkdir()
    (minimal_copy / "article.txt").rename(minimal_copy / "texts" / "article.txt")
    edit(minimal_copy / "facts.yaml", "text: article.txt", "text: texts/article.txt")
    assert "Khamenei" in load_facts(minimal_copy / "facts.yaml").text


def test_report_does_not_publish_a_file_outside_the_folder(
    minimal_copy: Path, tmp_path: Path
) -> None:
    graph = tmp_path / "graph.trig"
    built = CliRunner().invoke(main, ["build", str(minimal_copy), "-o", str(graph)])
    assert built.exit_code == 0, built.output
    secret = tmp_path / "secret.txt"
    secret.write_text("the password is hunter2\n", encoding="utf-8")
    edit(minimal_copy / "facts.yaml", "text: article.txt", "text: ../secret.txt")
    page = tmp_path / "page.html"
    arguments = ["report", str(graph), "--facts", str(minimal_copy), "-o", str(page)]
    result = CliRunner().invoke(main, arguments)
    assert result.exit_code == 2, result.output
    facts = minimal_copy / "facts.yaml"
    assert result.stderr.startswith(f"error: {facts}:{_text_line(facts)}"), result.stderr
    assert "outside the folder of the facts file" in result.stderr
    assert not page.exists()


def test_a_named_pipe_is_refused_without_waiting_for_a_writer(minimal_copy: Path) -> None:
    (minimal_copy / "article.txt").unlink()
    os.mkfifo(minimal_copy / "article.txt")
    # Opening a pipe with no writer blocks: a test that fails would hang, so it runs in a thread.
    outcome: list[BaseException] = []
    reader = threading.Thread(target=_load_into, args=(minimal_copy / "facts.yaml", outcome))
    reader.start()
    reader.join(timeout=20)
    if reader.is_alive():
        with open(minimal_copy / "article.txt", "wb"):  # lets the stuck reader go
            pass
        pytest.fail("reading the article text waited for a writer on a named pipe")
    assert len(outcome) == 1 and isinstance(outcome[0], FactsError)
    assert "not a regular file" in str(outcome[0])


def _load_into(facts: Path, outcome: list[BaseException]) -> None:
    try:
        load_facts(facts)
    except BaseException as error:
        outcome.append(error)


def test_a_text_over_the_limit_is_refused_at_the_text_line(
    minimal_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    size = (minimal_copy / "article.txt").stat().st_size
    monkeypatch.setattr(article_text, "MAX_TEXT_BYTES", size - 1)
    with pytest.raises(FactsError, match=f"more than the {size - 1:,} bytes allowed") as error:
        load_facts(minimal_copy / "facts.yaml")
    assert error.value.location.line == _text_line(minimal_copy / "facts.yaml")
    monkeypatch.setattr(article_text, "MAX_TEXT_BYTES", size)
    assert load_facts(minimal_copy / "facts.yaml").text
