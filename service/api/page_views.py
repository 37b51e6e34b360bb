"""How the account pages are rendered: autoescaped Jinja2 templates, one inline stylesheet
that the Content-Security-Policy allows by its hash, and headers that keep the link's
token on the page (no referrer, no cache, no framing)."""

from __future__ import annotations

import base64
import functools
import hashlib
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import Query
from fastapi.responses import HTMLResponse

from service.core.templating import template_environment

if TYPE_CHECKING:
    from jinja2 import Environment

TEMPLATE_DIR = Path(__file__).parent / "templates"
# Our own file, inserted verbatim: the policy names the hash of exactly these bytes.
STYLE = (TEMPLATE_DIR / "account" / "page.css").read_text(encoding="utf-8")
STYLE_HASH = base64.b64encode(hashlib.sha256(STYLE.encode()).digest()).decode()

# No script, image, font or connection at all; the one stylesheet by hash; forms post
# only to this origin; no page may frame these (clickjacking a "set password" button).
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'none'",
        f"style-src 'sha256-{STYLE_HASH}'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
    )
)
# The URL of a page holds a live token: no Referer carries it elsewhere, no cache keeps
# it, and no search engine lists it.
PAGE_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "X-Robots-Tag": "noindex, nofollow",
}


@functools.cache
def _environment() -> Environment:
    return template_environment(TEMPLATE_DIR, escape_strings=True)


def page(
    template: str, *, status: int = 200, headers: Mapping[str, str] | None = None, **context: Any
) -> HTMLResponse:
    """Render `account/<template>` with `context` as an HTML response with the page headers."""
    from markupsafe import Markup

    html = _environment().get_template(f"account/{template}").render(style=Markup(STYLE), **context)  # noqa: S704 - our own stylesheet
    return HTMLResponse(html, status_code=status, headers={**PAGE_HEADERS, **(headers or {})})


LinkToken = Annotated[str | None, Query(description="The token from the mailed link.")]
