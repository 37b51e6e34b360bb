"""RFC 9457 problem-details bodies and the response class that carries them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from http import HTTPStatus
from typing import Any

import orjson
from pydantic import BaseModel, Field
from starlette.responses import Response

PROBLEM_MEDIA_TYPE = "application/problem+json"


class FieldError(BaseModel):
    """One failed validation: where, what, and the machine-readable kind."""

    loc: list[str | int] = Field(description="Path to the offending input, e.g. ['body', 'email'].")
    msg: str = Field(description="Human-readable message.")
    type: str = Field(description="Machine-readable error kind, e.g. 'string_too_short'.")


class Problem(BaseModel):
    """An RFC 9457 problem-details document, as every error response of this service."""

    type: str = Field(default="about:blank", description="URI identifying the problem type.")
    title: str = Field(description="Short summary of the problem type.")
    status: int = Field(description="HTTP status code.")
    detail: str | None = Field(default=None, description="Explanation of this occurrence.")
    instance: str | None = Field(default=None, description="Path of the request that failed.")
    request_id: str | None = Field(default=None, description="Echo of X-Request-ID for support.")
    errors: list[FieldError] | None = Field(default=None, description="Validation failures.")


class ProblemResponse(Response):
    """A response whose body is a problem document with `application/problem+json`."""

    media_type = PROBLEM_MEDIA_TYPE

    def render(self, content: Any) -> bytes:
        """Serialise the problem dict, dropping absent optional members."""
        return orjson.dumps({k: v for k, v in content.items() if v is not None})


def problem_type(slug: str) -> str:
    """Return the stable type URI of a named problem."""
    return f"urn:users-service:problem:{slug}"


def make_problem(
    status: int,
    *,
    slug: str | None = None,
    title: str | None = None,
    detail: str | None = None,
    instance: str | None = None,
    request_id: str | None = None,
    errors: Sequence[Mapping[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
    extensions: dict[str, Any] | None = None,
) -> ProblemResponse:
    """Build a problem response; a missing title falls back to the HTTP reason phrase.
    `extensions` are RFC 9457 extension members (e.g. a login challenge)."""
    body = {
        "type": problem_type(slug) if slug else "about:blank",
        "title": title or HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "instance": instance,
        "request_id": request_id,
        "errors": errors,
        **(extensions or {}),
    }
    return ProblemResponse(body, status_code=status, headers=headers)


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses=` entries documenting that these statuses return a problem body."""
    return {
        status: {
            "model": Problem,
            "description": HTTPStatus(status).phrase,
            "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
        for status in statuses
    }
