"""docs/api.md and the README are true: their Python examples run, in order, and print what the
pages show."""

from __future__ import annotations

import io
import re
import shutil
from contextlib import redirect_stdout
from pathlib import Path

import pytest

import policykg
from conftest import ROOT

API_PAGE = ROOT / "docs" / "api.md"
_EXAMPLE = re.compile(r"```python\n(.*?)```\n(?:\n```text\n(.*?)```\n)?", re.S)


def examples(page: str) -> list[tuple[int, str, str]]:
    """Each ```python block of *page*: its first line's number, its code, and the output shown in
    the ```text block right after it (empty when there is none)."""
    return [
        (page.count("\n", 0, found.start()) + 2, found[1], found[2] or "")
        for found in _EXAMPLE.finditer(page)
    ]


def run_examples(page: Path, folder: Path) -> int:
    """Run the examples of *page* in order, in one namespace, in *folder* (which gets a copy of
    ``examples/``), and check that each prints the output shown after it; return their number."""
    shutil.copytree(ROOT / "examples", folder / "examples")
    found = examples(page.read_text(encoding="utf-8"))
    namespace: dict[str, object] = {"__name__": "__docs__"}
    for line, code, shown in found:
        printed = io.StringIO()
        # Padded so that a traceback gives the line of the page.
        compiled = compile("\n" * (line - 1) + code, str(page), "exec")
        with redirect_stdout(printed):
            exec(compiled, namespace)
        assert printed.getvalue() == shown, f"{page.name}:{line}"
    return len(found)


def test_the_examples_of_the_api_page_print_what_it_shows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert run_examples(API_PAGE, tmp_path) >= 8


def test_the_python_example_of_the_readme_prints_what_it_shows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert run_examples(ROOT / "README.md", tmp_path) == 1


def test_the_extractor_pairs_each_example_with_its_output() -> None:
    page = "x\n```python\nprint(1)\n```\n\n```text\n1\n```\n\n```python\ny = 2\n```\n"
    assert examples(page) == [(3, "print(1)\n", "1\n"), (11, "y = 2\n", "")]


def test_every_public_name_is_on_the_api_page() -> None:
    page = API_PAGE.read_text(encoding="utf-8")
    for name in policykg.__all__:
        assert f"`{name}" in page or f"policykg.{name}" in page, name
