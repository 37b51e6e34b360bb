"""Whom a hit counts against: canonical addresses, IPv6 networks, and tokens on account routes."""

from __future__ import annotations

import re

import httpx
from asgi_lifespan import LifespanManager

from service.http.client_address import address_key, client_address, parse_networks
from tests.factories import user_payload, user_session
from tests.ratelimit.conftest import LIMITS
from tests.secret_scan import SecretLedger

RATELIMIT = re.compile(r'^"(?P<group>[a-z]+)";r=(?P<r>\d+);t=(?P<t>\d+)$')
MISSING_AVATAR = "/users/0123456789abcdef01234567/avatar"  # a public read answering 404


def _remaining(response: httpx.Response) -> int:
    match = RATELIMIT.match(response.headers["ratelimit"])
    assert match, response.headers["ratelimit"]
    return int(match["r"])


def test_addresses_are_canonical_whatever_their_spelling() -> None:
    proxies = parse_networks(("127.0.0.1", "10.0.0.0/8"))
    assert client_address("::ffff:127.0.0.1", None, proxies) == "127.0.0.1"
    assert client_address("::FFFF:7f00:1", None, proxies) == "127.0.0.1"
    assert client_address("2001:DB8:0:0::0001", None, proxies) == "2001:db8::1"
    assert client_address("fe80::1%eth0", None, proxies) == "fe80::1"
    # A peer bound to `::` reports IPv4 clients mapped: a trusted proxy all the same.
    assert client_address("::ffff:127.0.0.1", "198.51.100.7", proxies) == "198.51.100.7"
    assert client_address("::ffff:10.1.2.3", "2001:0DB8::0007", proxies) == "2001:db8::7"
    assert client_address("::ffff:10.1.2.3", "::ffff:198.51.100.7", proxies) == "198.51.100.7"
    # Not a proxy: the header is ignored, mapped or not.
    assert client_address("::ffff:203.0.113.9", "1.2.3.4", proxies) == "203.0.113.9"
    # A proxy list written with mapped addresses means the IPv4 ones.
    mapped = parse_networks(("::ffff:10.0.0.0/104",))
    assert client_address("10.9.9.9", "198.51.100.8", mapped) == "198.51.100.8"


def test_ipv6_is_keyed_by_its_network_ipv4_by_its_address() -> None:
    assert address_key("2001:db8:1:2::1", 64) == address_key("2001:db8:1:2:ffff::9", 64)
    assert address_key("2001:db8:1:2::1", 64) == "2001:db8:1:2::/64"
    assert address_key("2001:db8:1:2::1", 64) != address_key("2001:db8:1:3::1", 64)
    assert address_key("2001:db8:1:2::1", 128) != address_key("2001:db8:1:2::2", 128)
    assert address_key("2001:db8:1:2::1", 48) == address_key("2001:db8:1:ffff::1", 48)
    assert address_key("198.51.100.7", 64) == "198.51.100.7"
    assert address_key("unknown", 64) == "unknown"


async def test_spellings_and_addresses_of_one_ipv6_network_share_a_quota(
    limited_app: LifespanManager, ledger: SecretLedger
) -> None:
    transport = httpx.ASGITransport(app=limited_app.app, client=("::ffff:127.0.0.1", 5000))
    async with httpx.AsyncClient(
        transport=transport, base_url="http://testserver", event_hooks=ledger.hooks()
    ) as client:
        spellings = [
            "2001:db8:77::1",
            "2001:DB8:77:0::0001",
            "2001:0db8:0077:0000:0000:0000:0000:0001",
            "2001:db8:77::abcd",  # another address of the same /64
            "2001:db8:77:0:ffff:ffff:ffff:ffff",
            "2001:db8:77::2",
        ]
        assert len(spellings) == LIMITS["read"]
        remaining = []
        for spelling in spellings:
            response = await client.get(MISSING_AVATAR, headers={"X-Forwarded-For": spelling})
            assert response.status_code == 404, spelling
            remaining.append(_remaining(response))
        assert remaining == list(range(LIMITS["read"] - 1, -1, -1))
        spent = await client.get(MISSING_AVATAR, headers={"X-Forwarded-For": "2001:db8:77::99"})
        assert spent.status_code == 429
        # The next /64 is another subscriber with a full quota.
        other = await client.get(MISSING_AVATAR, headers={"X-Forwarded-For": "2001:db8:77:1::1"})
        assert other.status_code == 404
        assert _remaining(other) == LIMITS["read"] - 1


async def test_a_mapped_ipv4_address_is_the_ipv4_client(
    limited_app: LifespanManager,
    ledger: SecretLedger,
    limited_client: httpx.AsyncClient,
    address: str,
) -> None:
    first = await limited_client.get(MISSING_AVATAR)  # as `address`, through 127.0.0.1
    # The same client, reported mapped by a proxy that the peer, mapped too, is.
    transport = httpx.ASGITransport(app=limited_app.app, client=("::ffff:127.0.0.1", 5001))
    async with httpx.AsyncClient(
        transport=transport, base_url="http://testserver", event_hooks=ledger.hooks()
    ) as mapped:
        second = await mapped.get(MISSING_AVATAR, headers={"X-Forwarded-For": f"::ffff:{address}"})
    assert _remaining(second) == _remaining(first) - 1


async def test_account_routes_count_the_address_whatever_token_is_sent(
    client: httpx.AsyncClient, limited_client: httpx.AsyncClient
) -> None:
    # Tokens of distinct users, got from the unlimited app (same signing key).
    sessions = [await user_session(client) for _ in range(LIMITS["auth"] + 3)]
    requests = [
        ("/auth/forgot-password", {"json": {"email": "nobody@example.com"}}),
        ("/auth/verify/request", {"json": {"email": "nobody@example.com"}}),
        ("/auth/token", {"data": {"username": "nobody", "password": "wrong-password"}}),
        ("/users", {"json": user_payload()}),
    ]
    statuses = []
    for n, (_, auth) in enumerate(sessions):
        path, body = requests[n % len(requests)]
        response = await limited_client.post(path, headers=auth, **body)  # type: ignore[arg-type]
        statuses.append(response.status_code)
    assert 429 not in statuses[: LIMITS["auth"]], statuses
    assert statuses[LIMITS["auth"] :] == [429] * 3, statuses
    # Anonymous, from the same address: the same quota, spent.
    anonymous = await limited_client.post("/auth/forgot-password", json={"email": "a@example.com"})
    assert anonymous.status_code == 429
    # Elsewhere the token still counts against its user: each has a full read quota.
    read = await limited_client.get(f"/users/{sessions[0][0]['id']}", headers=sessions[0][1])
    assert read.status_code == 200
    assert _remaining(read) == LIMITS["read"] - 1
