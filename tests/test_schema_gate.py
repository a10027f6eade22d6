"""The compiled schema gate says "valid" exactly when jsonschema does, so skipping jsonschema is safe.

The structure check runs jsonschema only on files the gate refuses; a gate that accepted a file
jsonschema refuses would let a broken file through. Compared here on every bad input, every valid
file, a generated corpus, mutations of valid files (hypothesis), and small schemas that exercise
each translation the gate makes from 2020-12 to fastjsonschema's draft 7.
"""

from __future__ import annotations

import copy
import importlib.util
import math
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import EXAMPLE, MINIMAL, ROOT
from policykg.errors import FactsError
from policykg.facts import schema as structure
from policykg.facts.loader import find_facts_files, is_registry_file, load_facts
from policykg.facts.reading import read_yaml
from policykg.facts.schema import schema_validator
from policykg.facts.schema_gate import Gate, compile_gate
from policykg.resources import facts_schema, registry_schema

BAD_INPUTS = ROOT / "tests" / "bad_inputs"
BAD_FILES = sorted(p for p in BAD_INPUTS.rglob("*") if p.suffix in (".yaml", ".yml"))
JSONSCHEMA = schema_validator(facts_schema())
REGISTRY_JSONSCHEMA = schema_validator(registry_schema())


def _gate(schema: dict[str, Any]) -> Gate:
    gate = compile_gate(schema)
    assert gate is not None, "the facts schema uses a keyword the gate does not translate"
    return gate


GATE = _gate(facts_schema())
REGISTRY_GATE = _gate(registry_schema())


def _agree(tree: Any) -> None:
    assert GATE(tree) == JSONSCHEMA.is_valid(tree), tree


def test_the_gate_is_on_for_the_facts_and_registry_schemas() -> None:
    assert (
        structure._gate(registry=False) is not None and structure._gate(registry=True) is not None
    )


@pytest.mark.parametrize("path", BAD_FILES, ids=lambda path: path.parent.name)
def test_gate_and_jsonschema_agree_on_every_bad_input(path: Path) -> None:
    try:
        tree = read_yaml(path)
    except FactsError:
        return  # never reaches the schema
    _agree(tree)


@pytest.mark.parametrize("case", [p.parent for p in BAD_FILES], ids=lambda case: case.name)
def test_every_bad_input_fails_with_the_same_error_without_the_gate(
    case: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def error() -> str:
        try:
            load_facts(next(p for p in BAD_FILES if p.parent == case))
        except FactsError as failure:
            return f"{failure}|{failure.hint}"
        return "loads"

    with_gate = error()
    monkeypatch.setattr(structure, "_gate", lambda registry: None)
    assert error() == with_gate


def test_gate_accepts_every_valid_file_and_a_generated_corpus(tmp_path: Path) -> None:
    _generator().generate(600, tmp_path, seed=3)
    files = find_facts_files([ROOT / "examples", ROOT / "tests" / "data", tmp_path])
    assert len(files) > 10
    assert any(is_registry_file(path) for path in files)
    for path in files:
        tree = read_yaml(path)
        if is_registry_file(path):
            assert REGISTRY_GATE(tree) and REGISTRY_JSONSCHEMA.is_valid(tree), path
        else:
            assert GATE(tree) and JSONSCHEMA.is_valid(tree), path


# --- mutations of valid files ------------------------------------------------------------------

FIELDS = sorted(
    {name for schema in facts_schema()["$defs"].values() for name in schema.get("properties", {})}
    | set(facts_schema()["properties"])
)
TRICKY_TEXT = [
    "",
    " ",
    "\n",
    "a\n",
    "abc-def\n",
    "Abc",
    "a--b",
    "-a",
    "a" * 65,
    "\x85",
    "\u2028",
    "\ufeff",
    "2016",
    "2016-06",
    "2016-06-03",
    "2016-06-03\n",
    "16-06-03",
    "Q57336",
    "Q0",
    "Q1\n",
    "12",
    "012\n",
    "https://example.org/a",
    "https://example.org/a\n",
    "https://example.org/a b",
    "http://x\x7f",
    "http://x\x85",
    "stated",
    "person",
    "Friday",
    "en",
    "en-GB\n",
]
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-3, max_value=10_001),
    st.sampled_from([0.0, 1.0, 2016.0, 1.5, -1.0, math.inf, math.nan]),
    st.sampled_from(TRICKY_TEXT),
    st.text(max_size=8),
)
KEYS = st.one_of(st.sampled_from(FIELDS), st.sampled_from(TRICKY_TEXT), st.text(max_size=6))
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(KEYS, inner, max_size=3)),
    max_leaves=6,
)
SEEDS = [read_yaml(MINIMAL / "facts.yaml"), read_yaml(EXAMPLE / "facts.yaml")]


