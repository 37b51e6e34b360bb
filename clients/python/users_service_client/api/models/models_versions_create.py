from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.body_models_versions_create import BodyModelsVersionsCreate
from ...models.problem import Problem
from ...models.version_read import VersionRead
from ...types import Response


def _get_kwargs(
    name: str,
    *,
    body: BodyModelsVersionsCreate,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/models/{name}/versions".format(
            name=quote(str(name), safe=""),
        ),
    }

    _kwargs["files"] = body.to_multipart()

    headers["Content-Type"] = "multipart/form-data; boundary=+++"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | VersionRead | None:
    if response.status_code == 201:
        response_201 = VersionRead.from_dict(response.json())

        return response_201

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 413:
        response_413 = Problem.from_dict(response.json())

        return response_413

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
) -> Response[Problem | VersionRead]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    name: str,
    *,
    client: AuthenticatedClient,
    body: BodyModelsVersionsCreate,
) -> Response[Problem | VersionRead]:
    """Upload a version

     Admin. Multipart: `file` (ONNX; pickles are refused), optional JSON form fields `features` ([{name,
    type: float|int, min, max}], default: read from the graph as f0..fn), `labels` (class names,
    default: from the graph), `metrics` ({name: number}), and `activate` (default: only when no version
    is active). The file is parsed, analysed (graphs whose output sizes or loop counts come from the
    input values, and more than `MODEL_MAX_FEATURES` features, are refused with 422), loaded and run on
    a test row under the run limits before anything is stored; a failed upload leaves nothing stored.

    Args:
        name (str): The model's name.
        body (BodyModelsVersionsCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | VersionRead]
    """

    kwargs = _get_kwargs(
        name=name,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    name: str,
    *,
    client: AuthenticatedClient,
    body: BodyModelsVersionsCreate,
) -> Problem | VersionRead | None:
    """Upload a version

     Admin. Multipart: `file` (ONNX; pickles are refused), optional JSON form fields `features` ([{name,
    type: float|int, min, max}], default: read from the graph as f0..fn), `labels` (class names,
    default: from the graph), `metrics` ({name: number}), and `activate` (default: only when no version
    is active). The file is parsed, analysed (graphs whose output sizes or loop counts come from the
    input values, and more than `MODEL_MAX_FEATURES` features, are refused with 422), loaded and run on
    a test row under the run limits before anything is stored; a failed upload leaves nothing stored.

    Args:
        name (str): The model's name.
        body (BodyModelsVersionsCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | VersionRead
    """

    return sync_detailed(
        name=name,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    name: str,
    *,
    client: AuthenticatedClient,
    body: BodyModelsVersionsCreate,
) -> Response[Problem | VersionRead]:
    """Upload a version

     Admin. Multipart: `file` (ONNX; pickles are refused), optional JSON form fields `features` ([{name,
    type: float|int, min, max}], default: read from the graph as f0..fn), `labels` (class names,
    default: from the graph), `metrics` ({name: number}), and `activate` (default: only when no version
    is active). The file is parsed, analysed (graphs whose output sizes or loop counts come from the
    input values, and more than `MODEL_MAX_FEATURES` features, are refused with 422), loaded and run on
    a test row under the run limits before anything is stored; a failed upload leaves nothing stored.

    Args:
        name (str): The model's name.
        body (BodyModelsVersionsCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | VersionRead]
    """

    kwargs = _get_kwargs(
        name=name,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    name: str,
    *,
    client: AuthenticatedClient,
    body: BodyModelsVersionsCreate,
) -> Problem | VersionRead | None:
    """Upload a version

     Admin. Multipart: `file` (ONNX; pickles are refused), optional JSON form fields `features` ([{name,
    type: float|int, min, max}], default: read from the graph as f0..fn), `labels` (class names,
    default: from the graph), `metrics` ({name: number}), and `activate` (default: only when no version
    is active). The file is parsed, analysed (graphs whose output sizes or loop counts come from the
    input values, and more than `MODEL_MAX_FEATURES` features, are refused with 422), loaded and run on
    a test row under the run limits before anything is stored; a failed upload leaves nothing stored.

    Args:
        name (str): The model's name.
        body (BodyModelsVersionsCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | VersionRead
    """

    return (
        await asyncio_detailed(
            name=name,
            client=client,
            body=body,
        )
    ).parsed
