"""What production tells about itself: no API map or docs unless asked, opaque ETags."""

from __future__ import annotations

import re

import pytest

from service.core.config import Settings
from service.core.setting_types import Environment
from service.http.caching import bind_etag_key, etag_key, strong_etag, unbind_etag_key
from tests.conftest import TEST_JWT_SECRET, TEST_SECOND_FACTOR_KEY, AppFactory
from tests.factories import user_session

PRODUCTION = {
    "environment": Environment.PRODUCTION,
    "public_base_url": "https://api.example.org",
    "allowed_hosts": ["testserver"],
}


def test_docs_and_the_document_default_off_in_production_only() -> None:
    production = Settings(
        **PRODUCTION,
        jwt_secret=TEST_JWT_SECRET,
        second_factor_key=TEST_SECOND_FACTOR_KEY,
        smtp_host="smtp.example",
    )
    assert (production.serves_openapi, production.serves_docs) == (False, False)
    assert (Settings().serves_openapi, Settings().serves_docs) == (True, True)
    opened = production.model_copy(update={"openapi_enabled": True})
    assert (opened.serves_openapi, opened.serves_docs) == (True, True)
    assert not Settings().server_header
    with pytest.raises(ValueError, match="DOCS_ENABLED needs OPENAPI_ENABLED"):
        Settings(docs_enabled=True, openapi_enabled=False)


async def test_production_hides_the_api_map_unless_told(app_with: AppFactory) -> None:
    async with app_with(**PRODUCTION) as client:
        hidden_paths = ("/docs", "/redoc", "/openapi.json", "/swagger")
        for path in (*hidden_paths, "/static/redoc/redoc.standalone.js"):
            hidden = await client.get(path)
            assert hidden.status_code == 404, path
            assert hidden.headers["content-type"] == "application/problem+json"
        links = (await client.get("/")).json()["links"]
        assert (links["docs"], links["openapi"]) == (None, None)
    async with app_with(**PRODUCTION, openapi_enabled=True, docs_enabled=False) as client:
        assert (await client.get("/openapi.json")).json()["info"]["title"] == "users-service"
        assert (await client.get("/docs")).status_code == 404


async def test_etags_reveal_neither_id_nor_write_count(app_with: AppFactory) -> None:
    async with app_with() as client:
        user, auth = await user_session(client)
        tags = []
        for name in ("A", "B"):
            changed = await client.patch(f"/users/{user['id']}", json={"name": name}, headers=auth)
            tags.append(changed.headers["etag"])
        read = await client.get(f"/users/{user['id']}", headers=auth)
    assert read.headers["etag"] == tags[-1]
    assert tags[0] != tags[1]
    for tag in tags:
        assert re.fullmatch(r'"[A-Za-z0-9_-]{24}"', tag), tag
        assert user["id"] not in tag
    # Two workers (or replicas) with the same secret issue the same tag; another does not.
    tag = {}
    for name, secret in (("one", TEST_JWT_SECRET), ("two", TEST_JWT_SECRET), ("other", "o" * 40)):
        token = bind_etag_key(etag_key(secret))
        tag[name] = strong_etag(f"{user['id']}.3")
        unbind_etag_key(token)
    assert tag["one"] == tag["two"] != tag["other"]
