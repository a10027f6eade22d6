"""The CAMEO event codes with their labels, Goldstein scale values and quad classes.

The table is ``data/cameo/cameo-codes.tsv``, taken from the GDELT Project's published lookup
tables; ``data/cameo/README.md`` says where each value comes from.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache

from policykg.errors import ResourceError
from policykg.resources import data_path

_COLUMNS = ["code", "label", "goldstein", "quad_class", "quad_class_label"]


@dataclass(frozen=True)
class CameoCode:
    """One CAMEO event code: ``code`` is text (``"010"`` is not ``"10"``)."""

    code: str
    label: str
    goldstein: float
    quad_class: int
    quad_class_label: str

    @property
    def root(self) -> str:
        """The root code: the first two digits."""
        return self.code[:2]


@cache
def cameo_codes() -> dict[str, CameoCode]:
    """Every CAMEO code of the shipped table, by code (read once per process).

    >>> cameo_codes()["057"].goldstein
    8.0
    """
    path = data_path("cameo/cameo-codes.tsv")
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle, delimiter="\t")
        if next(reader, None) != _COLUMNS:
            raise ResourceError(f"{path}: the header is not {' '.join(_COLUMNS)}")
        try:
            codes = [
                CameoCode(code, label, float(value), int(quad), quad_label)
                for code, label, value, quad, quad_label in reader
            ]
        except ValueError as error:
            raise ResourceError(f"{path}: a row is not code, label, number, 1-4, text") from error
    return {code.code: code for code in codes}
