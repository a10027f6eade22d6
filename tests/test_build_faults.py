"""A build whose worker dies ends with a clear error, and child processes end with their parent."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from conftest import minimal_corpus

CHILD_OF_A_PARENT = """
import os, sys, time
from policykg import processes
if sys.argv[1] == "polling":
    processes._kill_me_with_parent = lambda: False
parent = os.getpid()
if os.fork() == 0:
    processes.exit_with_parent(parent)
    print(os.getpid(), flush=True)
    time.sleep(600)
    os._exit(0)
time.sleep(600)
"""


def _ended(pid: int) -> bool:
    """Whether process *pid* has ended (gone, or a zombie nobody has reaped yet)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return True
    return "\nState:\tZ" in status


def _wait_until(condition: object, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(0.1)
    return False


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc")
@pytest.mark.parametrize("how", ["prctl", "polling"])
def test_a_child_ends_when_its_parent_is_killed(how: str) -> None:
    parent = subprocess.Popen(
        [sys.executable, "-c", CHILD_OF_A_PARENT, how], stdout=subprocess.PIPE, text=True
    )
    try:
        assert parent.stdout is not None
        child = int(parent.stdout.readline())
        assert not _ended(child)
        parent.send_signal(signal.SIGKILL)
        parent.wait(timeout=30)
        ended = _wait_until(lambda: _ended(child), 10)
        if not ended:
            os.kill(child, signal.SIGKILL)
        assert ended, "the child outlived its parent"
    finally:
        parent.kill()


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def _started_build(
    folder: Path, articles: int, output: Path, **popen: Any
) -> subprocess.Popen[str]:
    """A two-worker build of *articles* minimal articles, once its workers have started."""
    corpus = minimal_corpus(folder / "corpus", articles)
    command = [sys.executable, "-m", "policykg", "build", str(corpus), "-o", str(output)]
    build = subprocess.Popen(
        [*command, "--jobs", "2", "--no-cache", "--quiet"],
        stderr=subprocess.PIPE,
        text=True,
        **popen,
    )
    if not _wait_until(lambda: _children(build.pid), 60):
        build.kill()
        pytest.fail("no worker started")
    return build


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc")
def test_a_worker_killed_by_the_kernel_ends_the_build_with_an_error(tmp_path: Path) -> None:
    output = tmp_path / "out.nq"
    build = _started_build(tmp_path, 24, output)
    try:
        time.sleep(0.5)  # let it take a task: the case of a worker killed while it builds
        os.kill(_children(build.pid)[0], signal.SIGKILL)  # as the out-of-memory killer does
        _, errors = build.communicate(timeout=120)  # before the fix: forever
    finally:
        build.kill()
    assert build.returncode == 4, errors  # a worker died: not the input's fault (2)
    assert "a worker process died" in errors and "Traceback" not in errors
    assert not output.exists()


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc")
def test_ctrl_c_ends_a_build_and_its_workers_with_130(tmp_path: Path) -> None:
    output = tmp_path / "out.nq"
    # In its own process group, as a shell starts a foreground job.
    build = _started_build(tmp_path, 200, output, start_new_session=True)
    try:
        workers = _children(build.pid)
        time.sleep(0.5)
        os.killpg(build.pid, signal.SIGINT)  # what Ctrl-C sends: every process of the group
        _, errors = build.communicate(timeout=60)
    finally:
        build.kill()
    assert build.returncode == 130, errors
    assert "Traceback" not in errors
    assert _wait_until(lambda: all(_ended(pid) for pid in workers), 10)
    assert not output.exists()
    assert not list(tmp_path.glob(".out.nq.*"))
