"""Which Host the service answers to, and which origin it writes into URLs.

Location, Link and avatar_url are built from the request's scheme and Host. A forged
Host header must not steer them: requests naming a host outside `ALLOWED_HOSTS` are
refused with a 400 problem, and with `PUBLIC_BASE_URL` set every written URL uses that
origin whatever the request said.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.types import ASGIApp, Receive, Scope, Send

from service.core.origins import DEFAULT_PORTS
from service.http.context import current_request_id
from service.http.paths import UNCHECKED_HOST_PREFIXES
from service.http.problems import make_problem


def host_name(header: bytes | None) -> str | None:
    """The host of a Host header value, lower-case, without port or IPv6 brackets."""
    if not header:
        return None
    host = header.decode("latin-1").strip().lower()
    if host.startswith("["):
        end = host.find("]")
        return host[1:end] if end > 0 else None
    return host.rsplit(":", 1)[0].rstrip(".") if host.count(":") <= 1 else host


class HostMiddleware:
    """Refuse hosts outside `allowed_hosts` (empty or `*`: any); apply `public_base_url`."""

    def __init__(
        self, app: ASGIApp, *, allowed_hosts: list[str], public_base_url: str | None
    ) -> None:
        self.app = app
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

    def allows(self, host: str | None) -> bool:
        """Whether requests naming `host` are served."""
        if self.any_host:
            return True
        return host is not None and (host in self.exact or host.endswith(self.suffixes))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Check the Host, rewrite the origin when configured, pass the request on."""
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        if not self.any_host and not scope["path"].startswith(UNCHECKED_HOST_PREFIXES):
            header = next((v for k, v in scope["headers"] if k == b"host"), None)
            if not self.allows(host_name(header)):
                response = make_problem(
                    400,
                    slug="invalid-host",
                    title="Bad Request",
                    detail="The Host header names no host this service answers to.",
                    instance=scope["path"],
                    request_id=current_request_id(),
                )
                await response(scope, receive, send)
                return
        if self.origin is not None:
            # Rewritten in place, not in a copy: the router writes `route`, `endpoint` and
            # `path_params` into the scope it is given, and the metrics and access log
            # outside read them from the scope they passed down.
            scheme, server, authority = self.origin
            headers = [(k, v) for k, v in scope["headers"] if k != b"host"]
            scope["scheme"] = scheme
            scope["server"] = server
            scope["headers"] = [(b"host", authority), *headers]
        await self.app(scope, receive, send)
