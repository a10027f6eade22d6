from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import settings

from policykg.facts.model import READING_FIELDS

# On CI every property test draws the same examples (a red run can be rerun as it was) and no example
# fails for running slowly on a busy two-core machine; locally they draw new ones each run.
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "khamenei-2016"
REGISTRY = ROOT / "examples" / "registry.yaml"
"""The example corpus's registry: the example article refers to its items, so it builds with it."""
MINIMAL = ROOT / "tests" / "data" / "minimal"


def minimal_corpus(
    folder: Path, copies: int, *, own_events: bool = True, registry: bool | None = None
) -> Path:
    """*copies* copies of the minimal facts in *folder*/doc<n>, with document ids minimal-<n>.

    An item is defined in one file only: with several copies (or *registry*), the actors and the
    post go to *folder*/registry.yaml and each copy keeps its reading of them (its quotes). With
    *own_events*, each copy defines its own event and tenure (speech-<n>,
    khamenei-as-supreme-leader-<n>); without, the registry defines them too, and each copy gives
    its reading (its quote, and its date of the speech).
    """
    renames = [
        ("khamenei-as-supreme-leader", "khamenei-as-supreme-leader-{n}"),
        ("  speech:\n", "  speech-{n}:\n"),
        ("event: speech\n", "event: speech-{n}\n"),
        ("about: [speech]", "about: [speech-{n}]"),
    ]
    shared = ("actors", "posts") if own_events else ("actors", "posts", "tenures", "events")
    registry = copies > 1 if registry is None else registry
    for n in range(copies):
        target = folder / f"doc{n}"
        target.mkdir(parents=True)
        (target / "article.txt").write_bytes((MINIMAL / "article.txt").read_bytes())
        text = (MINIMAL / "facts.yaml").read_text(encoding="utf-8")
        if registry:
            text = readings_only(text, {section: READING_FIELDS[section] for section in shared})
        for old, new in [
            ("  id: minimal\n", "  id: minimal-{n}\n"),
            *(renames if own_events else []),
        ]:
            text = text.replace(old, new.format(n=n))
        (target / "facts.yaml").write_text(text, encoding="utf-8")
    if registry:
        (folder / "registry.yaml").write_text(
            yaml.safe_dump(minimal_registry(shared), sort_keys=False, allow_unicode=True),
            encoding="utf-8",
        )
    return folder


def minimal_registry(sections: tuple[str, ...]) -> dict[str, Any]:
    """A registry of the minimal facts' items of *sections*, as their definitions: without
    their quotes, and with a source for tenures and events (the registry's are the curator's)."""
    facts = yaml.safe_load((MINIMAL / "facts.yaml").read_text(encoding="utf-8"))
    registry: dict[str, Any] = {"policykg": 1, "registry": {"title": "The minimal corpus"}}
    for section in sections:
        entries = {}
        for key, entry in facts[section].items():
            entry = {name: value for name, value in entry.items() if name != "quote"}
            if section in ("tenures", "events"):
                entry.pop("asserted_as", None)
                entry.setdefault("source", f"https://example.org/registry/{key}")
            entries[key] = entry
        registry[section] = entries
    return registry


def readings_only(text: str, sections: dict[str, tuple[str, ...]]) -> str:
    """*text*, a facts file, with the items of *sections* cut down to their reading fields (as
    they are written), leaving out the items with no quote to read."""
    out: list[str] = []
    section: str | None = None
    header: list[str] = []
    item: list[str] = []
    keep = True

    def flush() -> None:
        if any(line.startswith("    quote:") for line in item):
            out.extend(header)
            header.clear()
            out.extend(item)
        item.clear()

    for line in text.splitlines(keepends=True):
        indent = len(line) - len(line.lstrip(" "))
        if indent == 0:
            flush()
            header.clear()
            section = line.split(":", 1)[0]
            if section in sections:
                header.append(line)
            else:
                out.append(line)
        elif section not in sections:
            out.append(line)
        elif indent == 2:
            flush()
            item.append(line)
            keep = True
        else:
            if indent == 4:
                keep = line.strip().split(":", 1)[0] in sections[section]
            if keep:
                item.append(line)
    flush()
    return "".join(out)


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


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The base URL of a real Virtuoso (``virtuoso-t``, Debian's ``virtuoso-opensource``) on free
    ports of 127.0.0.1, with a throwaway database folder; stopped after the session. Its
    administrator is ``dba``/``dba``; tests that load graphs drop them afterwards."""
    from servers import VirtuosoServer

    server = VirtuosoServer(tmp_path_factory.mktemp("virtuoso"))
    try:
        yield server.start()
    finally:
        server.stop()
