"""``policykg build --scheduler``: articles built on a real ``dask.distributed`` cluster.

The cluster is a ``LocalCluster`` on 127.0.0.1 (two worker processes of one thread, no
dashboard), started once for this module. Its builds must give the bytes, the verdict, the
errors and the cache use of a build on the local process pool.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from distributed import Client, LocalCluster

from conftest import EXAMPLE, REGISTRY, ROOT, edit, minimal_corpus
from policykg.build import cluster as dask_cluster
from policykg.build.cluster import build_shipped
from policykg.build.pipeline import BuildResult, build
from policykg.build.workers import WorkerSetup
from policykg.cli import main
from policykg.errors import FactsError, UsageError, WorkerError
from policykg.facts.loader import load_registry
from policykg.facts.registry_files import RegistryFiles
from policykg.rdf.mapping import map_registry
from policykg.rdf.ntriples import subject_lines
from policykg.rdf.serialization import serialize
from servers import free_port

EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    with LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
    ) as cluster:
        yield str(cluster.scheduler_address)


def outputs(result: BuildResult) -> dict[str, bytes]:
    return {fmt: serialize(result.graphs, fmt) for fmt in ("nquads", "trig")}


def test_the_example_corpus_builds_to_the_same_bytes_on_the_cluster(
    scheduler: str, tmp_path: Path
) -> None:
    runner = CliRunner()
    local, clustered = tmp_path / "local.nq", tmp_path / "dask.nq"
    pool_args = ["build", str(EXAMPLES), "-o", str(local), "--jobs", "2", "--no-cache"]
    pool = runner.invoke(main, pool_args)
    assert pool.exit_code == 0, pool.output
    args = ["build", str(EXAMPLES), "-o", str(clustered), "--scheduler", scheduler, "--no-cache"]
    dask = runner.invoke(main, args)
    assert dask.exit_code == 0, dask.output
    assert clustered.read_bytes() == local.read_bytes()
    assert "5 document(s)" in dask.stderr and ", validated," in dask.stderr


def test_the_cache_works_as_with_the_pool(scheduler: str, tmp_path: Path) -> None:
    corpus = minimal_corpus(tmp_path / "corpus", 4)
    # A planted violation, so that the verdict compared is not just "conforms".
    edit(corpus / "doc2" / "facts.yaml", 'value: "1989-06-04"', 'value: "2017-01-01"')
    clean = build([corpus], jobs=1)
    cache = tmp_path / "cache"
    cold = build([corpus], cache=cache, scheduler=scheduler)
    warm = build([corpus], cache=cache, scheduler=scheduler)
    assert (cold.cache_hits, warm.cache_hits) == (0, 4)
    edit(corpus / "doc1" / "facts.yaml", "  id: minimal-1\n", "  id: minimal-one\n")
    edited = build([corpus], cache=cache, scheduler=scheduler)
    on_pool = build([corpus], cache=cache, jobs=2)  # the pool uses what the cluster cached
    assert (edited.cache_hits, on_pool.cache_hits) == (3, 4)
    assert outputs(cold) == outputs(warm) == outputs(clean)
    assert outputs(edited) == outputs(on_pool) == outputs(build([corpus], jobs=1))
    for result in (cold, warm, edited):
        assert result.report is not None and clean.report is not None
        assert result.report.describe() == clean.report.describe()
        assert not result.report.conforms


def test_workers_need_only_what_the_task_carries(scheduler: str, tmp_path: Path) -> None:
    """The files go with the task: a worker builds an article whose folder does not exist."""
    registry = load_registry([REGISTRY])
    base = "https://w3id.org/policykg/data/"
    lines = subject_lines(map_registry(registry, base).ntriples)
    setup = WorkerSetup(RegistryFiles([REGISTRY], registry), base, True, lines, quads=True)
    nowhere = tmp_path / "not-on-any-disk" / EXAMPLE.name
    files = {
        nowhere / "facts.yaml": (EXAMPLE / "facts.yaml").read_bytes(),
        nowhere / "article.txt": (EXAMPLE / "article.txt").read_bytes(),
    }
    with Client(scheduler, set_as_default=False) as client:
        future = client.submit(build_shipped, setup, [(nowhere / "facts.yaml", files)])
        [shipped] = future.result()
    assert not nowhere.parent.exists()
    [local] = build_shipped(setup, [(EXAMPLE / "facts.yaml", {})])
    assert bytes(shipped.graph_lines) == bytes(local.graph_lines)
    assert shipped.conforms is local.conforms is True
    assert shipped.path == str(nowhere / "facts.yaml")


def test_bad_facts_fail_on_the_cluster_as_they_do_here(
    scheduler: str, minimal_copy: Path, tmp_path: Path
) -> None:
    edit(minimal_copy / "facts.yaml", "  id: minimal\n", "  id: Not An Id\n")
    with pytest.raises(FactsError) as here:
        build([minimal_copy], jobs=1, cache=None)
    with pytest.raises(FactsError) as there:
        build([minimal_copy], scheduler=scheduler)
    assert str(there.value) == str(here.value) and "facts.yaml:" in str(there.value)
    result = CliRunner().invoke(
        main, ["build", str(minimal_copy), "-o", str(tmp_path / "x.nq"), "--scheduler", scheduler]
    )
    assert result.exit_code == 2 and str(here.value).splitlines()[0] in result.stderr
    assert not (tmp_path / "x.nq").exists()


def test_a_text_outside_the_folder_is_refused_and_never_sent(
    scheduler: str, minimal_copy: Path, tmp_path: Path
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("not the article", encoding="utf-8")
    (minimal_copy / "article.txt").unlink()
    (minimal_copy / "article.txt").symlink_to(secret)
    with pytest.raises(FactsError, match="outside the folder of the facts file"):
        build([minimal_copy], scheduler=scheduler, cache=None)
    facts = minimal_copy / "facts.yaml"
    assert dask_cluster.shipped_text(facts, facts.read_bytes()) is None


def test_workers_with_other_code_are_refused(
    scheduler: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dask_cluster, "environment_digest", lambda: "another policykg")
    with pytest.raises(UsageError, match="run another policykg") as refused:
        build([EXAMPLE, REGISTRY], scheduler=scheduler)
    assert refused.value.args[0].count("tcp://127.0.0.1:") == 2


def test_an_unreachable_scheduler_fails_with_exit_4(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(dask_cluster, "CONNECT_TIMEOUT", 2)
    address = f"tcp://127.0.0.1:{free_port()}"
    with pytest.raises(WorkerError, match=f"cannot use the Dask cluster at {address}"):
        build([EXAMPLE, REGISTRY], scheduler=address)
    output = tmp_path / "x.nq"
    args = ["build", str(EXAMPLE), str(REGISTRY), "-o", str(output), "--scheduler", address]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 4 and "nothing was written" in result.stderr
    assert not output.exists()


def test_a_copy_of_the_corpus_elsewhere_builds_the_same_graphs(
    scheduler: str, tmp_path: Path
) -> None:
    """Paths differ by machine only in the messages: the graphs do not depend on them."""
    copy = tmp_path / "examples"
    shutil.copytree(EXAMPLES, copy)
    assert outputs(build([copy], scheduler=scheduler)) == outputs(build([EXAMPLES], jobs=2))


def test_the_text_sent_with_an_article_is_the_one_its_facts_name(tmp_path: Path) -> None:
    facts = EXAMPLE / "facts.yaml"
    shipped = dask_cluster.shipped_text(facts, facts.read_bytes())
    assert shipped == (EXAMPLE / "article.txt", (EXAMPLE / "article.txt").read_bytes())
    (tmp_path / "article.txt").write_text("text", encoding="utf-8")
    named = tmp_path / "facts.yaml"
    # What the facts reader refuses is not read here either: the loading reports it.
    for refused in (
        b"document: &d {text: article.txt}\nagain: *d\n",
        b"document: {text: missing.txt}\n",
        b"document: {text: [article.txt]}\n",
        b"document:\n  text: article.txt\n  text: article.txt\n",
    ):
        assert dask_cluster.shipped_text(named, refused) is None, refused
    assert dask_cluster.shipped_text(named, b"document: {text: article.txt}\n") == (
        tmp_path / "article.txt",
        b"text",
    )
