"""Check a read facts file against the JSON Schema, reporting file:line and a fix."""

from __future__ import annotations

import difflib
from collections.abc import Container, Iterable, Iterator, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker, validators
from jsonschema.exceptions import ValidationError, best_match
from jsonschema.protocols import Validator

from policykg.errors import FactsError, Location
from policykg.facts.iris import SCHEMA_FORMATS, iri_problem
from policykg.facts.reading import LocatedDict, LocatedList
from policykg.facts.schema_gate import Gate, compile_gate, pattern_regex
from policykg.resources import facts_schema, registry_schema

_TYPE_WORDS = {
    "string": "text",
    "array": "a list",
    "object": "a mapping",
    "integer": "a whole number",
    "boolean": "true or false",
    "number": "a number",
}
_SECTIONS = {"actors", "places", "posts", "tenures", "events", "statements", "stances", "claims"}
_SECTIONS |= {"documents", "relations", "memberships"}


def check_structure(
    tree: LocatedDict, path: Path, *, registry: bool = False, shared: Container[str] = ()
) -> None:
    """Raise :class:`FactsError` for the first (topmost) way *tree* breaks the facts schema
    (with *registry*, the registry schema).

    An entry under one of the *shared* ids (the registry's) is a reading, which the loader
    checks field by field: that it is neither a definition nor a reading is left to it, with a
    message about the registry's definition rather than a definition's missing field.
    """
    gate = _gate(registry)
    if gate is not None and gate(tree):
        return  # jsonschema would find nothing either, at twenty times the cost
    errors = [
        error
        for error in _validator(registry).iter_errors(tree)
        if not (
            error.validator == "anyOf"
            and len(error.absolute_path) == 2
            and _fact_id(error.absolute_path) in shared
        )
    ]
    if not errors:
        return
    first = _most_specific(min(errors, key=lambda error: _line_of(tree, error.absolute_path)))
    line = _line_of(tree, first.absolute_path)
    if first.validator == "additionalProperties":
        line = _line_of(tree, [*first.absolute_path, _unknown_keys(first)[0]])
    elif _is_key_of(tree, first.absolute_path, first.instance):  # a bad id (propertyNames)
        line = _line_of(tree, [*first.absolute_path, first.instance])
    message, hint = _explain(first)
    raise FactsError(
        message, Location(path, line), fact_id=_fact_id(first.absolute_path), hint=hint
    )


@cache
def _validator(registry: bool) -> Validator:
    return schema_validator(registry_schema() if registry else facts_schema())


def schema_validator(schema: dict[str, Any]) -> Validator:
    """A jsonschema validator of *schema* that reads its patterns as JSON Schema means them
    (:func:`~.schema_gate.pattern_regex`) and checks the formats policykg's schemas use."""
    return _FactsValidator(schema, format_checker=_FORMAT_CHECKER)


