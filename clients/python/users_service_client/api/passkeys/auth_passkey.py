from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.passkey_login import PasskeyLogin
from ...models.problem import Problem
from ...models.token_pair import TokenPair
from ...types import Response


def _get_kwargs(
    *,
    body: PasskeyLogin,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/auth/passkey",
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

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

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
    body: PasskeyLogin,
) -> Response[Problem | TokenPair]:
    """Log in with a passkey

     Verifies the assertion (challenge from `/auth/passkey/options`, used once; origin; RP id; user
    verification; signature; a signature counter that grows) and returns a token pair as `/auth/token`
    does. A passkey login is complete on its own: the authenticator verified its user, so it counts as
    two factors. Failures share one 401 `passkey-login-failed` and count towards the login throttle
    (429). A correctly signed assertion whose counter did not grow disables the passkey as cloned: 403
    `passkey-disabled`, now and for every later use.

    Args:
        body (PasskeyLogin): The authenticator's answer to the login options.

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
    body: PasskeyLogin,
) -> Problem | TokenPair | None:
    """Log in with a passkey

     Verifies the assertion (challenge from `/auth/passkey/options`, used once; origin; RP id; user
    verification; signature; a signature counter that grows) and returns a token pair as `/auth/token`
    does. A passkey login is complete on its own: the authenticator verified its user, so it counts as
    two factors. Failures share one 401 `passkey-login-failed` and count towards the login throttle
    (429). A correctly signed assertion whose counter did not grow disables the passkey as cloned: 403
    `passkey-disabled`, now and for every later use.

    Args:
        body (PasskeyLogin): The authenticator's answer to the login options.

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
    body: PasskeyLogin,
) -> Response[Problem | TokenPair]:
    """Log in with a passkey

     Verifies the assertion (challenge from `/auth/passkey/options`, used once; origin; RP id; user
    verification; signature; a signature counter that grows) and returns a token pair as `/auth/token`
    does. A passkey login is complete on its own: the authenticator verified its user, so it counts as
    two factors. Failures share one 401 `passkey-login-failed` and count towards the login throttle
    (429). A correctly signed assertion whose counter did not grow disables the passkey as cloned: 403
    `passkey-disabled`, now and for every later use.

    Args:
        body (PasskeyLogin): The authenticator's answer to the login options.

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
    body: PasskeyLogin,
) -> Problem | TokenPair | None:
    """Log in with a passkey

     Verifies the assertion (challenge from `/auth/passkey/options`, used once; origin; RP id; user
    verification; signature; a signature counter that grows) and returns a token pair as `/auth/token`
    does. A passkey login is complete on its own: the authenticator verified its user, so it counts as
    two factors. Failures share one 401 `passkey-login-failed` and count towards the login throttle
    (429). A correctly signed assertion whose counter did not grow disables the passkey as cloned: 403
    `passkey-disabled`, now and for every later use.

    Args:
        body (PasskeyLogin): The authenticator's answer to the login options.

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
