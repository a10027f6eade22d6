"""The last stage: a built graph as one self-contained HTML page to read it by.

The page (template, style and scripts in ``data/report/``, with the vendored cytoscape.js) draws a
timeline, a graph of actors and positions, every fact with its quotes in the source text, and the
validation verdict. All data goes into the page as JSON and is put into the document by the scripts
as text, never as markup; a Content-Security-Policy lets only the page's own scripts run and
forbids every network request. ``policykg.report`` wraps :func:`build_report`; ``docs/api.md``
shows it at work.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from rdflib import Graph, URIRef

from policykg.build.pipeline import load_all, read_checked_graphs, validate_dataset
from policykg.errors import ResourceError, UsageError
from policykg.facts.grounding import ground_facts
from policykg.facts.model import FactsFile
from policykg.html.report_data import report_data
from policykg.namespaces import DEFAULT_BASE, PKG
from policykg.outputs import write_atomically
from policykg.rdf.files import union_graph
from policykg.rdf.mapping import Origin, map_facts
from policykg.validate.shacl import ValidationReport

_ASSETS = Path(__file__).resolve().parent.parent / "data" / "report"
_SLOT = re.compile(r"\{\{(\w+)\}\}")
LIBRARY = "cytoscape.min.js"
"""The vendored graph library (cytoscape.js, MIT; its licence header is kept in the file)."""
_SCRIPTS = ("report-base.js", LIBRARY, "report-timeline.js", "report-graph.js", "report.js")
"""The page's scripts in the order they run: shared helpers, the library, then each part."""


@dataclass(frozen=True)
class Report:
    """A rendered report page and what it shows."""

    html: str
    documents: int
    facts: int
    full_text: bool
    validation: ValidationReport

    def write(self, path: Path) -> None:
        """Write the page to *path* atomically, as UTF-8."""
        write_atomically(path, self.html.encode("utf-8"))

    def describe(self, path: Path) -> str:
        quotes = "quotes in the full text" if self.full_text else "quotes with their context"
        verdict = (
            "conforms"
            if self.validation.conforms
            else f"does not conform ({len(self.validation.violations)} result(s))"
        )
        return (
            f"{path}: {self.documents} document(s), {self.facts} events and claims on the"
            f" timeline, {quotes}, {verdict}"
        )


def build_report(
    graph_path: Path, *, facts_paths: Sequence[Path] = (), base: str = DEFAULT_BASE
) -> Report:
    """Read and validate the graph at *graph_path* and render its report page.

    With *facts_paths* (the facts the graph was built from, built with *base*), the page shows each
    quote inside its document's full text and the violations name their facts lines.
    Raises :class:`~policykg.errors.GraphInputError` for an unreadable graph,
    :class:`~policykg.errors.FactsError` for bad facts, and :class:`~policykg.errors.UsageError`
    when a facts file describes no document of the graph.
    """
    graphs = read_checked_graphs(graph_path)
    graph = union_graph(graphs)
    facts = load_all(facts_paths) if facts_paths else []
    texts = _texts_by_document(graph, facts, graph_path)
    validation = validate_dataset(graphs, origins=_origins(facts, base))
    data = report_data(graph, texts=texts, validation=validation)
    return Report(
        html=_render(data),
        documents=len(data["documents"]),
        facts=len(data["facts"]),
        full_text=bool(texts),
        validation=validation,
    )


def render_report(graph: Graph, *, texts: Mapping[str, str], validation: ValidationReport) -> str:
    """The report page of *graph*; *texts* maps document IRIs to their full text (may be empty)."""
    return _render(report_data(graph, texts=texts, validation=validation))


def _render(data: Mapping[str, Any]) -> str:
    scripts = [_asset(name) for name in _SCRIPTS]
    return _fill(
        _asset("report.html"),
        {
            "title": html.escape(_title(data), quote=True),
            "csp": html.escape(_content_security_policy(scripts), quote=True),
            "style": _asset("report.css"),
            "data": script_json(data),
            "scripts": "\n".join(f"<script>{script}</script>" for script in scripts),
        },
    )


def script_json(value: Any) -> str:
    """*value* as JSON that is safe inside ``<script type="application/json">``.

    ``<``, ``>`` and ``&`` are written as ``\\u003c`` …, so no text in the data (a label holding
    ``</script>``, say) can end the element or start a comment; ``JSON.parse`` reads them back.

    >>> print(script_json({"label": "</script>", "n": 1}))
    {"label":"\\u003c/script\\u003e","n":1}
    """
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _texts_by_document(
    graph: Graph, facts: Sequence[FactsFile], graph_path: Path
) -> dict[str, str]:
    """Match each facts file's text to the graph's document whose SHA-256 it has."""
    documents = {str(digest): str(doc) for doc, digest in graph.subject_objects(PKG.textSha256)}
    texts: dict[str, str] = {}
    for item in facts:
        digest = hashlib.sha256(item.text.encode("utf-8")).hexdigest()
        document = documents.get(digest)
        if document is None:
            raise UsageError(
                f"{item.path}: its text {item.document.text_path} is not the text of any document"
                f" in {graph_path} (no pkg:textSha256 matches): give the facts the graph was"
                " built from"
            )
        texts[document] = item.text
    return texts


def _origins(facts: Sequence[FactsFile], base: str) -> dict[URIRef, Origin]:
    origins: dict[URIRef, Origin] = {}
    for item in facts:
        origins.update(map_facts(item, ground_facts(item), base).origins)
    return origins


def _title(data: Mapping[str, Any]) -> str:
    documents = data["documents"]
    if len(documents) == 1:
        return f"{documents[0]['title']} · policykg report"
    return f"{len(documents)} documents · policykg report"


def _content_security_policy(scripts: Sequence[str]) -> str:
    """Only these inline scripts may run, and nothing may be fetched.

    Styles stay ``'unsafe-inline'``: cytoscape.js writes its own inline styles, and no data ever
    becomes markup that could carry one.
    """
    scripts_allowed = " ".join(_hash_source(script) for script in scripts)
    return (
        f"default-src 'none'; script-src {scripts_allowed}; style-src 'unsafe-inline';"
        " img-src data:; base-uri 'none'; form-action 'none'"
    )


def _hash_source(text: str) -> str:
    digest = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")
    return f"'sha256-{digest}'"


def _fill(template: str, values: Mapping[str, str]) -> str:
    """Put *values* into the ``{{slot}}``s of *template* in one pass (values are not rescanned)."""

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in values:
            raise ResourceError(f"the report template has an unknown slot {{{{{name}}}}}")
        return values[name]

    return _SLOT.sub(value, template)


@cache
def _asset(name: str) -> str:
    path = _ASSETS / name
    try:
        return path.read_text(encoding="utf-8")
    except OSError as error:
        raise ResourceError(f"policykg is incomplete: data/report/{name} was not found") from error
