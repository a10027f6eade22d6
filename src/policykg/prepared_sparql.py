"""Parsed SHACL-SPARQL as JSON, so that a process can take it from the build cache instead of
parsing it again.

rdflib parses SPARQL slowly (0.6 s for the shapes' nine queries, two thirds of validating one
article in a fresh process), and its parsed queries do not pickle. A parsed query is a tree of
rdflib's algebra nodes, terms, property paths and plain values; :func:`encode` writes that tree
as JSON and :func:`decode` builds it again, from nothing but those types (operators are named,
and looked up in rdflib's operator module), so a damaged or foreign file can fail to decode but
cannot run anything. A tree holding anything else is not encoded (:class:`ValueError`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from types import FunctionType, MethodType
from typing import Any

from rdflib import BNode, Literal, URIRef, Variable, paths
from rdflib.plugins.sparql import operators
from rdflib.plugins.sparql.parserutils import CompValue, Expr
from rdflib.plugins.sparql.sparql import Prologue, Query

QueryKey = tuple[str, tuple[tuple[str, str], ...]]
"""A query's text and the prefixes it was parsed with, as validation keys its parsed queries."""

_PATHS = {
    cls.__name__: cls
    for cls in (
        paths.InvPath,
        paths.SequencePath,
        paths.AlternativePath,
        paths.MulPath,
        paths.NegatedPath,
    )
}


def encode(queries: Mapping[QueryKey, Query]) -> bytes:
    """*queries* as JSON; raises :class:`ValueError` for a query holding an unknown type."""
    rows = [
        [text, [list(prefix) for prefix in prefixes], _query(query)]
        for (text, prefixes), query in queries.items()
    ]
    return json.dumps(rows, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def decode(data: bytes) -> dict[QueryKey, Query]:
    """The queries :func:`encode` wrote; raises :class:`ValueError` for anything else."""
    try:
        queries = {}
        for text, prefixes, query in json.loads(data):
            key = (str(text), tuple((str(p), str(iri)) for p, iri in prefixes))
            queries[key] = _parsed_query(query)
        return queries
    except (KeyError, TypeError, AttributeError) as error:
        raise ValueError(f"not parsed SPARQL: {error}") from error


def _query(query: Query) -> dict[str, Any]:
    text, namespaces, base = query._original_args
    prologue = query.prologue
    return {
        "base": prologue.base,
        "prefixes": [[p, str(iri)] for p, iri in prologue.namespace_manager.namespaces()],
        "algebra": _value(query.algebra),
        "text": text,
        "namespaces": {str(prefix): str(iri) for prefix, iri in namespaces.items()},
        "original_base": base,
    }


def _parsed_query(data: dict[str, Any]) -> Query:
    prologue = Prologue()
    prologue.base = data["base"]
    for prefix, iri in data["prefixes"]:
        prologue.bind(prefix, URIRef(iri))
    query = Query(prologue, _node(data["algebra"]))
    namespaces = {prefix: URIRef(iri) for prefix, iri in data["namespaces"].items()}
    query._original_args = (data["text"], namespaces, data["original_base"])
    return query


def _value(value: Any) -> Any:
    """*value* as JSON: plain values as they are, everything else a list led by its kind."""
    if value is None or type(value) in (bool, int, float, str):
        return value
    if value is operators.TrueFilter:
        return ["TrueFilter"]
    if isinstance(value, CompValue):
        return _algebra_node(value)
    if isinstance(value, URIRef | Variable | BNode) and type(value) in _TERMS.values():
        return [type(value).__name__, str(value)]
    if type(value) is Literal:
        datatype = None if value.datatype is None else str(value.datatype)
        return ["Literal", str(value), value.language, datatype]
    if type(value) in _PATHS.values():
        return ["Path", type(value).__name__, _value(vars(value))]
    if type(value) in _CONTAINERS.values():
        return [type(value).__name__, [_value(item) for item in value]]
    if type(value) is dict and all(type(key) is str for key in value):
        return ["dict", {key: _value(item) for key, item in value.items()}]
    raise ValueError(f"cannot keep a parsed query holding {type(value).__name__}")


def _algebra_node(node: CompValue) -> list[Any]:
    attributes = {key: value for key, value in vars(node).items() if key != "_evalfn"}
    operator = None
    if isinstance(node, Expr) and node._evalfn is not None:
        function = node._evalfn.__func__
        if getattr(operators, function.__name__, None) is not function:
            raise ValueError(f"cannot keep the operator {function.__qualname__}")
        operator = function.__name__
    items = {key: _value(item) for key, item in dict.items(node)}
    return [type(node).__name__, operator, _value(attributes)[1], items]


def _node(data: Any) -> Any:
    if not isinstance(data, list):
        if isinstance(data, dict):
            raise ValueError("an object where a value was expected")
        return data
    kind, *rest = data
    if kind == "TrueFilter":
        return operators.TrueFilter
    if kind in ("CompValue", "Expr"):
        return _built_node(kind, *rest)
    if kind in _TERMS:
        return _TERMS[kind](rest[0])
    if kind == "Literal":
        lexical, language, datatype = rest
        datatype = None if datatype is None else URIRef(datatype)
        return Literal(lexical, lang=language, datatype=datatype)
    if kind == "Path":
        path = _PATHS[rest[0]].__new__(_PATHS[rest[0]])
        path.__dict__.update(_node(rest[1]))
        return path
    if kind in _CONTAINERS:
        return _CONTAINERS[kind](_node(item) for item in rest[0])
    if kind == "dict":
        return {str(key): _node(item) for key, item in rest[0].items()}
    raise ValueError(f"unknown kind {kind!r}")


def _built_node(
    kind: str, operator: str | None, attributes: dict[str, Any], items: dict[str, Any]
) -> CompValue:
    node = (Expr if kind == "Expr" else CompValue)("")
    for key, item in items.items():
        dict.__setitem__(node, str(key), _node(item))
    for key, item in attributes.items():
        if key.startswith("__"):
            raise ValueError(f"unknown attribute {key!r}")
        setattr(node, key, _node(item))
    if operator is not None:
        function = getattr(operators, operator, None)
        if (
            not isinstance(node, Expr)
            or not isinstance(function, FunctionType)
            or function.__module__ != operators.__name__
        ):
            raise ValueError(f"unknown operator {operator!r}")
        node._evalfn = MethodType(function, node)
    return node


_TERMS: dict[str, type[URIRef | Variable | BNode]] = {
    "URIRef": URIRef,
    "Variable": Variable,
    "BNode": BNode,
}
_CONTAINERS: dict[str, type[list[Any] | tuple[Any, ...] | set[Any] | frozenset[Any]]] = {
    "list": list,
    "tuple": tuple,
    "set": set,
    "frozenset": frozenset,
}
