from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.user_create import UserCreate
from ...models.user_create_files_body import UserCreateFilesBody
from ...models.user_read import UserRead
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: UserCreate | UserCreateFilesBody | Unset = UNSET,
    idempotency_key: None | str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/user",
    }

    if isinstance(body, UserCreate):
        _kwargs["json"] = body.to_dict()

        headers["Content-Type"] = "application/json"
    if isinstance(body, UserCreateFilesBody):
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
    body: UserCreate | UserCreateFilesBody | Unset = UNSET,
    idempotency_key: None | str | Unset = UNSET,
) -> Response[Problem | UserRead]:
    """Register a user (deprecated alias of POST /users)

     Accepts exactly what `POST /users` accepts and answers the same; use `POST /users`, which this path
    will eventually give way to.

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
        body (UserCreateFilesBody):

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
    body: UserCreate | UserCreateFilesBody | Unset = UNSET,
    idempotency_key: None | str | Unset = UNSET,
) -> Problem | UserRead | None:
    """Register a user (deprecated alias of POST /users)

     Accepts exactly what `POST /users` accepts and answers the same; use `POST /users`, which this path
    will eventually give way to.

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
        body (UserCreateFilesBody):

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
    body: UserCreate | UserCreateFilesBody | Unset = UNSET,
    idempotency_key: None | str | Unset = UNSET,
) -> Response[Problem | UserRead]:
    """Register a user (deprecated alias of POST /users)

     Accepts exactly what `POST /users` accepts and answers the same; use `POST /users`, which this path
    will eventually give way to.

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
        body (UserCreateFilesBody):

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
    body: UserCreate | UserCreateFilesBody | Unset = UNSET,
    idempotency_key: None | str | Unset = UNSET,
) -> Problem | UserRead | None:
    """Register a user (deprecated alias of POST /users)

     Accepts exactly what `POST /users` accepts and answers the same; use `POST /users`, which this path
    will eventually give way to.

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
        body (UserCreateFilesBody):

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
