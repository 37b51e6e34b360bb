from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.challenge_redemption import ChallengeRedemption
from ...models.problem import Problem
from ...models.token_pair import TokenPair
from ...types import Response


def _get_kwargs(
    *,
    body: ChallengeRedemption,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/auth/token/second-factor",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | TokenPair | None:
    if response.status_code == 200:
        response_200 = TokenPair.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | TokenPair]:
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
) -> Response[Problem | TokenPair]:
    """Complete a login with a second factor

     The `challenge` from `POST /auth/token`'s `second-factor-required` answer and a current code from
    the app, or an unused recovery code. Each code works once; a challenge opens one session, and dies
    after 5 wrong codes or 5 minutes (`invalid-challenge`: log in again). Wrong codes (`invalid-second-
    factor-code`) count as failed logins, throttled with 429 and `Retry-After`.

    Args:
        body (ChallengeRedemption): The challenge of `POST /auth/token`'s 401 and a code (or a
            recovery code).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | TokenPair]
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
) -> Problem | TokenPair | None:
    """Complete a login with a second factor

     The `challenge` from `POST /auth/token`'s `second-factor-required` answer and a current code from
    the app, or an unused recovery code. Each code works once; a challenge opens one session, and dies
    after 5 wrong codes or 5 minutes (`invalid-challenge`: log in again). Wrong codes (`invalid-second-
    factor-code`) count as failed logins, throttled with 429 and `Retry-After`.

    Args:
        body (ChallengeRedemption): The challenge of `POST /auth/token`'s 401 and a code (or a
            recovery code).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | TokenPair
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: ChallengeRedemption,
) -> Response[Problem | TokenPair]:
    """Complete a login with a second factor

     The `challenge` from `POST /auth/token`'s `second-factor-required` answer and a current code from
    the app, or an unused recovery code. Each code works once; a challenge opens one session, and dies
    after 5 wrong codes or 5 minutes (`invalid-challenge`: log in again). Wrong codes (`invalid-second-
    factor-code`) count as failed logins, throttled with 429 and `Retry-After`.

    Args:
        body (ChallengeRedemption): The challenge of `POST /auth/token`'s 401 and a code (or a
            recovery code).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | TokenPair]
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
) -> Problem | TokenPair | None:
    """Complete a login with a second factor

     The `challenge` from `POST /auth/token`'s `second-factor-required` answer and a current code from
    the app, or an unused recovery code. Each code works once; a challenge opens one session, and dies
    after 5 wrong codes or 5 minutes (`invalid-challenge`: log in again). Wrong codes (`invalid-second-
    factor-code`) count as failed logins, throttled with 429 and `Retry-After`.

    Args:
        body (ChallengeRedemption): The challenge of `POST /auth/token`'s 401 and a code (or a
            recovery code).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | TokenPair
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
