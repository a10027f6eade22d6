"""Writing output files atomically: readers see the old file or the new one, never a part; and
text from the data made safe to print on a terminal.

A shared utility of every stage that writes files (serialization, the build cache, the report and
the documentation pages) or prints what the data holds (query tables, messages), with the check
that a command's outputs are none of its inputs.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

from policykg.errors import SerializationError, UsageError

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
    the new one, never a part.

    A symlink stays a symlink: the file it points to is replaced. A device or a pipe
    (``/dev/null``, ``/dev/stdout``) is written to as it is, since it cannot be replaced by a
    file (nor written atomically).
    """
    if _is_device(path):
        _write_through(path, data)
        return
    if path.is_symlink():
        path = Path(os.path.realpath(path))
    folder = path.parent if str(path.parent) else Path(".")
    _remove_orphaned_temporaries(folder, path.name)
    try:
        descriptor, temporary = tempfile.mkstemp(
            dir=folder, prefix=f".{path.name}.pid{os.getpid()}.", suffix=".tmp"
        )
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


def _remove_orphaned_temporaries(folder: Path, name: str) -> None:
    """Remove the temporary files that writers of *name* killed with SIGKILL left in *folder*
    (those of a writer that is still running stay)."""
    pattern = re.compile(rf"\.{re.escape(name)}\.pid([0-9]+)\.[^.]+\.tmp")
    try:
        names = os.listdir(folder)
    except OSError:
        return  # mkstemp says what is wrong with the folder
    for candidate in names:
        match = pattern.fullmatch(candidate)
        if match and not _running(int(match.group(1))):
            with contextlib.suppress(OSError):
                (folder / candidate).unlink()


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # it exists but belongs to someone else
        return True
    return True


def _write_through(path: Path, data: bytes | Iterable[bytes | memoryview]) -> None:
    """Write *data* into the device or pipe at *path*, which cannot be replaced by a file."""
    try:
        with open(path, "wb") as handle:
            for piece in [data] if isinstance(data, bytes) else data:
                handle.write(piece)
    except OSError as error:
        raise SerializationError(f"cannot write {path}: {error.strerror}") from error


def refuse_overwriting(outputs: Iterable[Path | None], inputs: Iterable[Path]) -> None:
    """Raise :class:`UsageError` if one of *outputs* is one of *inputs* or another output.

    Files are compared as the system sees them (symlinks and hard links included), so that
    ``build m1 -o m1/facts.yaml`` cannot replace the facts it reads. ``None`` and ``-``
    (standard output) are skipped, and so are devices (``/dev/null``), which writing never
    replaces.
    """
    readers = {_identity(path): path for path in inputs}
    written: dict[object, Path] = {}
    for path in outputs:
        if path is None or str(path) == "-" or _is_device(path):
            continue
        identity = _identity(path)
        if identity in readers:
            raise UsageError(
                f"{path} is also an input of this command ({readers[identity]}): writing it"
                " would destroy it; choose another output file"
            )
        if identity in written:
            raise UsageError(
                f"{path} is given as two outputs ({written[identity]} and {path}); choose"
                " a file for each"
            )
        written[identity] = path


def _identity(path: Path) -> object:
    """What makes two paths one file: device and inode if it exists, else its real path."""
    try:
        status = os.stat(path)
    except OSError:
        return os.path.realpath(path)
    return (status.st_dev, status.st_ino)


def _is_device(path: Path) -> bool:
    """Whether *path* is (or points to) something else than a file or a folder."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)
