"""The server's own 400s (requests it cannot parse) are problem documents too."""

from __future__ import annotations

import json
import socket
from urllib.parse import urlsplit

import httpx


def _raw_exchange(base_url: str, request: bytes) -> tuple[bytes, bytes]:
    address = urlsplit(base_url)
    with socket.create_connection((address.hostname, address.port), timeout=60) as conn:
        conn.sendall(request)
        received = b""
        while chunk := conn.recv(65536):
            received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    return head, body


UNPARSEABLE = [
    b"GET /health HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n",
    b"GET /he alth HTTP/1.1\r\nHost: x\r\n\r\n",
    b"GET /health HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n",
]


def test_unparseable_requests_get_a_problem_document(served: str) -> None:
    answers = [_raw_exchange(served, request) for request in UNPARSEABLE]
    # The server keeps serving well-formed requests.
    assert httpx.get(f"{served}/health/live", timeout=60).status_code == 200
    for request, (head, body) in zip(UNPARSEABLE, answers, strict=True):
        lines = head.decode("latin-1").split("\r\n")
        assert lines[0].startswith("HTTP/1.1 400"), request
        headers = dict(line.split(": ", 1) for line in lines[1:])
        assert headers["content-type"] == "application/problem+json", request
        assert int(headers["content-length"]) == len(body)
        problem = json.loads(body)
        assert problem["type"] == "urn:users-service:problem:malformed-request"
        assert problem["status"] == 400