def _containers(tree: Any) -> list[Any]:
    """Every mapping and list in *tree*, the root first."""
    found = [tree]
    for child in tree.values() if isinstance(tree, dict) else tree:
        if isinstance(child, (dict, list)):
            found.extend(_containers(child))
    return found


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_gate_and_jsonschema_agree_on_mutated_valid_files(data: st.DataObject) -> None:
    tree = copy.deepcopy(data.draw(st.sampled_from(SEEDS)))
    for _ in range(data.draw(st.integers(min_value=1, max_value=3))):
        containers = _containers(tree)
        target = containers[data.draw(st.integers(min_value=0, max_value=len(containers) - 1))]
        keys = list(target) if isinstance(target, dict) else list(range(len(target)))
        action = data.draw(st.sampled_from(["replace", "delete", "add", "rename"]))
        if action == "replace" and keys:
            target[data.draw(st.sampled_from(keys))] = data.draw(VALUES)
        elif action == "delete" and keys:
            del target[data.draw(st.sampled_from(keys))]
        elif action == "add" and isinstance(target, dict):
            target[data.draw(KEYS)] = data.draw(VALUES)
        elif action == "add":
            target.append(data.draw(VALUES))
        elif action == "rename" and keys and isinstance(target, dict):
            target[data.draw(KEYS)] = target.pop(data.draw(st.sampled_from(keys)))
    _agree(tree)


# --- the translation, on small schemas ---------------------------------------------------------

SLUG = {"type": "string", "pattern": "^[a-z]+$"}
TRANSLATED: list[tuple[str, dict[str, Any], list[Any]]] = [
    (
        "a $ref beside other keywords applies both",
        {
            "$defs": {"object": {"type": "object"}},
            "$ref": "#/$defs/object",
            "additionalProperties": SLUG,
        },
        [{}, {"a": "b"}, {"a": "B"}, {"a": 1}, [], "x"],
    ),
    (
        "a pattern's $ matches only at the very end, as in ECMA-262, not before a final newline",
        {"properties": {"id": SLUG}},
        [{"id": "ab"}, {"id": "ab\n"}, {"id": "ab\n\n"}, {"id": "Ab"}],
    ),
    (
        "... also where a failure counts, under not and oneOf",
        {"oneOf": [{"not": SLUG}, {"type": "string", "pattern": "^[a-z]+\\n$"}]},
        ["ab", "ab\n", "AB", "ab\n\n", 3],
    ),
    (
        "the iri format: pyoxigraph's check, and no bidirectional controls",
        {"type": "string", "format": "iri"},
        ["https://e.org/a", "https://e.org/a%zz", "https://e.org/\u202e", "a b", 1],
    ),
    (
        "const and enum tell true from 1 and 1.0 from 1.5",
        {"properties": {"v": {"const": 1}, "e": {"enum": [1, "a", None, [1]]}}},
        [{"v": 1}, {"v": 1.0}, {"v": True}, {"e": True}, {"e": 1.0}, {"e": [True]}, {"e": None}],
    ),
    (
        "integers include 1.0, exclude true",
        {"type": "integer", "minimum": 1},
        [1, 1.0, 1.5, True, 0, "1"],
    ),
    (
        "uniqueItems tells true from 1",
        {"type": "array", "uniqueItems": True},
        [[1, True], [1, 1.0], [[1], [True]], [{"a": 1}, {"a": 1.0}], ["a", "b"]],
    ),
    (
        "propertyNames, required, minItems, maxLength",
        {
            "type": "object",
            "propertyNames": SLUG,
            "required": ["a"],
            "properties": {"a": {"type": "array", "minItems": 1, "items": {"maxLength": 2}}},
        },
        [{"a": ["ab"]}, {"a": []}, {"a": ["abc"]}, {"B": 1, "a": ["x"]}, {"b": 1}],
    ),
]


@pytest.mark.parametrize(
    ("schema", "instances"),
    [(schema, instances) for _, schema, instances in TRANSLATED],
    ids=[name for name, _, _ in TRANSLATED],
)
def test_gate_and_jsonschema_agree_on_each_translation(
    schema: dict[str, Any], instances: list[Any]
) -> None:
    full = {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}
    gate = compile_gate(full)
    assert gate is not None
    validator = schema_validator(full)
    verdicts = [(instance, gate(instance), validator.is_valid(instance)) for instance in instances]
    assert all(ours == theirs for _, ours, theirs in verdicts), verdicts
    assert {theirs for _, _, theirs in verdicts} == {True, False}, "an instance of each kind"


@pytest.mark.parametrize(
    "schema",
    [
        {"type": "object", "unevaluatedProperties": False},
        {"prefixItems": [{"type": "string"}]},
        {"items": [{"type": "string"}]},
        {"type": "string", "format": "date"},
        {"$ref": "https://example.org/other.json"},
        {"$ref": "#/$defs/missing"},
        {"properties": {"a": {"$id": "https://example.org/a", "type": "string"}}},
        {"dependentRequired": {"a": ["b"]}},
        {"const": 1, "enum": [1, 2]},
        {"type": "string", "pattern": "["},
    ],
    ids=repr,
)
def test_a_schema_the_gate_cannot_translate_leaves_it_off(schema: dict[str, Any]) -> None:
    assert compile_gate(schema) is None


def test_the_gate_never_changes_the_schema_it_is_given() -> None:
    schema = copy.deepcopy(facts_schema())
    compile_gate(schema)
    assert schema == facts_schema()


def _generator() -> Any:
    path = ROOT / "benchmarks" / "generate.py"
    spec = importlib.util.spec_from_file_location("benchmark_generate", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module
