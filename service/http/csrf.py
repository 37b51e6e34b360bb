"""Cross-site request forgery checks for the routes a browser authenticates by cookie.

A cookie rides along with any request the browser makes to its site, whoever's page asks;
so every such request must prove it comes from a page the service trusts. Two checks,
both on headers that page scripts cannot set (the browser writes them):

1. `Origin` must be one of the configured front-end origins (`CORS_ORIGINS`) or the
   service's own. Without `Origin`, only `Sec-Fetch-Site: same-origin` is accepted.
   `SameSite=Lax` alone is not enough: a sibling subdomain (`evil.example.com` next to
   `app.example.com`) is the same *site* and gets the cookie.
2. A custom header, `X-Requested-With`, must be present: an HTML form or a beacon cannot
   send one, and a cross-origin script can only after a CORS preflight, which the service
   grants only to the configured origins. It holds even where a proxy drops `Origin`.

No token to store or synchronise: the same answer on every worker and replica.
"""

from __future__ import annotations

from collections.abc import Mapping

from service.core.errors import Forbidden

CSRF_HEADER = "X-Requested-With"


class CrossSiteRequestRefused(Forbidden):
    """A cookie-authenticated request that does not come from a trusted page."""


def check_same_party(headers: Mapping[str, str], trusted: frozenset[str], own: str) -> None:
    """Refuse (403) a request whose `Origin` is not trusted or that lacks the custom header.

    `headers` are the request's, with lower-case names; `trusted` the configured origins;
    `own` the service's own origin.
    """
    origin = headers.get("origin")
    if origin is not None:
        if origin != own and origin not in trusted:
            raise CrossSiteRequestRefused(
                f"Requests from {origin[:100]} may not use the session cookie; only the "
                "origins in CORS_ORIGINS and the service's own may."
            )
    elif headers.get("sec-fetch-site") != "same-origin":
        raise CrossSiteRequestRefused(
            "A session-cookie request must come from a browser page: no Origin header."
        )
    if not headers.get(CSRF_HEADER.lower()):
        raise CrossSiteRequestRefused(
            f"A session-cookie request must carry the {CSRF_HEADER} header (any value)."
        )
