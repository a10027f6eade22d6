"""The pipeline as a column of named steps: find → load → ground → map → validate → serialize.

Everything here is a plain function over values; nothing prints or exits (that is ``cli``'s job).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rdflib import Dataset, Graph, URIRef

from policykg.errors import FactsError, GraphInputError, Location, UsageError
from policykg.facts import find_facts_files, load_facts
from policykg.grounding import ground_facts
from policykg.mapping import MappedDocument, Origin, map_facts
from policykg.model import FactsFile
from policykg.namespaces import DEFAULT_BASE, ONTOLOGY_IRI, bind_prefixes
from policykg.resources import jsonld_context, ontology_graph
from policykg.serialization import CONTEXT_URL, format_for, serialize, write_atomically
from policykg.validation import ValidationReport, validate_graph


@dataclass(frozen=True)
class BuildResult:
    """What a build produced: the named graphs to write and, if it ran, the validation report."""

    documents: tuple[MappedDocument, ...]
    graphs: tuple[Graph, ...]
    report: ValidationReport | None

    @property
    def triple_count(self) -> int:
        return sum(len(graph) for graph in self.graphs)

    @property
    def origins(self) -> dict[URIRef, Origin]:
        return _origins(self.documents)


def build(
    paths: Iterable[Path],
    *,
    base: str = DEFAULT_BASE,
    validate: bool = True,
    include_ontology: bool = True,
) -> BuildResult:
    """Build the graphs of the facts files in *paths* (files or folders).

    Raises :class:`~policykg.errors.FactsError` (or a subclass) for bad input; non-conforming
    data is reported in ``result.report``, not raised.
    """
    facts = load_all(paths)
    documents = tuple(map_facts(f, ground_facts(f), base) for f in facts)
    graphs = [document.graph for document in documents]
    if include_ontology:
        graphs.append(ontology_named_graph())
    report = None
    if validate:
        report = validate_graph(_union(graphs), origins=_origins(documents))
    return BuildResult(documents, tuple(graphs), report)


def load_all(paths: Iterable[Path]) -> list[FactsFile]:
    """Load every facts file under *paths*, refusing two files that describe the same document."""
    loaded: list[FactsFile] = []
    seen: dict[str, FactsFile] = {}
    for path in find_facts_files(paths):
        facts = load_facts(path)
        earlier = seen.get(facts.document.id)
        if earlier is not None:
            raise FactsError(
                f"the document id '{facts.document.id}' is also used by {earlier.path}:"
                f"{earlier.document.line}",
                Location(path, facts.document.line),
                fact_id=facts.document.id,
                hint="each source document needs its own id",
            )
        seen[facts.document.id] = facts
        loaded.append(facts)
    return loaded


def write_output(
    result: BuildResult, output: Path, *, fmt: str | None = None, embed_context: bool = True
) -> str:
    """Write *result*'s graphs to *output* atomically; return the format used."""
    name = format_for(output, fmt)
    write_atomically(output, serialize(result.graphs, name, embed_context=embed_context))
    return name


def ontology_named_graph() -> Graph:
    """The ontology and its SKOS schemes as the named graph ``https://w3id.org/policykg/ns``."""
    graph = bind_prefixes(Graph(identifier=URIRef(ONTOLOGY_IRI)))
    graph += ontology_graph()
    return graph


def validate_file(
    path: Path, *, facts_paths: Sequence[Path] = (), base: str = DEFAULT_BASE
) -> ValidationReport:
    """Validate an RDF file; with *facts_paths*, report the facts lines its nodes came from."""
    origins: dict[URIRef, Origin] = {}
    for facts in load_all(facts_paths) if facts_paths else ():
        origins.update(map_facts(facts, ground_facts(facts), base).origins)
    return validate_graph(read_graph(path), origins=origins)


def read_graph(path: Path) -> Graph:
    """Read an RDF file in any format policykg writes as one union graph; never fetch anything."""
    try:
        name = format_for(path, None)
    except UsageError as error:
        raise GraphInputError(str(error), path) from error
    try:
        data = path.read_bytes()
    except OSError as error:
        raise GraphInputError(f"cannot read the file ({error.strerror})", path) from error
    dataset = Dataset()
    try:
        if name == "json-ld":
            text = json.dumps(_local_contexts(json.loads(data), path))
            dataset.parse(data=text, format="json-ld")
        else:
            dataset.parse(data=data, format=name)
    except GraphInputError:
        raise
    except Exception as error:  # rdflib's parsers raise many unrelated exception types
        raise GraphInputError(f"cannot be parsed as {name}: {error}", path) from error
    union = Graph()
    for quad in dataset.quads((None, None, None, None)):
        union.add(quad[:3])
    return union


def _local_contexts(value: Any, path: Path) -> Any:
    """Replace policykg's context URL by the shipped context; refuse any other remote context."""
    if isinstance(value, dict):
        result = {}
        for key, item in value.items():
            if key == "@context":
                result[key] = _resolve_context(item, path)
            else:
                result[key] = _local_contexts(item, path)
        return result
    if isinstance(value, list):
        return [_local_contexts(item, path) for item in value]
    return value


def _resolve_context(context: Any, path: Path) -> Any:
    if isinstance(context, list):
        return [_resolve_context(item, path) for item in context]
    if isinstance(context, str):
        if context == CONTEXT_URL:
            return jsonld_context()
        raise GraphInputError(
            f"the JSON-LD context {context!r} is remote and policykg never fetches contexts;"
            " embed it in the file",
            path,
        )
    return context


def _union(graphs: Sequence[Graph]) -> Graph:
    union = Graph()
    for graph in graphs:
        union += graph
    return union


def _origins(documents: Sequence[MappedDocument]) -> dict[URIRef, Origin]:
    merged: dict[URIRef, Origin] = {}
    for document in documents:
        merged.update(document.origins)
    return merged
