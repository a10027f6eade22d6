"""Credentials are never printed: a server on 127.0.0.1 echoes the credentials it received in its
401, 500 and (unreadable) 200 answers, in every encoding a careless store might use, and neither
``policykg load`` nor ``policykg query`` may show them, whole or in part."""

from __future__ import annotations

import base64
import html
import json
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote, quote_plus

import pytest
from click.testing import CliRunner

from policykg.cli import main
from policykg.store.scrubbing import EXCERPT_LENGTH, Scrubber

pytestmark = pytest.mark.usefixtures("no_ambient_credentials")

USER = "analyst"
PASSWORDS = {
    "two-spaces": "open  sesame 42",
    "quotes": 'sa\'y "cheese" <&> /+?=%',
    "latin-1": "pässwörd-ñandú",
    "beyond-latin-1": "пароль 密码 ✓",
}

LOAD_OPTIONS = ("--auth", "basic", "--retries", "0")

Echo = Callable[[str, str], tuple[bytes, str]]
"""From the password received and the Authorization header: an answer body and its type."""


def _text(body: str, charset: str = "utf-8", declared: bool = True) -> tuple[bytes, str]:
    kind = f"text/plain; charset={charset}" if declared else "text/plain"
    return f"refused: {body} is wrong".encode(charset, errors="xmlcharrefreplace"), kind


ECHOES: dict[str, Echo] = {
    "raw": lambda p, h: _text(p),
    "quote": lambda p, h: _text(quote(p, safe="")),
    "quote-lowercase-hex": lambda p, h: _text(quote(p, safe="").lower()),
    "quote-plus": lambda p, h: _text(quote_plus(p)),
    "json": lambda p, h: (json.dumps({"password": p}).encode(), "application/json"),
    "json-unescaped": lambda p, h: (
        json.dumps({"password": p}, ensure_ascii=False).encode(),
        "application/json",
    ),
    "json-slashes": lambda p, h: (
        json.dumps({"password": p}).replace("/", "\\/").encode(),
        "application/json",
    ),
    "html": lambda p, h: (f"<p>{html.escape(p)}</p>".encode(), "text/html; charset=utf-8"),
    "html-numeric": lambda p, h: (
        f"<p>{html.escape(p)}</p>".encode("ascii", "xmlcharrefreplace"),
        "text/html",
    ),
    "basic-header": lambda p, h: _text(f"header {h}"),
    "latin-1-undeclared": lambda p, h: _text(p, "latin-1", declared=False),
    "utf-16": lambda p, h: _text(p, "utf-16"),
    "utf-16-le-undeclared": lambda p, h: _text(p, "utf-16-le", declared=False),
    "cut-at-300": lambda p, h: _text("x" * (EXCERPT_LENGTH - 12) + p),
}


class EchoServer(ThreadingHTTPServer):
    """Answers every request with *status* and a body quoting the credentials it received."""

    daemon_threads = True

    def __init__(self, echo: Echo) -> None:
        super().__init__(("127.0.0.1", 0), _EchoHandler)
        self.echo = echo
        self.status = 401
        self.received: list[str] = []

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _EchoHandler(BaseHTTPRequestHandler):
    server: EchoServer

    def do_any(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0) or 0))
        header = self.headers.get("Authorization", "")
        credentials = base64.b64decode(header.removeprefix("Basic ")) if header else b""
        try:
            user_password = credentials.decode("utf-8")
        except UnicodeDecodeError:  # requests sends Latin-1 when the credentials fit in it
            user_password = credentials.decode("latin-1")
        self.server.received.append(user_password)
        body, kind = self.server.echo(user_password.partition(":")[2], header)
        self.send_response(self.server.status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_PUT = do_POST = do_any

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.nq"
    path.write_text(
        '<https://example.org/s> <https://example.org/p> "o" <https://example.org/g> .\n'
    )
    return path


def start(echo: Echo) -> Iterator[EchoServer]:
    server = EchoServer(echo)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def shows(output: str, password: str) -> list[str]:
    """The forms of *password* (or a telling part of it) readable in *output*."""
    readable = output.replace("\x00", "").replace("\\u0000", "")
    header = base64.b64encode(f"{USER}:{password}".encode()).decode()
    forms = [password, " ".join(password.split()), header, password[:8]]
    return [form for form in forms if form in readable]


@pytest.mark.parametrize("password_case", PASSWORDS)
@pytest.mark.parametrize("echo_case", ECHOES)
def test_no_form_of_the_password_is_ever_shown(
    tiny: Path, echo_case: str, password_case: str
) -> None:
    password = PASSWORDS[password_case]
    env = {"POLICYKG_USER": USER, "POLICYKG_PASSWORD": password}
    for server in start(ECHOES[echo_case]):
        outputs = []
        for status in (401, 500):
            server.status = status
            result = CliRunner().invoke(
                main,
                ["load", str(tiny), "--endpoint", f"{server.base}/store", *LOAD_OPTIONS],
                env=env,
            )
            assert result.exit_code == 3 and f"HTTP status: {status}" in result.stderr
            outputs.append(result.output)
        server.status = 200  # an answer that is no SPARQL results
        query = ["query", f"{server.base}/query", "SELECT * WHERE { ?s ?p ?o }", "--auth", "basic"]
        result = CliRunner().invoke(main, query, env=env)
        assert result.exit_code == 3 and "cannot be read" in result.stderr, result.output
        outputs.append(result.output)
        assert server.received and all(r == f"{USER}:{password}" for r in server.received)
    assert not [shown for output in outputs for shown in shows(output, password)], outputs


def test_a_bearer_token_echoed_url_encoded_is_scrubbed() -> None:
    scrub = Scrubber(["tok/en+with spaces"])
    assert scrub.text(f"got {quote('tok/en+with spaces', safe='')}") == "got ***"


def test_the_excerpt_is_cut_after_scrubbing() -> None:
    secret = "a-long-secret-value-0123456789"
    body = ("y" * (EXCERPT_LENGTH - 10) + secret).encode()
    excerpt = Scrubber([secret]).excerpt(body, "utf-8")
    assert "a-long" not in excerpt and excerpt.endswith("***")


def test_a_secret_still_readable_another_way_withholds_the_answer() -> None:
    secret = "wörd"
    body = b"w&#xf6;rd"  # hexadecimal character references: not a form scrubbed one by one
    assert (
        Scrubber([secret]).excerpt(body, "utf-8")
        == "(withheld: the answer may quote the credentials)"
    )
