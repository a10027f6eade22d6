"""The command line's progress line: a counter on a terminal, rewritten in place, for long builds.

Only ``cli`` uses it; it writes to the stream it is given, and only when that stream is a terminal.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TextIO

BAR_WIDTH = 20


class ProgressLine:
    """``loading [####------] 12/40`` on one terminal line, shown once a build has run *delay* s.

    Silent when *stream* is not a terminal or *enabled* is false, so pipes, files and test
    runners never see it. Call it as a pipeline progress callback; :meth:`close` clears the line.
    """

    def __init__(
        self,
        stream: TextIO,
        *,
        enabled: bool = True,
        delay: float = 2.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.stream = stream
        self.enabled = enabled and stream.isatty()
        self.delay = delay
        self.clock = clock
        self.started = clock()
        self.width = 0

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.enabled or self.clock() - self.started < self.delay:
            return
        filled = BAR_WIDTH * done // max(total, 1)
        text = f"{stage} [{'#' * filled}{'-' * (BAR_WIDTH - filled)}] {done}/{total}"
        self.stream.write("\r" + text.ljust(self.width))
        self.stream.flush()
        self.width = len(text)

    def close(self) -> None:
        """Clear the line, so that what is printed next starts at the left margin."""
        if self.width:
            self.stream.write("\r" + " " * self.width + "\r")
            self.stream.flush()
            self.width = 0
