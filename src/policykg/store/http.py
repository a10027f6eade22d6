"""Talking to SPARQL stores over HTTP: bounded waits, retries with backoff, authentication, and
errors that name the endpoint, the status and the store's answer, never the credentials (which
``scrubbing`` removes in every form a store may echo them).

Every wait is bounded: each read by the timeout, each answer's body by the timeout after its
headers, each pause between tries (``Retry-After`` included) by the timeout and 60 s, and each
request, retries included, by a total deadline (:func:`total_deadline`).

Credentials come from ``POLICYKG_USER`` and ``POLICYKG_PASSWORD`` (basic and digest) or
``POLICYKG_TOKEN`` (bearer), else from the endpoint host's entry in ``~/.netrc`` (or ``$NETRC``);
without an auth scheme nothing is sent. Request bodies are bytes, so a digest challenge or a retry
can send them again.
"""

from __future__ import annotations

import codecs
import os
import queue
import threading
import time
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from html.parser import HTMLParser
from types import TracebackType
from typing import Any, Literal
from urllib.parse import urlsplit, urlunsplit

import requests
from requests.adapters import HTTPAdapter
from requests.auth import AuthBase, HTTPBasicAuth, HTTPDigestAuth
from requests.utils import get_netrc_auth
from urllib3.exceptions import (
    DecodeError,
    InsecureRequestWarning,
    MaxRetryError,
    NewConnectionError,
    ProtocolError,
    ReadTimeoutError,
)
from urllib3.exceptions import SSLError as Urllib3SSLError
from urllib3.exceptions import TimeoutError as Urllib3Timeout
from urllib3.response import BaseHTTPResponse
from urllib3.util.retry import Retry

from policykg.errors import StoreError, UsageError
from policykg.store.scrubbing import Scrubber, basic_header_secrets

AuthScheme = Literal["basic", "digest", "bearer"]
AUTH_SCHEMES: tuple[AuthScheme, ...] = ("basic", "digest", "bearer")
USER_VARIABLE, PASSWORD_VARIABLE, TOKEN_VARIABLE = (
    "POLICYKG_USER",
    "POLICYKG_PASSWORD",
    "POLICYKG_TOKEN",
)
SPARQL_JSON = "application/sparql-results+json"
FORM = "application/x-www-form-urlencoded"
MAX_ROWS_HEADER = "X-SPARQL-MaxRows"
"""Virtuoso's sign that it cut a SELECT answer at ``ResultSetMaxRows`` (with status 200)."""

MAX_RETRY_WAIT = 60.0
"""The longest wait between two tries, whatever a store's ``Retry-After`` asks (or the timeout)."""

_RETRY_STATUSES = (429, 502, 503, 504)
_BODY_CHUNK = 65_536
_RETRIED_METHODS = frozenset({"GET", "PUT", "POST", "DELETE"})


@dataclass(frozen=True)
class HttpSettings:
    """How to talk to a store: auth scheme, timeout in seconds, retries, TLS verification."""

    auth: AuthScheme | None = None
    timeout: float = 60.0
    retries: int = 3
    verify_tls: bool = True


def total_deadline(settings: HttpSettings) -> float:
    """The longest one request may take, retries included, whatever the store does.

    Each try may take the timeout to connect, to get the headers and to get the body, and a
    wait of at most the timeout before the next; a digest challenge doubles the tries.
    """
    tries = (settings.retries + 1) * (2 if settings.auth == "digest" else 1)
    return tries * 4 * settings.timeout


