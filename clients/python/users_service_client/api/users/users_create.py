from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.user_create import UserCreate
from ...models.user_read import UserRead
from ...models.users_create_files_body import UsersCreateFilesBody
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: UserCreate | UsersCreateFilesBody | Unset = UNSET,
    idempotency_key: None | str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/users",
    }

    if isinstance(body, UserCreate):
        _kwargs["json"] = body.to_dict()

        headers["Content-Type"] = "application/json"
    if isinstance(body, UsersCreateFilesBody):
        _kwargs["files"] = body.to_multipart()

        headers["Content-Type"] = "multipart/form-data; boundary=+++"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | UserRead | None:
    if response.status_code == 201:
        response_201 = UserRead.from_dict(response.json())

        return response_201

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())

        return response_409

    if response.status_code == 413:
        response_413 = Problem.from_dict(response.json())

        return response_413

    if response.status_code == 415:
        response_415 = Problem.from_dict(response.json())

        return response_415

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())

        return response_422

    if response.status_code == 429:
        response_429 = Problem.from_dict(response.json())

        return response_429

    if response.status_code == 503:
        response_503 = Problem.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | UserRead]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: UserCreate | UsersCreateFilesBody | Unset = UNSET,
    idempotency_key: None | str | Unset = UNSET,
) -> Response[Problem | UserRead]:
    """Register a user

     Creates a user; open to anyone unless registration is closed (then admins only). Send JSON, or
    multipart/form-data with the same fields plus an optional `avatar` image to create user and avatar
    in one request. Username and email are stored lower-case and must be unique (409 names the taken
    field). The password is stored only as an Argon2id hash and never returned. Only an admin may set
    `role` or `is_active`. Registration needs `username` and `password` (without them: 422 naming the
    missing field, or 403 for a signed-in user who is not an admin). An admin may leave out `username`
    (derived from the email or name: the first free one of `ada`, `ada2`, ...) and `password`: the user
    is then created with no usable password and mailed a single-use invitation link
    (`INVITATION_TOKEN_TTL_S`, 7 days) to choose one; redeeming it (`POST /auth/reset-password`) sets
    the password and confirms the address. as an Argon2id hash and never returned; a password that
    contains the username or the email's local part, that zxcvbn rates too weak, or that is in a known
    breach is a 422 (`password-contains-identity`, `weak-password`, `breached-password`, with a hint in
    `errors`), and 503 `breach-check-unavailable` while the breach corpus cannot be asked in production.
    Only an admin may set `role` or `is_active`. Answers 201 with `Location` and `ETag`. Send an
    `Idempotency-Key` to make retries safe: a 503 on this write may mean the user was created, and a
    retry with the same key gets the first answer instead of a 409 or a second user.

    Args:
        idempotency_key (None | str | Unset): Makes a retry of this request safe: send a fresh
            random key (a UUID) with each new request and the same key when retrying it. 16-128
            characters of A-Z a-z 0-9 . _ : - (optionally in double quotes). The first request's
            answer (status, body, `Location`, `ETag`) is kept for `IDEMPOTENCY_TTL_S` (24 h) and
            replayed to a retry with the same key and the same content, with `Idempotent-Replayed:
            true` and without doing the work again. The same key with different content is 422; a
            retry while the first request is still running is 409 with `Retry-After`. Keys are scoped
            to the caller (the token's user, or anonymous).
        body (UserCreate): A new user. Anyone registering sends `username` and `password`; an
            admin may leave out either: without `username` one is derived from the email (or the
            name), with a number appended when taken; without `password` the user is created with none
            usable and mailed an invitation link to choose one.
        body (UsersCreateFilesBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | UserRead]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: UserCreate | UsersCreateFilesBody | Unset = UNSET,
    idempotency_key: None | str | Unset = UNSET,
) -> Problem | UserRead | None:
    """Register a user

     Creates a user; open to anyone unless registration is closed (then admins only). Send JSON, or
    multipart/form-data with the same fields plus an optional `avatar` image to create user and avatar
    in one request. Username and email are stored lower-case and must be unique (409 names the taken
    field). The password is stored only as an Argon2id hash and never returned. Only an admin may set
    `role` or `is_active`. Registration needs `username` and `password` (without them: 422 naming the
    missing field, or 403 for a signed-in user who is not an admin). An admin may leave out `username`
    (derived from the email or name: the first free one of `ada`, `ada2`, ...) and `password`: the user
    is then created with no usable password and mailed a single-use invitation link
    (`INVITATION_TOKEN_TTL_S`, 7 days) to choose one; redeeming it (`POST /auth/reset-password`) sets
    the password and confirms the address. as an Argon2id hash and never returned; a password that
    contains the username or the email's local part, that zxcvbn rates too weak, or that is in a known
    breach is a 422 (`password-contains-identity`, `weak-password`, `breached-password`, with a hint in
    `errors`), and 503 `breach-check-unavailable` while the breach corpus cannot be asked in production.
    Only an admin may set `role` or `is_active`. Answers 201 with `Location` and `ETag`. Send an
    `Idempotency-Key` to make retries safe: a 503 on this write may mean the user was created, and a
    retry with the same key gets the first answer instead of a 409 or a second user.

    Args:
        idempotency_key (None | str | Unset): Makes a retry of this request safe: send a fresh
            random key (a UUID) with each new request and the same key when retrying it. 16-128
            characters of A-Z a-z 0-9 . _ : - (optionally in double quotes). The first request's
            answer (status, body, `Location`, `ETag`) is kept for `IDEMPOTENCY_TTL_S` (24 h) and
            replayed to a retry with the same key and the same content, with `Idempotent-Replayed:
            true` and without doing the work again. The same key with different content is 422; a
            retry while the first request is still running is 409 with `Retry-After`. Keys are scoped
            to the caller (the token's user, or anonymous).
        body (UserCreate): A new user. Anyone registering sends `username` and `password`; an
            admin may leave out either: without `username` one is derived from the email (or the
            name), with a number appended when taken; without `password` the user is created with none
            usable and mailed an invitation link to choose one.
        body (UsersCreateFilesBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | UserRead
    """

    return sync_detailed(
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: UserCreate | UsersCreateFilesBody | Unset = UNSET,
    idempotency_key: None | str | Unset = UNSET,
) -> Response[Problem | UserRead]:
    """Register a user

     Creates a user; open to anyone unless registration is closed (then admins only). Send JSON, or
    multipart/form-data with the same fields plus an optional `avatar` image to create user and avatar
    in one request. Username and email are stored lower-case and must be unique (409 names the taken
    field). The password is stored only as an Argon2id hash and never returned. Only an admin may set
    `role` or `is_active`. Registration needs `username` and `password` (without them: 422 naming the
    missing field, or 403 for a signed-in user who is not an admin). An admin may leave out `username`
    (derived from the email or name: the first free one of `ada`, `ada2`, ...) and `password`: the user
    is then created with no usable password and mailed a single-use invitation link
    (`INVITATION_TOKEN_TTL_S`, 7 days) to choose one; redeeming it (`POST /auth/reset-password`) sets
    the password and confirms the address. as an Argon2id hash and never returned; a password that
    contains the username or the email's local part, that zxcvbn rates too weak, or that is in a known
    breach is a 422 (`password-contains-identity`, `weak-password`, `breached-password`, with a hint in
    `errors`), and 503 `breach-check-unavailable` while the breach corpus cannot be asked in production.
    Only an admin may set `role` or `is_active`. Answers 201 with `Location` and `ETag`. Send an
    `Idempotency-Key` to make retries safe: a 503 on this write may mean the user was created, and a
    retry with the same key gets the first answer instead of a 409 or a second user.

    Args:
        idempotency_key (None | str | Unset): Makes a retry of this request safe: send a fresh
            random key (a UUID) with each new request and the same key when retrying it. 16-128
            characters of A-Z a-z 0-9 . _ : - (optionally in double quotes). The first request's
            answer (status, body, `Location`, `ETag`) is kept for `IDEMPOTENCY_TTL_S` (24 h) and
            replayed to a retry with the same key and the same content, with `Idempotent-Replayed:
            true` and without doing the work again. The same key with different content is 422; a
            retry while the first request is still running is 409 with `Retry-After`. Keys are scoped
            to the caller (the token's user, or anonymous).
        body (UserCreate): A new user. Anyone registering sends `username` and `password`; an
            admin may leave out either: without `username` one is derived from the email (or the
            name), with a number appended when taken; without `password` the user is created with none
            usable and mailed an invitation link to choose one.
        body (UsersCreateFilesBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | UserRead]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: UserCreate | UsersCreateFilesBody | Unset = UNSET,
    idempotency_key: None | str | Unset = UNSET,
) -> Problem | UserRead | None:
    """Register a user

     Creates a user; open to anyone unless registration is closed (then admins only). Send JSON, or
    multipart/form-data with the same fields plus an optional `avatar` image to create user and avatar
    in one request. Username and email are stored lower-case and must be unique (409 names the taken
    field). The password is stored only as an Argon2id hash and never returned. Only an admin may set
    `role` or `is_active`. Registration needs `username` and `password` (without them: 422 naming the
    missing field, or 403 for a signed-in user who is not an admin). An admin may leave out `username`
    (derived from the email or name: the first free one of `ada`, `ada2`, ...) and `password`: the user
    is then created with no usable password and mailed a single-use invitation link
    (`INVITATION_TOKEN_TTL_S`, 7 days) to choose one; redeeming it (`POST /auth/reset-password`) sets
    the password and confirms the address. as an Argon2id hash and never returned; a password that
    contains the username or the email's local part, that zxcvbn rates too weak, or that is in a known
    breach is a 422 (`password-contains-identity`, `weak-password`, `breached-password`, with a hint in
    `errors`), and 503 `breach-check-unavailable` while the breach corpus cannot be asked in production.
    Only an admin may set `role` or `is_active`. Answers 201 with `Location` and `ETag`. Send an
    `Idempotency-Key` to make retries safe: a 503 on this write may mean the user was created, and a
    retry with the same key gets the first answer instead of a 409 or a second user.

    Args:
        idempotency_key (None | str | Unset): Makes a retry of this request safe: send a fresh
            random key (a UUID) with each new request and the same key when retrying it. 16-128
            characters of A-Z a-z 0-9 . _ : - (optionally in double quotes). The first request's
            answer (status, body, `Location`, `ETag`) is kept for `IDEMPOTENCY_TTL_S` (24 h) and
            replayed to a retry with the same key and the same content, with `Idempotent-Replayed:
            true` and without doing the work again. The same key with different content is 422; a
            retry while the first request is still running is 409 with `Retry-After`. Keys are scoped
            to the caller (the token's user, or anonymous).
        body (UserCreate): A new user. Anyone registering sends `username` and `password`; an
            admin may leave out either: without `username` one is derived from the email (or the
            name), with a number appended when taken; without `password` the user is created with none
            usable and mailed an invitation link to choose one.
        body (UsersCreateFilesBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | UserRead
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
