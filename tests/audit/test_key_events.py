"""A signing-key rotation is a security event: recorded once per key, by the first process
that signs with it, whatever made the key (here the `keys` command), with no actor."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from asgi_lifespan import LifespanManager
from pymongo import AsyncMongoClient

from scripts.localdb import LocalServer
from service.__main__ import main
from service.auth.key_store import read_directory
from tests.own_app import own_app, own_settings
from tests.secret_scan import SecretLedger


async def test_each_signing_key_is_recorded_once_when_the_service_starts_signing_with_it(
    mongo_server: LocalServer, started_app: LifespanManager, ledger: SecretLedger, tmp_path: Path
) -> None:
    keys = ["keys", "--dir", str(tmp_path)]
    main([*keys, "generate", "--activate"])
    first = read_directory(tmp_path).active.kid
    settings = own_settings(mongo_server.url, jwt_keys_dir=str(tmp_path))
    direct: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(mongo_server.url)
    try:
        for _restart in range(2):
            async with own_app(settings, started_app, ledger):
                pass
        main([*keys, "generate", "--alg", "EdDSA", "--activate"])
        second = read_directory(tmp_path).active.kid
        async with own_app(settings, started_app, ledger):
            pass
        stored = direct[settings.mongodb_db]["audit_events"].find({"type": "key.rotated"})
        events = [event async for event in stored.sort("at", 1)]
    finally:
        await direct.drop_database(settings.mongodb_db)
        await direct.close()
    assert [event["detail"] for event in events] == [
        {"kid": first, "alg": "ES256"},
        {"kid": second, "alg": "EdDSA"},
    ]
    assert all(event["user_id"] is None and event["actor_id"] is None for event in events)
