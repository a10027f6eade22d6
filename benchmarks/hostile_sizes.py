"""Time the inputs that issue 19 found slow: a misquote in a long text, a long literal (not a test).

    python benchmarks/hostile_sizes.py

Prints one JSON line per case: a 300-word quote one word off in a text of 65 KB, a 60-word one in
a text of 1.26 MB (where the quote is not found and the closest passage is looked for), and
JSON-LD of one literal of 3.2 MB.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable

from policykg.facts.grounding import QuoteNotFound, SourceText
from policykg.rdf.mapping import MappedDocument
from policykg.rdf.serialization import serialize


def _text(size: int, seed: int = 1) -> str:
    """About *size* characters of English-like words, few sentences repeated."""
    rng = random.Random(seed)
    vocabulary = [
        "".join(rng.choice("etaoinshrdlucmfwypvbgk") for _ in range(rng.randint(2, 9)))
        for _ in range(8000)
    ] + ["the", "of", "and", "to", "in", "a"] * 300
    words: list[str] = []
    length = 0
    while length < size:
        word = rng.choice(vocabulary)
        words.append(word)
        length += len(word) + 1
    return " ".join(words)


def _misquote(size: int, quote_words: int) -> Callable[[], None]:
    text = _text(size)
    words = text.split(" ")
    middle = len(words) // 2
    quote = words[middle : middle + quote_words]
    quote[quote_words // 2] = "misquoted"
    source = SourceText(text)

    def run() -> None:
        try:
            source.locate(" ".join(quote))
        except QuoteNotFound as problem:
            assert problem.closest is not None
        else:
            raise AssertionError("the misquote was found")

    return run


def _long_literal(size: int) -> Callable[[], None]:
    literal = ("word " * (size // 5 + 1))[:size]
    line = f'<https://example.org/s> <https://example.org/p> "{literal}" .\n'
    graph = MappedDocument("https://example.org/g", None, line.encode())

    def run() -> None:
        assert len(serialize([graph], "json-ld")) > size

    return run


CASES = {
    "misquote-300-words-in-65-KB": _misquote(65_000, 300),
    "misquote-60-words-in-1.26-MB": _misquote(1_260_000, 60),
    "json-ld-literal-3.2-MB": _long_literal(3_200_000),
}


def main() -> None:
    for name, run in CASES.items():
        started = time.perf_counter()
        run()
        print(json.dumps({"case": name, "seconds": round(time.perf_counter() - started, 3)}))


if __name__ == "__main__":
    main()
