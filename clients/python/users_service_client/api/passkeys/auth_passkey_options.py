from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.passkey_login_options_request import PasskeyLoginOptionsRequest
from ...models.problem import Problem
from ...models.response_auth_passkey_options import ResponseAuthPasskeyOptions
from ...types import Response


def _get_kwargs(
    *,
    body: PasskeyLoginOptionsRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/auth/passkey/options",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | ResponseAuthPasskeyOptions | None:
    if response.status_code == 200:
        response_200 = ResponseAuthPasskeyOptions.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

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
) -> Response[Problem | ResponseAuthPasskeyOptions]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: PasskeyLoginOptionsRequest,
) -> Response[Problem | ResponseAuthPasskeyOptions]:
    """Start a passkey login

     Returns `PublicKeyCredentialRequestOptionsJSON` for `navigator.credentials.get()`. It names no
    credential (`allowCredentials` is empty): the browser offers the passkeys it holds for this site,
    and the answer is the same whether or not `username` has an account or passkeys. With a `username`,
    only that account's passkey can redeem the challenge. Single use, expires after `timeout` ms.

    Args:
        body (PasskeyLoginOptionsRequest): Whom the login is for: a username or email, or nobody
            (any passkey of this site).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ResponseAuthPasskeyOptions]
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
    body: PasskeyLoginOptionsRequest,
) -> Problem | ResponseAuthPasskeyOptions | None:
    """Start a passkey login

     Returns `PublicKeyCredentialRequestOptionsJSON` for `navigator.credentials.get()`. It names no
    credential (`allowCredentials` is empty): the browser offers the passkeys it holds for this site,
    and the answer is the same whether or not `username` has an account or passkeys. With a `username`,
    only that account's passkey can redeem the challenge. Single use, expires after `timeout` ms.

    Args:
        body (PasskeyLoginOptionsRequest): Whom the login is for: a username or email, or nobody
            (any passkey of this site).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | ResponseAuthPasskeyOptions
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: PasskeyLoginOptionsRequest,
) -> Response[Problem | ResponseAuthPasskeyOptions]:
    """Start a passkey login

     Returns `PublicKeyCredentialRequestOptionsJSON` for `navigator.credentials.get()`. It names no
    credential (`allowCredentials` is empty): the browser offers the passkeys it holds for this site,
    and the answer is the same whether or not `username` has an account or passkeys. With a `username`,
    only that account's passkey can redeem the challenge. Single use, expires after `timeout` ms.

    Args:
        body (PasskeyLoginOptionsRequest): Whom the login is for: a username or email, or nobody
            (any passkey of this site).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ResponseAuthPasskeyOptions]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: PasskeyLoginOptionsRequest,
) -> Problem | ResponseAuthPasskeyOptions | None:
    """Start a passkey login

     Returns `PublicKeyCredentialRequestOptionsJSON` for `navigator.credentials.get()`. It names no
    credential (`allowCredentials` is empty): the browser offers the passkeys it holds for this site,
    and the answer is the same whether or not `username` has an account or passkeys. With a `username`,
    only that account's passkey can redeem the challenge. Single use, expires after `timeout` ms.

    Args:
        body (PasskeyLoginOptionsRequest): Whom the login is for: a username or email, or nobody
            (any passkey of this site).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | ResponseAuthPasskeyOptions
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