class StoreClient:
    """An HTTP session for one store; use it as a context manager."""

    def __init__(self, settings: HttpSettings, endpoint: str) -> None:
        auth, secrets = _credentials(settings.auth, endpoint)
        self.scrubber = Scrubber(secrets)
        self._timeout = settings.timeout
        self._deadline = total_deadline(settings)
        self._verify_tls = settings.verify_tls
        self._sessions = {
            repeatable: _session(settings, auth, read_retries=repeatable)
            for repeatable in (True, False)
        }

    def __enter__(self) -> StoreClient:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        for session in self._sessions.values():
            session.close()

    def send(
        self,
        method: str,
        url: str,
        *,
        params: Mapping[str, str] | None = None,
        body: bytes | None = None,
        content_type: str | None = None,
        accept: str | None = None,
        action: str,
        repeatable: bool = True,
    ) -> requests.Response:
        """Send one request; raise :class:`StoreError` unless the store answers with 2xx.

        *action* says what the request does, for the error message ("write graph <g>"). A request
        that is not *repeatable* is not sent again once the store may have received it; it is
        still retried when it could not be sent or was refused with 429/502/503/504.
        """
        headers = {}
        if content_type:
            headers["Content-Type"] = content_type
        if accept:
            headers["Accept"] = accept

        def exchange() -> requests.Response:
            with warnings.catch_warnings():
                if not self._verify_tls:
                    warnings.simplefilter("ignore", InsecureRequestWarning)
                # verify is passed per request: a session-level False loses to REQUESTS_CA_BUNDLE
                # or CURL_CA_BUNDLE in the environment (requests merges them that way round).
                response = self._sessions[repeatable].request(
                    method,
                    url,
                    params=params,
                    data=body,
                    headers=headers,
                    timeout=self._timeout,
                    verify=self._verify_tls,
                    stream=True,
                )
                _read_body_within(response, self._timeout)
                return response

        try:
            response = _within(self._deadline, exchange)
        except _DeadlinePassed:
            raise StoreError(
                f"cannot {action}: the store did not answer in full within {self._deadline:g} s,"
                " retries included (the limit --timeout and --retries set)",
                endpoint=public_url(url),
            ) from None
        except requests.RequestException as error:
            reason = self.scrubber.text(_describe_failure(error, self._timeout))
            raise StoreError(f"cannot {action}: {reason}", endpoint=public_url(url)) from error
        if not response.ok:
            raise StoreError(
                f"cannot {action}: {_describe_status(response)}",
                endpoint=public_url(url),
                status=response.status_code,
                body_excerpt=self.excerpt(response),
            )
        return response

    def select(self, url: str, query: str, *, action: str) -> dict[str, Any]:
        """Run a SPARQL SELECT at the query service *url*; return its JSON results."""
        response = self.send("GET", url, params={"query": query}, accept=SPARQL_JSON, action=action)
        check_complete(response, action=action)
        try:
            results = response.json()
            if not isinstance(results, dict) or "results" not in results:
                raise ValueError("no results member")
            return results
        except ValueError:
            # Not chained: the parser's error quotes the answer, which may quote the credentials.
            raise StoreError(
                f"cannot {action}: the answer is not SPARQL JSON results",
                endpoint=public_url(url),
                status=response.status_code,
                body_excerpt=self.excerpt(response),
            ) from None

    def excerpt(self, response: requests.Response) -> str:
        """The start of *response*'s body, for a message: without the credentials, in one line;
        an HTML page (Virtuoso's errors) as its text."""
        media_type = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if media_type in ("text/html", "application/xhtml+xml"):
            page = response.content.decode(_codec(response.encoding), errors="replace")
            return self.scrubber.excerpt(html_text(page).encode("utf-8"), "utf-8")
        return self.scrubber.excerpt(response.content, response.encoding)


def check_complete(response: requests.Response, *, action: str) -> None:
    """Raise :class:`StoreError` if the store says it cut its answer (:data:`MAX_ROWS_HEADER`).

    Virtuoso sends the header when the answer reached its ``ResultSetMaxRows``, an answer of
    exactly that many rows included, so such an answer is refused too rather than risk a silently
    shortened one.
    """
    cap = response.headers.get(MAX_ROWS_HEADER)
    if cap is not None:
        raise StoreError(
            f"cannot {action}: the store cut its answer at {cap} rows ({MAX_ROWS_HEADER}), and"
            " policykg does not pass on a shortened answer: raise the store's limit (Virtuoso:"
            " ResultSetMaxRows in the [SPARQL] section of virtuoso.ini), or ask for fewer rows"
            " at a time with LIMIT and OFFSET",
            endpoint=public_url(response.url),
            status=response.status_code,
        )


def html_text(page: str) -> str:
    """The text of an HTML *page*, without its markup, scripts and styles.

    Virtuoso writes its error messages raw inside ``<xmp>``, IRIs in angle brackets included;
    they are kept as written.

    >>> html_text("<html><h3>Error 22023</h3><xmp>graph <http://e/g> is rejected</xmp></html>")
    'Error 22023 graph <http://e/g> is rejected'
    """
    parser = _TextOfPage()
    parser.feed(page)
    parser.close()
    return " ".join(" ".join(parser.parts).split())


