"""Reading back the RDF files policykg writes, for ``validate``, ``load``, ``query`` and ``report``.

One place decides the format (from the extension), parses with pyoxigraph, and replaces
policykg's JSON-LD context URL by the copy shipped in the package: no context is ever fetched.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any, cast

import pyoxigraph as ox

from policykg.errors import GraphInputError, UsageError
from policykg.rdf.serialization import CONTEXT_URL, format_for
from policykg.resources import jsonld_context

RDF_FORMATS: dict[str, ox.RdfFormat] = {
    "turtle": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "json-ld": ox.RdfFormat.JSON_LD,
}
"""pyoxigraph's format for each of policykg's format names."""


def file_format(path: Path) -> str:
    """policykg's name of the format of *path*, from its extension."""
    try:
        return format_for(path, None)
    except UsageError as error:
        raise GraphInputError(str(error), path) from error


def parse_quads(path: Path) -> Iterable[ox.Quad]:
    """The quads of *path* (any format ``build`` writes), parsed lazily by pyoxigraph.

    Iterating may raise ``SyntaxError`` (bad syntax) or ``OSError``; callers turn them into
    :class:`GraphInputError` with their own wording.
    """
    fmt = file_format(path)
    if fmt == "json-ld":
        data = jsonld_with_shipped_context(path)
        return cast(
            Iterable[ox.Quad], ox.parse(data, format=RDF_FORMATS[fmt], rename_blank_nodes=True)
        )
    return cast(
        Iterable[ox.Quad], ox.parse(path=path, format=RDF_FORMATS[fmt], rename_blank_nodes=True)
    )


def jsonld_with_shipped_context(path: Path) -> bytes:
    """The JSON-LD file *path* with policykg's context URL replaced by the shipped context.

    Any other remote context is refused with :class:`GraphInputError`: policykg never fetches.
    """
    try:
        document = json.loads(path.read_bytes())
    except json.JSONDecodeError as error:
        raise GraphInputError(
            f"cannot be parsed as json-ld: line {error.lineno}, column {error.colno}: {error.msg}",
            path,
        ) from error
    except UnicodeDecodeError as error:
        raise GraphInputError(f"not UTF-8 text: {error}", path) from error
    except OSError as error:
        raise GraphInputError(f"cannot read the file ({error.strerror or error})", path) from error
    return json.dumps(_with_shipped_context(document, path)).encode("utf-8")


def _with_shipped_context(value: Any, path: Path) -> Any:
    if isinstance(value, list):
        return [_with_shipped_context(item, path) for item in value]
    if not isinstance(value, dict):
        return value
    return {
        key: _local_context(item, path) if key == "@context" else _with_shipped_context(item, path)
        for key, item in value.items()
    }


def _local_context(context: Any, path: Path) -> Any:
    if isinstance(context, list):
        return [_local_context(item, path) for item in context]
    if context == CONTEXT_URL:
        return jsonld_context()
    if isinstance(context, str):
        raise GraphInputError(
            f"the JSON-LD context {context!r} is remote and policykg never fetches contexts;"
            " embed it in the file",
            path,
        )
    return context
