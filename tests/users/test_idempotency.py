"""`Idempotency-Key` on `POST /users`: a retry gets the first answer and creates no one."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import httpx
from asgi_lifespan import LifespanManager
from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.uri_parser import parse_uri

from scripts.localdb import LocalServer
from tests.factories import DEFAULT_PASSWORD, user_payload
from tests.fault_proxy import ReplyLosingProxy
from tests.own_app import own_app, own_settings
from tests.races import PARALLEL, TRIALS, race
from tests.secret_scan import SecretLedger

IN_PROGRESS = "urn:users-service:problem:idempotency-key-in-progress"


def new_key() -> dict[str, str]:
    """A fresh key, as a client would make one per request."""
    return {"Idempotency-Key": str(uuid.uuid4())}


def _metric(text: str, name: str) -> float:
    return sum(float(line.split()[-1]) for line in text.splitlines() if line.startswith(name + " "))


async def test_a_retry_gets_the_first_answer_and_creates_no_one(
    client: httpx.AsyncClient, test_db: AsyncDatabase[dict[str, Any]]
) -> None:
    payload, key = user_payload(), new_key()
    before = _metric((await client.get("/metrics")).text, "users_created_total")

    first = await client.post("/users", json=payload, headers=key)
    retry = await client.post("/users", json=payload, headers=key)

    assert first.status_code == retry.status_code == 201
    assert retry.content == first.content
    for header in ("location", "etag", "content-type"):
        assert retry.headers[header] == first.headers[header]
    assert "idempotent-replayed" not in first.headers
    assert retry.headers["idempotent-replayed"] == "true"
    assert await test_db["users"].count_documents({"username": payload["username"]}) == 1
    # The retry did not run the registration again (no second hash, no second count).
    after = _metric((await client.get("/metrics")).text, "users_created_total")
    assert after - before == 1
    # The password works: the one stored user is the first request's.
    login = {"username": payload["username"], "password": DEFAULT_PASSWORD}
    assert (await client.post("/auth/token", data=login)).status_code == 200


async def test_without_a_key_a_repeat_is_a_new_request(client: httpx.AsyncClient) -> None:
    payload = user_payload()
    assert (await client.post("/users", json=payload)).status_code == 201
    assert (await client.post("/users", json=payload)).status_code == 409


async def test_the_same_key_with_other_content_is_refused(
    client: httpx.AsyncClient, test_db: AsyncDatabase[dict[str, Any]]
) -> None:
    key = new_key()
    first = user_payload()
    assert (await client.post("/users", json=first, headers=key)).status_code == 201
    for changed in (user_payload(), {**first, "password": "another-password-1"}):
        response = await client.post("/users", json=changed, headers=key)
        assert response.status_code == 422
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["type"] == "urn:users-service:problem:idempotency-key-reused"
    assert await test_db["users"].count_documents({}) == 1


async def test_keys_belong_to_their_caller(admin_client: httpx.AsyncClient) -> None:
    # One key, two callers: each has their own; neither sees or blocks the other's.
    key = new_key()
    anonymous = httpx.AsyncClient(transport=admin_client._transport, base_url="http://testserver")
    async with anonymous:
        assert (await anonymous.post("/users", json=user_payload(), headers=key)).status_code == 201
    admin_created = await admin_client.post("/users", json=user_payload(), headers=key)
    assert admin_created.status_code == 201
    assert "idempotent-replayed" not in admin_created.headers


async def test_keys_are_limited_in_length_and_alphabet(
    client: httpx.AsyncClient, test_db: AsyncDatabase[dict[str, Any]]
) -> None:
    bad: str | bytes
    for bad in (
        "short",
        "x" * 129,
        "has spaces in it ok",
        "\u00fcnicode-key-000000".encode(),
        '"unbalanced-key-0000',
    ):
        response = await client.post(
            "/users", json=user_payload(), headers={"Idempotency-Key": bad}
        )
        assert response.status_code == 422, bad
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["errors"][0]["loc"] == ["header", "Idempotency-Key"]
    assert await test_db["users"].count_documents({}) == 0
    # The structured-field form (a quoted string) names the same key as the bare one.
    payload = user_payload()
    bare = await client.post("/users", json=payload, headers={"Idempotency-Key": "k" * 16})
    quoted = await client.post("/users", json=payload, headers={"Idempotency-Key": f'"{"k" * 16}"'})
    assert bare.status_code == quoted.status_code == 201
    assert quoted.headers["idempotent-replayed"] == "true"


async def test_an_empty_key_is_refused_not_ignored(
    client: httpx.AsyncClient, test_db: AsyncDatabase[dict[str, Any]]
) -> None:
    # What a shell sends when the command meant to make a key printed nothing: the
    # client believes its retries are safe, so the header must not be dropped silently.
    for empty in ("", "   ", '""'):
        response = await client.post(
            "/users", json=user_payload(), headers={"Idempotency-Key": empty}
        )
        assert response.status_code == 422, repr(empty)
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["errors"][0]["loc"] == ["header", "Idempotency-Key"]
    assert await test_db["users"].count_documents({}) == 0


async def test_stored_outcomes_hold_no_secret_and_expire(
    client: httpx.AsyncClient, test_db: AsyncDatabase[dict[str, Any]]
) -> None:
    key = new_key()
    created = await client.post("/users", json=user_payload(), headers=key)
    assert created.status_code == 201
    (record,) = await test_db["idempotency_keys"].find().to_list()
    stored = str(record)
    assert DEFAULT_PASSWORD not in stored
    assert "password" not in stored
    assert key["Idempotency-Key"] not in stored  # only a digest of (operation, caller, key)
    user = await test_db["users"].find_one({"_id": record["resource_id"]})
    assert user is not None
    assert user["password_hash"] not in stored
    assert record["response"]["body"] == created.text
    lifetime = record["expires_at"] - record["created_at"]
    assert lifetime.total_seconds() == 86_400
    index = (await test_db["idempotency_keys"].index_information()).get("expires_at_ttl")
    assert index is None or index.get("expireAfterSeconds") == 0  # None: FerretDB, no TTL


async def test_a_failed_request_does_not_hold_its_key(
    client: httpx.AsyncClient, test_db: AsyncDatabase[dict[str, Any]]
) -> None:
    # The first attempt is refused (the username is someone else's): nothing is stored as
    # the answer, so once the name is free the same request with the same key succeeds.
    holder = await client.post("/users", json=user_payload(username="taken.name"))
    payload, key = user_payload(username="taken.name"), new_key()
    refused = await client.post("/users", json=payload, headers=key)
    assert refused.status_code == 409
    await test_db["users"].delete_one({"_id": holder.json()["id"]})
    await test_db["users"].delete_many({"username": "taken.name"})
    retried = await client.post("/users", json=payload, headers=key)
    assert retried.status_code == 201, retried.text
    assert "idempotent-replayed" not in retried.headers


async def test_parallel_retries_of_one_key_create_one_user(
    client: httpx.AsyncClient, test_db: AsyncDatabase[dict[str, Any]]
) -> None:
    winners = []
    for _ in range(TRIALS):
        payload, key = user_payload(), new_key()

        def send(_: int, payload: dict[str, Any] = payload, key: dict[str, str] = key) -> Any:
            return client.post("/users", json=payload, headers=key)

        statuses, responses = await race(PARALLEL, send)
        assert set(statuses) <= {201, 409}, statuses
        created = [r for r in responses if r.status_code == 201]
        fresh = [r for r in created if "idempotent-replayed" not in r.headers]
        winners.append(len(fresh))
        assert len(fresh) == 1
        assert {r.content for r in created} == {fresh[0].content}
        for busy in (r for r in responses if r.status_code == 409):
            assert busy.json()["type"] == IN_PROGRESS
            assert int(busy.headers["retry-after"]) >= 1
        assert await test_db["users"].count_documents({"username": payload["username"]}) == 1
        # Once the winner has answered, every retry gets its answer.
        late = await client.post("/users", json=payload, headers=key)
        assert late.status_code == 201
        assert late.content == fresh[0].content
    assert winners == [1] * TRIALS


async def test_a_write_whose_answer_was_lost_is_finished_once_on_retry(
    mongo_server: LocalServer, started_app: LifespanManager, ledger: SecretLedger
) -> None:
    # The insert reaches the database and is stored, but its reply never comes back: the
    # client sees a 503. Retrying with the same key must give the user that was stored,
    # not a 409 for its own username and not a second user.
    (upstream,) = parse_uri(mongo_server.url)["nodelist"]
    proxy = ReplyLosingProxy(upstream, lambda command: command.get("insert") == "users")
    settings = own_settings(await proxy.start(), mongodb_timeout_ms=1000)
    direct: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(mongo_server.url)
    users = direct[settings.mongodb_db]["users"]
    try:
        async with own_app(settings, started_app, ledger) as client:
            payload, key = user_payload(), new_key()
            proxy.lose = 1
            lost = await client.post("/users", json=payload, headers=key)
            assert lost.status_code == 503
            assert "may have been applied" in lost.json()["detail"]
            assert proxy.lost == 1
            (stored,) = await users.find({"username": payload["username"]}).to_list()

            retried = await client.post("/users", json=payload, headers=key)
            while retried.status_code == 409:  # the first attempt's lease has not run out
                assert retried.json()["type"] == IN_PROGRESS
                await asyncio.sleep(int(retried.headers["retry-after"]))
                retried = await client.post("/users", json=payload, headers=key)
            assert retried.status_code == 201, retried.text
            assert "idempotent-replayed" not in retried.headers
            assert retried.json()["id"] == str(stored["_id"])
            assert await users.count_documents({"username": payload["username"]}) == 1

            replay = await client.post("/users", json=payload, headers=key)
            assert replay.content == retried.content
            assert replay.headers["idempotent-replayed"] == "true"
    finally:
        await proxy.close()
        await direct.drop_database(settings.mongodb_db)
        await direct.close()


async def test_the_header_is_documented(client: httpx.AsyncClient) -> None:
    operation = (await client.get("/openapi.json")).json()["paths"]["/users"]["post"]
    (header,) = [p for p in operation["parameters"] if p["name"] == "Idempotency-Key"]
    assert header["in"] == "header"
    assert not header.get("required", False)
    assert "retry" in header["description"].lower()
    assert "422" in header["description"]
    assert "409" in header["description"]


async def test_the_deprecated_alias_takes_the_same_keys(
    client: httpx.AsyncClient, test_db: AsyncDatabase[dict[str, Any]]
) -> None:
    payload, key = user_payload(), new_key()
    first = await client.post("/user", json=payload, headers=key)
    assert first.status_code == 201
    retry = await client.post("/users", json=payload, headers=key)
    assert retry.headers["idempotent-replayed"] == "true"
    assert retry.content == first.content
    assert await test_db["users"].count_documents({}) == 1
