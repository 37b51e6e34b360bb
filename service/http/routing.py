"""The route class of every API route: one way to read JSON bodies, and `me` reserved.

Every route class is `ServiceRoute`, whose handlers see a `ServiceRequest`. Its `json()`
is where FastAPI (and the registration parser) decode bodies, so every route answers the
same for the same bad body:

- bytes that are not JSON — invalid syntax, not UTF-8, nested too deep — are a 400
  `malformed-json` problem (FastAPI turns the `JSONDecodeError` raised here into its
  `json_invalid` error, which `service.core.errors` maps);
- JSON whose strings cannot be stored — a lone surrogate such as `"\\ud800"` is valid JSON
  syntax but no UTF-8 text, and MongoDB, Argon2 and every log line would fail on it later
  with a 500 — is a 422 naming where it was found.

`/users/me` is a path of its own: a `{user_id}` route never matches the segment `me`, so
`PUT /users/me` is a 405 listing what `/users/me` allows rather than a write to a user
whose id failed to parse.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Coroutine
from typing import Any, ClassVar

from fastapi import Depends
from fastapi.routing import APIRoute
from starlette._utils import get_route_path
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Match
from starlette.types import Scope

from service.core.errors import UnsupportedMediaType
from service.http.media_types import media_type

JSON_MEDIA_TYPES = ("application/json", "application/merge-patch+json")

# A `\uD800`-`\uDFFF` escape: the only way a JSON text can smuggle in a non-encodable string.
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89abcdefABCDEF]")


class UnencodableText(HTTPException):
    """A string in the body is not valid Unicode text (a lone UTF-16 surrogate).

    An HTTPException so FastAPI's body reading re-raises it unchanged (it turns any other
    error into a bare 400); `service.core.errors` renders it as a 422 validation problem.
    """

    slug: ClassVar[str] = "validation-error"
    title: ClassVar[str] = "Unprocessable Content"

    def __init__(self, loc: list[str | int]) -> None:
        msg = "contains a lone surrogate: not valid Unicode text"
        super().__init__(422, "The request did not pass validation; see `errors`.")
        self.errors = [{"loc": loc, "msg": msg, "type": "string_unicode"}]


def _encodable(text: str) -> bool:
    if text.isascii():
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _find_unencodable(value: Any, loc: list[str | int]) -> list[str | int] | None:
    """The location of the first string (or key) that is not encodable, if any."""
    if isinstance(value, str):
        return None if _encodable(value) else loc
    if isinstance(value, dict):
        for key, item in value.items():
            if not _encodable(key):
                return loc  # the key itself cannot be echoed back: point at its object
            found = _find_unencodable(item, [*loc, key])
            if found is not None:
                return found
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found = _find_unencodable(item, [*loc, index])
            if found is not None:
                return found
    return None


def decode_json(body: bytes) -> Any:
    """Parse a JSON request body, refusing what the service could not store or log.

    Raises `json.JSONDecodeError` for anything that is not JSON text and `UnencodableText`
    for JSON carrying a lone surrogate.
    """
    try:
        # Strictly UTF-8 (RFC 8259): `json.loads(bytes)` would also take UTF-16 and let
        # UTF-8-encoded surrogates through.
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise json.JSONDecodeError("the body is not UTF-8", "", exc.start) from None
    try:
        data = json.loads(text)
    except RecursionError:
        raise json.JSONDecodeError("the body is nested too deeply", "", 0) from None
    if _SURROGATE_ESCAPE.search(body):
        found = _find_unencodable(data, ["body"])
        if found is not None:
            raise UnencodableText(found)
    return data


class ServiceRequest(Request):
    """A request whose JSON body is decoded by `decode_json`."""

    async def json(self) -> Any:
        """The body as JSON (cached, as Starlette does)."""
        if not hasattr(self, "_json"):
            self._json = decode_json(await self.body())
        return self._json


RESERVED_USER_IDS = frozenset({"me"})


class ServiceRoute(APIRoute):
    """The route class of every API route: its handler sees a `ServiceRequest`, and a
    `{user_id}` in its path never takes a reserved segment such as `me`."""

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        """Starlette's match, except that `{user_id}` is never `me`.

        A path this route's pattern refuses is refused here first, with one regular
        expression: the framework's own match sets up and restores per-route state around
        the same test, and every request tries each route declared before its own.
        """
        if scope["type"] == "http" and self.path_regex.match(get_route_path(scope)) is None:
            return Match.NONE, {}
        match, child_scope = super().matches(scope)
        if match is not Match.NONE and child_scope["path_params"].get("user_id") in (
            RESERVED_USER_IDS
        ):
            return Match.NONE, {}
        return match, child_scope

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        """Wrap FastAPI's handler so that it reads the body through `ServiceRequest`."""
        handler = super().get_route_handler()

        async def service_handler(request: Request) -> Response:
            return await handler(ServiceRequest(request.scope, request.receive))

        return service_handler


async def require_json_body(request: Request) -> None:
    """Refuse bodies that are not JSON with a 415 rather than a confusing 422.

    Read from the request rather than declared as a `Header()`: the body's media types are
    documented by the request body itself, not as a header parameter clients must fill in.
    """
    if media_type(request.headers.get("content-type")) not in JSON_MEDIA_TYPES:
        raise UnsupportedMediaType(
            "Send the body as application/json (application/merge-patch+json also for PATCH)."
        )


JsonBody = Depends(require_json_body)
