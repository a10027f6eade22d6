"""Reading a document's article text: confined to its facts file's folder, bounded, UTF-8.

The ``text:`` of a facts file names a file whose whole content ends up in the graph's offsets
and in the HTML report, so it must be the article the curator meant: a path that leaves the
folder (``../secret.txt``, an absolute path, a symlink pointing out), a device or a pipe
(``/dev/zero``) or a file larger than any article is refused at the ``text:`` line.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from policykg.errors import FactsError, Location
from policykg.facts.model import Document
from policykg.facts.reading import read_yaml

MAX_TEXT_BYTES = 5 * 1024 * 1024
"""Article texts larger than this are refused: no article is that long, a wrong file may be."""

_BYTE_ORDER_MARK = b"\xef\xbb\xbf"


def read_article_text(facts_path: Path, document: Document, data: bytes | None = None) -> str:
    """The text that *document*'s ``text:`` names, read as the module docstring says.

    *data* is the text file's content when it was read elsewhere (by :func:`shipped_text`).

    Raises :class:`FactsError` at the ``text:`` line of *facts_path* for a path outside the
    facts file's folder, a file that is not a regular file, over :data:`MAX_TEXT_BYTES`, not
    UTF-8, or starting with a byte-order mark (which would shift every offset by one).
    """
    where = Location(facts_path, document.line_of("text"))
    text_path = document.text_path
    _check_inside_folder(facts_path, text_path, where, document.id)
    if data is None:
        data = _read_bounded(text_path, where, document.id)
    elif len(data) > MAX_TEXT_BYTES:
        raise _too_large(text_path, where, document.id)
    if data.startswith(_BYTE_ORDER_MARK):
        raise FactsError(
            f"the document text {text_path} starts with a UTF-8 byte-order mark, which would"
            " count as a character and shift every quote's offset by one",
            where,
            fact_id=document.id,
            hint="save the text as UTF-8 without BOM",
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise FactsError(
            f"the document text {text_path} is not UTF-8 (byte offset {error.start})",
            where,
            fact_id=document.id,
            hint="convert the text to UTF-8",
        ) from error


def _check_inside_folder(facts_path: Path, text_path: Path, where: Location, doc: str) -> None:
    """Refuse a text whose real path (symlinks followed) is not inside the facts file's folder."""
    folder = os.path.realpath(facts_path.parent)
    try:
        real = os.path.realpath(text_path)
    except ValueError as error:  # a NUL character, which no path may hold
        raise FactsError(
            f"the document text {text_path!r} is not a possible file name ({error})",
            where,
            fact_id=doc,
        ) from error
    if os.path.commonpath([folder, real]) != folder:
        raise FactsError(
            f"the document text {text_path} is outside the folder of the facts file"
            f" ({folder}); it resolves to {real}",
            where,
            fact_id=doc,
            hint="put the article's text next to facts.yaml (or in a folder below it) and"
            " name it by a relative path such as 'text: article.txt'",
        )


def _read_bounded(text_path: Path, where: Location, doc: str) -> bytes:
    """At most :data:`MAX_TEXT_BYTES` + 1 bytes of a regular file, never blocking on a pipe."""
    try:
        # O_NONBLOCK: opening a FIFO with no writer must not wait; a regular file ignores it.
        descriptor = os.open(text_path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as error:
        raise FactsError(
            f"the document text {text_path} cannot be read ({error.strerror})",
            where,
            fact_id=doc,
            hint="'text' is a path relative to the facts file",
        ) from error
    if not stat.S_ISREG(os.fstat(descriptor).st_mode):
        os.close(descriptor)
        raise FactsError(
            f"the document text {text_path} is not a regular file (a folder, device or pipe)",
            where,
            fact_id=doc,
            hint="'text' names the plain-text file of the article",
        )
    with os.fdopen(descriptor, "rb") as handle:
        try:
            data = handle.read(MAX_TEXT_BYTES + 1)
        except OSError as error:
            raise FactsError(
                f"the document text {text_path} cannot be read ({error.strerror})",
                where,
                fact_id=doc,
            ) from error
    if len(data) > MAX_TEXT_BYTES:
        raise _too_large(text_path, where, doc)
    return data


def _too_large(text_path: Path, where: Location, doc: str) -> FactsError:
    return FactsError(
        f"the document text {text_path} has more than the {MAX_TEXT_BYTES:,} bytes"
        " allowed for an article text",
        where,
        fact_id=doc,
        hint="check that 'text' names the article's plain text",
    )


def shipped_text(facts_path: Path, facts: bytes) -> tuple[Path, bytes] | None:
    """The path and bytes of the article text that the facts file *facts_path* (of content
    *facts*) names, to send with it to a machine that cannot read this one's files; ``None``
    when they cannot be had here without fault.

    No error is raised: the machine that loads the facts then reads the file itself and reports
    the fault at its ``text:`` line, exactly as a local build does (a text outside the facts
    file's folder, through a symlink too, is never read here).
    """
    try:
        # The facts reader's own strict parse: aliases, tags and deep nesting are refused here
        # as they are where the facts are loaded.
        document = read_yaml(facts_path, facts).get("document")
        name = document.get("text") if isinstance(document, dict) else None
        if not isinstance(name, str):
            return None
        text_path = facts_path.parent / name
        folder = os.path.realpath(facts_path.parent)
        if os.path.commonpath([folder, os.path.realpath(text_path)]) != folder:
            return None
        return text_path, _read_bounded(text_path, Location(facts_path), "")
    except (FactsError, ValueError):
        return None
