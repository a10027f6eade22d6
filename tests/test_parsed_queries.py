"""SPARQL queries kept parsed from one process to the next (validate/parsed_queries.py), and the
build cache that keeps them for a rebuild's workers."""

from __future__ import annotations

import pickle
import shutil
import subprocess
import sys
from collections import OrderedDict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.parserutils import CompValue

from conftest import EXAMPLE, REGISTRY
from policykg.build.cache import PARSED_QUERIES, REGISTRY_REPORT
from policykg.build.corpus import batched_scoped_shapes
from policykg.build.pipeline import build
from policykg.validate import parsed_queries
from policykg.validate.parsed_queries import (
    parsed_shape_queries,
    prepared,
    shape_query_texts,
    use_parsed_queries,
)

SHAPE_EXAMPLES = Path(__file__).parent / "shape_examples"


@pytest.fixture(autouse=True)
def fresh_queries(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Each test starts with nothing parsed and nothing kept, and leaves the process so."""
    monkeypatch.setattr(parsed_queries, "_kept", {})
    prepared.cache_clear()
    yield
    prepared.cache_clear()


class _Parses:
    """rdflib's ``prepareQuery`` as the module sees it, counting its calls."""

    def __init__(self) -> None:
        self.texts: list[str] = []

    def __call__(self, text: str, **kwargs: Any) -> Any:
        self.texts.append(text)
        return prepareQuery(text, **kwargs)


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> _Parses:
    counter = _Parses()
    monkeypatch.setattr(parsed_queries, "prepareQuery", counter)
    return counter


def _shape_texts() -> list[str]:
    return [text for shapes in batched_scoped_shapes() for text in shape_query_texts(shapes)]


def _tree(value: Any) -> Any:
    """A parse tree as plain values: sets compared as sets (their order is a process's hash
    order), evaluation functions by name."""
    if isinstance(value, CompValue):
        attributes = {
            name: getattr(found, "__func__", found).__qualname__ if name == "_evalfn" else found
            for name, found in vars(value).items()
        }
        items = [(key, _tree(item)) for key, item in OrderedDict.items(value)]
        return (type(value).__name__, items, _tree(attributes))
    if isinstance(value, dict):
        return {key: _tree(item) for key, item in value.items()}
    if isinstance(value, (set, frozenset)):
        return frozenset(_tree(item) for item in value)
    if isinstance(value, (list, tuple)):
        return [_tree(item) for item in value]
    return value


def test_the_shapes_have_sparql_constraints_to_keep() -> None:
    texts = _shape_texts()
    assert len(texts) >= 20
    assert all(text.startswith("PREFIX ") for text in texts)


def test_a_kept_query_is_the_query_rdflib_parses(parses: _Parses) -> None:
    data = parsed_shape_queries(*batched_scoped_shapes())
    texts = _shape_texts()
    fresh = {text: prepareQuery(text) for text in texts}
    prepared.cache_clear()
    use_parsed_queries(data)
    parses.texts.clear()
    for text in texts:
        kept = prepared(text, ())
        assert _tree(kept.algebra) == _tree(fresh[text].algebra)
        assert dict(kept.prologue.namespace_manager.namespaces()) == dict(
            fresh[text].prologue.namespace_manager.namespaces()
        )
    assert parses.texts == []


def test_the_order_of_prefix_lines_does_not_name_another_query(parses: _Parses) -> None:
    body = "SELECT $this WHERE { $this a:p b:q }"
    text = "PREFIX a: <https://a.example/>\nPREFIX b: <https://b.example/>\n\n" + body
    swapped = "PREFIX b: <https://b.example/>\nPREFIX a: <https://a.example/>\n\n" + body
    use_parsed_queries(_kept_text(text))
    assert str(prepared(swapped, ()).algebra) == str(prepareQuery(swapped).algebra)
    assert parses.texts == []


def test_a_prefix_declared_twice_is_parsed_as_written(parses: _Parses) -> None:
    """Then the order of the lines matters: such a text is never taken from kept queries."""
    body = "SELECT $this WHERE { $this a:p 1 }"
    first = "PREFIX a: <https://one.example/>\nPREFIX a: <https://two.example/>\n" + body
    second = "PREFIX a: <https://two.example/>\nPREFIX a: <https://one.example/>\n" + body
    assert parsed_queries._name(first, ()) is None
    assert "two.example" in str(prepared(first, ()).algebra)
    assert "one.example" in str(prepared(second, ()).algebra)
    assert parses.texts.count(first) == 1 and parses.texts.count(second) == 1


def test_namespaces_given_name_another_query(parses: _Parses) -> None:
    text = "SELECT ?s WHERE { ?s a:p 1 }"
    use_parsed_queries(_kept_text(text, (("a", "https://one.example/"),)))
    parsed = prepared(text, (("a", "https://two.example/"),))
    assert "two.example" in str(parsed.algebra) and parses.texts == [text]


@pytest.mark.parametrize("data", [b"", b"not a pickle", b"\x80\x05N."])
def test_unreadable_kept_queries_are_ignored(data: bytes, parses: _Parses) -> None:
    use_parsed_queries(data)
    assert parsed_queries._kept == {}
    text = _shape_texts()[0]
    prepared(text, ())
    assert parses.texts == [text]


def test_a_kept_query_that_cannot_be_read_is_parsed_and_forgotten(parses: _Parses) -> None:
    text = _shape_texts()[0]
    name = parsed_queries._name(text, ())
    assert name is not None
    parsed_queries._kept[name] = b"damaged"
    assert prepared(text, ()).algebra is not None
    assert parses.texts == [text] and name not in parsed_queries._kept


def test_a_fresh_process_validates_each_shape_example_as_before_without_parsing(
    tmp_path: Path,
) -> None:
    """pyshacl lists a constraint's prefixes in another order in another process: the queries
    kept by this one must still be found there, and give the same reports."""
    data = tmp_path / "queries.parsed"
    data.write_bytes(parsed_shape_queries(*batched_scoped_shapes()))
    script = f"""
import sys
from pathlib import Path
from rdflib import Graph
from policykg.build.corpus import batched_scoped_shapes
from policykg.resources import ontology_graph
from policykg.validate import parsed_queries
from policykg.validate.shacl import validate_graph

def refuse(text, **kwargs):
    raise AssertionError("parsed: " + text)

def reports():
    found = []
    for example in sorted(Path({str(SHAPE_EXAMPLES)!r}).glob("*/*.ttl")):
        report = validate_graph(Graph().parse(example), shapes=batched_scoped_shapes()[0])
        found.append((example.parent.name, example.name, report.conforms, report.violations))
    return found

if sys.argv[1] == "kept":
    parsed_queries.use_parsed_queries(Path({str(data)!r}).read_bytes())
    parsed_queries.prepareQuery = refuse
print(repr(reports()))
"""
    runs = [
        subprocess.run([sys.executable, "-c", script, mode], capture_output=True, text=True)
        for mode in ("kept", "parsed")
    ]
    assert [run.returncode for run in runs] == [0, 0], runs[0].stderr + runs[1].stderr
    kept, parsed = (run.stdout for run in runs)
    assert kept == parsed
    assert "False" in kept and "True" in kept  # valid and invalid examples both ran


def test_a_rebuild_takes_the_queries_parsed_from_the_cache(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(EXAMPLE, corpus / "article")
    shutil.copy(REGISTRY, corpus / "registry.yaml")
    cache = tmp_path / "cache"
    assert build([corpus], cache=cache).report.conforms  # type: ignore[union-attr]
    assert (cache / PARSED_QUERIES).stat().st_size > 10_000
    facts = corpus / "article" / "facts.yaml"
    facts.write_text(facts.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    script = f"""
from pathlib import Path
from policykg.build.pipeline import build
from policykg.validate import parsed_queries

def refuse(text, **kwargs):
    raise AssertionError("parsed: " + text)

parsed_queries.prepareQuery = refuse
result = build([Path({str(corpus)!r})], cache=Path({str(cache)!r}), jobs=1)
print(result.report.conforms, result.cache_hits)
"""
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["True", "0"]


def test_the_main_process_validates_the_registry_with_the_queries_parsed_from_the_cache(
    tmp_path: Path,
) -> None:
    """Without its kept report, a rebuild validates the registry graph in the main process,
    before any article is built."""
    cache = tmp_path / "cache"
    build([EXAMPLE, REGISTRY], cache=cache)
    (cache / REGISTRY_REPORT).unlink()
    script = f"""
from pathlib import Path
from policykg.build.pipeline import build
from policykg.validate import parsed_queries

def refuse(text, **kwargs):
    raise AssertionError("parsed: " + text)

parsed_queries.prepareQuery = refuse
result = build([Path({str(EXAMPLE)!r}), Path({str(REGISTRY)!r})], cache=Path({str(cache)!r}))
print(result.report.conforms, result.cache_hits)
"""
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["True", "1"]
    assert (cache / REGISTRY_REPORT).exists()


def test_a_damaged_file_of_parsed_queries_is_parsed_again_and_replaced(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    build([EXAMPLE, REGISTRY], cache=cache)
    kept = cache / PARSED_QUERIES
    original = kept.read_bytes()
    kept.write_bytes(original[:-100])
    edit_copy = tmp_path / "article"
    shutil.copytree(EXAMPLE, edit_copy)
    result = build([edit_copy, REGISTRY], cache=cache)
    assert result.report is not None and result.report.conforms
    assert kept.read_bytes() != original[:-100]
    content = kept.read_bytes().partition(b"\n")[2]
    use_parsed_queries(content)
    assert set(parsed_queries._kept) == {parsed_queries._name(text, ()) for text in _shape_texts()}


def _kept_text(text: str, namespaces: tuple[tuple[str, str], ...] = ()) -> bytes:
    """*text* parsed, as :func:`use_parsed_queries` takes it from another process."""
    name = parsed_queries._name(text, namespaces)
    assert name is not None
    query = prepareQuery(text, initNs=dict(namespaces))
    return pickle.dumps({name: parsed_queries._pickled(query)})
