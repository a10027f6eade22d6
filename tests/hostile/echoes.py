"""How a careless store echoes the credentials it received: the corpus of encodings that the
credential tests (``tests/test_store_secrets.py``, through the command line and as a property of
the scrubber) drive."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from urllib.parse import quote, quote_plus

EXCERPT_LENGTH = 300
"""Where policykg cuts a store's answer in a message; a secret just before it must not leak."""

Echo = Callable[[str, str], tuple[bytes, str]]
"""From the password received and the Authorization header: an answer body and its type."""


def _text(body: str, charset: str = "utf-8", declared: bool = True) -> tuple[bytes, str]:
    kind = f"text/plain; charset={charset}" if declared else "text/plain"
    return f"refused: {body} is wrong".encode(charset, errors="xmlcharrefreplace"), kind


ECHOES: dict[str, Echo] = {
    "raw": lambda p, h: _text(p),
    "quote": lambda p, h: _text(quote(p, safe="")),
    "quote-lowercase-hex": lambda p, h: _text(
        re.sub("%[0-9A-F]{2}", lambda m: m[0].lower(), quote(p, safe=""))
    ),
    "quote-plus": lambda p, h: _text(quote_plus(p)),
    "json": lambda p, h: (json.dumps({"password": p}).encode(), "application/json"),
    "json-unescaped": lambda p, h: (
        json.dumps({"password": p}, ensure_ascii=False).encode(),
        "application/json",
    ),
    "json-slashes": lambda p, h: (
        json.dumps({"password": p}).replace("/", "\\/").encode(),
        "application/json",
    ),
    "html": lambda p, h: (f"<p>{html.escape(p)}</p>".encode(), "text/html; charset=utf-8"),
    "html-numeric": lambda p, h: (
        f"<p>{html.escape(p)}</p>".encode("ascii", "xmlcharrefreplace"),
        "text/html",
    ),
    "basic-header": lambda p, h: _text(f"header {h}"),
    "latin-1-undeclared": lambda p, h: _text(p, "latin-1", declared=False),
    "utf-16": lambda p, h: _text(p, "utf-16"),
    "utf-16-le-undeclared": lambda p, h: _text(p, "utf-16-le", declared=False),
    "cut-at-300": lambda p, h: _text("x" * (EXCERPT_LENGTH - 12) + p),
}
