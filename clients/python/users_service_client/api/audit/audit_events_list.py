import datetime
from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.audit_event_read import AuditEventRead
from ...models.audit_event_type import AuditEventType
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    user_id: None | str | Unset = UNSET,
    type_: AuditEventType | None | Unset = UNSET,
    since: datetime.datetime | None | Unset = UNSET,
    until: datetime.datetime | None | Unset = UNSET,
    limit: int | Unset = 20,
    cursor: None | str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_user_id: None | str | Unset
    if isinstance(user_id, Unset):
        json_user_id = UNSET
    else:
        json_user_id = user_id
    params["user_id"] = json_user_id

    json_type_: None | str | Unset
    if isinstance(type_, Unset):
        json_type_ = UNSET
    elif isinstance(type_, AuditEventType):
        json_type_ = type_.value
    else:
        json_type_ = type_
    params["type"] = json_type_

    json_since: None | str | Unset
    if isinstance(since, Unset):
        json_since = UNSET
    elif isinstance(since, datetime.datetime):
        json_since = since.isoformat()
    else:
        json_since = since
    params["since"] = json_since

    json_until: None | str | Unset
    if isinstance(until, Unset):
        json_until = UNSET
    elif isinstance(until, datetime.datetime):
        json_until = until.isoformat()
    else:
        json_until = until
    params["until"] = json_until

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
        "url": "/audit-events",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | list[AuditEventRead] | None:
    if response.status_code == 200:
        response_200 = []
        _response_200 = response.json()
        for response_200_item_data in _response_200:
            response_200_item = AuditEventRead.from_dict(response_200_item_data)

            response_200.append(response_200_item)

        return response_200

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

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
) -> Response[Problem | list[AuditEventRead]]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    user_id: None | str | Unset = UNSET,
    type_: AuditEventType | None | Unset = UNSET,
    since: datetime.datetime | None | Unset = UNSET,
    until: datetime.datetime | None | Unset = UNSET,
    limit: int | Unset = 20,
    cursor: None | str | Unset = UNSET,
) -> Response[Problem | list[AuditEventRead]]:
    """List security events (admins)

     Every user's security events, and the service's own (key rotation); filter by `user_id`, `type` and
    time. Admins only (403 otherwise). Newest first, at most `limit` events a page; when there are more,
    the `Link` header holds the next page's URL (`rel="next"`, with an opaque `cursor`), as on `GET
    /users`.

    Args:
        user_id (None | str | Unset): Only events concerning this user (24 hexadecimal
            characters).
        type_ (AuditEventType | None | Unset): Only events of this type.
        since (datetime.datetime | None | Unset): Only events at or after this RFC 3339 time.
        until (datetime.datetime | None | Unset): Only events strictly before this RFC 3339 time.
        limit (int | Unset): Page size. Default: 20.
        cursor (None | str | Unset): Opaque cursor from the previous page's Link header.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | list[AuditEventRead]]
    """

    kwargs = _get_kwargs(
        user_id=user_id,
        type_=type_,
        since=since,
        until=until,
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
    user_id: None | str | Unset = UNSET,
    type_: AuditEventType | None | Unset = UNSET,
    since: datetime.datetime | None | Unset = UNSET,
    until: datetime.datetime | None | Unset = UNSET,
    limit: int | Unset = 20,
    cursor: None | str | Unset = UNSET,
) -> Problem | list[AuditEventRead] | None:
    """List security events (admins)

     Every user's security events, and the service's own (key rotation); filter by `user_id`, `type` and
    time. Admins only (403 otherwise). Newest first, at most `limit` events a page; when there are more,
    the `Link` header holds the next page's URL (`rel="next"`, with an opaque `cursor`), as on `GET
    /users`.

    Args:
        user_id (None | str | Unset): Only events concerning this user (24 hexadecimal
            characters).
        type_ (AuditEventType | None | Unset): Only events of this type.
        since (datetime.datetime | None | Unset): Only events at or after this RFC 3339 time.
        until (datetime.datetime | None | Unset): Only events strictly before this RFC 3339 time.
        limit (int | Unset): Page size. Default: 20.
        cursor (None | str | Unset): Opaque cursor from the previous page's Link header.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | list[AuditEventRead]
    """

    return sync_detailed(
        client=client,
        user_id=user_id,
        type_=type_,
        since=since,
        until=until,
        limit=limit,
        cursor=cursor,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    user_id: None | str | Unset = UNSET,
    type_: AuditEventType | None | Unset = UNSET,
    since: datetime.datetime | None | Unset = UNSET,
    until: datetime.datetime | None | Unset = UNSET,
    limit: int | Unset = 20,
    cursor: None | str | Unset = UNSET,
) -> Response[Problem | list[AuditEventRead]]:
    """List security events (admins)

     Every user's security events, and the service's own (key rotation); filter by `user_id`, `type` and
    time. Admins only (403 otherwise). Newest first, at most `limit` events a page; when there are more,
    the `Link` header holds the next page's URL (`rel="next"`, with an opaque `cursor`), as on `GET
    /users`.

    Args:
        user_id (None | str | Unset): Only events concerning this user (24 hexadecimal
            characters).
        type_ (AuditEventType | None | Unset): Only events of this type.
        since (datetime.datetime | None | Unset): Only events at or after this RFC 3339 time.
        until (datetime.datetime | None | Unset): Only events strictly before this RFC 3339 time.
        limit (int | Unset): Page size. Default: 20.
        cursor (None | str | Unset): Opaque cursor from the previous page's Link header.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | list[AuditEventRead]]
    """

    kwargs = _get_kwargs(
        user_id=user_id,
        type_=type_,
        since=since,
        until=until,
        limit=limit,
        cursor=cursor,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    user_id: None | str | Unset = UNSET,
    type_: AuditEventType | None | Unset = UNSET,
    since: datetime.datetime | None | Unset = UNSET,
    until: datetime.datetime | None | Unset = UNSET,
    limit: int | Unset = 20,
    cursor: None | str | Unset = UNSET,
) -> Problem | list[AuditEventRead] | None:
    """List security events (admins)

     Every user's security events, and the service's own (key rotation); filter by `user_id`, `type` and
    time. Admins only (403 otherwise). Newest first, at most `limit` events a page; when there are more,
    the `Link` header holds the next page's URL (`rel="next"`, with an opaque `cursor`), as on `GET
    /users`.

    Args:
        user_id (None | str | Unset): Only events concerning this user (24 hexadecimal
            characters).
        type_ (AuditEventType | None | Unset): Only events of this type.
        since (datetime.datetime | None | Unset): Only events at or after this RFC 3339 time.
        until (datetime.datetime | None | Unset): Only events strictly before this RFC 3339 time.
        limit (int | Unset): Page size. Default: 20.
        cursor (None | str | Unset): Opaque cursor from the previous page's Link header.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | list[AuditEventRead]
    """

    return (
        await asyncio_detailed(
            client=client,
            user_id=user_id,
            type_=type_,
            since=since,
            until=until,
            limit=limit,
            cursor=cursor,
        )
    ).parsed
