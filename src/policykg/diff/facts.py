"""The triples of one named graph grouped into facts: a subject IRI with the nodes it owns.

policykg mints no blank nodes: what a fact says in more than one node (a time with its interval
ends and their descriptions, an evidence annotation with its target and selectors, a source's
factuality, a role in an event) has an IRI of its own, linked to the fact by the properties in
:data:`OWNING` (or, for an annotation, by its ``oa:hasBody``). Following those links back gives
each node its owner, so that a changed date precision is reported on the statement or event it
dates, not as a change of ``…/time/description``. Blank nodes (in files policykg did not write)
are folded into the value that points at them, written as a canonical ``[ <p> o ; … ]``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TypeAlias, cast

import pyoxigraph as ox
from rdflib.namespace import RDF, TIME

from policykg.namespaces import OA, ORG, PKG, SCHEMA, SEM

OWNING: frozenset[str] = frozenset(
    str(term)
    for term in (
        TIME.hasTime,
        TIME.hasBeginning,
        TIME.hasEnd,
        TIME.inDateTime,
        ORG.memberDuring,
        OA.hasTarget,
        OA.hasSelector,
        PKG.factuality,
        SCHEMA.publishingPrinciples,
        SCHEMA.isBasedOn,
    )
)
"""Properties whose object is a part of their subject (when the object's triples are in the
same graph): the times of facts and of their interval ends, the targets and selectors of
annotations, further sources' factuality, a document's disclaimer and its first publication.
``sem:hasActor`` owns its object when that is a ``sem:Role``; an annotation is owned by its
``oa:hasBody``."""

_HAS_BODY = str(OA.hasBody)
_HAS_ACTOR = str(SEM.hasActor)
_TYPE = str(RDF.type)
_ROLE = ox.NamedNode(str(SEM.Role))
_EXACT = str(OA.exact)


@dataclass(frozen=True, order=True)
class BlankValue:
    """A blank node, as the canonical text of its triples (nested blank nodes inside)."""

    text: str

    def __str__(self) -> str:
        return self.text


Value: TypeAlias = ox.NamedNode | ox.Literal | BlankValue
Subject: TypeAlias = ox.NamedNode | ox.BlankNode


@dataclass(frozen=True)
class Step:
    """One link from an owner towards a node it owns: a property, read backwards if *inverse*."""

    property: str
    inverse: bool = False


@dataclass(frozen=True)
class Node:
    """A node of a fact: its path from the fact's own IRI (empty for the fact) and its values
    by property IRI."""

    path: tuple[Step, ...]
    properties: Mapping[str, frozenset[Value]]


@dataclass(frozen=True)
class Fact:
    """A subject IRI of one graph with every node it owns (itself under its own IRI, if the
    graph says anything of it: the fact of an article's mention of a registry actor is only the
    annotations of its quotes)."""

    iri: str
    nodes: Mapping[str, Node]

    @property
    def quotes(self) -> tuple[str, ...]:
        """The exact quotes of the fact's evidence, in the order of their annotations."""
        return tuple(
            value.value
            for name in sorted(self.nodes, key=natural_key)
            for value in sorted(self.nodes[name].properties.get(_EXACT, ()), key=str)
            if isinstance(value, ox.Literal)
        )


def natural_key(text: str) -> tuple[tuple[tuple[int, int | str], ...], str]:
    """A sort key that puts ``…/2`` before ``…/10``; ties (``…/1``, ``…/01``) go by the text."""
    parts = tuple(
        (0, int(part)) if part.isdigit() else (1, part) for part in re.split(r"(\d+)", text) if part
    )
    return parts, text


def group_facts(triples: Iterable[ox.Triple]) -> dict[str, Fact]:
    """The facts of one graph's *triples*, by fact IRI (RDF 1.2 triple terms are refused when
    files are read, so none is here)."""
    named: dict[str, list[tuple[str, Subject | ox.Literal]]] = defaultdict(list)
    blank: dict[str, list[tuple[str, Subject | ox.Literal]]] = defaultdict(list)
    for triple in triples:
        subject, value = triple.subject, cast(Subject | ox.Literal, triple.object)
        assert not isinstance(subject, ox.Triple)
        (blank if isinstance(subject, ox.BlankNode) else named)[subject.value].append(
            (triple.predicate.value, value)
        )
    folder = _BlankFolder(blank)
    described = {iri: _properties(pairs, folder) for iri, pairs in named.items()}
    parents = _parents(named, described)
    nodes: dict[str, dict[str, Node]] = defaultdict(dict)
    for iri, properties in described.items():
        owner, path = _owner(iri, parents)
        nodes[owner][iri] = Node(path, properties)
    for label, text in folder.unreferenced():
        nodes[text][text] = Node((), _properties(blank[label], folder))
    return {iri: Fact(iri, owned) for iri, owned in nodes.items()}


