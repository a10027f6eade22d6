"""Reading YAML: what the strict loader refuses, where, and the lines it records for what it keeps."""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Any

import pytest

from policykg.errors import FactsError
from policykg.facts.reading import LocatedDict, LocatedList, read_yaml

ALIAS = "this value is reused by a YAML alias (*name); anchors and aliases are not allowed"
REFUSED = {
    "alias of a list": ("a: &x [1]\nb:\n  - *x\n", f"1:4: {ALIAS}"),
    "alias of a list item": ("a:\n  - &x q\n  - *x\n", f"2:5: {ALIAS}"),
    "recursive alias": ("a: &x\n  - *x\n", f"1:4: {ALIAS}"),
    "merge key": ("a: &x {b: 1}\nc:\n  <<: *x\n", "3:3: YAML merge keys (<<) are not allowed"),
    "list as key": ("[a]: 1\n", "1:1: mapping keys must be plain names"),
    "number as key": ("1: a\n", "1:1: mapping keys must be plain names"),
    "text tag on a list": (
        "a: !!str 12\nb: !!str [c]\n",
        "2:4: this value cannot be read as the YAML tag tag:yaml.org,2002:str says",
    ),
    "binary tag": ("a: !!binary aGk=\n", "1:4: the YAML tag tag:yaml.org,2002:binary is not"),
    **{
        f"{tag} tag on the wrong value": (
            f"a: 1\nb: !!{tag} {value}\n",
            f"2:4: this value cannot be read as the YAML tag tag:yaml.org,2002:{tag} says",
        )
        for tag, value in [
            ("seq", "{c: 1}"),
            ("map", "foo"),
            ("int", "abc"),
            ("float", "x"),
            ("bool", "maybe"),
        ]
    },
    "local tag": ("a: !thing x\n", "1:4: the YAML tag !thing is not allowed"),
    "duplicate nested key": (
        "a:\n  b: 1\n  c: 2\n  b: 3\n",
        "4:3: duplicate key 'b' (first at line 2)",
    ),
}


@pytest.mark.parametrize(("text", "expected"), REFUSED.values(), ids=list(REFUSED))
def test_the_loader_refuses(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "facts.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FactsError) as error:
        read_yaml(path)
    assert str(error.value).startswith(f"{path}:{expected}")


def _lines(value: Any) -> Any:
    if isinstance(value, LocatedDict):
        return (value.line, value.key_lines, {k: _lines(v) for k, v in value.items()})
    if isinstance(value, LocatedList):
        return (value.line, value.item_lines, [_lines(v) for v in value])
    return value


def test_values_keep_their_yaml_types_dates_stay_text_and_lines_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "facts.yaml"
    path.write_text(
        "s: text\ni: 12\nh: 0x1f\nf: 1.5\nb: yes\nn: ~\nd: 2016-06-03\nq: '2016'\nl:\n  - x\n"
        "  - {y: 1}\n'1': a\n",
        encoding="utf-8",
    )
    tree = read_yaml(path)
    assert tree == {
        "s": "text",
        **{"i": 12, "h": 31, "f": 1.5, "b": True, "n": None, "d": "2016-06-03", "q": "2016"},
        **{"l": ["x", {"y": 1}], "1": "a"},
    }
    keys = {"s": 1, "i": 2, "h": 3, "f": 4, "b": 5, "n": 6, "d": 7, "q": 8, "l": 9, "1": 12}
    assert _lines(tree) == (
        1,
        keys,
        {**dict(tree), "l": (10, [10, 11], ["x", (11, {"y": 11}, {"y": 1})])},
    )


def test_an_anchor_that_is_never_reused_is_harmless(tmp_path: Path) -> None:
    path = tmp_path / "facts.yaml"
    path.write_text("a: &x k\nb: c\n", encoding="utf-8")
    assert read_yaml(path) == {"a": "k", "b": "c"}


@pytest.mark.parametrize("enabled", [True, False])
def test_reading_leaves_the_garbage_collector_as_it_found_it(tmp_path: Path, enabled: bool) -> None:
    good, bad = tmp_path / "good.yaml", tmp_path / "bad.yaml"
    good.write_text("a: b\n", encoding="utf-8")
    bad.write_text("a: [\n", encoding="utf-8")
    (gc.enable if enabled else gc.disable)()
    try:
        read_yaml(good)
        assert gc.isenabled() is enabled
        with pytest.raises(FactsError):
            read_yaml(bad)
        assert gc.isenabled() is enabled
    finally:
        gc.enable()
