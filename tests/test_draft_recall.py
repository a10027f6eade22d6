"""The draft's recall on the example articles, computed by benchmarks/draft_recall.py from the
real curated facts: the issue's floors (strict xfail where not met yet) and the levels measured
now, so a change that makes drafting worse fails."""

from __future__ import annotations

import importlib.util
import sys
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

SCORER = Path(__file__).resolve().parents[1] / "benchmarks" / "draft_recall.py"
MEASURED = {"actors": 0.94, "dates": 1.0, "quotes": 0.88, "cameo": 0.30}
"""Recall measured when the draft was written (rounded down): the regression guard."""
MEASURED_PRECISION = {"actors": 0.91, "dates": 0.90}
"""Precision measured likewise, where a change has been made to cut noise."""
NOT_MET: set[str] = set()
"""The floors of issue 18 that the draft does not reach yet (see benchmarks/RESULTS.md)."""


def _scorer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("draft_recall", SCORER)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@cache
def _scores() -> dict[str, Any]:
    return _scorer().score_examples()["all"]


@pytest.mark.parametrize("measure", sorted(MEASURED))
def test_recall_does_not_fall_below_what_was_measured(measure: str) -> None:
    assert _scores()[measure].recall >= MEASURED[measure]


@pytest.mark.parametrize("measure", sorted(MEASURED_PRECISION))
def test_precision_does_not_fall_below_what_was_measured(measure: str) -> None:
    assert _scores()[measure].precision >= MEASURED_PRECISION[measure]


@pytest.mark.parametrize(
    "measure",
    [
        pytest.param(m, marks=pytest.mark.xfail(strict=True, reason="floor not reached yet"))
        if m in NOT_MET
        else m
        for m in sorted(_scorer().FLOORS)
    ],
)
def test_recall_reaches_the_floor_of_the_issue(measure: str) -> None:
    assert _scores()[measure].recall >= _scorer().FLOORS[measure]
