"""Query answers as streams: rows sorted on disk rather than in memory, and an engine run in a
worker thread so that Ctrl-C or SIGTERM stop a query however long it computes.

pyoxigraph evaluates in Rust and releases the interpreter meanwhile, so a query run on the main
thread only sees a signal when the engine hands back a row, which an aggregate over millions of
rows may not do for minutes. Run in a worker, the engine's rows reach the main thread in batches
through a bounded queue, and the main thread, waiting on that queue, takes signals at once.
"""

from __future__ import annotations

import heapq
import queue
import tempfile
import threading
from collections.abc import Callable, Generator, Iterable, Iterator
from contextlib import ExitStack, suppress
from pathlib import Path
from typing import TextIO, cast

RUN_ROWS = 100_000
"""Rows sorted in memory at a time; longer answers are merged from sorted runs on disk."""

MERGED_AT_ONCE = 64
"""Sorted runs read at once; more are first merged into longer runs, 64 at a time."""

RowKey = tuple[str, ...]
Emit = Callable[[object], None]

_BATCH = 1_000
_QUEUE_BATCHES = 4
_POLL_SECONDS = 0.2
_END = object()


class _Failed:
    def __init__(self, error: BaseException) -> None:
        self.error = error


def run_in_worker(produce: Callable[[Emit], None]) -> Generator[object, None, None]:
    """What *produce* emits, produced in a daemon thread; its exception is raised here.

    Leaving the iteration early (a signal, an error) tells the worker to stop at its next emit;
    a worker still inside the engine is abandoned, and ends with the process.
    """
    items: queue.Queue[object] = queue.Queue(maxsize=_QUEUE_BATCHES)
    stopped = threading.Event()

    def emit(item: object) -> None:
        while not stopped.is_set():
            try:
                items.put(item, timeout=_POLL_SECONDS)
                return
            except queue.Full:
                continue
        raise _Abandoned

    def work() -> None:
        try:
            produce(emit)
            emit(_END)
        except _Abandoned:
            pass
        except BaseException as error:  # handed to the main thread, which raises it
            with suppress(_Abandoned):
                emit(_Failed(error))

    threading.Thread(target=work, name="policykg-query", daemon=True).start()
    try:
        while True:
            item = items.get()
            if item is _END:
                return
            if isinstance(item, _Failed):
                raise item.error
            yield item
    finally:
        stopped.set()


def batched(rows: Iterable[RowKey], emit: Emit) -> None:
    """Emit *rows* in lists of a thousand, so the queue costs little per row."""
    batch: list[RowKey] = []
    for row in rows:
        batch.append(row)
        if len(batch) == _BATCH:
            emit(batch)
            batch = []
    if batch:
        emit(batch)


def sorted_rows(rows: Iterable[RowKey], folder: Path, *, width: int) -> Iterator[RowKey]:
    """*rows* of *width* terms in sorted order, holding at most :data:`RUN_ROWS` in memory.

    Runs of rows are sorted and written to files in *folder*, then merged, at most
    :data:`MERGED_AT_ONCE` files at a time, so that no answer runs out of file descriptors.
    """
    runs: list[Path] = []
    run: list[RowKey] = []
    for row in rows:
        run.append(row)
        if len(run) == RUN_ROWS:
            runs.append(_write_run(sorted(run), folder / f"run-{len(runs)}.tsv"))
            run = []
    run.sort()
    if not runs:
        yield from run
        return
    if run:
        runs.append(_write_run(run, folder / f"run-{len(runs)}.tsv"))
    while len(runs) > MERGED_AT_ONCE:
        groups = [runs[i : i + MERGED_AT_ONCE] for i in range(0, len(runs), MERGED_AT_ONCE)]
        runs = [_merge_into(group, folder, width) for group in groups]
    with ExitStack() as files:
        yield from _merged(runs, files, width)


def scratch_folder() -> tempfile.TemporaryDirectory[str]:
    """A temporary folder for an answer's sorted runs and rows, removed when closed."""
    return tempfile.TemporaryDirectory(prefix="policykg-query-")


class _Abandoned(Exception):
    """The consumer has gone: the worker stops producing."""


def _write_run(run: Iterable[RowKey], path: Path) -> Path:
    with _open(path, "w") as file:
        file.writelines("\t".join(row) + "\n" for row in run)
    return path


def _merge_into(runs: list[Path], folder: Path, width: int) -> Path:
    """One run merged from *runs*, whose files are then removed."""
    with ExitStack() as files:
        merged = _write_run(_merged(runs, files, width), folder / f"merged-{runs[0].stem}.tsv")
    for path in runs:
        path.unlink()
    return merged


def _merged(runs: list[Path], files: ExitStack, width: int) -> Iterator[RowKey]:
    readers = [_read_run(files.enter_context(_open(path, "r")), width) for path in runs]
    return heapq.merge(*readers)


def _read_run(file: TextIO, width: int) -> Iterator[RowKey]:
    # Terms are in N-Triples syntax, which escapes tabs and line breaks: the split is exact.
    for line in file:
        yield tuple(line[:-1].split("\t")) if width else ()


def _open(path: Path, mode: str) -> TextIO:
    return cast(TextIO, path.open(mode, encoding="utf-8", newline="\n"))
