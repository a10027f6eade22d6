from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

# On CI every property test draws the same examples (a red run can be rerun as it was) and no example
# fails for running slowly on a busy two-core machine; locally they draw new ones each run.
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "khamenei-2016"
MINIMAL = ROOT / "tests" / "data" / "minimal"


def minimal_corpus(folder: Path, copies: int, *, own_events: bool = True) -> Path:
    """*copies* copies of the minimal facts in *folder*/doc<n>, with document ids minimal-<n>.

    Events and tenures have document-independent IRIs, and two documents may not date one of them
    twice: with *own_events*, each copy gets its own (speech-<n>, khamenei-as-supreme-leader-<n>).
    """
    renames = [
        ("khamenei-as-supreme-leader", "khamenei-as-supreme-leader-{n}"),
        ("  speech:\n", "  speech-{n}:\n"),
        ("event: speech\n", "event: speech-{n}\n"),
        ("about: [speech]", "about: [speech-{n}]"),
    ]
    for n in range(copies):
        target = folder / f"doc{n}"
        target.mkdir(parents=True)
        (target / "article.txt").write_bytes((MINIMAL / "article.txt").read_bytes())
        text = (MINIMAL / "facts.yaml").read_text(encoding="utf-8")
        for old, new in [
            ("  id: minimal\n", "  id: minimal-{n}\n"),
            *(renames if own_events else []),
        ]:
            text = text.replace(old, new.format(n=n))
        (target / "facts.yaml").write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(autouse=True)
def cache_in_tmp(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """`policykg build` keeps its cache in a test's own folder, never in the working directory."""
    monkeypatch.setenv("POLICYKG_CACHE", str(tmp_path / "policykg-cache"))


@pytest.fixture
def minimal_copy(tmp_path: Path) -> Path:
    """A writable copy of the minimal facts folder, for tests that edit it."""
    target = tmp_path / "minimal"
    shutil.copytree(MINIMAL, target)
    return target


def edit(path: Path, old: str, new: str) -> None:
    """Replace the one occurrence of *old* in *path* by *new*."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


_STRICT_FORMATS = {
    ".ttl": "TURTLE",
    ".nt": "N_TRIPLES",
    ".nq": "N_QUADS",
    ".trig": "TRIG",
    ".jsonld": "JSON_LD",
}


def strictly_parsed(path: Path) -> int:
    """Parse an output file with pyoxigraph, a second and strict parser; return its quad count.

    Every output a test writes goes through this, so output that only rdflib accepts cannot pass.
    """
    import pyoxigraph as ox

    rdf_format = getattr(ox.RdfFormat, _STRICT_FORMATS[path.suffix])
    return len(list(ox.parse(path=str(path), format=rdf_format)))


@pytest.fixture(scope="module")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The base URL of a real Oxigraph server (``oxigraph serve``) on a free port of 127.0.0.1,
    with a temporary data folder; stopped after the test module."""
    from servers import OxigraphServer

    server = OxigraphServer(tmp_path_factory.mktemp("oxigraph-server"))
    try:
        yield server.start()
    finally:
        server.stop()


def schema_fields() -> set[str]:
    """Every field name the facts JSON Schema defines, at any depth."""
    from policykg.resources import facts_schema

    fields: set[str] = set()

    def collect(node: object) -> None:
        if isinstance(node, dict):
            fields.update(node.get("properties", {}))
            for value in node.values():
                collect(value)
        elif isinstance(node, list):
            for value in node:
                collect(value)

    collect(facts_schema())
    return fields


@pytest.fixture
def no_ambient_credentials(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No credentials, netrc or proxy from the machine may reach a store test."""
    for name in ("POLICYKG_USER", "POLICYKG_PASSWORD", "POLICYKG_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NETRC", str(tmp_path / "no-netrc"))
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
