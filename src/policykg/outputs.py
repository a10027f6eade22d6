"""Writing output files atomically: readers see the old file or the new one, never a part; and
text from the data made safe to print on a terminal.

A shared utility of every stage that writes files (serialization, the build cache, the report and
the documentation pages) or prints what the data holds (query tables, messages).
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterable
from pathlib import Path

from policykg.errors import SerializationError

# Control characters (C0, DEL, C1), line and paragraph separators, and the bidirectional
# controls that reorder what a terminal shows.
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_NAMED_ESCAPES = {"\n": r"\n", "\r": r"\r", "\t": r"\t"}


def printable(text: str) -> str:
    r"""*text* in one line, with backslashes doubled and every control character escaped, so that
    a value from the data cannot move a terminal's cursor, recolour it or hide what it shows.

    >>> print(printable("red \x1b[31m\tcell\u202e"))
    red \u001b[31m\tcell\u202e
    """
    return _UNPRINTABLE.sub(_escape, text.replace("\\", "\\\\"))


def printable_message(text: str) -> str:
    r"""A message of several lines, with every control character but line breaks and tabs escaped.

    >>> print(printable_message("focus <x>\nvalue \x1b]0;owned\x07"))
    focus <x>
    value \u001b]0;owned\u0007
    """
    return _UNPRINTABLE.sub(lambda m: m[0] if m[0] in "\n\t" else _escape(m), text)


def _escape(match: re.Match[str]) -> str:
    char = match[0]
    return _NAMED_ESCAPES.get(char) or f"\\u{ord(char):04x}"


def write_atomically(path: Path, data: bytes | Iterable[bytes | memoryview]) -> None:
    """Write *data* (bytes, or pieces of them) to *path* so that readers see the old file or
    the new one, never a part."""
    folder = path.parent if str(path.parent) else Path(".")
    try:
        descriptor, temporary = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as error:
        raise SerializationError(f"cannot write in {folder}: {error.strerror}") from error
    try:
        os.fchmod(descriptor, _mode_for(path))
        with os.fdopen(descriptor, "wb") as handle:
            for piece in [data] if isinstance(data, bytes) else data:
                handle.write(piece)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise SerializationError(f"cannot write {path}: {error.strerror}") from error
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _mode_for(path: Path) -> int:
    """Keep an existing file's permissions; give a new one what the umask allows (mkstemp: 0600)."""
    try:
        return path.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
