"""The base exceptions every domain raises: plain classes carrying only domain data.

A failure says what went wrong (`detail`), which inputs were at fault (`errors`) and when a
retry may succeed (`retry_after_s`). What it means over HTTP (status, problem type, title,
headers) is decided in one table, `service.api.problems`.
"""

from __future__ import annotations

from typing import TypedDict


class FieldError(TypedDict):
    """One input at fault: where (`loc`), what (`msg`) and the machine-readable kind."""

    loc: list[str | int]
    msg: str
    type: str


class ServiceError(Exception):
    """Base of every expected failure; `detail` explains this occurrence to the caller."""

    errors: list[FieldError] | None = None
    retry_after_s: int | None = None
    # Members the problem document carries beside the standard ones (e.g. a login challenge).
    extensions: dict[str, object] | None = None

    def __init__(self, detail: str | None = None) -> None:
        super().__init__(detail or type(self).__name__)
        self.detail = detail


class Unauthorized(ServiceError):
    """No valid credentials were presented."""


class Forbidden(ServiceError):
    """The caller is known but may not do this."""


class NotFound(ServiceError):
    """The addressed resource does not exist."""


class Conflict(ServiceError):
    """The change clashes with existing state, e.g. a unique field."""


class PreconditionFailed(ServiceError):
    """An `If-Match` precondition did not hold."""


class MalformedJson(ServiceError):
    """The body is not JSON text: bad syntax, not UTF-8, or nested too deeply."""

    def __init__(self) -> None:
        super().__init__("The request body is not valid JSON.")


class MalformedForm(ServiceError):
    """A form body that is not UTF-8 text or holds far more fields than a page sends."""

    def __init__(self) -> None:
        super().__init__("The request body is not a form this page sends.")


class UnsupportedMediaType(ServiceError):
    """The request body's content type is not accepted here."""


class RequestInvalid(ServiceError):
    """The request failed its schema: `errors` lists every input at fault."""

    def __init__(self) -> None:
        super().__init__("The request did not pass validation; see `errors`.")


class InvalidParameter(ServiceError):
    """An input passed schema validation but is still unusable (e.g. a bad cursor)."""

    def __init__(self, loc: list[str | int], msg: str, kind: str) -> None:
        super().__init__(msg)
        self.errors = [FieldError(loc=loc, msg=msg, type=kind)]


class TooManyRequests(ServiceError):
    """The caller must wait `retry_after_s` seconds before trying again."""

    def __init__(self, detail: str, retry_after_s: int) -> None:
        super().__init__(detail)
        self.retry_after_s = retry_after_s


class Unavailable(ServiceError):
    """The service cannot do this now; retrying after `retry_after_s` seconds may succeed."""

    def __init__(self, detail: str | None = None, retry_after_s: int | None = None) -> None:
        super().__init__(detail)
        self.retry_after_s = retry_after_s


class DatabaseUnavailable(Unavailable):
    """The database did not answer in time or is unreachable; a retry may succeed."""
