"""A fault-injecting HTTP proxy on 127.0.0.1 in front of a real Oxigraph server.

Each request the proxy receives is handed to a *rule*, which picks what happens to it: passed
through, answered 500 without reaching the store, dropped unanswered, passed through with its
answer lost or cut short, held until some later moment and only then delivered to the store
(a stale delivery, as a slow network does after the client has timed out and retried), or
answered with a body that drips. The proxy records what it saw, and every wait in it is bounded
(:data:`LONGEST_HOLD`), so a test driving it cannot hang.
"""

from __future__ import annotations

import socket
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import requests

LONGEST_HOLD = 20.0
"""No request is held, nor any body dripped, longer than this many seconds."""


@dataclass
class Seen:
    """One request as the proxy received it, and what became of it."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    fate: str = "forwarded"
    at: float = field(default_factory=time.monotonic)


Fault = Callable[["ProxyHandler", Seen], None]
"""What happens to one request: called with the handler that received it."""
Rule = Callable[[Seen, "FaultProxy"], Fault]


class FaultProxy(ThreadingHTTPServer):
    """The proxy: ``with FaultProxy(upstream, rule) as proxy: ... proxy.base ...``."""

    daemon_threads = True

    def __init__(self, upstream: str, rule: Rule) -> None:
        super().__init__(("127.0.0.1", 0), ProxyHandler)
        self.upstream = upstream
        self.rule = rule
        self.seen: list[Seen] = []
        self.lock = threading.Lock()
        self.stale_delivered = threading.Event()
        self._thread = threading.Thread(target=self.serve_forever, args=(0.05,), daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def __enter__(self) -> FaultProxy:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()
        self.server_close()
        self._thread.join(timeout=LONGEST_HOLD)

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that gave up makes writing the late answer fail; that is the point

    def requests_to(self, path: str, method: str | None = None) -> list[Seen]:
        """The requests seen whose path starts with *path* (and of *method*)."""
        with self.lock:
            return [
                s
                for s in self.seen
                if s.path.startswith(path) and (method is None or s.method == method)
            ]

    def forward(self, seen: Seen) -> requests.Response:
        """Send *seen* to the store as it came; the store's answer."""
        headers = {k: v for k, v in seen.headers.items() if k.lower() not in _HOP_BY_HOP}
        return requests.request(
            seen.method,
            self.upstream + seen.path,
            data=seen.body,
            headers=headers,
            timeout=LONGEST_HOLD,
        )


_HOP_BY_HOP = {"host", "connection", "content-length", "transfer-encoding", "keep-alive"}


class ProxyHandler(BaseHTTPRequestHandler):
    """Reads each request whole, records it, and lets the proxy's rule decide its fault."""

    protocol_version = "HTTP/1.1"
    server: FaultProxy

    def do_any(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", 0) or 0))
        seen = Seen(self.command, self.path, dict(self.headers.items()), body)
        with self.server.lock:
            self.server.seen.append(seen)
        self.server.rule(seen, self.server)(self, seen)

    do_GET = do_PUT = do_POST = do_DELETE = do_any

    def answer(self, status: int, body: bytes, content_type: str | None = None) -> None:
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def reset(self) -> None:
        """Close the connection with a TCP reset, unanswered."""
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close_connection = True

    def log_message(self, format: str, *args: object) -> None:
        pass


# ------------------------------------------------------------------------------------ faults


def passed() -> Fault:
    """Forward the request and its answer unchanged."""

    def fault(handler: ProxyHandler, seen: Seen) -> None:
        answer = handler.server.forward(seen)
        handler.answer(answer.status_code, answer.content, answer.headers.get("Content-Type"))

    return fault


def refused(status: int = 500, body: bytes = b"injected failure") -> Fault:
    """Answer *status* without the store ever seeing the request."""

    def fault(handler: ProxyHandler, seen: Seen) -> None:
        seen.fate = f"refused {status}"
        handler.answer(status, body)

    return fault


def dropped() -> Fault:
    """Reset the connection; the store never sees the request."""

    def fault(handler: ProxyHandler, seen: Seen) -> None:
        seen.fate = "dropped"
        handler.reset()

    return fault


def answer_lost() -> Fault:
    """Deliver the request to the store, then reset the connection: done, but never told."""

    def fault(handler: ProxyHandler, seen: Seen) -> None:
        handler.server.forward(seen)
        seen.fate = "delivered, answer lost"
        handler.reset()

    return fault


def truncated(keep: int) -> Fault:
    """Forward, then send the answer's headers and only its first *keep* bytes."""

    def fault(handler: ProxyHandler, seen: Seen) -> None:
        answer = handler.server.forward(seen)
        seen.fate = f"answer cut at {keep} bytes"
        handler.send_response(answer.status_code)
        handler.send_header("Content-Type", answer.headers.get("Content-Type", ""))
        handler.send_header("Content-Length", str(len(answer.content)))
        handler.end_headers()
        handler.wfile.write(answer.content[:keep])
        handler.wfile.flush()
        handler.reset()

    return fault


def slow_down(seconds: int) -> Fault:
    """Answer 503 with ``Retry-After: seconds``, without the store seeing the request."""

    def fault(handler: ProxyHandler, seen: Seen) -> None:
        seen.fate = f"asked to retry after {seconds} s"
        handler.send_response(503)
        handler.send_header("Retry-After", str(seconds))
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    return fault


def after(event: threading.Event, then: Fault) -> Fault:
    """Wait (bounded) for *event*, then apply *then*."""

    def fault(handler: ProxyHandler, seen: Seen) -> None:
        event.wait(LONGEST_HOLD)
        then(handler, seen)

    return fault


def dripping(every: float = 0.2) -> Fault:
    """Answer 200 with headers at once and then a byte every *every* seconds, for a long time."""

    def fault(handler: ProxyHandler, seen: Seen) -> None:
        seen.fate = "dripped"
        handler.send_response(200)
        handler.send_header("Content-Type", "application/sparql-results+json")
        handler.send_header("Content-Length", "1000000")
        handler.end_headers()
        deadline = time.monotonic() + LONGEST_HOLD
        try:
            while time.monotonic() < deadline:
                handler.wfile.write(b" ")
                handler.wfile.flush()
                time.sleep(every)
        except OSError:
            pass  # the client gave up: what the test expects
        handler.close_connection = True

    return fault


def trickling_headers(every: float = 0.2) -> Fault:
    """Send a status line, then the headers a byte every *every* seconds, never ending them."""

    def fault(handler: ProxyHandler, seen: Seen) -> None:
        seen.fate = "headers trickled"
        deadline = time.monotonic() + LONGEST_HOLD
        try:
            handler.wfile.write(b"HTTP/1.1 200 OK\r\nX-Slow: ")
            while time.monotonic() < deadline:
                handler.wfile.write(b"x")
                handler.wfile.flush()
                time.sleep(every)
        except OSError:
            pass  # the client gave up
        handler.close_connection = True

    return fault


def stale(release: threading.Event) -> Fault:
    """Hold the request unanswered (the client times out and retries), and deliver it to the
    store only once *release* is set: a stale delivery, landing after the requests sent since."""

    def fault(handler: ProxyHandler, seen: Seen) -> None:
        release.wait(LONGEST_HOLD)
        handler.server.forward(seen)
        seen.fate = "delivered stale"
        handler.server.stale_delivered.set()
        handler.close_connection = True

    return fault
