"""What ``load --verify`` compares: a graph's content as a fingerprint, the same whether it was
read from the file or back from the store.

Stores normalise some literals (Oxigraph keeps ``"01"^^xsd:nonNegativeInteger`` as
``"1"^^xsd:integer``; Virtuoso 7.2 keeps an ``xsd:duration`` as a bare number, of months for
``"P1Y"`` (``"12"``) and of seconds for ``"P1D"`` (``"86400.0"``), printed to six significant
digits) and relabel blank nodes, so both sides are brought to one form first: typed literals as an
Oxigraph store keeps them (Virtuoso's numbers read back as the durations they stand for), blank
nodes relabelled canonically. A duration Virtuoso could not keep (``"P1Y1D"`` becomes ``"12"``,
``"PT1S"`` ``"1.1"``) differs, and the load does not verify. The digest is the
sum of the SHA-256 of each triple's N-Triples line, which does not depend on their order, so no
side is sorted or held twice; only typed and blank-node triples pass through an in-memory store.

>>> s, p = ox.NamedNode("http://e.org/s"), ox.NamedNode("http://e.org/p")
>>> def number(text, datatype):
...     return ox.Triple(s, p, ox.Literal(text, datatype=ox.NamedNode(XSD + datatype)))
>>> Fingerprint.of([number("01", "nonNegativeInteger")]) == Fingerprint.of([number("1", "integer")])
True
>>> week = Fingerprint.of([number("-P7D", "duration")])
>>> week == Fingerprint.of([number("-604800.0", "duration")])
True
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import pyoxigraph as ox

XSD = "http://www.w3.org/2001/XMLSchema#"
_KEPT_AS_WRITTEN = frozenset(
    {XSD + "string", "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"}
)
_MODULUS = 2**256
_DURATION = XSD + "duration"
_MONTHS = re.compile(r"-?[0-9]+")
_SECONDS = re.compile(r"-?(?:[0-9]+\.[0-9]*(?:[eE][-+]?[0-9]+)?|[0-9]+[eE][-+]?[0-9]+)")


@dataclass(frozen=True)
class Fingerprint:
    """A graph's number of triples and a digest of its content in the form described above."""

    triples: int
    digest: str

    @classmethod
    def of(cls, triples: Iterable[ox.Triple]) -> Fingerprint:
        """The fingerprint of the graph made of *triples* (without duplicates)."""
        total, count = 0, 0
        typed, blank = ox.Store(), ox.Store()
        for triple in triples:
            if _has_blank_node(triple):
                blank.add(_quad(triple))
            elif _is_typed(triple.object):
                typed.add(_quad(_read_duration(triple)))
            else:
                total, count = total + _line_hash(triple), count + 1
        for quad in typed:  # as the store keeps it, and without the duplicates it folds
            total, count = total + _line_hash(quad.triple), count + 1
        if len(blank):
            relabelled = ox.Dataset(blank)
            relabelled.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
            for quad in relabelled:
                total, count = total + _line_hash(quad.triple), count + 1
        return cls(count, f"{total % _MODULUS:064x}")


def _has_blank_node(triple: ox.Triple) -> bool:
    return isinstance(triple.subject, ox.BlankNode) or isinstance(triple.object, ox.BlankNode)


def _is_typed(term: object) -> bool:
    return isinstance(term, ox.Literal) and term.datatype.value not in _KEPT_AS_WRITTEN


def _read_duration(triple: ox.Triple) -> ox.Triple:
    """*triple*, with a duration that Virtuoso wrote as a number written as a duration."""
    value = triple.object
    if not isinstance(value, ox.Literal) or value.datatype.value != _DURATION:
        return triple
    text = value.value
    sign = "-" if text.startswith("-") else ""
    if _MONTHS.fullmatch(text):
        lexical = f"{sign}P{text.lstrip('-')}M"
    elif _SECONDS.fullmatch(text):
        try:
            seconds = abs(Decimal(text))
        except InvalidOperation:
            return triple
        lexical = f"{sign}PT{seconds:f}S"
    else:
        return triple
    duration = ox.Literal(lexical, datatype=value.datatype)
    return ox.Triple(triple.subject, triple.predicate, duration)


def _quad(triple: ox.Triple) -> ox.Quad:
    return ox.Quad(triple.subject, triple.predicate, triple.object, ox.DefaultGraph())


def _line_hash(triple: ox.Triple) -> int:
    return int.from_bytes(hashlib.sha256(f"{triple} .\n".encode()).digest(), "big")
