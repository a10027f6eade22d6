"""Building articles on a Dask cluster (``dask.distributed``) instead of the local process pool.

The same interface as the pool's builder in :mod:`.pipeline` (``submit`` each article, then
``results`` as they are done), so the cache, the corpus checks and the output do not know where
an article was built. Each task carries the bytes of its facts files and their article texts
(read here, see :func:`~policykg.facts.article_text.shipped_text`), so workers need no shared
file system; they need policykg itself, the same code as here, which is checked when the build
connects. The worker setup (registry, base IRI, validation) goes to every worker once.

Optional: ``pip install 'policykg[dask]'``. ``docs/cluster.md`` shows a cluster at work.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from policykg.build.cache import environment_digest
from policykg.build.documents import DocumentBuild
from policykg.build.workers import WorkerSetup, batch_size
from policykg.errors import UsageError, WorkerError
from policykg.facts.article_text import shipped_text
from policykg.facts.reading import read_facts_bytes

CONNECT_TIMEOUT = 30
"""Seconds to wait for the scheduler to answer, and for at least one worker to join it."""

ShippedArticle = tuple[Path, dict[Path, bytes]]
"""An article's facts path and the bytes of its files by path."""


def build_shipped(setup: WorkerSetup, articles: list[ShippedArticle]) -> list[DocumentBuild]:
    """A cluster task: build each of *articles* from the files sent with it."""
    return [setup.build(path, files) for path, files in articles]


class DaskArticleBuilder:
    """Builds the articles submitted to it on the Dask cluster whose scheduler is at
    *scheduler* (``tcp://host:8786``), a batch of them per task (see
    :func:`~policykg.build.workers.batch_size`; a build of *articles* in all)."""

    def __init__(self, setup: WorkerSetup, scheduler: str, articles: int) -> None:
        self._setup = setup
        self._scheduler = scheduler
        self._articles = articles
        self._client: Any = None
        self._setup_future: Any = None
        self._futures: dict[Any, list[Path]] = {}
        self._queued: list[ShippedArticle] = []
        self._batch_size = 1

    def __enter__(self) -> DaskArticleBuilder:
        try:
            from distributed import Client
        except ImportError as error:
            raise UsageError(
                "--scheduler needs Dask's distributed scheduler: pip install 'policykg[dask]'"
            ) from error
        try:
            self._client = Client(  # type: ignore[no-untyped-call]
                self._scheduler, timeout=CONNECT_TIMEOUT, set_as_default=False
            )
            self._client.wait_for_workers(1, timeout=CONNECT_TIMEOUT)
            threads = sum(self._client.nthreads().values())
            self._check_workers_code()
        except (OSError, TimeoutError) as error:
            self.__exit__(None, None, None)
            raise WorkerError(
                f"cannot use the Dask cluster at {self._scheduler}: {error}; nothing was written"
            ) from error
        except BaseException:
            self.__exit__(None, None, None)
            raise
        self._batch_size = batch_size(self._articles, max(1, threads))
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._client is None:
            return
        if self._futures:
            self._client.cancel(list(self._futures))
        self._client.close()
        self._client = None

    def submit(self, path: Path) -> None:
        """Read the article's files and send them once a batch is full."""
        facts = read_facts_bytes(path)
        files = {path: facts}
        text = shipped_text(path, facts)
        if text is not None:
            files[text[0]] = text[1]
        self._queued.append((path, files))
        if len(self._queued) >= self._batch_size:
            self._send()

    def results(self) -> Iterator[tuple[Path, DocumentBuild]]:
        """Each submitted article with its build, as they are done."""
        if self._queued:
            self._send()
        from distributed import as_completed
        from distributed.scheduler import KilledWorker

        pending = list(self._futures)
        for future in as_completed(pending, loop=self._client.loop):  # type: ignore[no-untyped-call]
            paths = self._futures.pop(future)
            try:
                built = future.result()
            except KilledWorker as error:
                raise WorkerError(
                    f"Dask workers died (out of memory? killed?) while building {paths[0]} and"
                    f" {len(paths) - 1} more article(s) with it; nothing was written"
                ) from error
            yield from zip(paths, built, strict=True)

    def _send(self) -> None:
        if self._setup_future is None:
            self._setup_future = self._client.scatter(self._setup, broadcast=True, hash=False)
        batch, self._queued = self._queued, []
        future = self._client.submit(build_shipped, self._setup_future, batch, pure=False)
        self._futures[future] = [path for path, _ in batch]

    def _check_workers_code(self) -> None:
        """Refuse workers whose policykg (code, data, rdflib, pyshacl) differs from this one's:
        they would build other graphs than a local build does, and the cache would keep them."""
        here = environment_digest()
        theirs = self._client.run(_worker_digest)
        different = sorted(worker for worker, digest in theirs.items() if digest != here)
        if different:
            raise UsageError(
                f"the Dask workers {', '.join(different)} run another policykg, rdflib or pyshacl"
                " than this build: install the same versions (and code) on every worker"
            )


def _worker_digest() -> str:
    """:func:`~policykg.build.cache.environment_digest`, run on a worker (by reference, so the
    worker's own policykg answers)."""
    from policykg.build import cache

    return cache.environment_digest()
