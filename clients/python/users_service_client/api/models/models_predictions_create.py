from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.prediction_request import PredictionRequest
from ...models.prediction_response import PredictionResponse
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    name: str,
    *,
    body: PredictionRequest,
    version: int | None | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    params: dict[str, Any] = {}

    json_version: int | None | Unset
    if isinstance(version, Unset):
        json_version = UNSET
    else:
        json_version = version
    params["version"] = json_version

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/models/{name}/predictions".format(
            name=quote(str(name), safe=""),
        ),
        "params": params,
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> PredictionResponse | Problem | None:
    if response.status_code == 200:
        response_200 = PredictionResponse.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())

        return response_409

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
) -> Response[PredictionResponse | Problem]:
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
    body: PredictionRequest,
    version: int | None | Unset = UNSET,
) -> Response[PredictionResponse | Problem]:
    """Predict

     Authenticated. `{"rows": [{feature: number, ...}]}` with 1-1000 rows, each giving exactly the
    model's features as finite numbers within their ranges. Uses the active version unless `?version=`
    names one. Identical requests are answered from a per-worker cache (`cached: true`). A row the model
    overflows on is a 422 for that row. 503 (with `Retry-After`): `worker-busy` when the worker's
    inference queue is full, `model-run-timeout` after `MODEL_RUN_TIMEOUT_S`, `model-resources-
    exhausted` when the run needs more than `MODEL_ARENA_MAX_BYTES`.

    Args:
        name (str): The model's name.
        version (int | None | Unset):
        body (PredictionRequest): 1 to 1000 rows, each mapping every feature of the model's schema
            to a number.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PredictionResponse | Problem]
    """

    kwargs = _get_kwargs(
        name=name,
        body=body,
        version=version,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    name: str,
    *,
    client: AuthenticatedClient,
    body: PredictionRequest,
    version: int | None | Unset = UNSET,
) -> PredictionResponse | Problem | None:
    """Predict

     Authenticated. `{"rows": [{feature: number, ...}]}` with 1-1000 rows, each giving exactly the
    model's features as finite numbers within their ranges. Uses the active version unless `?version=`
    names one. Identical requests are answered from a per-worker cache (`cached: true`). A row the model
    overflows on is a 422 for that row. 503 (with `Retry-After`): `worker-busy` when the worker's
    inference queue is full, `model-run-timeout` after `MODEL_RUN_TIMEOUT_S`, `model-resources-
    exhausted` when the run needs more than `MODEL_ARENA_MAX_BYTES`.

    Args:
        name (str): The model's name.
        version (int | None | Unset):
        body (PredictionRequest): 1 to 1000 rows, each mapping every feature of the model's schema
            to a number.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PredictionResponse | Problem
    """

    return sync_detailed(
        name=name,
        client=client,
        body=body,
        version=version,
    ).parsed


async def asyncio_detailed(
    name: str,
    *,
    client: AuthenticatedClient,
    body: PredictionRequest,
    version: int | None | Unset = UNSET,
) -> Response[PredictionResponse | Problem]:
    """Predict

     Authenticated. `{"rows": [{feature: number, ...}]}` with 1-1000 rows, each giving exactly the
    model's features as finite numbers within their ranges. Uses the active version unless `?version=`
    names one. Identical requests are answered from a per-worker cache (`cached: true`). A row the model
    overflows on is a 422 for that row. 503 (with `Retry-After`): `worker-busy` when the worker's
    inference queue is full, `model-run-timeout` after `MODEL_RUN_TIMEOUT_S`, `model-resources-
    exhausted` when the run needs more than `MODEL_ARENA_MAX_BYTES`.

    Args:
        name (str): The model's name.
        version (int | None | Unset):
        body (PredictionRequest): 1 to 1000 rows, each mapping every feature of the model's schema
            to a number.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PredictionResponse | Problem]
    """

    kwargs = _get_kwargs(
        name=name,
        body=body,
        version=version,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    name: str,
    *,
    client: AuthenticatedClient,
    body: PredictionRequest,
    version: int | None | Unset = UNSET,
) -> PredictionResponse | Problem | None:
    """Predict

     Authenticated. `{"rows": [{feature: number, ...}]}` with 1-1000 rows, each giving exactly the
    model's features as finite numbers within their ranges. Uses the active version unless `?version=`
    names one. Identical requests are answered from a per-worker cache (`cached: true`). A row the model
    overflows on is a 422 for that row. 503 (with `Retry-After`): `worker-busy` when the worker's
    inference queue is full, `model-run-timeout` after `MODEL_RUN_TIMEOUT_S`, `model-resources-
    exhausted` when the run needs more than `MODEL_ARENA_MAX_BYTES`.

    Args:
        name (str): The model's name.
        version (int | None | Unset):
        body (PredictionRequest): 1 to 1000 rows, each mapping every feature of the model's schema
            to a number.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PredictionResponse | Problem
    """

    return (
        await asyncio_detailed(
            name=name,
            client=client,
            body=body,
            version=version,
        )
    ).parsed
