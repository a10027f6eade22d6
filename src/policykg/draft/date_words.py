"""The words of English dates: month and weekday names, quantities and ordinals, as patterns and
as numbers."""

from __future__ import annotations

import re

from policykg.facts.dates import WEEKDAYS

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_ABBREVIATIONS = {
    "Jan": 1,
    "Feb": 2,
    "Mar": 3,
    "Apr": 4,
    "Jun": 6,
    "Jul": 7,
    "Aug": 8,
    "Sep": 9,
    "Sept": 9,
    "Oct": 10,
    "Nov": 11,
    "Dec": 12,
}

MONTH = "|".join([*MONTHS, *(rf"{a}\." for a in sorted(_ABBREVIATIONS, key=len, reverse=True))])
"""A month's name, capitalised as a name is ("march" is a verb), or its abbreviation with a dot."""
WEEKDAY = "|".join(WEEKDAYS)
YEAR = r"(?:1[6-9]|20)\d\d"
"""A year from 1600 to 2099: a four-digit number outside this is rarely a year in the news."""

_SMALL = re.findall(
    r"\w+",
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen",
)
_TENS = re.findall(r"\w+", "twenty thirty forty fifty sixty seventy eighty ninety")
_NUMBERS = (
    {word: i + 1 for i, word in enumerate(_SMALL)}
    | {
        "a": 1,
        "an": 1,
        "a couple of": 2,
        "a few": 3,
        "several": 3,
    }
    | {word: 20 + 10 * i for i, word in enumerate(_TENS)}
)
QUANTITY = r"\d{1,3}|" + "|".join(
    sorted((re.escape(w) for w in _NUMBERS), key=len, reverse=True)
).replace(r"\ ", r"\s+")
"""How many: digits, a number word to ninety, "a", "a few", "several"."""

_ORDINAL_SMALL = re.findall(
    r"\w+",
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth "
    "thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth",
)
_ORDINAL_TENS = re.findall(
    r"\w+", "twentieth thirtieth fortieth fiftieth sixtieth seventieth eightieth ninetieth"
)
_ORDINALS = {word: i + 1 for i, word in enumerate(_ORDINAL_SMALL)}
_ORDINALS |= {word: 20 + 10 * i for i, word in enumerate(_ORDINAL_TENS)}
_ORDINALS |= {
    f"{ten}-{unit}": 20 + 10 * i + j + 1
    for i, ten in enumerate(_TENS)
    for j, unit in enumerate(_ORDINAL_SMALL[:9])
}
ORDINAL = (
    "|".join(sorted(_ORDINALS, key=len, reverse=True))
    + "|"
    + "|".join(w.capitalize() for w in sorted(_ORDINALS, key=len, reverse=True))
)
"""An ordinal in words, "first" to "ninety-ninth"."""


def month_number(name: str) -> int:
    """1 for "January" or "Jan.", and so on."""
    name = name.rstrip(".")
    return MONTHS.index(name) + 1 if name in MONTHS else _ABBREVIATIONS[name]


def quantity_number(words: str) -> int:
    """3 for "three", "3" or "a few"."""
    words = " ".join(words.lower().split())
    return int(words) if words.isdigit() else _NUMBERS[words]


def ordinal_number(words: str) -> int:
    """27 for "27th" or "twenty-seventh"."""
    digits = re.match(r"\d+", words)
    return int(digits[0]) if digits else _ORDINALS[words.lower()]
