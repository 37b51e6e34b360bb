from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.body_auth_token import BodyAuthToken
from ...models.problem import Problem
from ...models.second_factor_challenge import SecondFactorChallenge
from ...models.token_pair import TokenPair
from ...types import Response


def _get_kwargs(
    *,
    body: BodyAuthToken,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/auth/token",
    }

    _kwargs["data"] = body.to_dict()
    headers["Content-Type"] = "application/x-www-form-urlencoded"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | SecondFactorChallenge | TokenPair | None:
    if response.status_code == 200:
        response_200 = TokenPair.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = SecondFactorChallenge.from_dict(response.json())

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
) -> Response[Problem | SecondFactorChallenge | TokenPair]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: BodyAuthToken,
) -> Response[Problem | SecondFactorChallenge | TokenPair]:
    """Log in (OAuth2 password flow)

     Form fields `username` (a username or an email address) and `password`. Returns an access token
    (JWT, short-lived) and a single-use refresh token. Repeated failures for one name from one address
    are throttled with 429 and `Retry-After`. This is the endpoint Swagger UI's Authorize button uses.
    With a second factor enabled, a right password answers 401 `second-factor-required` carrying a
    `challenge` (never a token) for `POST /auth/token/second-factor`.

    Args:
        body (BodyAuthToken):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SecondFactorChallenge | TokenPair]
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
    body: BodyAuthToken,
) -> Problem | SecondFactorChallenge | TokenPair | None:
    """Log in (OAuth2 password flow)

     Form fields `username` (a username or an email address) and `password`. Returns an access token
    (JWT, short-lived) and a single-use refresh token. Repeated failures for one name from one address
    are throttled with 429 and `Retry-After`. This is the endpoint Swagger UI's Authorize button uses.
    With a second factor enabled, a right password answers 401 `second-factor-required` carrying a
    `challenge` (never a token) for `POST /auth/token/second-factor`.

    Args:
        body (BodyAuthToken):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SecondFactorChallenge | TokenPair
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: BodyAuthToken,
) -> Response[Problem | SecondFactorChallenge | TokenPair]:
    """Log in (OAuth2 password flow)

     Form fields `username` (a username or an email address) and `password`. Returns an access token
    (JWT, short-lived) and a single-use refresh token. Repeated failures for one name from one address
    are throttled with 429 and `Retry-After`. This is the endpoint Swagger UI's Authorize button uses.
    With a second factor enabled, a right password answers 401 `second-factor-required` carrying a
    `challenge` (never a token) for `POST /auth/token/second-factor`.

    Args:
        body (BodyAuthToken):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SecondFactorChallenge | TokenPair]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: BodyAuthToken,
) -> Problem | SecondFactorChallenge | TokenPair | None:
    """Log in (OAuth2 password flow)

     Form fields `username` (a username or an email address) and `password`. Returns an access token
    (JWT, short-lived) and a single-use refresh token. Repeated failures for one name from one address
    are throttled with 429 and `Retry-After`. This is the endpoint Swagger UI's Authorize button uses.
    With a second factor enabled, a right password answers 401 `second-factor-required` carrying a
    `challenge` (never a token) for `POST /auth/token/second-factor`.

    Args:
        body (BodyAuthToken):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SecondFactorChallenge | TokenPair
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
