"""Event data from a built graph: one row per coded fact, with the columns event-data users expect.

A coded fact is an event, statement, stance or other claim with a ``pkg:cameoCode``. Its row holds
its date and the precision the graph gives it (a month stays ``2015-04``, never a made-up day),
its source and target actors, the CAMEO code with its label, Goldstein value and quad class (from
:mod:`policykg.export.cameo`), who asserts it, its certainty and factual polarity, its first quote
with the quote's offsets, its document and the named graph it is in. The graph is read as
``policykg query`` reads it (a file or folder of outputs, a store folder, an endpoint) and asked
a few SPARQL questions; the rows are assembled here and sorted by date, then fact IRI.
"""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from policykg.errors import UsageError
from policykg.export import sparql
from policykg.export.cameo import cameo_codes
from policykg.outputs import write_atomically
from policykg.store.querying import Endpoint, open_source, run_query
from policykg.store.results import Solutions, Term

EXPORT_FORMATS = ("csv", "jsonl")

COLUMNS = (
    "fact_iri",
    "fact_kind",
    "summary",
    "date",
    "date_precision",
    "dated_by",
    "document_published",
    "source_name",
    "source_wikidata",
    "source_country",
    "target_name",
    "target_wikidata",
    "target_country",
    "cameo_code",
    "cameo_label",
    "goldstein",
    "quad_class",
    "quad_class_label",
    "asserted_as",
    "asserted_by",
    "certainty",
    "factual_polarity",
    "stance_polarity",
    "quote",
    "quote_start",
    "quote_end",
    "quote_count",
    "document_url",
    "publisher",
    "curator_source",
    "graph",
)

Cell = str | int | float | None

_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
_OWL = "http://www.w3.org/2002/07/owl#"
_XSD = "http://www.w3.org/2001/XMLSchema#"
_PKG = "https://w3id.org/policykg/ns#"
_SEM = "http://semanticweb.cs.vu.nl/2009/11/sem/"
_TIME = "http://www.w3.org/2006/time#"
_PROV = "http://www.w3.org/ns/prov#"
_SCHEMA = "https://schema.org/"
_CAMEO = "https://w3id.org/policykg/cameo/"
_WIKIDATA = "http://www.wikidata.org/entity/"
_TYPE = _RDF + "type"
_LABEL = _RDFS + "label"
_PRECISIONS = {_XSD + "date": "day", _XSD + "gYearMonth": "month", _XSD + "gYear": "year"}
_DATE_PROPERTIES = (_TIME + "inXSDDate", _TIME + "inXSDgYearMonth", _TIME + "inXSDgYear")
_KINDS = ((_SEM + "Event", "event"), (_PKG + "Statement", "statement"), (_PKG + "Stance", "stance"))

Properties = dict[str, dict[str, list[Term]]]


@dataclass(frozen=True)
class EventTable:
    """The event data of a graph: :data:`COLUMNS`, and one row of cells per coded fact.

    A cell is text, a number (``goldstein``, ``quad_class``, quote offsets and count) or
    ``None`` where the graph says nothing.
    """

    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]

    def to_csv(self) -> bytes:
        """The table as CSV (RFC 4180 quoting, ``\\n`` line ends, a header row; empty: nothing)."""
        text = io.StringIO()
        writer = csv.writer(text, lineterminator="\n")
        writer.writerow(self.columns)
        writer.writerows(["" if cell is None else cell for cell in row] for row in self.rows)
        return text.getvalue().encode("utf-8")

    def to_jsonl(self) -> bytes:
        """The table as JSON Lines: one object per row, its keys in column order."""
        lines = (
            json.dumps(dict(zip(self.columns, row, strict=True)), ensure_ascii=False) + "\n"
            for row in self.rows
        )
        return "".join(lines).encode("utf-8")

    def serialize(self, fmt: str) -> bytes:
        """The table in *fmt*, ``csv`` or ``jsonl``."""
        if fmt == "csv":
            return self.to_csv()
        if fmt == "jsonl":
            return self.to_jsonl()
        raise UsageError(f"unknown export format {fmt!r}: use one of {', '.join(EXPORT_FORMATS)}")

    def write(self, path: Path, fmt: str | None = None) -> None:
        """Write the table to *path* atomically, in *fmt* (default: ``jsonl`` for a ``.jsonl``
        file, else ``csv``)."""
        write_atomically(path, self.serialize(fmt or export_format(path)))

    def describe(self, path: Path | str) -> str:
        """One line for the user: how many rows went where."""
        return f"{path}: {len(self.rows)} coded fact(s)"


