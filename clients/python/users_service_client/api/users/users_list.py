import datetime
from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.role import Role
from ...models.user_read import UserRead
from ...models.users_list_sort import UsersListSort
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    username: None | str | Unset = UNSET,
    email: None | str | Unset = UNSET,
    q: None | str | Unset = UNSET,
    role: None | Role | Unset = UNSET,
    is_active: bool | None | Unset = UNSET,
    created_after: datetime.datetime | None | Unset = UNSET,
    created_before: datetime.datetime | None | Unset = UNSET,
    sort: UsersListSort | Unset = UsersListSort.VALUE_1,
    limit: int | Unset = 20,
    cursor: None | str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_username: None | str | Unset
    if isinstance(username, Unset):
        json_username = UNSET
    else:
        json_username = username
    params["username"] = json_username

    json_email: None | str | Unset
    if isinstance(email, Unset):
        json_email = UNSET
    else:
        json_email = email
    params["email"] = json_email

    json_q: None | str | Unset
    if isinstance(q, Unset):
        json_q = UNSET
    else:
        json_q = q
    params["q"] = json_q

    json_role: None | str | Unset
    if isinstance(role, Unset):
        json_role = UNSET
    elif isinstance(role, Role):
        json_role = role.value
    else:
        json_role = role
    params["role"] = json_role

    json_is_active: bool | None | Unset
    if isinstance(is_active, Unset):
        json_is_active = UNSET
    else:
        json_is_active = is_active
    params["is_active"] = json_is_active

    json_created_after: None | str | Unset
    if isinstance(created_after, Unset):
        json_created_after = UNSET
    elif isinstance(created_after, datetime.datetime):
        json_created_after = created_after.isoformat()
    else:
        json_created_after = created_after
    params["created_after"] = json_created_after

    json_created_before: None | str | Unset
    if isinstance(created_before, Unset):
        json_created_before = UNSET
    elif isinstance(created_before, datetime.datetime):
        json_created_before = created_before.isoformat()
    else:
        json_created_before = created_before
    params["created_before"] = json_created_before

    json_sort: str | Unset = UNSET
    if not isinstance(sort, Unset):
        json_sort = sort.value

    params["sort"] = json_sort

    params["limit"] = limit

    json_cursor: None | str | Unset
    if isinstance(cursor, Unset):
        json_cursor = UNSET
    else:
        json_cursor = cursor
    params["cursor"] = json_cursor

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/users",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | list[UserRead] | None:
    if response.status_code == 200:
        response_200 = []
        _response_200 = response.json()
        for response_200_item_data in _response_200:
            response_200_item = UserRead.from_dict(response_200_item_data)

            response_200.append(response_200_item)

        return response_200

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

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


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Problem | list[UserRead]]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    username: None | str | Unset = UNSET,
    email: None | str | Unset = UNSET,
    q: None | str | Unset = UNSET,
    role: None | Role | Unset = UNSET,
    is_active: bool | None | Unset = UNSET,
    created_after: datetime.datetime | None | Unset = UNSET,
    created_before: datetime.datetime | None | Unset = UNSET,
    sort: UsersListSort | Unset = UsersListSort.VALUE_1,
    limit: int | Unset = 20,
    cursor: None | str | Unset = UNSET,
) -> Response[Problem | list[UserRead]]:
    """List and search users

     Needs a token. Filters combine with AND. Results are ordered by `sort` then id, and paged with an
    opaque cursor: the next page's URL is in the `Link: <…>; rel="next"` header, absent on the last
    page.

    Args:
        username (None | str | Unset): Exact username.
        email (None | str | Unset): Exact email address.
        q (None | str | Unset): Case-insensitive prefix of username, name or email.
        role (None | Role | Unset): Only users with this role.
        is_active (bool | None | Unset): Only active or inactive users.
        created_after (datetime.datetime | None | Unset): Created strictly after this RFC 3339
            time.
        created_before (datetime.datetime | None | Unset): Created strictly before this RFC 3339
            time.
        sort (UsersListSort | Unset): Sort key; a leading '-' sorts descending. Default:
            UsersListSort.VALUE_1.
        limit (int | Unset): Page size. Default: 20.
        cursor (None | str | Unset): Opaque cursor from the previous page's Link header.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | list[UserRead]]
    """

    kwargs = _get_kwargs(
        username=username,
        email=email,
        q=q,
        role=role,
        is_active=is_active,
        created_after=created_after,
        created_before=created_before,
        sort=sort,
        limit=limit,
        cursor=cursor,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    username: None | str | Unset = UNSET,
    email: None | str | Unset = UNSET,
    q: None | str | Unset = UNSET,
    role: None | Role | Unset = UNSET,
    is_active: bool | None | Unset = UNSET,
    created_after: datetime.datetime | None | Unset = UNSET,
    created_before: datetime.datetime | None | Unset = UNSET,
    sort: UsersListSort | Unset = UsersListSort.VALUE_1,
    limit: int | Unset = 20,
    cursor: None | str | Unset = UNSET,
) -> Problem | list[UserRead] | None:
    """List and search users

     Needs a token. Filters combine with AND. Results are ordered by `sort` then id, and paged with an
    opaque cursor: the next page's URL is in the `Link: <…>; rel="next"` header, absent on the last
    page.

    Args:
        username (None | str | Unset): Exact username.
        email (None | str | Unset): Exact email address.
        q (None | str | Unset): Case-insensitive prefix of username, name or email.
        role (None | Role | Unset): Only users with this role.
        is_active (bool | None | Unset): Only active or inactive users.
        created_after (datetime.datetime | None | Unset): Created strictly after this RFC 3339
            time.
        created_before (datetime.datetime | None | Unset): Created strictly before this RFC 3339
            time.
        sort (UsersListSort | Unset): Sort key; a leading '-' sorts descending. Default:
            UsersListSort.VALUE_1.
        limit (int | Unset): Page size. Default: 20.
        cursor (None | str | Unset): Opaque cursor from the previous page's Link header.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | list[UserRead]
    """

    return sync_detailed(
        client=client,
        username=username,
        email=email,
        q=q,
        role=role,
        is_active=is_active,
        created_after=created_after,
        created_before=created_before,
        sort=sort,
        limit=limit,
        cursor=cursor,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    username: None | str | Unset = UNSET,
    email: None | str | Unset = UNSET,
    q: None | str | Unset = UNSET,
    role: None | Role | Unset = UNSET,
    is_active: bool | None | Unset = UNSET,
    created_after: datetime.datetime | None | Unset = UNSET,
    created_before: datetime.datetime | None | Unset = UNSET,
    sort: UsersListSort | Unset = UsersListSort.VALUE_1,
    limit: int | Unset = 20,
    cursor: None | str | Unset = UNSET,
) -> Response[Problem | list[UserRead]]:
    """List and search users

     Needs a token. Filters combine with AND. Results are ordered by `sort` then id, and paged with an
    opaque cursor: the next page's URL is in the `Link: <…>; rel="next"` header, absent on the last
    page.

    Args:
        username (None | str | Unset): Exact username.
        email (None | str | Unset): Exact email address.
        q (None | str | Unset): Case-insensitive prefix of username, name or email.
        role (None | Role | Unset): Only users with this role.
        is_active (bool | None | Unset): Only active or inactive users.
        created_after (datetime.datetime | None | Unset): Created strictly after this RFC 3339
            time.
        created_before (datetime.datetime | None | Unset): Created strictly before this RFC 3339
            time.
        sort (UsersListSort | Unset): Sort key; a leading '-' sorts descending. Default:
            UsersListSort.VALUE_1.
        limit (int | Unset): Page size. Default: 20.
        cursor (None | str | Unset): Opaque cursor from the previous page's Link header.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | list[UserRead]]
    """

    kwargs = _get_kwargs(
        username=username,
        email=email,
        q=q,
        role=role,
        is_active=is_active,
        created_after=created_after,
        created_before=created_before,
        sort=sort,
        limit=limit,
        cursor=cursor,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    username: None | str | Unset = UNSET,
    email: None | str | Unset = UNSET,
    q: None | str | Unset = UNSET,
    role: None | Role | Unset = UNSET,
    is_active: bool | None | Unset = UNSET,
    created_after: datetime.datetime | None | Unset = UNSET,
    created_before: datetime.datetime | None | Unset = UNSET,
    sort: UsersListSort | Unset = UsersListSort.VALUE_1,
    limit: int | Unset = 20,
    cursor: None | str | Unset = UNSET,
) -> Problem | list[UserRead] | None:
    """List and search users

     Needs a token. Filters combine with AND. Results are ordered by `sort` then id, and paged with an
    opaque cursor: the next page's URL is in the `Link: <…>; rel="next"` header, absent on the last
    page.

    Args:
        username (None | str | Unset): Exact username.
        email (None | str | Unset): Exact email address.
        q (None | str | Unset): Case-insensitive prefix of username, name or email.
        role (None | Role | Unset): Only users with this role.
        is_active (bool | None | Unset): Only active or inactive users.
        created_after (datetime.datetime | None | Unset): Created strictly after this RFC 3339
            time.
        created_before (datetime.datetime | None | Unset): Created strictly before this RFC 3339
            time.
        sort (UsersListSort | Unset): Sort key; a leading '-' sorts descending. Default:
            UsersListSort.VALUE_1.
        limit (int | Unset): Page size. Default: 20.
        cursor (None | str | Unset): Opaque cursor from the previous page's Link header.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | list[UserRead]
    """

    return (
        await asyncio_detailed(
            client=client,
            username=username,
            email=email,
            q=q,
            role=role,
            is_active=is_active,
            created_after=created_after,
            created_before=created_before,
            sort=sort,
            limit=limit,
            cursor=cursor,
        )
    ).parsed