def _properties(
    pairs: Iterable[tuple[str, Subject | ox.Literal]], folder: _BlankFolder
) -> dict[str, frozenset[Value]]:
    found: dict[str, set[Value]] = defaultdict(set)
    for predicate, value in pairs:
        found[predicate].add(folder.value(value))
    return {predicate: frozenset(values) for predicate, values in found.items()}


def _parents(
    named: Mapping[str, Iterable[tuple[str, Subject | ox.Literal]]],
    described: Mapping[str, Mapping[str, frozenset[Value]]],
) -> dict[str, tuple[str, Step]]:
    """Each owned node's owner and the step from it; of several, the least, so it is stable."""
    found: dict[str, set[tuple[str, Step]]] = defaultdict(set)
    for subject, pairs in named.items():
        for predicate, value in pairs:
            if not isinstance(value, ox.NamedNode):
                continue
            if predicate == _HAS_BODY:
                found[subject].add((value.value, Step(predicate, inverse=True)))
            elif value.value in described and (
                predicate in OWNING
                or (predicate == _HAS_ACTOR and _ROLE in described[value.value].get(_TYPE, ()))
            ):
                found[value.value].add((subject, Step(predicate)))
    return {
        node: min(options, key=lambda o: (o[0], o[1].property, o[1].inverse))
        for node, options in found.items()
    }


def _owner(iri: str, parents: Mapping[str, tuple[str, Step]]) -> tuple[str, tuple[Step, ...]]:
    """The fact that owns *iri* and the path from it (a cycle stops before it closes)."""
    path: list[Step] = []
    seen = {iri}
    current = iri
    while current in parents:
        parent, step = parents[current]
        if parent in seen:
            break
        seen.add(parent)
        path.append(step)
        current = parent
    return current, tuple(reversed(path))


class _BlankFolder:
    """Blank nodes written as the canonical ``[ <p> o ; … ]`` of their triples, nested."""

    def __init__(self, blank: Mapping[str, list[tuple[str, Subject | ox.Literal]]]) -> None:
        self._blank = blank
        self._texts: dict[str, str] = {}
        self._referenced: set[str] = set()

    def value(self, term: Subject | ox.Literal) -> Value:
        if not isinstance(term, ox.BlankNode):
            return term
        self._referenced.add(term.value)
        return BlankValue(self._text(term.value, frozenset()))

    def _text(self, label: str, inside: frozenset[str]) -> str:
        if label in inside:
            return "[ … ]"  # a cycle of blank nodes: no canonical form is attempted
        if not inside and label in self._texts:
            return self._texts[label]
        # Nested texts are not kept: inside a cycle a node's text depends on where it was entered.
        parts = sorted(
            f"<{predicate}> "
            + (
                self._text(value.value, inside | {label})
                if isinstance(value, ox.BlankNode)
                else str(value)
            )
            for predicate, value in self._blank.get(label, ())
        )
        text = "[ " + " ; ".join(parts) + " ]" if parts else "[]"
        if not inside:
            self._texts[label] = text
        return text

    def unreferenced(self) -> list[tuple[str, str]]:
        """Blank subjects that no IRI's value reaches, each with its text (its own fact): those
        no other blank node points at, and one of each cycle that none of them reaches."""
        inner: dict[str, set[str]] = {
            label: {value.value for _, value in pairs if isinstance(value, ox.BlankNode)}
            for label, pairs in self._blank.items()
        }
        reached = _closure(self._referenced, inner)
        pointed_at = {label for labels in inner.values() for label in labels}
        roots = sorted(set(self._blank) - reached - pointed_at)
        reached |= _closure(set(roots), inner)
        while left := set(self._blank) - reached:  # cycles of unreferenced nodes
            # The least text, not the least label: labels differ between parses of one file.
            root = min(left, key=lambda label: (self._text(label, frozenset()), label))
            roots.append(root)
            reached |= _closure({root}, inner)
        return [(label, self._text(label, frozenset())) for label in roots]


def _closure(start: set[str], inner: Mapping[str, set[str]]) -> set[str]:
    """*start* and every blank node reachable from it."""
    found, todo = set(start), list(start)
    while todo:
        for label in inner.get(todo.pop(), ()):
            if label not in found:
                found.add(label)
                todo.append(label)
    return found