class _TextOfPage(HTMLParser):
    _RAW = frozenset({"xmp", "listing", "plaintext"})  # raw text, as script and style are
    _HIDDEN = frozenset({"script", "style"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._open.append(tag)
        if tag in self._RAW:
            self.set_cdata_mode(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self._open:
            del self._open[len(self._open) - 1 - self._open[::-1].index(tag) :]

    def handle_data(self, data: str) -> None:
        if not self._HIDDEN.intersection(self._open):
            self.parts.append(data)


def checked_url(url: str, option: str) -> str:
    """*url* if it is an http(s) URL without credentials in it, else :class:`UsageError`."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"{option} must be an http:// or https:// URL, not {public_url(url)!r}")
    if parts.username is not None or parts.password is not None:
        raise UsageError(
            f"{option} must not hold credentials: give them in {USER_VARIABLE}/{PASSWORD_VARIABLE},"
            f" {TOKEN_VARIABLE} or ~/.netrc"
        )
    return url


def public_url(url: str) -> str:
    """*url* without its query string and any user information, fit for messages."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


class _BearerAuth(AuthBase):
    def __init__(self, token: str) -> None:
        self._token = token

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        request.headers["Authorization"] = f"Bearer {self._token}"
        return request


class _NoAuth(AuthBase):
    """Sends no credentials, and keeps requests from picking ``~/.netrc`` basic auth by itself."""

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        return request


def _credentials(scheme: AuthScheme | None, url: str) -> tuple[AuthBase | None, tuple[str, ...]]:
    """The auth handler for *scheme* and the strings to scrub from every message."""
    if scheme is None:
        return None, ()
    netrc = get_netrc_auth(url)
    host = urlsplit(url).hostname
    if scheme == "bearer":
        token = os.environ.get(TOKEN_VARIABLE) or (netrc[1] if netrc else None)
        if not token:
            raise UsageError(f"--auth bearer needs {TOKEN_VARIABLE} or a ~/.netrc entry for {host}")
        return _BearerAuth(token), (token,)
    user, password = os.environ.get(USER_VARIABLE), os.environ.get(PASSWORD_VARIABLE)
    if not (user and password) and netrc:
        user, password = netrc
    if not (user and password):
        raise UsageError(
            f"--auth {scheme} needs {USER_VARIABLE} and {PASSWORD_VARIABLE},"
            f" or a ~/.netrc entry for {host}"
        )
    secrets = (password, *basic_header_secrets(user, password))
    if scheme == "digest":
        return HTTPDigestAuth(user, password), secrets
    return HTTPBasicAuth(*_basic_credentials(user, password)), secrets


def _basic_credentials(user: str, password: str) -> tuple[str | bytes, str | bytes]:
    """*user* and *password* as requests should encode them: Latin-1 (its choice, as browsers
    do) when they fit, else UTF-8 (RFC 7617's charset) rather than a UnicodeEncodeError."""
    try:
        f"{user}:{password}".encode("latin-1")
    except UnicodeEncodeError:
        return user.encode("utf-8"), password.encode("utf-8")
    return user, password


def _session(
    settings: HttpSettings, auth: AuthBase | None, *, read_retries: bool
) -> requests.Session:
    session = requests.Session()
    session.auth = auth if auth is not None else _NoAuth()
    session.verify = settings.verify_tls
    adapter = HTTPAdapter(
        max_retries=_retry(settings.retries, read=read_retries, timeout=settings.timeout)
    )
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


class _CappedRetry(Retry):
    """urllib3's retries, with every wait (backoff or ``Retry-After``) at most *wait_cap* s."""

    wait_cap = MAX_RETRY_WAIT

    def new(self, **changes: Any) -> _CappedRetry:
        retry = super().new(**changes)
        retry.wait_cap = self.wait_cap
        return retry

    def get_retry_after(self, response: BaseHTTPResponse) -> float | None:
        asked = super().get_retry_after(response)
        return None if asked is None else min(asked, self.wait_cap)


def _retry(retries: int, *, read: bool, timeout: float) -> Retry:
    retry = _CappedRetry(
        total=retries,
        read=None if read else False,
        backoff_factor=0.5,
        backoff_max=min(timeout, MAX_RETRY_WAIT),
        status_forcelist=_RETRY_STATUSES,
        allowed_methods=_RETRIED_METHODS,
        respect_retry_after_header=True,
        raise_on_status=False,  # the last answer is returned, so its status and body are reported
    )
    retry.wait_cap = min(timeout, MAX_RETRY_WAIT)
    return retry


class _DeadlinePassed(Exception):
    """A request outlived its total deadline."""


def _within(deadline: float, call: Callable[[], requests.Response]) -> requests.Response:
    """What *call* returns or raises, unless it takes longer than *deadline* seconds.

    *call* runs in a daemon thread, because a store that sends its headers a byte at a time
    never trips a socket timeout; a call that outlives its deadline is abandoned there, with
    its connection, and ends with the store or the process.
    """
    outcome: queue.Queue[tuple[requests.Response | None, BaseException | None]] = queue.Queue(1)

    def run() -> None:
        try:
            outcome.put((call(), None))
        except BaseException as error:  # raised again in the caller's thread
            outcome.put((None, error))

    threading.Thread(target=run, name="policykg-request", daemon=True).start()
    try:
        response, error = outcome.get(timeout=deadline)
    except queue.Empty:
        raise _DeadlinePassed from None
    if error is not None:
        raise error
    assert response is not None
    return response


def _read_body_within(response: requests.Response, timeout: float) -> None:
    """Read *response*'s body whole, giving up when it has not all arrived *timeout* s after its
    headers: the per-read timeout alone lets a store that drips its answer hold a load forever.

    ``read1`` returns whatever has arrived, where requests' own iteration waits for full chunks,
    so the deadline is checked as often as bytes come.
    """
    deadline = time.monotonic() + timeout
    chunks = []
    try:
        while chunk := _read_some(response):
            chunks.append(chunk)
            if time.monotonic() > deadline:
                raise requests.Timeout(f"the answer's body took longer than {timeout:g} s")
    finally:
        response.close()
    response._content = b"".join(chunks)  # what requests itself keeps once a body is read


def _read_some(response: requests.Response) -> bytes:
    """The next bytes of *response*'s body (empty at its end), with urllib3's errors as requests'
    (as ``Response.iter_content`` turns them)."""
    try:
        return response.raw.read1(_BODY_CHUNK, decode_content=True)
    except ProtocolError as error:
        raise requests.exceptions.ChunkedEncodingError(error) from error
    except DecodeError as error:
        raise requests.exceptions.ContentDecodingError(error) from error
    except ReadTimeoutError as error:
        raise requests.exceptions.ConnectionError(error) from error
    except Urllib3SSLError as error:
        raise requests.exceptions.SSLError(error) from error


def _describe_failure(error: requests.RequestException, timeout: float) -> str:
    if _timed_out(error):
        return f"the store did not answer within the timeout of {timeout:g} s"
    if isinstance(error, requests.exceptions.ChunkedEncodingError):
        return f"the answer was cut short ({_reason(error)})"
    if isinstance(error, requests.exceptions.SSLError):
        return f"TLS verification failed ({_reason(error)})"
    if isinstance(error, requests.ConnectionError):
        return f"the connection failed or was dropped ({_reason(error)})"
    return _reason(error)


def _timed_out(error: BaseException) -> bool:
    root = _root(error)
    if isinstance(root, NewConnectionError):  # urllib3 files "refused" under connect timeouts
        return False
    return isinstance(error, requests.Timeout) or isinstance(root, (TimeoutError, Urllib3Timeout))


def _root(error: BaseException) -> BaseException:
    """The innermost reason requests and urllib3 wrap a failure in."""
    current = error
    for _ in range(8):  # bounded: exception arguments could, in principle, refer back
        if isinstance(current, MaxRetryError) and current.reason is not None:
            current = current.reason
        elif current.args and isinstance(current.args[0], BaseException):
            current = current.args[0]
        else:
            break
    return current


def _reason(error: BaseException) -> str:
    root = _root(error)
    return f"{type(root).__name__}: {root}" if str(root) else type(root).__name__


def _codec(encoding: str | None) -> str:
    name = encoding or "utf-8"
    try:
        codecs.lookup(name)
    except LookupError:
        return "utf-8"
    return name


def _describe_status(response: requests.Response) -> str:
    if response.status_code in (401, 403):
        return f"the store refused the credentials or the request ({response.reason})"
    return f"the store answered {response.status_code} {response.reason}"
