"""Variant B of the benchmark: a bare FastAPI app doing the service's database work.

Same queries through PyMongo's AsyncMongoClient, same JSON out, same uvicorn settings; no
middleware, no auth, no Beanie, no response models. What the service costs on top of
this is the price of everything this app leaves out.

    python -m bench.bare_app --port 8100   # MONGODB_URL and MONGODB_DB from the environment
"""

from __future__ import annotations

import argparse
import os
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

import anyio.to_thread
import jwt
import orjson
import uvicorn
from bson import ObjectId
from cryptography.hazmat.primitives.serialization import load_pem_private_key
from fastapi import FastAPI, Request, Response
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher
from pymongo import DESCENDING, AsyncMongoClient

# The service's own list projection (derived from its read schema): the same query, the
# same work. Only the schemas are loaded; the service's app, middleware and routes are not.
from service.users.repository import PUBLIC_FIELDS
from service.users.schemas import UserRead

# The service's Argon2id cost, so POST compares like with like.
HASHER = PasswordHash((Argon2Hasher(),))


# The read model's fields with their defaults, so the bare app answers what the service
# answers (a new field needs no line here); bench users have no avatar.
_READ_DEFAULTS = {
    name: None if field.is_required() else field.default
    for name, field in UserRead.model_fields.items()
}


def _public(doc: dict[str, Any]) -> dict[str, Any]:
    public = {name: doc.get(name, default) for name, default in _READ_DEFAULTS.items()}
    public["id"] = str(doc["_id"])
    return public


def _json(payload: Any) -> Response:
    body = orjson.dumps(payload, option=orjson.OPT_UTC_Z)
    return Response(body, media_type="application/json")


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(
        os.environ["MONGODB_URL"], tz_aware=True, tzinfo=UTC
    )
    app.state.users = client[os.environ["MONGODB_DB"]]["users"]
    # The key the harness signs its tokens with (`bench/token_keys.py`), as the service has it.
    signing_key = load_pem_private_key(os.environ["JWT_SIGNING_KEY"].encode(), None)
    app.state.public_key = signing_key.public_key()
    yield
    await client.close()


app = FastAPI(lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url=None)


# Verified tokens, remembered as the service's codec remembers them: a client sends the
# same token with every request, and both sides pay for its signature once.
_VERIFIED: dict[str, str] = {}


@app.get("/users/me")
async def get_me(request: Request) -> Response:
    token = request.headers["authorization"][7:]
    subject = _VERIFIED.get(token)
    if subject is None:
        claims = jwt.decode(
            token,
            request.app.state.public_key,
            algorithms=["ES256"],
            audience="users-service",
            issuer="users-service",
        )
        subject = _VERIFIED[token] = claims["sub"]
    doc = await request.app.state.users.find_one({"_id": ObjectId(subject)})
    return _json(_public(doc))


@app.get("/users/{user_id}")
async def get_user(user_id: str, request: Request) -> Response:
    doc = await request.app.state.users.find_one({"_id": ObjectId(user_id)})
    return _json(_public(doc))


@app.get("/users")
async def list_users(request: Request, limit: int = 20, q: str | None = None) -> Response:
    query: dict[str, Any] = {}
    if q:
        prefix = {"$regex": "^" + re.escape(q.lower())}
        query = {"$or": [{"username": prefix}, {"email": prefix}, {"name_lower": prefix}]}
    cursor = request.app.state.users.find(query, PUBLIC_FIELDS)
    docs = (
        await cursor.sort([("created_at", DESCENDING), ("_id", DESCENDING)])
        .limit(limit + 1)
        .to_list()
    )
    return _json([_public(doc) for doc in docs[:limit]])


@app.post("/users")
async def create_user(request: Request) -> Response:
    data = orjson.loads(await request.body())
    now = datetime.now(UTC)
    doc = {
        "username": data["username"].lower(),
        "email": data["email"].lower(),
        "name": data.get("name"),
        "name_lower": data["name"].lower() if data.get("name") else None,
        "password_hash": await anyio.to_thread.run_sync(HASHER.hash, data["password"]),
        "role": "user",
        "is_active": True,
        "version": 1,
        "token_version": 0,
        "created_at": now,
        "updated_at": now,
    }
    result = await request.app.state.users.insert_one(doc)
    doc["_id"] = result.inserted_id
    response = _json(_public(doc))
    response.status_code = 201
    return response


@app.get("/health/ready")
async def ready() -> Response:
    return _json({"status": "ok"})


def main() -> None:
    """Serve with the service's uvicorn settings."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    uvicorn.run(
        app,
        host="127.0.0.1",
        port=args.port,
        loop="uvloop",
        http="httptools",
        access_log=False,
        log_level="warning",
    )


if __name__ == "__main__":
    main()