def export_format(path: Path) -> str:
    """The export format a file name asks for: ``jsonl`` for ``.jsonl`` or ``.ndjson``, else
    ``csv``."""
    return "jsonl" if path.suffix.lower() in (".jsonl", ".ndjson") else "csv"


def event_table(
    source: str | Path | ox.Store | Endpoint, *, day_precision_only: bool = False
) -> EventTable:
    """The event data of *source*: any graph ``policykg query`` reads, or a pyoxigraph store.

    :param day_precision_only: leave out the rows whose date is not one known day.
    :raises GraphInputError: an unreadable source (as :func:`policykg.query` raises it).
    :raises StoreError: a store or endpoint that fails.
    """
    opened = source if isinstance(source, (ox.Store, Endpoint)) else open_source(source)
    facts = _properties(run_query(opened, sparql.FACTS))
    nodes = _properties(run_query(opened, sparql.NEIGHBOURS))
    nodes.update(_properties(run_query(opened, sparql.FARTHER)))
    nodes.update(_properties(run_query(opened, sparql.FARTHEST)))
    countries = _countries(
        _pairs(run_query(opened, sparql.STATES), value=1),
        _pairs(run_query(opened, sparql.TENURES), value=1),
    )
    evidence = _evidence(run_query(opened, sparql.EVIDENCE))
    graphs = _pairs(run_query(opened, sparql.GRAPHS), value=1)
    rows = []
    for fact in facts:
        for code in _iris(facts[fact], _PKG + "cameoCode"):
            row = _row(fact, code, facts[fact], nodes, countries, evidence.get(fact, []), graphs)
            if not day_precision_only or row[1]["date_precision"] == "day":
                rows.append(row)
    rows.sort(key=lambda pair: pair[0])
    return EventTable(COLUMNS, tuple(tuple(cells[c] for c in COLUMNS) for _, cells in rows))


def _row(
    fact: str,
    code: str,
    properties: dict[str, list[Term]],
    nodes: Properties,
    countries: dict[str, list[str]],
    evidence: list[tuple[int, str, str, int, int]],
    graphs: dict[str, list[str]],
) -> tuple[tuple[str, str, str], dict[str, Cell]]:
    kind = _kind(properties)
    date, precision, dated_by, earliest = _date(properties, nodes)
    if kind == "event":
        sources = [a for a in _iris(properties, _SEM + "hasActor") if not _is_role(a, nodes)]
    else:
        sources = _iris(properties, _PKG + "speaker") + _iris(properties, _PKG + "holder")
    targets = _iris(properties, _PKG + "target")
    derived_from = _iris(properties, _PROV + "wasDerivedFrom")
    document = next((d for d in derived_from if _SCHEMA + "url" in nodes.get(d, {})), None)
    document_properties = nodes.get(document, {}) if document else {}
    cameo = cameo_codes().get(code.removeprefix(_CAMEO))
    first = evidence[0] if evidence else None
    cells: dict[str, Cell] = {
        "fact_iri": fact,
        "fact_kind": kind,
        "summary": _text(properties, _LABEL),
        "date": date,
        "date_precision": precision,
        "dated_by": dated_by,
        "document_published": _published(document_properties, nodes),
        **_actor_cells("source", sources, nodes, countries),
        **_actor_cells("target", targets, nodes, countries),
        "cameo_code": code.removeprefix(_CAMEO),
        "cameo_label": cameo.label if cameo else None,
        "goldstein": cameo.goldstein if cameo else None,
        "quad_class": cameo.quad_class if cameo else None,
        "quad_class_label": cameo.quad_class_label if cameo else None,
        "asserted_as": _local(_text(properties, _PKG + "assertionMode")),
        "asserted_by": _names(_iris(properties, _PKG + "assertedBy"), nodes),
        "certainty": _local(_text(properties, _PKG + "certainty")) or "certain",
        "factual_polarity": _local(_text(properties, _PKG + "factualPolarity")) or "positive",
        "stance_polarity": _local(_text(properties, _PKG + "polarity")),
        "quote": first[2] if first else None,
        "quote_start": first[3] if first else None,
        "quote_end": first[4] if first else None,
        "quote_count": len(evidence),
        "document_url": _text(document_properties, _SCHEMA + "url"),
        "publisher": _names(_iris(document_properties, _SCHEMA + "publisher"), nodes),
        "curator_source": _joined(_iris(properties, _PROV + "hadPrimarySource")),
        "graph": _joined(graphs.get(fact, [])),
    }
    # Undated rows last; "~" sorts after every digit.
    return (earliest or "~", fact, code), cells


