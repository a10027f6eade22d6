"""A cache that cannot be written (read-only folder, full disk) never fails a build."""

from __future__ import annotations

import errno
import os
from collections.abc import Iterable
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import minimal_corpus
from policykg import outputs
from policykg.build import cache as caching
from policykg.build.pipeline import build
from policykg.cli import main
from policykg.rdf.serialization import serialize


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    return minimal_corpus(tmp_path / "corpus", 3)


def make_read_only(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make *folder* refuse new files and folders as a read-only file system does (EROFS): by its
    mode, and, as root ignores modes, by refusing them where files and folders are created."""
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o555)
    inside = str(folder.resolve())
    real_mkdir, real_open = os.mkdir, os.open

    def refused(path: object) -> bool:
        return os.path.abspath(os.fsdecode(path)).startswith(inside)  # type: ignore[arg-type]

    def mkdir(path: str, mode: int = 0o777, *args: object, **kwargs: object) -> None:
        if refused(path):
            if os.path.exists(path):
                raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), path)
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), path)
        real_mkdir(path, mode, *args, **kwargs)  # type: ignore[arg-type]

    def open_(path: str, flags: int, mode: int = 0o777, *args: object, **kwargs: object) -> int:
        if refused(path) and flags & os.O_CREAT:
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), path)
        return real_open(path, flags, mode, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "mkdir", mkdir)
    monkeypatch.setattr(os, "open", open_)


def test_a_read_only_cache_folder_builds_without_the_cache_and_says_so(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clean = serialize(build([corpus], validate=False, jobs=1).graphs, "nquads")
    cache = tmp_path / "cache"
    make_read_only(cache, monkeypatch)
    result = build([corpus], validate=False, jobs=1, cache=cache)
    assert serialize(result.graphs, "nquads") == clean
    (warning,) = result.warnings
    assert str(cache) in warning and "Read-only file system" in warning
    assert result.cache_hits == 0
    assert not [path for path in cache.rglob("*") if path.is_file()]


def test_a_full_disk_builds_without_the_cache_and_leaves_no_partial_entry(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clean = serialize(build([corpus], validate=False, jobs=1).graphs, "nquads")

    def disk_full_after_the_first_piece(path: Path, pieces: Iterable[bytes]) -> None:
        def written() -> Iterable[bytes]:
            yield next(iter(pieces))
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        outputs.write_atomically(path, written())

    monkeypatch.setattr(caching, "write_atomically", disk_full_after_the_first_piece)
    cache = tmp_path / "cache"
    result = build([corpus], validate=False, jobs=1, cache=cache)
    assert serialize(result.graphs, "nquads") == clean
    (warning,) = result.warnings
    assert "No space left on device" in warning
    assert not list(cache.rglob("*.entry")) and not list(cache.rglob("*.tmp"))


def test_the_default_cache_in_a_read_only_working_folder_is_a_warning_not_a_failure(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    working = tmp_path / "read-only"
    make_read_only(working, monkeypatch)
    monkeypatch.chdir(working)
    monkeypatch.delenv("POLICYKG_CACHE")
    output = tmp_path / "out.nq"
    result = CliRunner().invoke(main, ["build", str(corpus), "-o", str(output), "--jobs", "1"])
    assert result.exit_code == 0, result.output
    assert result.exception is None
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert warnings == [
        "warning: cannot write the cache in .policykg-cache (Read-only file system):"
        " built without it"
    ]
    assert output.read_bytes() == serialize(build([corpus], jobs=1).graphs, "nquads")
    assert not (working / ".policykg-cache").exists()
