"""The documentation stays true: README's commands, the CLI reference and the facts format."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import click
import pytest

from conftest import ROOT, schema_fields
from policykg.cli import main

README = (ROOT / "README.md").read_text(encoding="utf-8")
FACTS_FORMAT = (ROOT / "docs" / "facts-format.md").read_text(encoding="utf-8")
CLI_REFERENCE = ROOT / "docs" / "cli.md"
WRITTEN_PAGES = [
    ROOT / "README.md",
    *sorted(path for path in (ROOT / "docs").glob("*.md") if path != CLI_REFERENCE),
]
"""The pages written by hand: the README and docs/, without the generated CLI reference."""


def _shell_blocks(text: str) -> list[str]:
    return re.findall(r"```sh\n(.*?)```", text, flags=re.S)


def test_readme_opens_with_the_two_fresh_machine_commands() -> None:
    blocks = _shell_blocks(README)
    build, tests = blocks[0], blocks[1]
    assert "pip install ." in build and "policykg build examples -o" in build
    assert "pip install -e '.[test]'" in tests and "python -m pytest" in tests
    assert README.index("```sh") < README.index("## ")


def test_ci_runs_the_readme_test_command() -> None:
    command = _shell_blocks(README)[1].strip().splitlines()[-1].split("&& ")[-1].strip()
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert command == "python -m pytest -q"
    assert command in ci.splitlines()


def test_every_command_is_in_the_readme() -> None:
    assert isinstance(main, click.Group)
    for name in main.commands:
        assert f"`policykg {name}" in README, name


def _examples(command: click.Command) -> list[str]:
    """The lines of the ``Example:`` block of a command's help, continuation lines included."""
    help_text = command.help or ""
    if "Example:" not in help_text:
        return []
    block = help_text.split("Example:", 1)[1].split("\n\n", 1)[0]
    return [line.strip() for line in block.splitlines() if line.strip()]


def _commands() -> list[tuple[str, click.Command]]:
    assert isinstance(main, click.Group)
    return [("policykg", main), *sorted(main.commands.items())]


@pytest.mark.parametrize(("name", "command"), _commands(), ids=[n for n, _ in _commands()])
def test_every_help_has_an_example_that_the_docs_show(name: str, command: click.Command) -> None:
    examples = _examples(command)
    assert examples, f"{name}: no 'Example:' block in its --help"
    written = "\n".join(page.read_text(encoding="utf-8") for page in WRITTEN_PAGES)
    for line in examples:
        assert line.startswith(("policykg ", "-")), f"{name}: {line!r} is not a command line"
        assert line in written, f"{name}: no page of README.md or docs/ shows {line!r}"


def test_every_exit_code_is_in_the_readme() -> None:
    from policykg.cli import Exit

    for code in Exit:
        assert f"| {code.value} |" in README, code


def test_every_field_of_the_schema_is_documented() -> None:
    fields = schema_fields()
    assert len(fields) > 40
    missing = sorted(
        f for f in fields if f"`{f}`" not in FACTS_FORMAT and f"{f}:" not in FACTS_FORMAT
    )
    assert not missing, f"undocumented facts fields: {missing}"


def test_documented_codes_match_the_ontology() -> None:
    from policykg.resources import scheme_codes

    for scheme in ("topic", "polarity", "eventtype"):
        for code in scheme_codes(scheme):
            assert f"`{code}`" in FACTS_FORMAT, (scheme, code)


def _cli_page_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("generate_cli", ROOT / "docs" / "generate_cli.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_cli_reference_is_what_the_generator_writes() -> None:
    generated = _cli_page_generator().page()
    assert CLI_REFERENCE.read_text(encoding="utf-8") == generated, (
        "docs/cli.md is out of date: run python docs/generate_cli.py"
    )


@pytest.mark.parametrize(
    "arguments", [[], ["build"], ["query"]], ids=["policykg", "build", "query"]
)
def test_the_cli_reference_holds_what_help_prints(arguments: list[str]) -> None:
    environment = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}
    printed = subprocess.run(
        [sys.executable, "-m", "policykg", *arguments, "--help"],
        capture_output=True,
        text=True,
        check=True,
        env=environment,
    ).stdout
    as_installed = printed.replace("Usage: python -m policykg", "Usage: policykg", 1).rstrip()
    assert as_installed.startswith("Usage: policykg")
    assert as_installed in CLI_REFERENCE.read_text(encoding="utf-8")


def test_the_readme_reads_in_five_minutes() -> None:
    assert len(README.splitlines()) <= 200


_LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")


@pytest.mark.parametrize("page", WRITTEN_PAGES, ids=lambda path: path.name)
def test_every_local_link_leads_to_a_file(page: Path) -> None:
    targets = [t for t in _LINK.findall(page.read_text(encoding="utf-8")) if "://" not in t]
    missing = [target for target in targets if not (page.parent / target).exists()]
    assert not missing, f"{page.name} links to missing files: {missing}"


def test_every_exit_status_is_in_the_readme_table() -> None:
    from policykg.cli import Exit

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("### Exit codes") :].split("\n\n")[1]
    listed = {int(code) for row in table.splitlines()[2:] for code in row.split("|")[1].split(",")}
    assert {int(status) for status in Exit} | {130, 143} == listed


@pytest.mark.parametrize("page", sorted((ROOT / "docs").glob("promises*.md")), ids=lambda p: p.name)
def test_every_test_a_promise_names_exists(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    named = re.findall(r"(test_\w+\.py)::(test_\w+)", text)
    assert named, f"{page.name} names no test"
    missing = [
        f"{file}::{name}"
        for file, name in named
        if f"def {name}(" not in (ROOT / "tests" / file).read_text(encoding="utf-8")
    ]
    folders = re.findall(r"`tests/hostile/([a-z0-9-]+)`", text)
    missing += [f for f in folders if not (ROOT / "tests" / "hostile" / f).is_dir()]
    assert not missing, f"{page.name} names tests that do not exist: {missing}"
