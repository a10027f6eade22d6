"""SPARQL texts parsed once per process, and kept parsed from one process to the next.

pyshacl hands rdflib each SHACL-SPARQL constraint as text, once per focus node, and rdflib's
pyparsing grammar takes tens of milliseconds per text: more than evaluating the query on an
article's graph. :func:`prepared` parses each text once per process. A fresh process that builds
one edited article (the worker of an incremental build) would still parse every query its
article needs: :func:`parsed_shape_queries` gives the queries of a shapes graph parsed, as bytes
the build cache keeps, and :func:`use_parsed_queries` lets a later process take them from there.

A kept query is rdflib's own parsed ``Query``, pickled. It is named by its text with the text's
``PREFIX`` lines in any order: pyshacl writes a constraint's prefixes in the order of a set of
blank nodes, which differs from one process to the next.
"""

from __future__ import annotations

import io
import pickle
import re
from collections import OrderedDict
from collections.abc import Callable, Iterator
from functools import lru_cache
from types import MethodType
from typing import Any

from pyshacl.constraints.sparql.sparql_based_constraints import SPARQLBasedConstraint
from pyshacl.shapes_graph import ShapesGraph
from rdflib import Graph
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.operators import TrueFilter
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.plugins.sparql.sparql import Query

from policykg.namespaces import SH

MAX_QUERIES = 512
"""The most SPARQL texts kept parsed: policykg's shapes have a few dozen; the bound only matters
for shapes given by a caller."""

Namespaces = tuple[tuple[str, str], ...]
_Name = tuple[Namespaces, str, Namespaces]
"""A query's prefix declarations (sorted), the text after them, and the namespaces given."""

_kept: dict[_Name, bytes] = {}
"""Queries another process parsed (:func:`use_parsed_queries`), pickled, by name."""


@lru_cache(maxsize=MAX_QUERIES)
def prepared(text: str, namespaces: Namespaces) -> Query:
    """The query *text* parsed with *namespaces*, as rdflib's ``prepareQuery`` makes it: taken
    from the queries kept from another process if they hold it, else parsed."""
    name = _name(text, namespaces)
    kept = None if name is None else _kept.get(name)
    if kept is not None:
        try:
            query: Query = pickle.loads(kept)
            return query
        except Exception:  # a kept query that cannot be read is parsed again
            del _kept[name]  # type: ignore[arg-type]
    return prepareQuery(text, initNs=dict(namespaces))


def parsed_shape_queries(*shapes: Graph) -> bytes:
    """Every SHACL-SPARQL constraint query of the *shapes* graphs, as pyshacl sends it, parsed
    and ready for :func:`use_parsed_queries` in another process."""
    kept: dict[_Name, bytes] = {}
    for text in (text for graph in shapes for text in shape_query_texts(graph)):
        name = _name(text, ())
        if name is not None:
            try:
                kept[name] = _pickled(prepared(text, ()))
            except (pickle.PicklingError, TypeError, AttributeError):
                continue  # a parse tree this rdflib cannot pickle: parsed in each process
    return pickle.dumps(kept, protocol=pickle.HIGHEST_PROTOCOL)


def use_parsed_queries(data: bytes) -> None:
    """Take the queries of *data* (from :func:`parsed_shape_queries`) instead of parsing them.
    Data that cannot be read is ignored: its queries are parsed when needed."""
    try:
        kept = pickle.loads(data)
    except Exception:  # unreadable data only means parsing as before
        return
    if isinstance(kept, dict):
        for name, query in kept.items():
            if len(_kept) >= MAX_QUERIES and name not in _kept:
                break
            if isinstance(query, bytes):
                _kept[name] = query


def shape_query_texts(shapes: Graph) -> Iterator[str]:
    """The text of each SHACL-SPARQL constraint of *shapes* as pyshacl queries the data graph
    with it (prefixes declared, ``$PATH`` replaced), made by pyshacl's own code."""
    for shape in ShapesGraph(shapes).shapes:
        if (shape.node, SH.sparql, None) in shapes:
            for helper in SPARQLBasedConstraint(shape).sparql_constraints:
                _, text = helper.pre_bind_variables(shape.node)
                yield helper.apply_prefixes(text)


_PREFIX_LINE = re.compile(r"PREFIX ([^\s:]*): <([^<>\s]*)>\n")


def _name(text: str, namespaces: Namespaces) -> _Name | None:
    """What names *text* whatever the order of its opening ``PREFIX`` lines; ``None`` if it
    declares a prefix twice (then their order matters)."""
    prefixes: dict[str, str] = {}
    position = 0
    while found := _PREFIX_LINE.match(text, position):
        prefix, namespace = found.groups()
        if prefix in prefixes:
            return None
        prefixes[prefix] = namespace
        position = found.end()
    return tuple(sorted(prefixes.items())), text[position:], namespaces


def _pickled(query: Query) -> bytes:
    buffer = io.BytesIO()
    _QueryPickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(query)
    return buffer.getvalue()


class _QueryPickler(pickle.Pickler):
    """Pickles rdflib's parse trees: a node (``CompValue``) takes its name in its constructor,
    which unpickling a dict subclass does not give it, and an evaluable node (``Expr``) holds its
    evaluation function bound to itself."""

    def reducer_override(self, obj: Any) -> Any:
        if obj is TrueFilter:
            return _true_filter, ()
        if isinstance(obj, CompValue):
            attributes = dict(vars(obj))
            function = None
            if isinstance(attributes.get("_evalfn"), MethodType):
                function = attributes.pop("_evalfn").__func__
            items = list(OrderedDict.items(obj))
            return _tree_node, (type(obj), items, attributes, function)
        return NotImplemented


def _tree_node(
    kind: type[CompValue],
    items: list[tuple[str, Any]],
    attributes: dict[str, Any],
    function: Callable[..., Any] | None,
) -> CompValue:
    node = CompValue.__new__(kind)
    OrderedDict.__init__(node)
    OrderedDict.update(node, items)
    vars(node).update(attributes)
    if function is not None:
        node._evalfn = MethodType(function, node)
    return node


def _true_filter() -> CompValue:
    return TrueFilter
