"""The pipeline as a column of named steps: find → load → ground → map → validate → serialize.

Everything here is a plain function over values; nothing prints or exits (that is ``cli``'s job).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from rdflib import Dataset, Graph, URIRef

from policykg.corpus_validation import validate_corpus
from policykg.errors import FactsError, GraphInputError, Location
from policykg.facts import find_facts_files, load_facts
from policykg.grounding import ground_facts
from policykg.mapping import MappedDocument, Origin, map_facts
from policykg.model import FactsFile
from policykg.namespaces import DEFAULT_BASE, ONTOLOGY_IRI, bind_prefixes
from policykg.rdf_files import file_format, jsonld_with_shipped_context
from policykg.resources import ontology_graph
from policykg.serialization import format_for, serialize, write_atomically
from policykg.validation import ValidationReport, validate_graph

Progress = Callable[[str, int, int], None]
"""Called with a stage name, the documents (or validation units) done and their number."""


@dataclass(frozen=True)
class BuildResult:
    """What a build produced: the named graphs to write and, if it ran, the validation report."""

    documents: tuple[MappedDocument, ...]
    graphs: tuple[Graph, ...]
    report: ValidationReport | None
    fact_count: int = 0

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
    jobs: int | None = None,
    progress: Progress | None = None,
) -> BuildResult:
    """Build the graphs of the facts files in *paths* (files or folders).

    With *jobs* > 1 (default: all cores) and several documents, each document is validated
    against the per-document shapes on its own, in *jobs* processes, and the union against the
    cross-document shapes once; with one process the union is validated against all shapes at
    once. The verdict is the same either way. *progress* is called with a stage name
    (``"loading"``, ``"mapping"``, ``"validating"``), the documents done and their number (when
    validating: of the units of documents validated together, usually one document each).

    Raises :class:`~policykg.errors.FactsError` (or a subclass) for bad input; non-conforming
    data is reported in ``result.report``, not raised.
    """
    facts = load_all(paths, progress=progress)
    mapped = []
    for done, item in enumerate(facts, start=1):
        mapped.append(map_facts(item, ground_facts(item), base))
        if progress is not None:
            progress("mapping", done, len(facts))
    documents = tuple(mapped)
    graphs = [document.graph for document in documents]
    report = None
    workers = jobs or os.cpu_count() or 1
    if validate and (workers == 1 or len(graphs) == 1):
        # One process: the whole graph at once is faster than document by document, which
        # pays pyshacl's fixed cost (and the ontology's copy) once per document.
        report = validate_graph(_union(graphs), origins=_origins(documents))
    elif validate:
        report = validate_corpus(
            graphs,
            origins=_origins(documents),
            jobs=workers,
            progress=None if progress is None else partial(progress, "validating"),
        )
    if include_ontology:
        graphs.append(ontology_named_graph())
    fact_count = sum(len(f.items()) for f in facts)
    return BuildResult(documents, tuple(graphs), report, fact_count)


def load_all(paths: Iterable[Path], *, progress: Progress | None = None) -> list[FactsFile]:
    """Load every facts file under *paths*, refusing two files that describe the same document."""
    loaded: list[FactsFile] = []
    seen: dict[str, FactsFile] = {}
    found = list(find_facts_files(paths))
    for done, path in enumerate(found, start=1):
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
        if progress is not None:
            progress("loading", done, len(found))
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
    name = file_format(path)
    if name == "json-ld":
        data = jsonld_with_shipped_context(path)
    else:
        try:
            data = path.read_bytes()
        except OSError as error:
            raise GraphInputError(f"cannot read the file ({error.strerror})", path) from error
    dataset = Dataset()
    try:
        dataset.parse(data=data, format=name)
    except GraphInputError:
        raise
    except Exception as error:  # rdflib's parsers raise many unrelated exception types
        raise GraphInputError(f"cannot be parsed as {name}: {error}", path) from error
    union = Graph()
    for quad in dataset.quads((None, None, None, None)):
        union.add(quad[:3])
    return union


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
