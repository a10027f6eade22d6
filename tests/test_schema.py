"""The facts JSON Schema and the loader agree: what editors check is what `policykg build` checks."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from jsonschema import Draft202012Validator

from conftest import ROOT
from policykg.cli import main
from policykg.errors import FactsError
from policykg.facts.loader import find_facts_files, is_registry_file, load_facts, load_registry
from policykg.facts.reading import read_yaml
from policykg.facts.schema import check_structure
from policykg.resources import facts_schema, registry_schema

BAD_INPUTS = ROOT / "tests" / "bad_inputs"

# Bad inputs whose defect is one of structure — an unknown or missing field, a bad id, a value
# outside an enumeration, a wrong type or format — which the schema itself must refuse.
STRUCTURAL = [
    "bad-id",
    "malformed-url",
    "malformed-wikidata",
    "missing-actor-type",
    "missing-document-title",
    "missing-statement-speaker",
    "offset-not-a-duration",
    "published-wrong-precision",
    "stance-holder-and-unattributed",
    "stance-without-holder",
    "unknown-assertion-mode",
    "unknown-certainty",
    "unknown-field-actor",
    "unknown-field-date",
    "unknown-field-document",
    "unknown-field-first-published",
    "unknown-field-quote-mapping",
    "unknown-field-relation",
    "unknown-field-stance",
    "unknown-field-statement",
    "unknown-section",
    "unquoted-bad-date-format",
    "unquoted-cameo-number",
    "url-with-control-character",
    "url-with-space",
    "wrong-format-version",
    "wrong-type-alt-names",
    "wrong-type-anniversary",
    "wrong-type-forecast",
    "wrong-type-section-list",
]
OTHER_BAD = sorted(
    path.name for path in BAD_INPUTS.iterdir() if path.is_dir() and path.name not in STRUCTURAL
)


def _valid_inputs() -> list[Path]:
    inputs = [ROOT / "examples", ROOT / "tests" / "data"]
    for case in sorted((ROOT / "tests" / "golden").glob("*/case.json")):
        inputs.extend(ROOT / name for name in json.loads(case.read_text())["inputs"])
    return find_facts_files(inputs)


def _valid_facts_files() -> list[Path]:
    return [path for path in _valid_inputs() if not is_registry_file(path)]


def _valid_registry_files() -> list[Path]:
    return [path for path in _valid_inputs() if is_registry_file(path)]


def _registry_files_above(path: Path) -> list[Path]:
    """The registry files of the corpus that *path* is in: those in the folders above it."""
    return [
        found
        for folder in path.parents
        if ROOT in folder.parents
        for found in sorted(folder.glob("*.y*ml"))
        if is_registry_file(found)
    ]


def _facts_file(case: str) -> Path:
    (path,) = [p for p in (BAD_INPUTS / case).iterdir() if p.suffix in (".yaml", ".yml")]
    return path


def _schema_errors(path: Path) -> list[str]:
    validator = Draft202012Validator(facts_schema())
    return [error.message for error in validator.iter_errors(read_yaml(path))]


def test_the_schema_is_a_valid_draft_2020_12_schema() -> None:
    Draft202012Validator.check_schema(facts_schema())
    assert facts_schema()["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_policykg_schema_prints_the_shipped_schema() -> None:
    result = CliRunner().invoke(main, ["schema"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == facts_schema()


def test_policykg_schema_registry_prints_the_registry_schema() -> None:
    result = CliRunner().invoke(main, ["schema", "--registry"])
    assert result.exit_code == 0, result.output
    schema = json.loads(result.stdout)
    assert schema == registry_schema()
    Draft202012Validator.check_schema(schema)
    sections = ("actors", "places", "posts", "tenures", "events", "documents")
    assert set(schema["properties"]) == {"policykg", "registry", *sections}
    # The sections are the facts schema's own, so the two cannot drift apart; but a registry's
    # entry is a definition, never a reading.
    for section in sections:
        facts_section = facts_schema()["properties"][section]
        entry = schema["properties"][section]["additionalProperties"]
        assert entry.pop("required")
        assert schema["properties"][section] == facts_section


def _checked(folder: Path, tree: dict[str, Any], *, registry: bool = False) -> str | None:
    """The message of the first schema error of *tree*, or ``None``."""
    path = folder / "facts.yaml"
    path.write_text(yaml.safe_dump(tree), encoding="utf-8")
    try:
        check_structure(read_yaml(path), path, registry=registry)
    except FactsError as error:
        return error.message
    return None


def test_an_entry_is_a_definition_or_a_reading_and_the_schema_names_what_is_missing(
    tmp_path: Path,
) -> None:
    document = {
        "id": "d",
        "title": "T",
        "url": "https://example.org/",
        "publisher": "p",
        "published": "2016-01-01",
        "text": "a.txt",
    }
    facts: dict[str, Any] = {"policykg": 1, "document": document}
    reading = {"events": {"e": {"date": "2016", "quote": "q", "place": "x"}}}
    assert _checked(tmp_path, {**facts, **reading}) is None
    assert _checked(tmp_path, {**facts, "actors": {"a": {"quote": "q", "note": "n"}}}) is None
    # Neither a definition nor a reading: the field a definition needs is what is missing.
    assert (
        _checked(tmp_path, {**facts, "actors": {"a": {"name": "A", "quote": "q"}}})
        == "'type' is missing"
    )
    events = {"e": {"label": "E", "date": "2016", "quote": "q"}}
    assert _checked(tmp_path, {**facts, "events": events}) == "'type' is missing"
    # A registry entry is always a definition.
    registry = {"policykg": 1, "registry": {}, "events": {"e": {"date": "2016"}}}
    assert _checked(tmp_path, registry, registry=True) == "'label' is missing"


def test_the_valid_files_are_all_found() -> None:
    names = {str(path.relative_to(ROOT)) for path in _valid_facts_files()}
    assert {"examples/khamenei-2016/facts.yaml", "tests/data/minimal/facts.yaml"} <= names


@pytest.mark.parametrize("path", _valid_facts_files(), ids=lambda path: str(path.relative_to(ROOT)))
def test_every_valid_facts_file_passes_the_schema_and_loads(path: Path) -> None:
    assert _schema_errors(path) == []
    registry_files = _registry_files_above(path)
    load_facts(path, load_registry(registry_files) if registry_files else None)


@pytest.mark.parametrize(
    "path", _valid_registry_files(), ids=lambda path: str(path.relative_to(ROOT))
)
def test_every_valid_registry_file_passes_the_registry_schema_and_loads(path: Path) -> None:
    validator = Draft202012Validator(registry_schema())
    assert [error.message for error in validator.iter_errors(read_yaml(path))] == []
    load_registry([path])


@pytest.mark.parametrize("case", STRUCTURAL)
def test_a_structural_bad_input_fails_the_schema_and_the_loader(case: str) -> None:
    path = _facts_file(case)
    assert _schema_errors(path), f"{case}: the schema accepts it"
    with pytest.raises(FactsError):
        load_facts(path)


@pytest.mark.parametrize("case", OTHER_BAD)
def test_any_other_bad_input_is_beyond_the_schema(case: str) -> None:
    """Unreadable YAML, or a defect the schema cannot see (references, dates, quotes, codes).

    A new bad input that the schema refuses belongs in STRUCTURAL above.
    """
    path = _facts_file(case)
    try:
        tree = read_yaml(path)
    except FactsError:
        return  # refused before any schema could look at it
    errors = list(Draft202012Validator(facts_schema()).iter_errors(tree))
    assert not errors, f"{case}: the schema refuses it ({errors[0].message}): list it in STRUCTURAL"
