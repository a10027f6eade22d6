"""Everything policykg changes in pyshacl's and rdflib's behaviour, in one place.

Three general speed-ups of pyshacl, none of which changes a result (the tests compare reports
with and without them; ``docs/pyshacl-speedups.md`` gives each as a diff against pyshacl with
its measured gain):

- :class:`QueryCachingGraph` parses each SPARQL text once, not once per focus node, or takes
  it parsed from an earlier process (:mod:`.parsed_queries`). It is a subclass of rdflib's
  ``Graph`` that policykg hands to pyshacl as the data graph: rdflib's ``Graph`` itself is not
  changed.
- :func:`applied` makes pyshacl check a SHACL-SPARQL text for forbidden clauses once, not once
  per focus node, find a shape's constraint parameters in a set instead of a list, and find
  the focus nodes a validation is restricted to (its ``focus_nodes``) in a set too. These live
  in pyshacl's classes ``SPARQLQueryHelper`` and ``Validator`` and module ``pyshacl.shape``,
  so they are set while policykg's own validation runs and put back when the last one running
  ends, also when it raises.

The internals these rely on are those of the pinned versions (see ``pyproject.toml``);
``tests/test_patches.py`` fails when their shape changes.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import pyshacl.shape as pyshacl_shape
from pyshacl.constraints import ALL_CONSTRAINT_PARAMETERS, CONSTRAINT_PARAMETERS_MAP
from pyshacl.helper.sparql_query_helper import SPARQLQueryHelper
from pyshacl.validator import Validator
from rdflib import Graph, URIRef

from policykg.namespaces import SH
from policykg.validate.parsed_queries import MAX_QUERIES, prepared


class QueryCachingGraph(Graph):
    """A graph that parses each SPARQL text it is queried with once for the life of the process.

    pyshacl sends the same SHACL-SPARQL text once per focus node, and rdflib parses it afresh
    each time; parsing, not evaluating, dominates validation. The parsed query is the one
    rdflib would make from the text and namespaces given.
    """

    def query(
        self,
        query_object: Any,
        processor: Any = "sparql",
        result: Any = "sparql",
        initNs: Mapping[str, Any] | None = None,
        initBindings: Any = None,
        use_store_provided: bool = True,
        **kwargs: Any,
    ) -> Any:
        if isinstance(query_object, str) and processor == "sparql":
            namespaces = tuple(sorted((str(k), str(v)) for k, v in (initNs or {}).items()))
            query_object = prepared(query_object, namespaces)
            # rdflib ignores namespaces given with a parsed query, but when given none it lists
            # the graph's own for every query.
            initNs = _IGNORED_NAMESPACES
        return super().query(
            query_object, processor, result, initNs, initBindings, use_store_provided, **kwargs
        )


_IGNORED_NAMESPACES = {"sh": str(SH)}


_lock = threading.Lock()
_active = 0
_saved: list[tuple[object, str, object]] = []
_MISSING = object()


@contextmanager
def applied() -> Iterator[None]:
    """Apply the speed-ups to pyshacl's internals while the block runs.

    Blocks may nest and may run in several threads at once: the first to start applies the
    speed-ups and the last to end puts pyshacl's own back. Meanwhile pyshacl calls made by
    others in the process see them too; they give the same results, only sooner.
    """
    global _active
    with _lock:
        if _active == 0:
            _replace(_replacements())
        _active += 1
    try:
        yield
    finally:
        with _lock:
            _active -= 1
            if _active == 0:
                _restore()


def _replacements() -> list[tuple[object, str, object]]:
    return [
        (SPARQLQueryHelper, "check_invalid_sparql", _checked_once(_own(SPARQLQueryHelper))),
        (
            pyshacl_shape,
            "CONSTRAINT_PARAMS",
            (_HashedParameters(ALL_CONSTRAINT_PARAMETERS), CONSTRAINT_PARAMETERS_MAP),
        ),
        (Validator, "make_executor", _hashed_focus(vars(Validator)["make_executor"])),
    ]


def _own(owner: type) -> Callable[..., bool]:
    function: Callable[..., bool] = vars(owner)["check_invalid_sparql"]
    return function


def _replace(replacements: Iterable[tuple[object, str, object]]) -> None:
    for owner, name, replacement in replacements:
        _saved.append((owner, name, vars(owner).get(name, _MISSING)))
        setattr(owner, name, replacement)


def _restore() -> None:
    while _saved:
        owner, name, original = _saved.pop()
        if original is _MISSING:
            delattr(owner, name)
        else:
            setattr(owner, name, original)


_passed: dict[tuple[str, bool, tuple[str, ...]], None] = {}
"""SHACL-SPARQL texts that passed pyshacl's check, with what else the check depends on."""


def _checked_once(check: Callable[..., bool]) -> Callable[..., bool]:
    """pyshacl's check for forbidden clauses (MINUS, VALUES, SERVICE, nested SELECTs), made
    once per text.

    pyshacl runs it before every query, that is once per focus node, with regular expressions
    some of which take time quadratic in the text's length. The check depends only on the text
    and on which variables may be pre-bound; a text that fails it is checked, and fails, every
    time, as before.
    """

    def check_invalid_sparql(
        self: SPARQLQueryHelper, sparql_text: str, valuenode: Any = None, extravars: Any = None
    ) -> bool:
        key = (sparql_text, valuenode is not None, tuple(sorted(extravars or ())))
        if key not in _passed:
            check(self, sparql_text, valuenode=valuenode, extravars=extravars)
            if len(_passed) >= MAX_QUERIES:
                _passed.clear()
            _passed[key] = None
        return True

    return check_invalid_sparql


class _HashedParameters(list[URIRef]):
    """pyshacl's list of constraint parameters (or of focus nodes), with ``in`` answered by a
    set.

    For every shape, pyshacl tests each of its predicates for being a constraint parameter with
    ``in`` on a list of about 35 IRIs, a linear search of ``==`` calls; a set finds the same
    IRIs (an IRI's hash follows its equality).
    """

    def __init__(self, parameters: Iterable[URIRef]) -> None:
        super().__init__(parameters)
        self._set = frozenset(self)

    def __contains__(self, item: object) -> bool:
        return item in self._set


def _hashed_focus(make_executor: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """pyshacl's ``Validator.make_executor``, with the focus nodes a validation is restricted
    to kept as a :class:`_HashedParameters`.

    For every shape, pyshacl tests each node it targets for being one of the focus nodes with
    ``in`` on their list: with an article's few hundred nodes, a linear search per target node
    costs more than the validation the restriction saves.
    """

    def make(self: Validator) -> Any:
        executor = make_executor(self)
        if executor.focus_nodes is not None:
            executor.focus_nodes = _HashedParameters(executor.focus_nodes)
        return executor

    return make
