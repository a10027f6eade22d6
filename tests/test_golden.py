"""Golden cases: each folder in tests/golden names its inputs (case.json) and holds the exact
bytes expected for each output format (expected.<ext>). One parametrized test checks them all.

After an intended change of the output, regenerate with ``POLICYKG_UPDATE_GOLDEN=1 pytest
tests/test_golden.py`` and review the diff before committing it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from conftest import ROOT
from policykg.build.pipeline import build
from policykg.rdf.serialization import format_for, serialize

GOLDEN = Path(__file__).parent / "golden"
CASES = sorted(
    (case, expected)
    for case in GOLDEN.iterdir()
    if case.is_dir()
    for expected in sorted(case.glob("expected.*"))
)


def test_every_golden_case_has_expectations() -> None:
    folders = {case for case in GOLDEN.iterdir() if case.is_dir()}
    assert folders, "no golden cases"
    assert folders == {case for case, _ in CASES}


@pytest.mark.parametrize(
    ("case", "expected"), CASES, ids=[f"{c.name}-{e.suffix[1:]}" for c, e in CASES]
)
def test_output_matches_the_golden_bytes(case: Path, expected: Path) -> None:
    spec = json.loads((case / "case.json").read_text(encoding="utf-8"))
    result = build(
        [ROOT / path for path in spec["inputs"]],
        base=spec["base"],
        validate=False,
        include_ontology=not spec.get("no_ontology", False),
    )
    actual = serialize(result.graphs, format_for(expected, None))
    if os.environ.get("POLICYKG_UPDATE_GOLDEN") == "1":
        expected.write_bytes(actual)
    assert actual == expected.read_bytes(), f"{expected} differs; see the module docstring"
