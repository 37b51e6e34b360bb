"""Swagger UI and ReDoc work offline, and the OpenAPI document describes every route."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

import httpx


async def _assets_of(client: httpx.AsyncClient, page: str) -> list[str]:
    response = await client.get(page)
    assert response.status_code == 200
    html = response.text
    refs = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", html)
    refs += re.findall(r"""url\s*:\s*['"]([^'"]+)['"]""", html)
    refs += re.findall(r"""spec-url\s*=\s*["']([^"']+)["']""", html)
    assert refs, f"{page} references no assets"
    return refs


async def test_docs_and_redoc_assets_are_same_origin_and_served(client: httpx.AsyncClient) -> None:
    for page in ("/docs", "/redoc"):
        for ref in await _assets_of(client, page):
            absolute = urljoin(f"http://testserver{page}", ref)
            parts = urlsplit(absolute)
            assert parts.netloc == "testserver", f"{page} loads {ref} from another origin"
            asset = await client.get(parts.path)
            assert asset.status_code == 200, ref
            assert asset.content, ref
    redirect = await client.get("/docs/oauth2-redirect")
    assert redirect.status_code == 200


async def test_every_route_is_documented(client: httpx.AsyncClient) -> None:
    schema = (await client.get("/openapi.json")).json()
    assert "Problem" in schema["components"]["schemas"]
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            where = f"{method.upper()} {path}"
            assert operation.get("summary"), where
            assert operation.get("description"), where
            assert (
                "200" in operation["responses"]
                or "201" in operation["responses"]
                or "202" in operation["responses"]
                or ("204" in operation["responses"])
            ), where
            if path.startswith("/users"):
                documented = set(operation["responses"])
                # Whatever a client can send wrong is a documented 422.
                takes_input = operation.get("parameters") or operation.get("requestBody")
                assert "422" in documented or not takes_input, where
                assert "503" in documented, where
    patch = schema["paths"]["/users/{user_id}"]["patch"]["requestBody"]["content"]
    assert set(patch) == {"application/json", "application/merge-patch+json"}
