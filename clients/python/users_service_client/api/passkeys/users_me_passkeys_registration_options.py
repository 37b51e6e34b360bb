from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.response_users_me_passkeys_registration_options import ResponseUsersMePasskeysRegistrationOptions
from ...types import Response


def _get_kwargs() -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/users/me/passkeys/registration-options",
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | ResponseUsersMePasskeysRegistrationOptions | None:
    if response.status_code == 200:
        response_200 = ResponseUsersMePasskeysRegistrationOptions.from_dict(response.json())

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
) -> Response[Problem | ResponseUsersMePasskeysRegistrationOptions]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
) -> Response[Problem | ResponseUsersMePasskeysRegistrationOptions]:
    """Start registering a passkey

     Returns `PublicKeyCredentialCreationOptionsJSON` for `navigator.credentials.create()` (binary
    members base64url; `PublicKeyCredential.parseCreationOptionsFromJSON` reads it). Its challenge is
    good for one registration by the caller within `timeout` milliseconds. The passkey must be
    discoverable and verify its user (PIN or biometric).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ResponseUsersMePasskeysRegistrationOptions]
    """

    kwargs = _get_kwargs()

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
) -> Problem | ResponseUsersMePasskeysRegistrationOptions | None:
    """Start registering a passkey

     Returns `PublicKeyCredentialCreationOptionsJSON` for `navigator.credentials.create()` (binary
    members base64url; `PublicKeyCredential.parseCreationOptionsFromJSON` reads it). Its challenge is
    good for one registration by the caller within `timeout` milliseconds. The passkey must be
    discoverable and verify its user (PIN or biometric).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | ResponseUsersMePasskeysRegistrationOptions
    """

    return sync_detailed(
        client=client,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
) -> Response[Problem | ResponseUsersMePasskeysRegistrationOptions]:
    """Start registering a passkey

     Returns `PublicKeyCredentialCreationOptionsJSON` for `navigator.credentials.create()` (binary
    members base64url; `PublicKeyCredential.parseCreationOptionsFromJSON` reads it). Its challenge is
    good for one registration by the caller within `timeout` milliseconds. The passkey must be
    discoverable and verify its user (PIN or biometric).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ResponseUsersMePasskeysRegistrationOptions]
    """

    kwargs = _get_kwargs()

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
) -> Problem | ResponseUsersMePasskeysRegistrationOptions | None:
    """Start registering a passkey

     Returns `PublicKeyCredentialCreationOptionsJSON` for `navigator.credentials.create()` (binary
    members base64url; `PublicKeyCredential.parseCreationOptionsFromJSON` reads it). Its challenge is
    good for one registration by the caller within `timeout` milliseconds. The passkey must be
    discoverable and verify its user (PIN or biometric).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | ResponseUsersMePasskeysRegistrationOptions
    """

    return (
        await asyncio_detailed(
            client=client,
        )
    ).parsed
