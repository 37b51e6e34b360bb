"""The OpenAPI side of the users routes: request-body examples, links, error responses,
and the longer descriptions, so `users.py` reads as the routes themselves."""

from __future__ import annotations

from service.http.problems import problem_responses
from service.users.schemas import REPLACE_EXAMPLE, UPDATE_EXAMPLE

# Media-type examples are what Swagger's "Try it out" sends: only harmless fields.
_UPDATE_BODY = {"schema": {"$ref": "#/components/schemas/UserUpdate"}, "example": UPDATE_EXAMPLE}
MERGE_PATCH_BODY = {
    "requestBody": {
        "content": {"application/json": _UPDATE_BODY, "application/merge-patch+json": _UPDATE_BODY}
    }
}
REPLACE_BODY = {"requestBody": {"content": {"application/json": {"example": REPLACE_EXAMPLE}}}}


def user_link(method: str, description: str, user_id: str) -> dict[str, object]:
    """An OpenAPI link to the `method` operation of `/users/{user_id}`."""
    return {
        "operationRef": f"#/paths/~1users~1{{user_id}}/{method}",
        "parameters": {"user_id": user_id},
        "description": description,
    }


# OpenAPI links: how a client (and schemathesis's stateful tests) goes from a created user
# to reading, changing and deleting it.
READ_LINKS = {
    "UpdateUser": user_link("patch", "Change some fields of it.", "$request.path.user_id"),
    "DeleteUser": user_link("delete", "Delete it.", "$request.path.user_id"),
}
UPDATED_LINKS = {
    "GetUser": user_link("get", "Read it again.", "$request.path.user_id"),
    "DeleteUser": user_link("delete", "Delete it.", "$request.path.user_id"),
}
CREATED_LINKS = {
    "GetUser": user_link("get", "Read the user just created.", "$response.body#/id"),
    "UpdateUser": user_link("patch", "Change some fields of it.", "$response.body#/id"),
    "ReplaceUser": user_link("put", "Replace its fields.", "$response.body#/id"),
    "DeleteUser": user_link("delete", "Delete it.", "$response.body#/id"),
}
READ_ERRORS = problem_responses(401, 404, 422, 503)
WRITE_ERRORS = problem_responses(400, 401, 403, 404, 409, 412, 415, 422, 503)
CREATE_ERRORS = problem_responses(400, 401, 403, 409, 413, 415, 422, 503)

LIST = (
    "Needs a token. Filters combine with AND. Results are ordered by `sort` then "
    'id, and paged with an opaque cursor: the next page\'s URL is in the `Link: <…>; rel="next"` '
    "header, absent on the last page."
)
GET = (
    "Needs a token. Returns the user with an `ETag`; with a matching "
    "`If-None-Match` the answer is 304 Not Modified and no body."
)
REPLACE = (
    "The user or an admin. Replaces `username`, `email` and `name` (an omitted "
    "`name` is cleared); `role` and `is_active` are admin-only and kept when omitted. With "
    "`If-Match`, a stale ETag gives 412 and changes nothing."
)
UPDATE = (
    "The user or an admin. JSON merge patch (RFC 7396): members present are set, "
    '`"name": null` clears the name, absent members are kept. Accepts '
    "application/merge-patch+json or application/json. `role` and `is_active` are admin-only. "
    "With `If-Match`, a stale ETag gives 412 and changes nothing."
)
CREATE = (
    "Creates a user; open to anyone unless registration is closed (then admins "
    "only). Send JSON, or multipart/form-data with the same fields plus an optional `avatar` "
    "image to create user and avatar in one request. Username and email are stored "
    "lower-case and must be unique (409 names the taken field). The password is stored only "
    "as an Argon2id hash and never returned. Only an admin may set `role` or `is_active`. "
    "Registration needs `username` and `password` (without them: 422 naming the missing "
    "field, or 403 for a signed-in user who is not an admin). An admin may leave out "
    "`username` (derived from the email or name: the first free one of `ada`, `ada2`, ...) "
    "and `password`: the user is then created with no usable password and mailed a "
    "single-use invitation link (`INVITATION_TOKEN_TTL_S`, 7 days) to choose one; redeeming "
    "it (`POST /auth/reset-password`) sets the password and confirms the address. "
    "as an Argon2id hash and never returned; a password that contains the username or the "
    "email's local part, that zxcvbn rates too weak, or that is in a known breach is a 422 "
    "(`password-contains-identity`, `weak-password`, `breached-password`, with a hint in "
    "`errors`), and 503 `breach-check-unavailable` while the breach corpus cannot be asked "
    "in production. Only an admin may set `role` or `is_active`. "
    "Answers 201 with `Location` and `ETag`. Send an `Idempotency-Key` to make retries safe: "
    "a 503 on this write may mean the user was created, and a retry with the same key gets "
    "the first answer instead of a 409 or a second user."
)
CREATE_ALIAS = (
    "Accepts exactly what `POST /users` accepts and answers the same; use "
    "`POST /users`, which this path will eventually give way to."
)
DELETE = (
    "The user or an admin. Deletes the user and every session of theirs. With "
    "`If-Match`, a stale ETag gives 412."
)
