"""The generated Python client (clients/python, openapi-python-client) against a live
service: the calls a consumer makes, through the client's typed sync and async APIs."""

from __future__ import annotations

import io
import re
import uuid
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
from PIL import Image
from users_service_client import AuthenticatedClient, Client
from users_service_client.api.auth import auth_refresh, auth_token
from users_service_client.api.avatars import users_avatar_get, users_avatar_upload
from users_service_client.api.users import (
    users_create,
    users_get,
    users_list,
    users_me_get,
    users_me_update,
)
from users_service_client.models import (
    BodyAuthToken,
    BodyUsersAvatarUpload,
    Problem,
    RefreshRequest,
    TokenPair,
    UserCreate,
    UserRead,
    UserUpdate,
)
from users_service_client.types import File

from tests.avatars.images import png

PASSWORD = "py-client-" + uuid.uuid4().hex[:12]
NEXT_LINK = re.compile(r'<([^>]+)>;\s*rel="next"')


def _register(base_url: str, prefix: str) -> UserRead:
    username = f"{prefix}{uuid.uuid4().hex[:8]}"
    body = UserCreate(username=username, email=f"{username}@example.com", password=PASSWORD)
    with Client(base_url=base_url) as client:
        created = users_create.sync_detailed(client=client, body=body)
    assert created.status_code == 201, created.content
    assert isinstance(created.parsed, UserRead)
    assert created.headers["location"].endswith(f"/users/{created.parsed.id}")
    return created.parsed


def _log_in(base_url: str, username: str) -> TokenPair:
    with Client(base_url=base_url) as client:
        tokens = auth_token.sync(client=client, body=BodyAuthToken(username, PASSWORD))
    assert isinstance(tokens, TokenPair)
    return tokens


def _as(base_url: str, tokens: TokenPair) -> AuthenticatedClient:
    return AuthenticatedClient(base_url=base_url, token=tokens.access_token)


async def test_register_log_in_refresh_and_read_me_async(live_service: str) -> None:
    user = _register(live_service, "pyme")
    async with Client(base_url=live_service) as anonymous:
        login = await auth_token.asyncio(
            client=anonymous, body=BodyAuthToken(user.username, PASSWORD)
        )
        assert isinstance(login, TokenPair)
        refreshed = await auth_refresh.asyncio(
            client=anonymous, body=RefreshRequest(refresh_token=login.refresh_token)
        )
        assert isinstance(refreshed, TokenPair)
        assert refreshed.refresh_token != login.refresh_token
        # Rotation: the first refresh token is spent, and says so as a typed problem.
        reused = await auth_refresh.asyncio_detailed(
            client=anonymous, body=RefreshRequest(refresh_token=login.refresh_token)
        )
    assert reused.status_code == 401
    assert isinstance(reused.parsed, Problem)
    async with _as(live_service, refreshed) as client:
        me = await users_me_get.asyncio(client=client)
    assert isinstance(me, UserRead)
    assert (me.id, me.email) == (user.id, user.email)


def test_an_update_with_a_stale_if_match_is_a_typed_412(live_service: str) -> None:
    user = _register(live_service, "pyetag")
    with _as(live_service, _log_in(live_service, user.username)) as client:
        etag = users_me_get.sync_detailed(client=client).headers["etag"]
        updated = users_me_update.sync_detailed(
            client=client, body=UserUpdate(name="First Name"), if_match=etag
        )
        assert updated.status_code == 200
        assert isinstance(updated.parsed, UserRead)
        assert updated.parsed.name == "First Name"
        # The ETag read before the update is stale now.
        stale = users_me_update.sync_detailed(
            client=client, body=UserUpdate(name="Second Name"), if_match=etag
        )
        assert stale.status_code == 412
        assert isinstance(stale.parsed, Problem)
        assert stale.parsed.status == 412
        again = users_me_get.sync(client=client)
    assert isinstance(again, UserRead)
    assert again.name == "First Name"


def test_listing_follows_the_link_header_page_by_page(live_service: str) -> None:
    prefix = f"pypage{uuid.uuid4().hex[:6]}"
    created = {_register(live_service, prefix).username for _ in range(5)}
    tokens = _log_in(live_service, sorted(created)[0])
    seen: list[str] = []
    pages = 0
    cursor: str | None = None
    with _as(live_service, tokens) as client:
        while True:
            page = users_list.sync_detailed(client=client, q=prefix, limit=2, cursor=cursor)
            assert page.status_code == 200
            assert isinstance(page.parsed, list)
            seen += [user.username for user in page.parsed]
            pages += 1
            link = NEXT_LINK.search(page.headers.get("link", ""))
            if link is None:
                break
            cursor = parse_qs(urlsplit(link.group(1)).query)["cursor"][0]
    assert pages == 3
    assert sorted(seen) == sorted(created)


def test_an_avatar_uploads_and_reads_back(live_service: str) -> None:
    user = _register(live_service, "pyavatar")
    upload = BodyUsersAvatarUpload(
        file=File(payload=io.BytesIO(png(32, 24)), file_name="me.png", mime_type="image/png")
    )
    with _as(live_service, _log_in(live_service, user.username)) as client:
        uploaded = users_avatar_upload.sync_detailed(user.id, client=client, body=upload)
        assert uploaded.status_code == 200, uploaded.content
        assert isinstance(uploaded.parsed, UserRead)
        assert isinstance(uploaded.parsed.avatar_url, str)
        image = users_avatar_get.sync_detailed(user.id, client=client)
    assert image.status_code == 200
    assert image.headers["content-type"] == "image/webp"
    assert Image.open(io.BytesIO(image.content)).size == (32, 24)
    assert httpx.get(uploaded.parsed.avatar_url).content == image.content


def test_problem_documents_arrive_as_typed_problems(live_service: str) -> None:
    user = _register(live_service, "pyproblem")
    missing_id = "0" * 24
    with _as(live_service, _log_in(live_service, user.username)) as client:
        missing = users_get.sync_detailed(missing_id, client=client)
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"
    assert isinstance(missing.parsed, Problem)
    assert missing.parsed.status == 404
    assert missing.parsed.instance == f"/users/{missing_id}"
    assert missing.parsed.request_id == missing.headers["x-request-id"]
    invalid = UserCreate(username="x", email="not-an-address", password=PASSWORD)
    with Client(base_url=live_service) as anonymous:
        refused = users_create.sync_detailed(client=anonymous, body=invalid)
    assert refused.status_code == 422
    assert isinstance(refused.parsed, Problem)
    assert isinstance(refused.parsed.errors, list)
    fields = {".".join(str(part) for part in error.loc) for error in refused.parsed.errors}
    assert "body.username" in fields


def test_the_documented_snippet_reads_me(live_service: str, repo_root: Path) -> None:
    # docs/clients.md's five lines, pointed at the live service and a fresh user.
    user = _register(live_service, "pydoc")
    docs = (repo_root / "docs" / "clients.md").read_text()
    snippet = re.search(r"```python\n(.*?)```", docs, re.S)
    assert snippet is not None
    code = (
        snippet.group(1)
        .replace("http://127.0.0.1:8000", live_service)
        .replace('"dev-kestrel-harbor-lantern"', repr(PASSWORD))
        .replace('"admin"', repr(user.username))
    )
    namespace: dict[str, object] = {}
    exec(code, namespace)  # noqa: S102 - our own documentation, run as a reader would
    me = namespace["me"]
    assert isinstance(me, UserRead)
    assert me.id == user.id
