"""The one check of every IRI policykg writes: valid under RFC 3987 and RDF 1.1, as strict parsers
read it.

URLs of the facts (``url``, ``source``) are checked here when the schema checks a file (the
schema's ``iri`` format), the base IRI when a build starts; every other IRI is minted from the
base and ids or codes that the schema limits to letters, digits and hyphens, which no valid IRI
ending in ``/`` or ``#`` turns invalid. So no IRI is written that pyoxigraph (and with it
``policykg query`` and ``load``) would refuse to read.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from pyoxigraph import NamedNode

_BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")
"""Bidirectional formatting characters: RFC 3987 (section 4.1) forbids them in IRIs, as they make
an IRI display as another; pyoxigraph's grammar check lets them pass."""
_SPACES = re.compile(r"[^\S\x00-\x7f]")
"""Spaces beyond ASCII (U+00A0, U+2028 …) are allowed by RFC 3987's grammar and pyoxigraph, but
rdflib's N-Triples and N-Quads readers end an IRI at any of them."""


def iri_problem(text: str) -> str | None:
    """Why *text* is not an absolute IRI that policykg may write, or ``None`` if it is one."""
    bidi = _BIDI_CONTROLS.search(text)
    if bidi is not None:
        return (
            f"it holds the bidirectional formatting character U+{ord(bidi.group()):04X},"
            " which IRIs must not hold (RFC 3987, section 4.1)"
        )
    space = _SPACES.search(text)
    if space is not None:
        return (
            f"it holds the space character U+{ord(space.group()):04X}, which RDF readers do"
            f" not all accept in an IRI: write it percent-encoded ({quote(space.group())})"
        )
    try:
        NamedNode(text)
    except ValueError as error:  # UnicodeEncodeError (an unpaired surrogate) included
        return _printable(str(error))
    return None


def _printable(message: str) -> str:
    """*message* with the characters that would not show (a line break, say) as ``U+XXXX``."""
    return "".join(char if char.isprintable() else f"U+{ord(char):04X}" for char in message)


def is_iri(value: object) -> bool:
    """Whether *value* passes the schema's ``iri`` format (a value other than text is left to the
    schema's ``type``, as JSON Schema formats do)."""
    return not isinstance(value, str) or iri_problem(value) is None


SCHEMA_FORMATS = {"iri": is_iri}
"""The formats the facts schema uses, by name, as both schema engines check them."""


_BASE_FORM = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*://.+[/#]", re.DOTALL)


def base_problem(base: str) -> str | None:
    """Why *base* cannot be the base IRI that policykg mints IRIs from, or ``None`` if it can.

    A base is an absolute IRI ending in ``/`` or ``#``: an id appended to it (letters, digits,
    hyphens and ``/``) then gives a valid IRI as well.
    """
    if not _BASE_FORM.fullmatch(base):
        return "is not an absolute IRI ending in '/' or '#' (for example https://example.org/kg/)"
    problem = iri_problem(base)
    if problem is not None:
        return f"is not an absolute IRI that strict parsers read: {problem}"
    return None
