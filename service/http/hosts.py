"""Which Host the service answers to, and which origin it writes into URLs.

Location, Link and avatar_url are built from the request's scheme and Host. A forged
Host header must not steer them: requests naming a host outside `ALLOWED_HOSTS` are
refused with a 400 problem, and with `PUBLIC_BASE_URL` set every written URL uses that
origin whatever the request said.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.responses import Response
from starlette.types import Scope

from service.core.origins import DEFAULT_PORTS
from service.http.paths import UNCHECKED_HOST_PREFIXES
from service.http.problems import make_problem

_HOSTS_REMEMBERED = 64


def host_name(header: bytes | None) -> str | None:
    """The host of a Host header value, lower-case, without port or IPv6 brackets."""
    if not header:
        return None
    host = header.decode("latin-1").strip().lower()
    if host.startswith("["):
        end = host.find("]")
        return host[1:end] if end > 0 else None
    return host.rsplit(":", 1)[0].rstrip(".") if host.count(":") <= 1 else host


class HostPolicy:
    """Refuse hosts outside `allowed_hosts` (empty or `*`: any); apply `public_base_url`.

    Applied by the service middleware (`service.http.pipeline`) to HTTP and websocket
    requests.
    """

    def __init__(self, *, allowed_hosts: list[str], public_base_url: str | None) -> None:
        patterns = [host.strip().lower() for host in allowed_hosts if host.strip()]
        self.any_host = not patterns or "*" in patterns
        self.exact = frozenset(host.strip("[]") for host in patterns if not host.startswith("*."))
        self.suffixes = tuple(host[1:] for host in patterns if host.startswith("*."))
        self.origin: tuple[str, tuple[str, int], bytes] | None = None
        if public_base_url:
            parts = urlsplit(public_base_url)
            assert parts.hostname is not None  # noqa: S101 - checked by parse_origin
            port = parts.port or DEFAULT_PORTS[parts.scheme]
            self.origin = (parts.scheme, (parts.hostname, port), parts.netloc.encode("latin-1"))
        # The Host header values seen and whether each is allowed: a client sends the same
        # few, and parsing one costs more than looking it up. Bounded: past the bound,
        # values are parsed each time.
        self._seen: dict[bytes | None, bool] = {}

    def allows(self, host: str | None) -> bool:
        """Whether requests naming `host` are served."""
        if self.any_host:
            return True
        return host is not None and (host in self.exact or host.endswith(self.suffixes))

    def _allows_header(self, header: bytes | None) -> bool:
        allowed = self._seen.get(header)
        if allowed is None:
            allowed = self.allows(host_name(header))
            if len(self._seen) < _HOSTS_REMEMBERED:
                self._seen[header] = allowed
        return allowed

    def admits(self, scope: Scope, header: bytes | None) -> bool:
        """Check the Host (`header`, its first value); rewrite the origin when configured.

        Rewritten in place, not in a copy: the router writes `route`, `endpoint` and
        `path_params` into the scope it is given, and the metrics and access log read them.
        """
        checked = not self.any_host and not scope["path"].startswith(UNCHECKED_HOST_PREFIXES)
        if checked and not self._allows_header(header):
            return False
        if self.origin is not None:
            scheme, server, authority = self.origin
            headers = [(k, v) for k, v in scope["headers"] if k != b"host"]
            scope["scheme"] = scheme
            scope["server"] = server
            scope["headers"] = [(b"host", authority), *headers]
        return True


def host_refusal(scope: Scope, request_id: str | None) -> Response:
    """The 400 problem for a request naming a host this service does not answer to."""
    return make_problem(
        400,
        slug="invalid-host",
        title="Bad Request",
        detail="The Host header names no host this service answers to.",
        instance=scope["path"],
        request_id=request_id,
    )
