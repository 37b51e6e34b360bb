"""Routing failures (404, 405) and the framework's own HTTP errors as problem documents."""

from __future__ import annotations

from fastapi import Request
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response
from starlette.routing import Match, Mount

from service.http.context import current_request_id
from service.http.problems import make_problem

# Framework errors with a problem type of their own. A 400 that reaches this handler is a
# body the framework could not parse (e.g. broken multipart); JSON has its own type.
_HTTP_SLUGS = {400: "malformed-body", 413: "payload-too-large"}


_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")


def allowed_methods(request: Request) -> str:
    """Every method some route answers on this path, for the `Allow` header of a 405.

    Starlette names only the methods of the first route whose path matched; a path such as
    `/users/{user_id}` is served by several routes (GET, PUT, PATCH, DELETE). So each method
    is tried against the router's own matching. HEAD is answered wherever GET is
    (`HeadMiddleware`); a mount (the static docs assets) serves GET.
    """
    routes = request.app.router.routes
    allowed = set()
    for method in _METHODS[:1] + _METHODS[2:]:
        scope = {**request.scope, "method": method}
        for route in routes:
            match, _ = route.matches(scope)
            if match is Match.FULL or (isinstance(route, Mount) and match is not Match.NONE):
                allowed.add("GET" if isinstance(route, Mount) else method)
    if "GET" in allowed:
        allowed.add("HEAD")
    return ", ".join(method for method in _METHODS if method in allowed)


async def handle_http_exception(request: Request, exc: Exception) -> Response:
    """Routing failures (404, 405) and framework HTTP errors as problem documents."""
    assert isinstance(exc, StarletteHTTPException)  # noqa: S101
    detail = exc.detail if isinstance(exc.detail, str) else None
    headers = dict(exc.headers) if exc.headers else {}
    if exc.status_code == 405:
        headers["Allow"] = allowed_methods(request) or headers.get("Allow", "")
    # Subclasses raised from body parsing (see `service.http.routing`) carry their own type.
    return make_problem(
        exc.status_code,
        slug=getattr(exc, "slug", None) or _HTTP_SLUGS.get(exc.status_code),
        title=getattr(exc, "title", None),
        detail=detail,
        instance=request.url.path,
        request_id=current_request_id(),
        errors=getattr(exc, "errors", None),
        headers=headers or None,
    )
