"""What ``querying`` needs to know of a SPARQL query's text before an engine sees it.

Its form, whether it orders its rows, whether it ends in a ``VALUES`` clause, whether it calls a
``SERVICE`` and which variables it names. Comments, strings and IRIs are blanked out first and
nested groups are skipped, so a keyword inside them, or inside a subquery, is not taken for the
query's own.

>>> shape = shape_of("SELECT ?s WHERE { ?s ?p 'ORDER BY' } # ORDER BY ?p")
>>> shape.form, shape.ordered, sorted(shape.variables)
('SELECT', False, ['p', 's'])
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_OPAQUE = re.compile(
    r"#[^\n\r]*"  # comment
    r'|"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n\r]|\\.)*"'
    r"|'(?:[^'\\\n\r]|\\.)*'"
    r'|<[^<>"{}|^`\\\x00-\x20]*>',  # IRI (an IRI cannot hold a space, so `?a < ?b` is no IRI)
    re.DOTALL,
)
_BEFORE, _AFTER = r"(?<![\w?$:-])", r"(?![\w:-])"
_FORM = re.compile(rf"{_BEFORE}(SELECT|ASK|CONSTRUCT|DESCRIBE){_AFTER}", re.IGNORECASE)
_ORDER_BY = re.compile(rf"{_BEFORE}ORDER\s+BY{_AFTER}", re.IGNORECASE)
_VALUES = re.compile(rf"{_BEFORE}VALUES{_AFTER}", re.IGNORECASE)
_SERVICE = re.compile(rf"{_BEFORE}SERVICE{_AFTER}", re.IGNORECASE)
_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_VARIABLE = re.compile(r"[?$]([\w\u00B7\u0300-\u036F\u203F-\u2040]+)")


@dataclass(frozen=True)
class QueryShape:
    """The outline of a query: form (``None`` if none is found), ORDER BY, trailing VALUES,
    a SERVICE call anywhere in it."""

    form: str | None
    ordered: bool
    has_values: bool
    variables: frozenset[str]
    calls_service: bool = False


def shape_of(query: str) -> QueryShape:
    """The :class:`QueryShape` of *query*; a query the engine would refuse may get any shape."""
    plain = _OPAQUE.sub(lambda match: re.sub(r"[^\n]", " ", match.group()), query)
    outer = _outside_groups(plain)
    form = _FORM.search(outer)
    # SPARQL engines read \u escapes before the grammar (so does pyoxigraph): \u0053ERVICE is
    # a SERVICE keyword too.
    unescaped = _OPAQUE.sub(" ", _CODEPOINT.sub(_codepoint, query))
    return QueryShape(
        form=form.group(1).upper() if form else None,
        ordered=_ORDER_BY.search(outer) is not None,
        has_values=_VALUES.search(outer) is not None,
        variables=frozenset(_VARIABLE.findall(plain)),
        calls_service=_SERVICE.search(unescaped) is not None,
    )


def _codepoint(match: re.Match[str]) -> str:
    try:
        return chr(int(match[1] or match[2], 16))
    except ValueError:  # beyond U+10FFFF: the engine refuses the query anyway
        return match[0]


def _outside_groups(text: str) -> str:
    """*text* with everything between braces blanked: the WHERE clause, subqueries, templates."""
    depth = 0
    kept = []
    for char in text:
        if char == "{":
            depth += 1
        elif char == "}":
            depth = max(depth - 1, 0)
        kept.append(char if depth == 0 and char not in "{}" else " ")
    return "".join(kept)
