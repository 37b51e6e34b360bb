"""The one table from exception class to what it means over HTTP: status, problem type
and title (RFC 9457). A class without an entry takes its nearest base's."""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

from service.audit import errors as audit
from service.auth import errors as auth
from service.avatars import errors as avatars
from service.core import errors as core
from service.core.admission import WorkerBusy
from service.http.csrf import CrossSiteRequestRefused
from service.http.session_cookie import SessionCookiesDisabled
from service.idempotency import errors as idempotency
from service.models import errors as models
from service.passkeys import errors as passkeys
from service.passwords import errors as passwords
from service.second_factor import errors as second_factor
from service.users import errors as users


class ProblemKind(NamedTuple):
    """What a failure means over HTTP: status, problem slug (its type URI), title, and any
    header every such answer carries."""

    status: int
    slug: str
    title: str
    headers: Mapping[str, str] | None = None


_UNPROCESSABLE = "Unprocessable Content"
_UNAVAILABLE = "Service Unavailable"

# The one table. A class without an entry takes its nearest base's (method resolution order).
PROBLEMS: Mapping[type[core.ServiceError], ProblemKind] = {
    core.ServiceError: ProblemKind(500, "internal-error", "Internal Server Error"),
    core.Unauthorized: ProblemKind(401, "unauthorized", "Unauthorized"),
    core.Forbidden: ProblemKind(403, "forbidden", "Forbidden"),
    core.NotFound: ProblemKind(404, "not-found", "Not Found"),
    core.Conflict: ProblemKind(409, "conflict", "Conflict"),
    core.PreconditionFailed: ProblemKind(412, "precondition-failed", "Precondition Failed"),
    core.MalformedJson: ProblemKind(400, "malformed-json", "Malformed JSON"),
    core.UnsupportedMediaType: ProblemKind(415, "unsupported-media-type", "Unsupported Media Type"),
    core.InvalidParameter: ProblemKind(422, "validation-error", _UNPROCESSABLE),
    core.TooManyRequests: ProblemKind(429, "too-many-requests", "Too Many Requests"),
    core.RequestInvalid: ProblemKind(422, "validation-error", _UNPROCESSABLE),
    core.Unavailable: ProblemKind(503, "service-unavailable", _UNAVAILABLE),
    core.DatabaseUnavailable: ProblemKind(503, "database-unavailable", _UNAVAILABLE),
    WorkerBusy: ProblemKind(503, "worker-busy", _UNAVAILABLE),
    users.UserNotFound: ProblemKind(404, "user-not-found", "Not Found"),
    users.UsernameTaken: ProblemKind(409, "username-taken", "Conflict"),
    users.EmailTaken: ProblemKind(409, "email-taken", "Conflict"),
    users.AdminOnly: ProblemKind(403, "admin-only", "Forbidden"),
    auth.NotAuthenticated: ProblemKind(401, "not-authenticated", "Unauthorized"),
    auth.InvalidCredentials: ProblemKind(401, "invalid-credentials", "Unauthorized"),
    auth.InvalidRefreshToken: ProblemKind(401, "invalid-refresh-token", "Unauthorized"),
    auth.LoginThrottled: ProblemKind(429, "login-throttled", "Too Many Requests"),
    auth.WrongCurrentPassword: ProblemKind(403, "wrong-current-password", "Forbidden"),
    auth.EmailNotVerified: ProblemKind(403, "email-not-verified", "Forbidden"),
    auth.InvalidAccountToken: ProblemKind(400, "invalid-token", "Invalid Token"),
    auth.SessionNotFound: ProblemKind(404, "session-not-found", "Not Found"),
    auth.AccountMailThrottled: ProblemKind(429, "account-mail-throttled", "Too Many Requests"),
    avatars.AvatarNotFound: ProblemKind(404, "avatar-not-found", "Not Found"),
    avatars.UnsupportedImage: ProblemKind(415, "unsupported-image", "Unsupported Media Type"),
    avatars.InvalidImage: ProblemKind(422, "invalid-image", _UNPROCESSABLE),
    idempotency.IdempotencyKeyReused: ProblemKind(422, "idempotency-key-reused", _UNPROCESSABLE),
    idempotency.IdempotencyInProgress: ProblemKind(409, "idempotency-key-in-progress", "Conflict"),
    models.ModelNotFound: ProblemKind(404, "model-not-found", "Not Found"),
    models.NoActiveVersion: ProblemKind(409, "model-has-no-active-version", "Conflict"),
    models.ModelServingUnavailable: ProblemKind(503, "model-serving-unavailable", _UNAVAILABLE),
    models.InvalidModelFile: ProblemKind(422, "invalid-model-file", _UNPROCESSABLE),
    models.InvalidRows: ProblemKind(422, "validation-error", _UNPROCESSABLE),
    models.ModelFileTooLarge: ProblemKind(413, "payload-too-large", "Content Too Large"),
    models.ModelResourcesExhausted: ProblemKind(503, "model-resources-exhausted", _UNAVAILABLE),
    models.ModelRunTimedOut: ProblemKind(503, "model-run-timeout", _UNAVAILABLE),
    models.ModelRunFailed: ProblemKind(422, "model-run-failed", _UNPROCESSABLE),
    core.MalformedForm: ProblemKind(400, "malformed-form", "Malformed Form"),
    users.RegistrationInterrupted: ProblemKind(503, "registration-interrupted", _UNAVAILABLE),
    audit.AuditUnavailable: ProblemKind(503, "audit-unavailable", _UNAVAILABLE),
    passkeys.InvalidPasskeyResponse: ProblemKind(
        400, "invalid-passkey-response", "Invalid Passkey Response"
    ),
    passkeys.PasskeyLoginFailed: ProblemKind(401, "passkey-login-failed", "Unauthorized"),
    passkeys.PasskeyDisabled: ProblemKind(403, "passkey-disabled", "Forbidden"),
    passkeys.PasskeyNotFound: ProblemKind(404, "passkey-not-found", "Not Found"),
    passkeys.PasskeyAlreadyRegistered: ProblemKind(409, "passkey-already-registered", "Conflict"),
    passkeys.TooManyPasskeys: ProblemKind(409, "too-many-passkeys", "Conflict"),
    # The challenge in this answer opens a session with a code: no cache may keep it.
    second_factor.SecondFactorRequired: ProblemKind(
        401, "second-factor-required", "Second Factor Required", {"Cache-Control": "no-store"}
    ),
    second_factor.InvalidChallenge: ProblemKind(401, "invalid-challenge", "Unauthorized"),
    second_factor.InvalidSecondFactorCode: ProblemKind(
        401, "invalid-second-factor-code", "Unauthorized"
    ),
    second_factor.WrongSecondFactorProof: ProblemKind(
        403, "wrong-second-factor-proof", "Forbidden"
    ),
    second_factor.WrongCode: ProblemKind(403, "wrong-code", "Forbidden"),
    second_factor.SecondFactorAlreadyEnabled: ProblemKind(
        409, "second-factor-already-enabled", "Conflict"
    ),
    second_factor.NoPendingEnrolment: ProblemKind(409, "no-pending-enrolment", "Conflict"),
    second_factor.SecondFactorNotEnabled: ProblemKind(
        404, "second-factor-not-enabled", "Not Found"
    ),
    passwords.PasswordRefused: ProblemKind(422, "password-refused", "Password refused"),
    passwords.WeakPassword: ProblemKind(422, "weak-password", "Password too weak"),
    passwords.BreachedPassword: ProblemKind(
        422, "breached-password", "Password found in a data breach"
    ),
    passwords.PasswordContainsIdentity: ProblemKind(
        422, "password-contains-identity", "Password contains your username or email"
    ),
    passwords.BreachCheckUnavailable: ProblemKind(503, "breach-check-unavailable", _UNAVAILABLE),
    CrossSiteRequestRefused: ProblemKind(403, "cross-site-request", "Cross-site request refused"),
    SessionCookiesDisabled: ProblemKind(
        404, "session-cookies-disabled", "Browser sessions are disabled"
    ),
    second_factor.SecondFactorUnavailable: ProblemKind(
        503, "second-factor-unavailable", _UNAVAILABLE
    ),
}


def problem_kind(failure: type[core.ServiceError]) -> ProblemKind:
    """The table's entry for the class `failure`, or for its nearest base that has one."""
    # Always found: `ServiceError` itself is in every such class's bases and in the table.
    return next(PROBLEMS[cls] for cls in failure.__mro__ if cls in PROBLEMS)


def problem_headers(exc: core.ServiceError) -> dict[str, str]:
    """The headers an answer to `exc` carries: its kind's, the scheme a 401 would accept
    (RFC 9110) and, when retrying may succeed, `Retry-After`."""
    kind = problem_kind(type(exc))
    headers = dict(kind.headers or {})
    if kind.status == 401:
        headers["WWW-Authenticate"] = "Bearer"
    if exc.retry_after_s is not None:
        headers["Retry-After"] = str(max(1, exc.retry_after_s))
    return headers
