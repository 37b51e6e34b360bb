from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.browser_tokens import BrowserTokens
from ...models.challenge_redemption import ChallengeRedemption
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    *,
    body: ChallengeRedemption,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/auth/browser/token/second-factor",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> BrowserTokens | Problem | None:
    if response.status_code == 200:
        response_200 = BrowserTokens.from_dict(response.json())

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


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[BrowserTokens | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: ChallengeRedemption,
) -> Response[BrowserTokens | Problem]:
    """Complete a browser login with a second factor

     For a user with a second factor, `/auth/browser/token` answers 401 `second-factor-required` with a
    `challenge`; this step takes it with a code, exactly as `POST /auth/token/second-factor` does, and
    sets the refresh cookie. Needs `SESSION_COOKIES=true`. CSRF: the request's `Origin` must be in
    `CORS_ORIGINS` (or the service's own) and it must carry an `X-Requested-With` header; else 403
    `cross-site-request`. From a page: `fetch(url, {method: 'POST', credentials: 'include', headers:
    {'X-Requested-With': 'fetch'}})`.

    Args:
        body (ChallengeRedemption): The challenge of `POST /auth/token`'s 401 and a code (or a
            recovery code).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BrowserTokens | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: ChallengeRedemption,
) -> BrowserTokens | Problem | None:
    """Complete a browser login with a second factor

     For a user with a second factor, `/auth/browser/token` answers 401 `second-factor-required` with a
    `challenge`; this step takes it with a code, exactly as `POST /auth/token/second-factor` does, and
    sets the refresh cookie. Needs `SESSION_COOKIES=true`. CSRF: the request's `Origin` must be in
    `CORS_ORIGINS` (or the service's own) and it must carry an `X-Requested-With` header; else 403
    `cross-site-request`. From a page: `fetch(url, {method: 'POST', credentials: 'include', headers:
    {'X-Requested-With': 'fetch'}})`.

    Args:
        body (ChallengeRedemption): The challenge of `POST /auth/token`'s 401 and a code (or a
            recovery code).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BrowserTokens | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: ChallengeRedemption,
) -> Response[BrowserTokens | Problem]:
    """Complete a browser login with a second factor

     For a user with a second factor, `/auth/browser/token` answers 401 `second-factor-required` with a
    `challenge`; this step takes it with a code, exactly as `POST /auth/token/second-factor` does, and
    sets the refresh cookie. Needs `SESSION_COOKIES=true`. CSRF: the request's `Origin` must be in
    `CORS_ORIGINS` (or the service's own) and it must carry an `X-Requested-With` header; else 403
    `cross-site-request`. From a page: `fetch(url, {method: 'POST', credentials: 'include', headers:
    {'X-Requested-With': 'fetch'}})`.

    Args:
        body (ChallengeRedemption): The challenge of `POST /auth/token`'s 401 and a code (or a
            recovery code).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BrowserTokens | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: ChallengeRedemption,
) -> BrowserTokens | Problem | None:
    """Complete a browser login with a second factor

     For a user with a second factor, `/auth/browser/token` answers 401 `second-factor-required` with a
    `challenge`; this step takes it with a code, exactly as `POST /auth/token/second-factor` does, and
    sets the refresh cookie. Needs `SESSION_COOKIES=true`. CSRF: the request's `Origin` must be in
    `CORS_ORIGINS` (or the service's own) and it must carry an `X-Requested-With` header; else 403
    `cross-site-request`. From a page: `fetch(url, {method: 'POST', credentials: 'include', headers:
    {'X-Requested-With': 'fetch'}})`.

    Args:
        body (ChallengeRedemption): The challenge of `POST /auth/token`'s 401 and a code (or a
            recovery code).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BrowserTokens | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
