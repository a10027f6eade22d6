"""Read a YAML facts file into plain Python values that remember their line numbers.

YAML is read with a safe loader that is stricter than YAML itself: duplicate keys, aliases and
tags are errors, and dates stay text so that "2015-04" and "2016-06-03" keep their precision.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from policykg.errors import FactsError, Location

MAX_FACTS_BYTES = 64 * 1024 * 1024
"""Facts files larger than this are refused before parsing (a curated file is far smaller)."""

MAX_NESTING = 64
"""Mappings and lists nested deeper than this are refused (a facts file needs about six levels;
Python's recursion would end at about 330)."""

_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class LocatedDict(dict[str, Any]):
    """A YAML mapping that knows the 1-based line of itself and of each of its keys."""

    line: int
    column: int
    key_lines: dict[str, int]


class LocatedList(list[Any]):
    """A YAML sequence that knows the 1-based line of itself and of each item."""

    line: int
    column: int
    item_lines: list[int]


def read_yaml(path: Path, data: bytes | None = None) -> LocatedDict:
    """Read *path* as a YAML mapping with line numbers; raise :class:`FactsError` on any defect.

    *data* is the file's content when it was read elsewhere (a build on a cluster sends it with
    the task): then *path* only names the file in errors.
    """
    text = _decode(path, _read_bytes(path) if data is None else _within_limit(path, data))
    if not text.strip() or all(
        not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()
    ):
        raise FactsError(
            "the file is empty (or holds only comments)",
            Location(path, 1),
            hint="start from the template in docs/facts-format.md",
        )
    try:
        loader = _StrictLoader(text, path)
        try:
            data = loader.get_single_data()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as error:
        raise _syntax_error(path, text, error) from error
    except yaml.reader.ReaderError as error:
        raise _character_error(path, text, error) from error
    except yaml.YAMLError as error:  # errors without a mark
        raise FactsError(f"not valid YAML: {error}", Location(path)) from error
    if not isinstance(data, LocatedDict):
        raise FactsError(
            "the top level must be a mapping (policykg:, document:, actors: …)",
            Location(path, 1),
        )
    return data


def _read_bytes(path: Path) -> bytes:
    try:
        _refuse_size(path, path.stat().st_size)
        return path.read_bytes()
    except FileNotFoundError as error:
        raise FactsError("no such file", Location(path)) from error
    except OSError as error:
        raise FactsError(f"cannot read the file: {error.strerror}", Location(path)) from error


def _within_limit(path: Path, data: bytes) -> bytes:
    _refuse_size(path, len(data))
    return data


def _refuse_size(path: Path, size: int) -> None:
    if size > MAX_FACTS_BYTES:
        raise FactsError(
            f"the file has {size:,} bytes, more than the {MAX_FACTS_BYTES:,} allowed",
            Location(path),
            hint="split the document's facts or check that this is the right file",
        )


def _decode(path: Path, data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        raise FactsError(
            "the file starts with a UTF-8 byte-order mark",
            Location(path, 1, 1),
            hint="save the file as UTF-8 without BOM",
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        raise FactsError(
            f"byte 0x{data[error.start]:02x} is not valid UTF-8",
            Location(path, line, column),
            hint="save the file as UTF-8",
        ) from error


def _character_error(path: Path, text: str, error: yaml.reader.ReaderError) -> FactsError:
    """A character YAML does not allow (a control character, say), at its line and column.

    libyaml gives the offset in the UTF-8 bytes, PyYAML's own reader in the characters.
    """
    if _BaseLoader is yaml.SafeLoader:
        before = text[: error.position]
    else:
        before = text.encode("utf-8")[: error.position].decode("utf-8", "replace")
    line = before.count("\n") + 1
    column = len(before) - (before.rfind("\n") + 1) + 1
    character = error.character if isinstance(error.character, int) else None
    named = f" U+{character:04X}" if character is not None else ""
    return FactsError(
        f"the character{named} is not allowed in YAML ({error.reason})",
        Location(path, line, column),
        hint="remove it; write control characters in a double-quoted string as escapes (\\t)",
    )


def _syntax_error(path: Path, text: str, error: yaml.MarkedYAMLError) -> FactsError:
    mark = error.problem_mark or error.context_mark
    location = Location(path, mark.line + 1, mark.column + 1) if mark else Location(path)
    problem = error.problem or "not valid YAML"
    hint = None
    if (mark is not None and text[mark.index : mark.index + 1] == "\t") or "\\t" in problem:
        problem = "a tab character where YAML allows only spaces"
        hint = "indent with spaces, never tabs"
    elif error.context and error.context_mark is not None and error.context_mark is not mark:
        problem = f"{problem} ({error.context} that starts at line {error.context_mark.line + 1})"
    elif error.context:
        problem = f"{error.context}: {problem}"
    return FactsError(f"YAML syntax error: {problem}", location, hint=hint)


class _StrictLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """A safe loader that records lines and refuses duplicate keys, aliases and tags."""

    def __init__(self, text: str, path: Path) -> None:
        super().__init__(text)
        self.path = path
        self._seen_nodes: set[int] = set()
        self._depth = 0

    def construct_document(self, node: yaml.Node) -> Any:
        # No constructor of a facts file is a generator and aliases are refused, so PyYAML's
        # per-node bookkeeping for both has nothing to do; without it, building takes half as long.
        return self.construct_value(node)

    def construct_value(self, node: yaml.Node) -> Any:
        """The value of *node*; text, mappings and lists directly, the rest by their constructor."""
        if id(node) in self._seen_nodes:
            raise FactsError(
                "this value is reused by a YAML alias (*name); anchors and aliases are not allowed"
                " in facts files",
                self._location(node),
                hint="write the value out in full",
            )
        self._seen_nodes.add(id(node))
        tag = node.tag
        if tag == _STR_TAG and isinstance(node, yaml.ScalarNode):
            return node.value  # what construct_yaml_str returns
        if tag == _MAP_TAG and isinstance(node, yaml.MappingNode):
            self._go_deeper(node)
            try:
                return _construct_mapping(self, node)
            finally:
                self._depth -= 1
        if tag == _SEQ_TAG and isinstance(node, yaml.SequenceNode):
            self._go_deeper(node)
            try:
                return _construct_sequence(self, node)
            finally:
                self._depth -= 1
        if tag in (_STR_TAG, _MAP_TAG, _SEQ_TAG):  # an explicit tag on the wrong kind of value
            raise _tag_error(self, node)
        try:
            return self.construct_object(node, deep=True)
        except (ValueError, TypeError, KeyError, AttributeError) as error:
            # Only an explicit tag (!!int abc, !!bool maybe) makes a constructor fail this way.
            raise _tag_error(self, node) from error

    def _go_deeper(self, node: yaml.Node) -> None:
        """One level deeper into mappings and lists (the caller steps back up); refuse more than
        :data:`MAX_NESTING`. Not a context manager: this runs for every mapping and list read."""
        if self._depth >= MAX_NESTING:
            raise FactsError(
                f"mappings and lists are nested more than {MAX_NESTING} levels deep here",
                self._location(node),
                hint="a facts file needs a few levels; check the brackets and indentation",
            )
        self._depth += 1

    def _location(self, node: yaml.Node) -> Location:
        return Location(self.path, node.start_mark.line + 1, node.start_mark.column + 1)


def _tag_error(loader: _StrictLoader, node: yaml.Node) -> FactsError:
    return FactsError(
        f"this value cannot be read as the YAML tag {node.tag} says",
        loader._location(node),
        hint="remove the tag (!!…); write plain text, numbers, lists and mappings",
    )


_STR_TAG = "tag:yaml.org,2002:str"
_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode) -> LocatedDict:
    mapping = LocatedDict()
    mapping.line = node.start_mark.line + 1
    mapping.column = node.start_mark.column + 1
    key_lines: dict[str, int] = {}
    mapping.key_lines = key_lines
    for key_node, value_node in node.value:
        if key_node.tag != _STR_TAG or not isinstance(key_node, yaml.ScalarNode):
            raise _bad_key(loader, key_node)
        key = key_node.value
        if key in key_lines:
            raise FactsError(
                f"duplicate key '{key}' (first at line {key_lines[key]})",
                loader._location(key_node),
                hint="merge the two entries or rename one; a later key must not silently replace"
                " an earlier one",
            )
        key_lines[key] = key_node.start_mark.line + 1
        mapping[key] = loader.construct_value(value_node)
    return mapping


def _bad_key(loader: _StrictLoader, key_node: yaml.Node) -> FactsError:
    if key_node.tag == "tag:yaml.org,2002:merge":
        return FactsError(
            "YAML merge keys (<<) are not allowed in facts files",
            loader._location(key_node),
            hint="write the keys out in full",
        )
    return FactsError(
        "mapping keys must be plain names",
        loader._location(key_node),
        hint="quote the key or rename it",
    )


def _construct_sequence(loader: _StrictLoader, node: yaml.SequenceNode) -> LocatedList:
    sequence = LocatedList([loader.construct_value(item) for item in node.value])
    sequence.line = node.start_mark.line + 1
    sequence.column = node.start_mark.column + 1
    sequence.item_lines = [item.start_mark.line + 1 for item in node.value]
    return sequence


def _construct_as_text(loader: _StrictLoader, node: yaml.ScalarNode) -> str:
    return str(node.value)


def _refuse_tag(loader: _StrictLoader, node: yaml.Node) -> Any:
    raise FactsError(
        f"the YAML tag {node.tag} is not allowed in facts files",
        loader._location(node),
        hint="remove the tag; write plain text, numbers, lists and mappings",
    )


_StrictLoader.add_constructor(_MAP_TAG, _construct_mapping)
_StrictLoader.add_constructor(_SEQ_TAG, _construct_sequence)
# Dates stay text: "2015-04" is a month and must not become a day or a datetime.
_StrictLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_as_text)
for _tag in ("binary", "set", "omap", "pairs", "value", "merge"):
    _StrictLoader.add_constructor(f"tag:yaml.org,2002:{_tag}", _refuse_tag)
_StrictLoader.add_constructor(None, _refuse_tag)


def read_facts_bytes(path: Path) -> bytes:
    """The bytes of a facts file, refusing one over the size limit as :func:`read_yaml` does."""
    return _read_bytes(path)