def _pattern(
    validator: Validator, pattern: str, instance: Any, schema: dict[str, Any]
) -> Iterator[ValidationError]:
    if validator.is_type(instance, "string") and not _regex(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


_regex = cache(pattern_regex)
_FactsValidator = validators.extend(Draft202012Validator, {"pattern": _pattern})
_FORMAT_CHECKER = FormatChecker(formats=())
for _name, _check in SCHEMA_FORMATS.items():
    _FORMAT_CHECKER.checks(_name)(_check)


@cache
def _gate(registry: bool) -> Gate | None:
    """The compiled yes/no check of the schema; ``None`` if the schema needs jsonschema."""
    return compile_gate(registry_schema() if registry else facts_schema())


def _most_specific(error: ValidationError) -> ValidationError:
    """Descend into oneOf/anyOf to the branch that fits the value's type, if one does."""
    if not error.context:
        return error
    if all(e.validator == "required" for e in error.context):
        return error  # one of several fields is missing: the alternatives explain it best
    # An entry that is neither a definition nor a reading (anyOf of the two): its missing field
    # says more than the reading's list of fields.
    missing = [e for e in error.context if e.validator == "required"]
    if error.validator == "anyOf" and missing and error.absolute_path == missing[0].absolute_path:
        return missing[0]
    fitting = _branch_meant(error, [e for e in error.context if e.validator != "type"])
    deeper = best_match(fitting) if fitting else None
    if deeper is None or len(deeper.absolute_path) < len(error.absolute_path):
        return error
    if deeper.validator in ("oneOf", "anyOf") or deeper.context:
        return _most_specific(deeper)
    # A text where only the pattern of one branch failed: the branch's own description is clearer.
    if deeper.validator == "pattern" and deeper.absolute_path == error.absolute_path:
        return error
    return deeper


def _branch_meant(error: ValidationError, errors: list[ValidationError]) -> list[ValidationError]:
    """The errors of the oneOf/anyOf branch the value was meant for, when one stands out.

    That is a branch whose keys the value has, so that only a value inside it is wrong (a date
    ``{value: …, source: …}`` with a bad source); else one whose required keys it has (a date
    ``{value: …, weekdy: …}``); else all of them. A date mapping has five forms: without this,
    the error of the form the curator did not mean (``between`` is missing) would be reported.
    """
    level = len(error.absolute_path)
    branches: dict[Any, list[ValidationError]] = {}
    for each in errors:
        branch = each.relative_schema_path[0] if each.relative_schema_path else None
        branches.setdefault(branch, []).append(each)

    def only_inside(found: list[ValidationError]) -> bool:
        return all(len(e.absolute_path) > level for e in found)

    def keys_given(found: list[ValidationError]) -> bool:
        return not any(len(e.absolute_path) == level and e.validator in _UNMEANT for e in found)

    for fits in (only_inside, keys_given):
        chosen = [e for found in branches.values() if fits(found) for e in found]
        if chosen:
            return chosen
    return errors


_UNMEANT = {"required", "anyOf", "oneOf", "type"}
"""Validators whose failure at a value's own level says the value is not of that branch's form."""


def _line_of(tree: Any, path: Iterable[Any]) -> int:
    """The line of the key (or list item) that introduces the value at *path*."""
    line = 1
    node = tree
    for step in path:
        if isinstance(node, LocatedDict) and step in node:
            line = node.key_lines.get(step, line)
        elif isinstance(node, LocatedList) and isinstance(step, int) and step < len(node):
            line = node.item_lines[step]
        else:
            break
        node = node[step]
    return line


def _is_key_of(tree: Any, path: Iterable[Any], key: Any) -> bool:
    node = tree
    for step in path:
        node = node[step]
    return isinstance(node, LocatedDict) and isinstance(key, str) and key in node.key_lines


def _unknown_keys(error: ValidationError) -> list[str]:
    schema = error.schema if isinstance(error.schema, dict) else {}
    allowed = schema.get("properties", {})
    return [key for key in error.instance if key not in allowed]


def _fact_id(path: Sequence[Any]) -> str | None:
    steps = list(path)
    if len(steps) >= 2 and steps[0] in _SECTIONS and isinstance(steps[1], str):
        return str(steps[1])
    return None


def _field(error: ValidationError) -> str:
    names = [str(step) for step in error.absolute_path if isinstance(step, str)]
    return names[-1] if names else "the file"


def _explain(error: ValidationError) -> tuple[str, str | None]:
    schema = error.schema if isinstance(error.schema, dict) else {}
    kind = error.validator
    field = _field(error)
    if kind == "additionalProperties":
        allowed = sorted(schema.get("properties", {}))
        extras = _unknown_keys(error)
        guess = difflib.get_close_matches(extras[0], allowed, n=1)
        hint = f"did you mean '{guess[0]}'? " if guess else ""
        return f"unknown field '{extras[0]}'", f"{hint}allowed here: {', '.join(allowed)}"
    if kind == "required":
        missing = str(error.message).split("'")[1]
        return f"'{missing}' is missing", f"add '{missing}:' to this entry"
    if kind == "propertyNames":
        return f"'{error.instance}' is not a valid id", _ID_HINT
    if kind == "enum":
        options = ", ".join(str(option) for option in error.validator_value)
        return f"'{field}' cannot be {error.instance!r}", f"use one of: {options}"
    if kind == "const":
        return f"'{field}' must be {error.validator_value!r}", None
    description = schema.get("description")
    alternatives = _alternatives(error)
    if alternatives is not None:
        return alternatives, description
    if kind == "type":
        wanted = _TYPE_WORDS.get(str(error.validator_value), str(error.validator_value))
        expected = f"expected {description}" if description else None
        return f"'{field}' must be {wanted}, not {_describe(error.instance)}", expected
    if kind == "pattern" and schema.get("maxLength") == 64:
        return f"{error.instance!r} is not a valid id", _ID_HINT
    if kind in ("pattern", "oneOf", "anyOf") and description:
        return (
            f"'{field}' has an unusable value {_describe(error.instance)}",
            f"expected {description}",
        )
    if kind == "format" and error.validator_value == "iri":
        return (
            f"'{field}' is not a valid IRI: {iri_problem(error.instance)}",
            "percent-encode spaces, quotes, angle brackets and other characters that URLs"
            " cannot hold as they are (a space as %20), and write each % as %25 unless it"
            " starts a %XX escape",
        )
    if kind == "uniqueItems":
        return f"'{field}' lists the same value twice", "remove the repetition"
    if kind == "minItems":
        return f"'{field}' is an empty list", f"give at least one value or remove '{field}'"
    if (
        kind in ("minLength", "pattern")
        and isinstance(error.instance, str)
        and not error.instance.strip()
    ):
        return f"'{field}' is empty", f"write a value or remove '{field}'"
    return f"'{field}': {error.message}", None


def _alternatives(error: ValidationError) -> str | None:
    """The message for fields of which one is required (anyOf of required) or which exclude each
    other (not of required), or ``None`` for any other error."""
    context = error.context or []
    if error.validator == "anyOf" and context and all(e.validator == "required" for e in context):
        names = sorted({str(e.message).split("'")[1] for e in context})
        return " or ".join(f"'{name}'" for name in names) + " is missing"
    if error.validator == "not" and isinstance(error.validator_value, dict):
        excluded = error.validator_value.get("required")
        if isinstance(excluded, list) and len(error.validator_value) == 1:
            return " and ".join(f"'{name}'" for name in excluded) + " cannot both be given"
    return None


_ID_HINT = "ids use lower-case letters, digits and single hyphens, at most 64 characters"


def _describe(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "empty"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