def _countries(states: dict[str, list[str]], tenures: dict[str, list[str]]) -> dict[str, list[str]]:
    """Each actor's countries, by name: itself if a state, else the states it holds posts of."""
    found: dict[str, set[str]] = defaultdict(set)
    for state, names in states.items():
        found[state].update(names[:1])
    for actor, organizations in tenures.items():
        if actor not in states:
            for organization in organizations:
                found[actor].update(states.get(organization, [])[:1])
    return {actor: sorted(names) for actor, names in found.items() if names}


def _published(document: dict[str, list[Term]], nodes: Properties) -> str | None:
    """The document's publication date, else its first publication's (``schema:isBasedOn``)."""
    own = _text(document, _SCHEMA + "datePublished")
    if own is not None:
        return own
    for first in _iris(document, _SCHEMA + "isBasedOn"):
        return _text(nodes.get(first, {}), _SCHEMA + "datePublished")
    return None


def _kind(properties: dict[str, list[Term]]) -> str:
    types = set(_iris(properties, _TYPE))
    return next((kind for iri, kind in _KINDS if iri in types), "claim")


def _date(
    properties: dict[str, list[Term]], nodes: Properties
) -> tuple[str | None, str, str | None, str | None]:
    """The fact's date, its precision, what it is the date of, and its earliest bound (to sort
    on): the fact's own time, else the time of the event it was stated at."""
    candidates = [(time, "fact") for time in _iris(properties, _TIME + "hasTime")]
    for event in _iris(properties, _PKG + "statedAt"):
        candidates += [(time, "event") for time in _iris(nodes.get(event, {}), _TIME + "hasTime")]
    for time, dated_by in candidates:
        date, precision = _time_value(time, nodes)
        if precision != "undated":
            return date, precision, dated_by, _earliest(time, nodes)
    return None, "undated", None, None


def _time_value(time: str, nodes: Properties) -> tuple[str | None, str]:
    """A time as ISO 8601 text and its precision: ``day``, ``month``, ``year``, ``interval``
    (an event from one date to another), ``range`` (one day the text does not name, between
    bounds) or ``undated``."""
    properties = nodes.get(time, {})
    literal = _date_literal(properties)
    if literal is not None:
        return literal.value, _PRECISIONS.get(literal.datatype.value, "day")
    begin, end = _iris(properties, _TIME + "hasBeginning"), _iris(properties, _TIME + "hasEnd")
    if begin or end:
        ends = [_date_literal(nodes.get(node[0], {})) if node else None for node in (begin, end)]
        return "/".join(e.value if e is not None else ".." for e in ends), "interval"
    earliest = _text(properties, _PKG + "earliest")
    latest = _text(properties, _PKG + "latest")
    if earliest is None and latest is None:
        return None, "undated"
    if _is_day_start(earliest) and _is_day_end(latest):
        return f"{_day(earliest)}/{_day(latest)}", "range"
    return f"{earliest or '..'}/{latest or '..'}", "range"


def _date_literal(properties: dict[str, list[Term]]) -> ox.Literal | None:
    for name in _DATE_PROPERTIES:
        for value in properties.get(name, []):
            if isinstance(value, ox.Literal):
                return value
    return None


def _earliest(time: str, nodes: Properties) -> str | None:
    properties = nodes.get(time, {})
    own = _text(properties, _PKG + "earliest")
    if own is not None:
        return own
    begin = _iris(properties, _TIME + "hasBeginning")
    return _text(nodes.get(begin[0], {}), _PKG + "earliest") if begin else None


