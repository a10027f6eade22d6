"""Keeping credentials out of every message about a store: in whatever form a store echoes them.

A careless store quotes back what it received: the password as sent, URL-encoded, JSON- or
HTML-escaped, as the base64 of a basic ``Authorization`` header, or in a body in another charset.
:class:`Scrubber` replaces every such form by ``***``, in the raw bytes before they are decoded
and in the text after, and only then cuts the excerpt; a text from which a secret could still be
read back (by unescaping it one of those ways) is withheld whole.

>>> scrub = Scrubber(["s3cret pass"])
>>> scrub.text("refused s3cret%20pass and s3cret+pass")
'refused *** and ***'
"""

from __future__ import annotations

import base64
import html
import json
import re
from collections.abc import Iterable
from urllib.parse import quote, quote_plus, unquote, unquote_plus

MASK = "***"
WITHHELD = "(withheld: the answer may quote the credentials)"
EXCERPT_LENGTH = 300
_SCANNED_BYTES = 65_536  # an error body is scrubbed and cut from its beginning only
_CHARSETS = ("utf-8", "latin-1", "cp1252", "utf-16-le", "utf-16-be")
_HEX_ESCAPE = re.compile(r"(%|\\u)([0-9a-fA-F]{2,4})")
_JSON_UNICODE = re.compile(r"\\u([0-9a-fA-F]{4})")


class Scrubber:
    """Removes the given secrets, in every encoding a store may echo them in, from texts."""

    def __init__(self, secrets: Iterable[str]) -> None:
        self._secrets = tuple(sorted({s for s in secrets if s}, key=len, reverse=True))
        forms = sorted({f for s in self._secrets for f in _text_forms(s)}, key=len, reverse=True)
        self._forms = tuple(forms)
        self._longest = max((len(form) for form in forms), default=0)
        byte_forms = {
            (form.encode(charset), MASK.encode(charset))
            for form in forms
            for charset in _CHARSETS
            if _encodable(form, charset)
        }
        self._byte_forms = sorted(byte_forms, key=lambda pair: len(pair[0]), reverse=True)

    def text(self, text: str) -> str:
        """*text* with every form of every secret replaced by ``***``, or withheld if needed."""
        for form in self._forms:
            text = text.replace(form, MASK)
        return WITHHELD if self._recoverable(text) else text

    def excerpt(self, content: bytes, encoding: str | None) -> str:
        """The start of a store's answer *content*, scrubbed, flattened, then cut to 300 chars.

        *encoding* is the answer's declared charset (UTF-8 when none is declared).
        """
        head = content[:_SCANNED_BYTES]
        for form, mask in self._byte_forms:
            head = head.replace(form, mask)
        decoded = head.decode(_codec(encoding), errors="replace")
        if len(content) > _SCANNED_BYTES:  # a secret cut in two at the end is dropped with it
            decoded = decoded[: max(len(decoded) - self._longest, 0)]
        flat = " ".join(self.text(decoded).split())
        return flat if len(flat) <= EXCERPT_LENGTH else flat[: EXCERPT_LENGTH - 1] + "…"

    def _recoverable(self, text: str) -> bool:
        views = {
            text,
            html.unescape(text),
            unquote(text),
            unquote_plus(text),
            _json_unescaped(text),
        }
        flat_views = {" ".join(view.split()) for view in views}
        return any(
            secret in view or " ".join(secret.split()) in view
            for secret in self._secrets
            for view in views | flat_views
        )


def basic_header_secrets(user: str, password: str) -> list[str]:
    """The base64 forms a basic ``Authorization`` header can take (requests encodes Latin-1)."""
    forms = []
    for charset in ("latin-1", "utf-8"):
        if _encodable(f"{user}:{password}", charset):
            forms.append(base64.b64encode(f"{user}:{password}".encode(charset)).decode("ascii"))
    return forms


def _text_forms(secret: str) -> set[str]:
    """*secret* as sent and as a store may echo it: URL-encoded, JSON-escaped, HTML-escaped."""
    forms = {secret, " ".join(secret.split())}
    for charset in ("utf-8", "latin-1"):
        if _encodable(secret, charset):
            forms |= {
                quote(secret, safe="", encoding=charset),
                quote(secret, encoding=charset),
                quote_plus(secret, encoding=charset),
            }
    for ascii_only in (True, False):
        escaped = json.dumps(secret, ensure_ascii=ascii_only)[1:-1]
        forms |= {escaped, escaped.replace("/", "\\/")}
    for quoted in (True, False):
        escaped = html.escape(secret, quote=quoted)
        forms |= {
            escaped,
            escaped.replace("&quot;", "&#34;").replace("&#x27;", "&#39;"),
            escaped.encode("ascii", "xmlcharrefreplace").decode("ascii"),
        }
    forms |= {_HEX_ESCAPE.sub(lambda m: m[1] + m[2].lower(), form) for form in list(forms)}
    forms |= {_HEX_ESCAPE.sub(lambda m: m[1] + m[2].upper(), form) for form in list(forms)}
    if _encodable(secret, "utf-8"):
        forms.add(base64.b64encode(secret.encode("utf-8")).decode("ascii"))
    return {form for form in forms if form}


def _json_unescaped(text: str) -> str:
    text = _JSON_UNICODE.sub(lambda m: chr(int(m[1], 16)), text)
    return text.replace('\\"', '"').replace("\\/", "/").replace("\\\\", "\\")


def _encodable(text: str, charset: str) -> bool:
    try:
        text.encode(charset)
    except UnicodeEncodeError:
        return False
    return True


def _codec(encoding: str | None) -> str:
    if not encoding:
        return "utf-8"
    try:
        "".encode(encoding)
    except LookupError:
        return "utf-8"
    return encoding
