"""Usernames: full-match rules, NFKC and lower case, and no look-alikes of a taken name."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from pymongo.asynchronous.database import AsyncDatabase

from service.users.usernames import username_skeleton
from tests.factories import create_user, user_payload, user_session

PROBLEM = "application/problem+json"


@pytest.mark.parametrize("username", ["admin\n", "admin\r\n", "\nadmin", "ad min", "adm\u0131n"])
async def test_usernames_must_match_in_full(client: httpx.AsyncClient, username: str) -> None:
    response = await client.post("/users", json=user_payload(username=username))
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["errors"][0]["loc"] == ["body", "username"]


async def test_usernames_are_nfkc_normalised_and_lower_cased(
    client: httpx.AsyncClient, test_db: AsyncDatabase[dict[str, Any]]
) -> None:
    # Full-width letters and the Kelvin sign are stored as the ASCII they stand for.
    response = await client.post("/users", json=user_payload(username="\uff27race\u212a"))
    assert response.status_code == 201, response.text
    assert response.json()["username"] == "gracek"
    stored = await test_db["users"].find_one({"username": "gracek"})
    assert stored is not None
    assert stored["username_skeleton"] == "gracek"


@pytest.mark.parametrize("lookalike", ["ADMIN", "adm1n", "a.dmin", "a_d-m.i_n", "adrnin", "admln"])
async def test_look_alikes_of_a_taken_username_are_409_naming_the_field(
    client: httpx.AsyncClient, lookalike: str
) -> None:
    await create_user(client, username="admin")
    response = await client.post("/users", json=user_payload(username=lookalike))
    assert response.status_code == 409, lookalike
    assert response.headers["content-type"] == PROBLEM
    problem = response.json()
    assert problem["type"] == "urn:users-service:problem:username-taken"
    assert problem["errors"] == [
        {"loc": ["body", "username"], "msg": "already taken", "type": "duplicate"}
    ]


async def test_renaming_to_a_look_alike_is_409_and_to_a_distinct_name_works(
    client: httpx.AsyncClient,
) -> None:
    await create_user(client, username="grace.hopper")
    _, auth = await user_session(client, username="someone")
    clash = await client.patch("/users/me", json={"username": "grace-h0pper"}, headers=auth)
    assert clash.status_code == 409
    assert clash.json()["errors"][0]["loc"] == ["body", "username"]
    renamed = await client.patch("/users/me", json={"username": "ada.king"}, headers=auth)
    assert renamed.status_code == 200
    # The old name (and its look-alikes) are free again; the user's own variant is fine.
    again = await client.patch("/users/me", json={"username": "ada_king"}, headers=auth)
    assert again.status_code == 200
    assert (await client.post("/users", json=user_payload(username="some1"))).status_code == 201


async def test_concurrent_look_alikes_give_one_201(
    client: httpx.AsyncClient, test_db: AsyncDatabase[dict[str, Any]]
) -> None:
    names = ["jdoe", "j.doe", "j_doe", "j-doe", "jd0e", "JDOE"]
    responses = await asyncio.gather(
        *(client.post("/users", json=user_payload(username=name)) for name in names)
    )
    assert sorted(r.status_code for r in responses) == [201] + [409] * (len(names) - 1)
    for response in responses:
        if response.status_code == 409:
            assert response.json()["errors"][0]["loc"] == ["body", "username"]
    assert await test_db["users"].count_documents({"username_skeleton": "jdoe"}) == 1


def test_the_skeleton_rule() -> None:
    assert username_skeleton("admin") == username_skeleton("adm1n") == "admln"
    assert username_skeleton("a.d_m-i.n") == username_skeleton("admin")
    assert username_skeleton("rnary") == username_skeleton("mary")
    assert username_skeleton("vvalter") == username_skeleton("walter")
    assert username_skeleton("s0ph1a5") == "sophlas"
    assert username_skeleton("alice") != username_skeleton("alicia")
