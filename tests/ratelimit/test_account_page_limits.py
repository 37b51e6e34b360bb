"""The forms of the account pages count against the `auth` limit; showing a page is a read."""

from __future__ import annotations

import httpx

from tests.ratelimit.conftest import LIMITS

UNKNOWN_TOKEN = "B" * 43


async def test_page_forms_share_the_auth_limit_and_pages_stay_readable(
    limited_client: httpx.AsyncClient,
) -> None:
    forms = [
        ("/account/verify-email", {"token": UNKNOWN_TOKEN}),
        (
            "/account/reset-password",
            {"token": UNKNOWN_TOKEN, "new_password": "limit-pw-123", "confirm_password": "x"},
        ),
    ]
    statuses = []
    for i in range(LIMITS["auth"] + 1):
        path, form = forms[i % 2]
        response = await limited_client.post(path, data=form)
        statuses.append(response.status_code)
        assert response.headers["ratelimit-policy"].startswith('"auth"')
    assert statuses[:-1] == [410 if i % 2 == 0 else 422 for i in range(LIMITS["auth"])]
    assert statuses[-1] == 429
    assert int(response.headers["retry-after"]) >= 1
    # Opening a link (a GET) is a read: it still answers while the forms wait.
    shown = await limited_client.get("/account/verify-email", params={"token": UNKNOWN_TOKEN})
    assert shown.status_code == 410
    assert shown.headers["ratelimit-policy"].startswith('"read"')
