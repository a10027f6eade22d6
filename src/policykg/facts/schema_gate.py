"""A compiled yes/no check of a JSON Schema, the fast path of the schema check (:mod:`.schema`).

jsonschema explains a defect well, but it is slow on valid files, most of its time going to
resolving ``$ref``. fastjsonschema compiles a schema to Python and answers "valid?" much faster
(figures in benchmarks/RESULTS.md), but it implements drafts 4 to 7, not the 2020-12 of the facts
schema, and its ``pattern`` is not Python's. So a schema is compiled only when every keyword it
uses means the same in both engines on the values YAML gives (str, int, float, bool, None, list,
dict), after these adjustments:

- a ``$ref`` beside other keywords moves into ``allOf``: draft 7 ignores the siblings of a ``$ref``,
  2020-12 applies them all;
- each ``pattern`` is matched by :func:`pattern_regex`, as :mod:`.schema` has jsonschema match it;
- the ``format`` names of :data:`~policykg.facts.iris.SCHEMA_FORMATS` are checked by the same
  functions in both engines.

Any other keyword or format, a ``$ref`` that leaves the document, or a schema fastjsonschema
refuses leaves the gate off (:func:`compile_gate` returns ``None``) and every file goes to
jsonschema: the gate may be missing, never wrong. tests/test_schema_gate.py holds it to
jsonschema's verdicts.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any
from urllib.parse import unquote

import fastjsonschema

from policykg.facts.iris import SCHEMA_FORMATS

Gate = Callable[[Any], bool]
"""Tells whether a value read from YAML is valid under the schema the gate was compiled from."""

_ANNOTATIONS = {
    "$comment",
    "$defs",
    "title",
    "description",
    "examples",
    "default",
    "deprecated",
    "readOnly",
    "writeOnly",
}
_ROOT_ONLY = {"$schema", "$id"}
# Keywords read to give jsonschema's 2020-12 verdict in fastjsonschema 2.22 (draft 7), besides
# "pattern", "const" and those holding subschemas. Any keyword not listed turns the gate off.
_ASSERTIONS = {
    "type",
    "enum",
    "minLength",
    "maxLength",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minItems",
    "maxItems",
    "uniqueItems",
    "minProperties",
    "maxProperties",
    "required",
}
_SUBSCHEMA = {"additionalProperties", "propertyNames", "items", "not"}
_SUBSCHEMA_LISTS = {"allOf", "anyOf", "oneOf"}
_SUBSCHEMA_MAPS = {"properties"}
_DRAFT_7 = "http://json-schema.org/draft-07/schema#"


class _Unsupported(Exception):
    """The schema uses something the gate does not translate faithfully."""


def compile_gate(schema: Mapping[str, Any]) -> Gate | None:
    """Compile *schema* (2020-12) to a fast yes/no check, or ``None`` if it cannot be faithful."""
    try:
        prepared, patterns = _prepare(schema)
        validate = fastjsonschema.compile(
            prepared,
            formats=SCHEMA_FORMATS,
            use_default=False,
            use_formats=True,
            detailed_exceptions=False,
        )
        # The compiled patterns live in the function's globals, keyed by the schema's pattern
        # (given formats, fastjsonschema returns the function wrapped in a partial).
        function = getattr(validate, "func", validate)
        compiled = getattr(function, "__globals__", {}).get("REGEX_PATTERNS")
        if not isinstance(compiled, dict) or set(compiled) != patterns:
            return None
        compiled.update({pattern: pattern_regex(pattern) for pattern in patterns})
    except Exception:  # _Unsupported, or a schema fastjsonschema cannot compile: no gate
        return None

    def accepts(value: Any) -> bool:
        try:
            validate(value)
        except Exception:  # invalid, or too odd for the gate (say, nested too deep): not a yes
            return False
        return True

    return accepts


def pattern_regex(pattern: str) -> re.Pattern[str]:
    """The JSON Schema *pattern* (an ECMA-262 regular expression) as a Python one that matches the
    same text, when searched for (JSON Schema patterns are not implicitly anchored).

    ``$`` outside a character class becomes ``\\Z``: in ECMA-262 it matches only at the end, in
    Python also before a final line break, so ``^…$`` would let a value ending in ``\\n`` through
    (and a raw line break into an id or an IRI). The facts schemas use no other construct that the
    two read differently.
    """
    translated: list[str] = []
    in_class = escaped = False
    for char in pattern:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "$":
            char = "\\Z"
        translated.append(char)
    return re.compile("".join(translated))


def _prepare(schema: Mapping[str, Any]) -> tuple[dict[str, Any], set[str]]:
    """A draft-7 copy of *schema* that validates as *schema* does, and the patterns it uses."""
    document = copy.deepcopy(dict(schema))
    patterns: set[str] = set()
    pending = [document]
    seen: set[int] = set()
    while pending:
        node = pending.pop()
        if isinstance(node, bool) or id(node) in seen:
            continue
        if not isinstance(node, dict):
            raise _Unsupported(f"a schema must be an object or a boolean, not {node!r}")
        seen.add(id(node))
        pending.extend(_subschemas(node, document, is_root=node is document, patterns=patterns))
    document["$schema"] = _DRAFT_7
    return document, patterns


def _subschemas(
    node: dict[str, Any], document: dict[str, Any], *, is_root: bool, patterns: set[str]
) -> Iterator[Any]:
    """Check *node*'s keywords, move a ``$ref`` with siblings into ``allOf``; yield subschemas."""
    for keyword, value in list(node.items()):
        if keyword == "$ref":
            target = _resolve(value, document)
            if len(node) > 1:
                del node["$ref"]
                node["allOf"] = [*node.get("allOf", []), {"$ref": value}]
            yield target
        elif keyword in _SUBSCHEMA:
            if keyword == "items" and isinstance(value, list):
                raise _Unsupported("'items' as a list means prefixItems in 2020-12")
            yield value
        elif keyword in _SUBSCHEMA_LISTS and isinstance(value, list):
            yield from value
        elif keyword in _SUBSCHEMA_MAPS and isinstance(value, dict):
            yield from value.values()
        elif keyword == "pattern" and isinstance(value, str):
            patterns.add(value)
        elif keyword == "format" and value in SCHEMA_FORMATS:
            pass
        elif keyword == "const" and "enum" not in node:
            # The same test in both engines, and fastjsonschema 2.22 cannot compile "const" when
            # told to leave the details out of its exceptions (which keeps the gate fast).
            del node["const"]
            node["enum"] = [value]
        elif not (
            keyword in _ASSERTIONS or keyword in _ANNOTATIONS or (is_root and keyword in _ROOT_ONLY)
        ):
            raise _Unsupported(f"keyword {keyword!r}")


def _resolve(reference: Any, document: dict[str, Any]) -> Any:
    """The subschema a local ``$ref`` (``#`` and a JSON pointer) points at."""
    if not isinstance(reference, str) or not (reference == "#" or reference.startswith("#/")):
        raise _Unsupported(f"$ref {reference!r} is not a JSON pointer into this schema")
    node: Any = document
    for part in unquote(reference[2:]).split("/") if reference != "#" else []:
        step = part.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and step in node:
            node = node[step]
        elif isinstance(node, list) and step.isdigit() and int(step) < len(node):
            node = node[int(step)]
        else:
            raise _Unsupported(f"$ref {reference!r} points at nothing")
    return node