def _is_day_start(value: str | None) -> bool:
    return value is None or value.endswith("T00:00:00")


def _is_day_end(value: str | None) -> bool:
    return value is None or value.endswith("T23:59:59")


def _day(value: str | None) -> str:
    return ".." if value is None else value[:10]


def _actor_cells(
    role: str, actors: Sequence[str], nodes: Properties, countries: dict[str, list[str]]
) -> dict[str, Cell]:
    """Name, Wikidata id and country of *actors*, each column joined with ``"; "`` in the same
    actor order (an empty entry where one is not known)."""
    if not actors:
        return {f"{role}_name": None, f"{role}_wikidata": None, f"{role}_country": None}
    return {
        f"{role}_name": "; ".join(_text(nodes.get(a, {}), _LABEL) or a for a in actors),
        f"{role}_wikidata": _aligned(_wikidata(a, nodes) for a in actors),
        f"{role}_country": _aligned(" & ".join(countries.get(a, [])) for a in actors),
    }


def _wikidata(actor: str, nodes: Properties) -> str:
    ids = [i.removeprefix(_WIKIDATA) for i in _iris(nodes.get(actor, {}), _OWL + "sameAs")]
    return " & ".join(i for i in ids if not i.startswith("http"))


def _aligned(values: Iterable[str]) -> str | None:
    listed = list(values)
    return "; ".join(listed) if any(listed) else None


def _is_role(node: str, nodes: Properties) -> bool:
    return _RDF + "value" in nodes.get(node, {})


def _names(actors: Sequence[str], nodes: Properties) -> str | None:
    return _joined([_text(nodes.get(a, {}), _LABEL) or a for a in actors])


def _joined(values: Sequence[str]) -> str | None:
    return "; ".join(values) if values else None


def _local(iri: str | None) -> str | None:
    return None if iri is None else iri.rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def _iris(properties: dict[str, list[Term]], name: str) -> list[str]:
    return [v.value for v in properties.get(name, []) if isinstance(v, ox.NamedNode)]


def _text(properties: dict[str, list[Term]], name: str) -> str | None:
    values = properties.get(name, [])
    return values[0].value if values and not isinstance(values[0], ox.Triple) else None


def _properties(answer: object) -> Properties:
    """``?s ?p ?o`` rows as subject → property → values, each list sorted and without repeats."""
    found: Properties = defaultdict(lambda: defaultdict(list))
    for s, p, o in _solutions(answer).rows:
        if isinstance(s, ox.NamedNode) and isinstance(p, ox.NamedNode) and o is not None:
            values = found[s.value][p.value]
            if o not in values:
                values.append(o)
    for properties in found.values():
        for values in properties.values():
            values.sort(key=str)
    return {s: dict(properties) for s, properties in found.items()}


def _pairs(answer: object, *, value: int) -> dict[str, list[str]]:
    """The first column's IRI → the sorted, distinct texts of column *value*."""
    found: dict[str, set[str]] = defaultdict(set)
    for row in _solutions(answer).rows:
        key, term = row[0], row[value]
        if isinstance(key, ox.NamedNode) and isinstance(term, (ox.NamedNode, ox.Literal)):
            found[key.value].add(term.value)
    return {key: sorted(values) for key, values in found.items()}


def _evidence(answer: object) -> dict[str, list[tuple[int, str, str, int, int]]]:
    """Each fact's quotes, in text order: (start, annotation, exact text, start, end)."""
    found: dict[str, set[tuple[int, str, str, int, int]]] = defaultdict(set)
    for fact, annotation, exact, start, end in _solutions(answer).rows:
        terms = (fact, annotation, exact, start, end)
        if not all(isinstance(term, (ox.NamedNode, ox.Literal)) for term in terms):
            continue
        fact_iri, annotation_iri, text, begin, finish = (t.value for t in terms)  # type: ignore[union-attr]
        start_at = int(begin)
        found[fact_iri].add((start_at, annotation_iri, text, start_at, int(finish)))
    return {fact: sorted(quotes) for fact, quotes in found.items()}


def _solutions(answer: object) -> Solutions:
    if not isinstance(answer, Solutions):  # the queries above are all SELECT
        raise TypeError(f"expected SELECT solutions, got {type(answer).__name__}")
    return answer
