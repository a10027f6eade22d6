"""Credentials are never printed: a server on 127.0.0.1 echoes the credentials it received in its
401, 500 and (unreadable) 200 answers, in every encoding a careless store might use, and neither
``policykg load`` nor ``policykg query`` may show them, whole or in part."""

from __future__ import annotations

import base64
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote

import pytest
import requests
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from hostile.echoes import ECHOES, EXCERPT_LENGTH, Echo
from policykg.cli import main
from policykg.store import scrubbing
from policykg.store.scrubbing import Scrubber, basic_header_secrets

pytestmark = pytest.mark.usefixtures("no_ambient_credentials")

USER = "analyst"
PASSWORDS = {
    "two-spaces": "open  sesame 42",
    "quotes": 'sa\'y "cheese" <&> /+?=%',
    "latin-1": "pässwörd-ñandú",
    "beyond-latin-1": "пароль 密码 ✓",
}

LOAD_OPTIONS = ("--auth", "basic", "--retries", "0")


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


def test_the_corpus_cuts_where_policykg_cuts() -> None:
    assert EXCERPT_LENGTH == scrubbing.EXCERPT_LENGTH


@pytest.mark.parametrize("echo_case", ECHOES)
@settings(max_examples=60, deadline=None)
@given(password=st.text(st.characters(exclude_categories=("Cs",)), min_size=6, max_size=40))
def test_no_password_survives_any_echo(echo_case: str, password: str) -> None:
    secrets = [password, *basic_header_secrets(USER, password)]
    header = "Basic " + basic_header_secrets(USER, password)[0]
    body, kind = ECHOES[echo_case](password, header)
    charset = requests.utils.get_encoding_from_headers({"content-type": kind})
    excerpt = Scrubber(secrets).excerpt(body, charset)
    readable = excerpt.replace("\x00", "")
    flat = " ".join(password.split())
    assert password not in readable and header[6:] not in readable
    assert len(flat) < 6 or flat not in " ".join(readable.split())
