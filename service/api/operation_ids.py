"""The operationId of every documented operation: one deliberate name each, in one table.

Generated clients name their methods after these ids (`users_create`, `usersCreate`), so an
id is part of the contract: changing one breaks every client. The convention:

    <path nouns>[-<verb>]      lower-case words joined by `-`

- path nouns: the path's literal segments in order, parameters left out (`/users/{user_id}/
  avatar` -> `users-avatar`; `/.well-known/jwks.json` -> `well-known-jwks`);
- verb: `list` (GET a collection), `get` (GET one), `create` (POST to a collection),
  `replace` (PUT), `update` (PATCH), `delete` (DELETE); a PUT that is no plain replacement
  says what it does (`upload`, `change`). A POST whose path already names an action
  (`/auth/token`, `/auth/logout`) takes no verb.

The table is keyed by method and path template, what a client sees, so moving or renaming
a handler changes no id. A documented route missing here stops the app from being built.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.routing import iter_route_contexts

OPERATION_IDS: dict[tuple[str, str], str] = {
    # auth
    ("POST", "/auth/token"): "auth-token",
    ("POST", "/auth/refresh"): "auth-refresh",
    ("POST", "/auth/logout"): "auth-logout",
    ("POST", "/auth/logout-all"): "auth-logout-all",
    ("GET", "/auth/sessions"): "auth-sessions-list",
    ("DELETE", "/auth/sessions/{session_id}"): "auth-sessions-delete",
    ("POST", "/auth/verify/request"): "auth-verify-request",
    ("POST", "/auth/verify"): "auth-verify",
    ("POST", "/auth/forgot-password"): "auth-forgot-password",
    ("POST", "/auth/reset-password"): "auth-reset-password",
    # passkeys (WebAuthn)
    ("POST", "/users/me/passkeys/registration-options"): "users-me-passkeys-registration-options",
    ("POST", "/users/me/passkeys"): "users-me-passkeys-create",
    ("GET", "/users/me/passkeys"): "users-me-passkeys-list",
    ("DELETE", "/users/me/passkeys/{passkey_id}"): "users-me-passkeys-delete",
    ("POST", "/auth/passkey/options"): "auth-passkey-options",
    ("POST", "/auth/passkey"): "auth-passkey",
    ("POST", "/auth/token/second-factor"): "auth-token-second-factor",
    # second factors
    ("GET", "/users/me/second-factor"): "users-me-second-factor-get",
    ("POST", "/users/me/second-factor/totp"): "users-me-second-factor-totp-create",
    ("POST", "/users/me/second-factor/totp/confirm"): "users-me-second-factor-totp-confirm",
    ("POST", "/users/me/second-factor/disable"): "users-me-second-factor-disable",
    (
        "POST",
        "/users/me/second-factor/recovery-codes",
    ): "users-me-second-factor-recovery-codes-create",
    ("DELETE", "/users/{user_id}/second-factor"): "users-second-factor-delete",
    ("POST", "/auth/browser/token"): "auth-browser-token",
    ("POST", "/auth/browser/token/second-factor"): "auth-browser-token-second-factor",
    ("POST", "/auth/browser/refresh"): "auth-browser-refresh",
    ("POST", "/auth/browser/logout"): "auth-browser-logout",
    # users
    ("POST", "/users"): "users-create",
    ("GET", "/users"): "users-list",
    ("GET", "/users/{user_id}"): "users-get",
    ("PUT", "/users/{user_id}"): "users-replace",
    ("PATCH", "/users/{user_id}"): "users-update",
    ("DELETE", "/users/{user_id}"): "users-delete",
    ("GET", "/users/me"): "users-me-get",
    ("PATCH", "/users/me"): "users-me-update",
    ("DELETE", "/users/me"): "users-me-delete",
    ("PUT", "/users/me/password"): "users-me-password-change",
    ("GET", "/users/me/events"): "users-me-events-list",
    ("POST", "/user"): "user-create",
    # audit
    ("GET", "/audit-events"): "audit-events-list",
    # avatars
    ("PUT", "/users/{user_id}/avatar"): "users-avatar-upload",
    ("GET", "/users/{user_id}/avatar"): "users-avatar-get",
    ("DELETE", "/users/{user_id}/avatar"): "users-avatar-delete",
    # models
    ("GET", "/models"): "models-list",
    ("GET", "/models/{name}"): "models-get",
    ("POST", "/models/{name}/versions"): "models-versions-create",
    ("PATCH", "/models/{name}/versions/{version}"): "models-versions-update",
    ("DELETE", "/models/{name}/versions/{version}"): "models-versions-delete",
    ("POST", "/models/{name}/predictions"): "models-predictions-create",
    # discovery for other services (token verification keys)
    ("GET", "/.well-known/jwks.json"): "well-known-jwks-get",
    ("GET", "/.well-known/openid-configuration"): "well-known-openid-configuration-get",
    # operations
    ("GET", "/"): "index-get",
    ("GET", "/health"): "health-get",
    ("GET", "/health/live"): "health-live-get",
    ("GET", "/health/ready"): "health-ready-get",
    ("GET", "/metrics"): "metrics-get",
}


class MissingOperationId(LookupError):
    """A documented route has no entry in `OPERATION_IDS`."""


def operation_id(route: Any) -> str:
    """The operationId of `route` (FastAPI's `generate_unique_id_function`).

    Raises `MissingOperationId` for a documented route the table does not name. A route
    kept out of the document gets a name of its own: it is never published.
    """
    if not route.include_in_schema:
        return f"undocumented-{route.name}"
    methods = sorted(route.methods)
    if len(methods) != 1:
        raise MissingOperationId(
            f"{methods} {route.path_format}: declare one method per documented route, "
            "so that each operation has an id of its own"
        )
    key = (methods[0], route.path_format)
    try:
        return OPERATION_IDS[key]
    except KeyError:
        raise MissingOperationId(
            f"{key[0]} {key[1]} has no operationId: add it to OPERATION_IDS in "
            f"{__name__} following the convention there (then run `make clients`)"
        ) from None


def check_operation_ids(app: FastAPI) -> None:
    """Resolve every route's id now, so a route without one fails the app build, not a
    request: FastAPI computes the ids of included routes lazily."""
    for _ in iter_route_contexts(app.routes):
        pass
