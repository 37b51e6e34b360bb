"""A bearer token is checked once per request, though both the rate limiter (to find whom
the hit counts against) and the authenticator (to find the caller) need its claims."""

from __future__ import annotations

import httpx
import pytest

from service.auth.security import AccessClaims, TokenCodec
from tests.factories import user_session


async def test_the_rate_limiter_and_the_authenticator_share_one_token_check(
    limited_client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    user, auth = await user_session(limited_client)
    checked: list[str] = []
    check = TokenCodec.decode

    # A spy on the real codec: every check still runs, each one is counted.
    def counted(codec: TokenCodec, token: str) -> AccessClaims:
        checked.append(token)
        return check(codec, token)

    monkeypatch.setattr(TokenCodec, "decode", counted)
    response = await limited_client.get("/users/me", headers=auth)

    assert response.status_code == 200, response.text
    assert response.json()["id"] == user["id"]
    assert response.headers["ratelimit"].startswith('"read"')
    assert len(checked) == 1


async def test_a_token_the_rate_limiter_refused_is_refused_by_the_route_too(
    limited_client: httpx.AsyncClient,
) -> None:
    _, auth = await user_session(limited_client)
    forged = {"Authorization": auth["Authorization"][:-4] + "AAAA"}

    response = await limited_client.get("/users/me", headers=forged)

    assert response.status_code == 401
    assert response.headers["ratelimit"].startswith('"read"')  # counted, by address
