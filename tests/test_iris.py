"""Every IRI policykg writes is valid before it is written: one check (pyoxigraph's, plus RFC 3987's
ban on bidirectional controls) for the URLs of the facts and the base IRI, and schema patterns
anchored at the very end, so that no value ending in a line break passes."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from policykg.cli import main
from policykg.facts.iris import base_problem, iri_problem
from policykg.facts.schema import schema_validator
from policykg.facts.schema_gate import compile_gate, pattern_regex
from policykg.resources import facts_schema, registry_schema


@pytest.mark.parametrize(
    ("iri", "problem"),
    [
        ("https://example.org/a%zz", "percent encoding"),
        ("https://example.org/a\x80", "code point"),
        ("https://example.org/\ue000", "code point"),
        ("https://example.org:abc/", "Invalid character"),
        ("https://example.org/kg/\n", "code point"),
        ("https://example.org/a b", "code point"),
        ("https://example.org/a>", "code point"),
        ("https://example.org/a\x00", "code point"),
        ("https://example.org/\ud800", "surrogates"),
        ("https://example.org/\u202eevil", "bidirectional"),
        ("https://example.org/\u2067", "bidirectional"),
        ("https://example.org/a\u2028b", "space character U+2028"),
        ("https://example.org/a\u00a0b", "percent-encoded (%C2%A0)"),
        ("relative/path", "scheme"),
    ],
)
def test_an_iri_strict_parsers_refuse_is_refused(iri: str, problem: str) -> None:
    found = iri_problem(iri)
    assert found is not None and problem in found


@pytest.mark.parametrize(
    "iri",
    ["https://example.org/caf\u00e9", "https://example.org/?q=\ue000", "https://[::1]:8080/a#b"],
)
def test_a_valid_iri_passes(iri: str) -> None:
    assert iri_problem(iri) is None


@pytest.mark.parametrize(
    "base",
    [
        "https://example.org/kg/\n",
        "https://example.org/%zz/",
        "https://example.org/my kg/",
        "https://example.org/kg",
        "kg/",
        "https://example.org/\u202e/",
    ],
)
def test_an_unusable_base_is_refused(base: str) -> None:
    assert base_problem(base) is not None


def test_a_usable_base_passes() -> None:
    assert base_problem("https://example.org/kg/") is None
    assert base_problem("http://localhost:8080/kg#") is None


def _patterns(node: object) -> set[str]:
    if isinstance(node, dict):
        found = {node["pattern"]} if isinstance(node.get("pattern"), str) else set()
        return found.union(*(_patterns(value) for value in node.values()))
    if isinstance(node, list):
        return set().union(*(_patterns(value) for value in node))
    return set()


ANCHORED = sorted(p for p in _patterns(facts_schema()) | _patterns(registry_schema()) if "$" in p)


def test_the_schemas_have_end_anchored_patterns() -> None:
    assert len(ANCHORED) >= 5, ANCHORED


@pytest.mark.parametrize("pattern", ANCHORED)
@settings(max_examples=30, deadline=None)
@given(data=st.data())
def test_no_schema_pattern_matches_before_a_final_line_break(
    pattern: str, data: st.DataObject
) -> None:
    regex = pattern_regex(pattern)
    value = data.draw(st.from_regex(regex))
    assert regex.search(value)
    assert not regex.search(value + "\n")


def test_the_schema_engines_refuse_a_final_line_break_and_an_invalid_url() -> None:
    gate = compile_gate(facts_schema())
    assert gate is not None
    validator = schema_validator(facts_schema())
    for url, valid in [
        ("https://example.org/a", True),
        ("https://example.org/a\n", False),
        ("https://example.org/a%zz", False),
        ("https://example.org/\u202e", False),
    ]:
        document = {"id": "a", "title": "T", "url": url, "publisher": "p", "text": "a.txt"}
        facts = {"policykg": 1, "document": document}
        assert gate(facts) is validator.is_valid(facts) is valid, url


@pytest.mark.parametrize("url", ["https://example.org/a\n", "https://example.org/a%zz"])
def test_init_refuses_an_unusable_url(url: str, tmp_path: Path) -> None:
    folder = tmp_path / "new"
    arguments = ["init", str(folder), "--url", url, "--title", "T", "--published", "2016-06-07"]
    result = CliRunner().invoke(main, arguments)
    assert result.exit_code == 2, result.output
    assert "url" in result.stderr and "Traceback" not in result.output
    assert not folder.exists()
