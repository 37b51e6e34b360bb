"""A real HTTP server on loopback that speaks the Have I Been Pwned range API.

It answers `GET /range/{prefix}` from a small corpus (password -> breach count) with
`SUFFIX:COUNT` lines, and, when the request asks for `Add-Padding: true`, adds padding
lines of count 0 as the real API does (including, when told, one whose suffix is that of
a given clean password, to prove padding never counts). Every request path and its
padding header are recorded. `stall` makes it accept requests and never answer until the
server stops; `status` makes it answer that status instead.
"""

from __future__ import annotations

import contextlib
import hashlib
import secrets
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def sha1_hex(password: str) -> str:
    """The upper-case SHA-1 hex of a password, as the corpus is keyed."""
    return hashlib.sha1(password.encode(), usedforsecurity=False).hexdigest().upper()


@dataclass
class RangeCorpus:
    """What the server knows and how it behaves; what it was asked."""

    counts: dict[str, int] = field(default_factory=dict)
    padded_clean: list[str] = field(default_factory=list)  # suffixes served with count 0
    stall: bool = False
    status: int = 200
    requests: list[tuple[str, str | None]] = field(default_factory=list)
    released: threading.Event = field(default_factory=threading.Event)

    def lines(self, prefix: str, padding: bool) -> list[str]:
        """The answer's lines for `prefix`: known suffixes, then padding when asked."""
        lines = []
        for password, count in self.counts.items():
            digest = sha1_hex(password)
            if digest.startswith(prefix):
                lines.append(f"{digest[5:]}:{count}")
        if padding:
            lines += [
                f"{sha1_hex(p)[5:]}:0" for p in self.padded_clean if sha1_hex(p)[:5] == prefix
            ]
            lines += [f"{secrets.token_hex(18)[:35].upper()}:0" for _ in range(40)]
        return lines


def _handler(corpus: RangeCorpus) -> type[BaseHTTPRequestHandler]:
    class RangeHandler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            corpus.requests.append((self.path, self.headers.get("Add-Padding")))
            if corpus.stall:
                corpus.released.wait()  # until the server stops: the client must give up
                return
            prefix = self.path.removeprefix("/range/")
            if corpus.status != 200 or len(prefix) != 5:
                self.send_error(corpus.status if corpus.status != 200 else 400)
                return
            padding = self.headers.get("Add-Padding", "").lower() == "true"
            body = "\r\n".join(corpus.lines(prefix.upper(), padding)).encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass  # quiet: pytest shows the test's own output

    return RangeHandler


@contextlib.contextmanager
def range_server(corpus: RangeCorpus) -> Iterator[str]:
    """Serve `corpus` on a free loopback port; yield its base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(corpus))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        corpus.released.set()
        server.shutdown()
        server.server_close()
        thread.join()
