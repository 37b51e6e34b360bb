"""Limits uvicorn enforces while reading a request, tested on a real server process.

The ASGI test transport never runs an HTTP parser, so these go over real sockets.
Measured without these limits (uvicorn 0.54 + httptools): a 100 KB header, 200 header
fields and even a 10 MB header all reached the app.
"""

from __future__ import annotations

import contextlib
import json
import socket
import time
from urllib.parse import urlsplit

import pytest

from tests.conftest import SERVED_HEAD_TIMEOUT_S, SERVED_REQUEST_TIMEOUT_S

HEAD_TIMEOUT_S = SERVED_HEAD_TIMEOUT_S
REQUEST_TIMEOUT_S = SERVED_REQUEST_TIMEOUT_S
# A server's cut-off comes late on a loaded machine (its event loop shares two cores with
# everything else), so no test bounds how late: the 408/503 problem proves the deadline
# fired, and the elapsed time that it did not fire early. A server that never cuts off
# still fails: the client gives up after CLIENT_WAIT_S, a cap no load reaches.
CLIENT_WAIT_S = 120.0


@pytest.fixture(scope="module")
def server(served: str) -> tuple[str, int]:
    """The shared server process (short head and request deadlines): host and port."""
    parts = urlsplit(served)
    assert parts.hostname is not None
    assert parts.port is not None
    return parts.hostname, parts.port


def _exchange(server: tuple[str, int], data: bytes, *, pause_s: float = 0.0) -> bytes:
    """Send `data`, optionally wait, then read until the server closes (or CLIENT_WAIT_S)."""
    with socket.create_connection(server, timeout=CLIENT_WAIT_S) as sock:
        # The server may refuse before it has read everything.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            sock.sendall(data)
        time.sleep(pause_s)
        received = b""
        try:
            while chunk := sock.recv(65536):
                received += chunk
        except ConnectionResetError:
            pass
        return received


def _response(raw: bytes) -> tuple[int, dict[str, str], bytes]:
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:])
    return int(lines[0].split()[1]), {k.lower(): v for k, v in headers.items()}, body


def _request(*extra_headers: bytes, path: bytes = b"/health/live") -> bytes:
    return (
        b"GET "
        + path
        + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + b"".join(extra_headers)
        + b"Connection: close\r\n\r\n"
    )


def test_a_100_kb_header_is_refused_with_431_problem(server: tuple[str, int]) -> None:
    status, headers, body = _response(
        _exchange(server, _request(b"X-Big: " + b"a" * 100_000 + b"\r\n"))
    )
    assert status == 431
    assert headers["content-type"] == "application/problem+json"
    assert headers["connection"] == "close"
    problem = json.loads(body)
    assert problem["status"] == 431
    assert problem["type"] == "urn:users-service:problem:request-header-too-large"
    assert "16384 bytes" in problem["detail"]


def test_200_header_fields_are_refused_with_431_problem(server: tuple[str, int]) -> None:
    fields = [b"X-Field-%d: v\r\n" % n for n in range(200)]
    status, headers, body = _response(_exchange(server, _request(*fields)))
    assert status == 431
    assert headers["content-type"] == "application/problem+json"
    assert "more than 100 header fields" in json.loads(body)["detail"]


def test_heads_within_the_limits_are_served(server: tuple[str, int]) -> None:
    fields = [b"X-Field-%d: %s\r\n" % (n, b"v" * 100) for n in range(90)]  # ~10 KB, 90 fields
    status, _, _ = _response(_exchange(server, _request(*fields)))
    assert status == 200


def test_a_large_body_arriving_with_its_head_is_not_mistaken_for_a_large_head(
    server: tuple[str, int],
) -> None:
    body = b'{"username": "' + b"x" * 200_000 + b'"}'
    request = (
        b"POST /users HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        b"Content-Length: %d\r\nConnection: close\r\n\r\n" % len(body)
    ) + body
    status, headers, _ = _response(_exchange(server, request))
    assert status == 422  # judged by the app, not refused by the parser
    assert headers["content-type"] == "application/problem+json"


def test_a_head_that_trickles_in_gets_408_problem(server: tuple[str, int]) -> None:
    started = time.monotonic()
    raw = _exchange(server, b"GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n")
    elapsed = time.monotonic() - started
    status, headers, body = _response(raw)
    assert status == 408
    assert headers["content-type"] == "application/problem+json"
    problem = json.loads(body)
    assert problem["type"] == "urn:users-service:problem:request-timeout"
    # The configured deadline (not the 10 s default) cut it off, and not early.
    assert f"within {HEAD_TIMEOUT_S:g} s" in problem["detail"]
    assert elapsed >= HEAD_TIMEOUT_S * 0.9


def test_an_idle_connection_is_closed_after_the_head_timeout(server: tuple[str, int]) -> None:
    started = time.monotonic()
    assert _exchange(server, b"") == b""
    assert time.monotonic() - started >= HEAD_TIMEOUT_S * 0.9


def test_a_body_that_trickles_in_meets_the_request_deadline(server: tuple[str, int]) -> None:
    request = (
        b"POST /auth/refresh HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        b'Content-Length: 1000\r\nConnection: close\r\n\r\n{"refresh_token": "'
    )
    started = time.monotonic()
    status, headers, body = _response(_exchange(server, request))
    elapsed = time.monotonic() - started
    assert status == 503
    assert headers["content-type"] == "application/problem+json"
    assert headers["retry-after"] == "1"
    problem = json.loads(body)
    assert problem["type"] == "urn:users-service:problem:request-timeout"
    assert "may have been applied" in problem["detail"]
    assert f"within {REQUEST_TIMEOUT_S:g} s" in problem["detail"]
    assert elapsed >= REQUEST_TIMEOUT_S * 0.9


def test_a_head_growing_past_the_limit_is_cut_off_before_it_ends(
    server: tuple[str, int],
) -> None:
    # Never finished: only the bytes buffered so far can tell, and memory stays bounded.
    with socket.create_connection(server, timeout=CLIENT_WAIT_S) as sock:
        sock.sendall(b"GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ")
        try:
            for _ in range(64):
                sock.sendall(b"a" * 1024)
                time.sleep(0.005)
        except (BrokenPipeError, ConnectionResetError):
            pass
        raw = b""
        try:
            while chunk := sock.recv(65536):
                raw += chunk
        except ConnectionResetError:
            pass
    # 431, not the head timeout's 408: the size cut it off, whatever the clock says.
    assert _response(raw)[0] == 431
