"""Child processes that end with the process that started them, and workers that keep what
they set up out of garbage collections.

A shared utility of the stages that start processes (the Turtle writer, the build's workers): a
child left behind by a parent killed with SIGKILL would otherwise wait forever on a queue or a
pipe that its siblings, or it itself, keep open.
"""

from __future__ import annotations

import ctypes
import gc
import os
import signal
import sys
import threading
import time

_PR_SET_PDEATHSIG = 1
_settled = False


def settle_worker() -> None:
    """In a worker process of policykg's own, after its first task: keep what that task set up
    out of the garbage collector's scans (call it nowhere else: it is for the whole process).

    A worker's first task makes what it keeps for every later one (the shapes and pyshacl's
    harvest of them, the registry, the parsed queries): hundreds of thousands of objects that
    live as long as the worker, which every full collection would scan again (8 ms of an
    article's 90 ms of CPU). ``gc.freeze`` moves them to a generation it never scans; objects
    made later are collected as before.
    """
    global _settled
    if not _settled:
        gc.freeze()
        _settled = True


def exit_with_parent(parent: int) -> None:
    """End this process when *parent* (the pid of the process that started it) ends, and at
    once on SIGTERM.

    On Linux the kernel sends SIGKILL at once (``prctl(PR_SET_PDEATHSIG)``); elsewhere, or if
    that is refused, a daemon thread checks the parent twice a second. Either way, a parent that
    died before this call ends this process now.

    SIGTERM gets its default action back: a forked child inherits the command line's handler,
    which raises ``SystemExit``, and a pool worker catches that while it sends a result and
    tries to send again into a pipe that nobody reads any more, so the pool that terminated it
    after another worker died waited for it forever.
    """
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if not _kill_me_with_parent():
        threading.Thread(target=_exit_when_orphaned, args=(parent,), daemon=True).start()
    if os.getppid() != parent:
        os._exit(1)


def _kill_me_with_parent() -> bool:
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return bool(libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0)
    except (OSError, AttributeError):
        return False


def _exit_when_orphaned(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)
