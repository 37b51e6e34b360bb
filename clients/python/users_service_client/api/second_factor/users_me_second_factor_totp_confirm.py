from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.code_request import CodeRequest
from ...models.problem import Problem
from ...models.recovery_codes import RecoveryCodes
from ...types import Response


def _get_kwargs(
    *,
    body: CodeRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/users/me/second-factor/totp/confirm",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | RecoveryCodes | None:
    if response.status_code == 200:
        response_200 = RecoveryCodes.from_dict(response.json())

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

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())

        return response_409

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
) -> Response[Problem | RecoveryCodes]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: CodeRequest,
) -> Response[Problem | RecoveryCodes]:
    """Confirm the TOTP enrolment

     A current code from the app turns the factor on: from now on a login needs a code after the
    password. Returns ten single-use recovery codes, shown this once. 403 for a wrong code, 409 without
    a pending enrolment.

    Args:
        body (CodeRequest): A code from the authenticator app.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | RecoveryCodes]
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
    client: AuthenticatedClient,
    body: CodeRequest,
) -> Problem | RecoveryCodes | None:
    """Confirm the TOTP enrolment

     A current code from the app turns the factor on: from now on a login needs a code after the
    password. Returns ten single-use recovery codes, shown this once. 403 for a wrong code, 409 without
    a pending enrolment.

    Args:
        body (CodeRequest): A code from the authenticator app.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | RecoveryCodes
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: CodeRequest,
) -> Response[Problem | RecoveryCodes]:
    """Confirm the TOTP enrolment

     A current code from the app turns the factor on: from now on a login needs a code after the
    password. Returns ten single-use recovery codes, shown this once. 403 for a wrong code, 409 without
    a pending enrolment.

    Args:
        body (CodeRequest): A code from the authenticator app.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | RecoveryCodes]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: CodeRequest,
) -> Problem | RecoveryCodes | None:
    """Confirm the TOTP enrolment

     A current code from the app turns the factor on: from now on a login needs a code after the
    password. Returns ten single-use recovery codes, shown this once. 403 for a wrong code, 409 without
    a pending enrolment.

    Args:
        body (CodeRequest): A code from the authenticator app.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | RecoveryCodes
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
