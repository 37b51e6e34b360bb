from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.user_read import UserRead
from ...models.user_update import UserUpdate
from ...types import UNSET, Response, Unset


def _get_kwargs(
    user_id: str,
    *,
    body: UserUpdate | UserUpdate | Unset = UNSET,
    if_match: None | str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(if_match, Unset):
        headers["if-match"] = if_match

    _kwargs: dict[str, Any] = {
        "method": "patch",
        "url": "/users/{user_id}".format(
            user_id=quote(str(user_id), safe=""),
        ),
    }

    if isinstance(body, UserUpdate):
        _kwargs["json"] = body.to_dict()

        headers["Content-Type"] = "application/json"
    if isinstance(body, UserUpdate):
        _kwargs["json"] = body.to_dict()

        headers["Content-Type"] = "application/merge-patch+json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | UserRead | None:
    if response.status_code == 200:
        response_200 = UserRead.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())

        return response_409

    if response.status_code == 412:
        response_412 = Problem.from_dict(response.json())

        return response_412

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
    user_id: str,
    *,
    client: AuthenticatedClient,
    body: UserUpdate | UserUpdate | Unset = UNSET,
    if_match: None | str | Unset = UNSET,
) -> Response[Problem | UserRead]:
    """Update some of a user's fields

     The user or an admin. JSON merge patch (RFC 7396): members present are set, `"name": null` clears
    the name, absent members are kept. Accepts application/merge-patch+json or application/json. `role`
    and `is_active` are admin-only. With `If-Match`, a stale ETag gives 412 and changes nothing.

    Args:
        user_id (str):  Example: 5eb7cf5a86d9755df3a6c593.
        if_match (None | str | Unset): ETag from a previous read; the write fails with 412 if it
            is stale.
        body (UserUpdate): PATCH body with JSON merge-patch semantics: absent means keep, `null`
            clears `name`.
        body (UserUpdate): PATCH body with JSON merge-patch semantics: absent means keep, `null`
            clears `name`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | UserRead]
    """

    kwargs = _get_kwargs(
        user_id=user_id,
        body=body,
        if_match=if_match,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    user_id: str,
    *,
    client: AuthenticatedClient,
    body: UserUpdate | UserUpdate | Unset = UNSET,
    if_match: None | str | Unset = UNSET,
) -> Problem | UserRead | None:
    """Update some of a user's fields

     The user or an admin. JSON merge patch (RFC 7396): members present are set, `"name": null` clears
    the name, absent members are kept. Accepts application/merge-patch+json or application/json. `role`
    and `is_active` are admin-only. With `If-Match`, a stale ETag gives 412 and changes nothing.

    Args:
        user_id (str):  Example: 5eb7cf5a86d9755df3a6c593.
        if_match (None | str | Unset): ETag from a previous read; the write fails with 412 if it
            is stale.
        body (UserUpdate): PATCH body with JSON merge-patch semantics: absent means keep, `null`
            clears `name`.
        body (UserUpdate): PATCH body with JSON merge-patch semantics: absent means keep, `null`
            clears `name`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | UserRead
    """

    return sync_detailed(
        user_id=user_id,
        client=client,
        body=body,
        if_match=if_match,
    ).parsed


async def asyncio_detailed(
    user_id: str,
    *,
    client: AuthenticatedClient,
    body: UserUpdate | UserUpdate | Unset = UNSET,
    if_match: None | str | Unset = UNSET,
) -> Response[Problem | UserRead]:
    """Update some of a user's fields

     The user or an admin. JSON merge patch (RFC 7396): members present are set, `"name": null` clears
    the name, absent members are kept. Accepts application/merge-patch+json or application/json. `role`
    and `is_active` are admin-only. With `If-Match`, a stale ETag gives 412 and changes nothing.

    Args:
        user_id (str):  Example: 5eb7cf5a86d9755df3a6c593.
        if_match (None | str | Unset): ETag from a previous read; the write fails with 412 if it
            is stale.
        body (UserUpdate): PATCH body with JSON merge-patch semantics: absent means keep, `null`
            clears `name`.
        body (UserUpdate): PATCH body with JSON merge-patch semantics: absent means keep, `null`
            clears `name`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | UserRead]
    """

    kwargs = _get_kwargs(
        user_id=user_id,
        body=body,
        if_match=if_match,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    user_id: str,
    *,
    client: AuthenticatedClient,
    body: UserUpdate | UserUpdate | Unset = UNSET,
    if_match: None | str | Unset = UNSET,
) -> Problem | UserRead | None:
    """Update some of a user's fields

     The user or an admin. JSON merge patch (RFC 7396): members present are set, `"name": null` clears
    the name, absent members are kept. Accepts application/merge-patch+json or application/json. `role`
    and `is_active` are admin-only. With `If-Match`, a stale ETag gives 412 and changes nothing.

    Args:
        user_id (str):  Example: 5eb7cf5a86d9755df3a6c593.
        if_match (None | str | Unset): ETag from a previous read; the write fails with 412 if it
            is stale.
        body (UserUpdate): PATCH body with JSON merge-patch semantics: absent means keep, `null`
            clears `name`.
        body (UserUpdate): PATCH body with JSON merge-patch semantics: absent means keep, `null`
            clears `name`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | UserRead
    """

    return (
        await asyncio_detailed(
            user_id=user_id,
            client=client,
            body=body,
            if_match=if_match,
        )
    ).parsed
