"""A failed upload leaves nothing behind: no version document, no file, no chunks, and
the version number is still free. Proven against a real fault: the database stores the
version document but its reply is lost, so the request fails after every write."""

from __future__ import annotations

from typing import Any

from asgi_lifespan import LifespanManager
from pymongo import AsyncMongoClient
from pymongo.uri_parser import parse_uri

from scripts.localdb import LocalServer
from service.models.train import TrainedModel
from tests.factories import make_admin
from tests.fault_proxy import ReplyLosingProxy
from tests.models.conftest import upload, upload_iris
from tests.own_app import own_app, own_settings
from tests.secret_scan import SecretLedger


async def test_an_upload_whose_metadata_write_fails_leaves_no_trace(
    mongo_server: LocalServer,
    started_app: LifespanManager,
    ledger: SecretLedger,
    iris: TrainedModel,
) -> None:
    (upstream,) = parse_uri(mongo_server.url)["nodelist"]
    proxy = ReplyLosingProxy(upstream, lambda command: command.get("insert") == "model_versions")
    settings = own_settings(await proxy.start(), mongodb_timeout_ms=1000)
    direct: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(mongo_server.url)
    database = direct[settings.mongodb_db]
    try:
        async with own_app(settings, started_app, ledger) as client:
            await make_admin(client)
            proxy.lose = 1
            failed = await upload(client, "iris", iris.onnx, features=iris.features)
            assert failed.status_code == 503, failed.text
            assert failed.headers["content-type"] == "application/problem+json"
            assert proxy.lost == 1  # the document was written; only its answer was lost

            for collection in ("model_versions", "onnx_models.files", "onnx_models.chunks"):
                assert await database[collection].count_documents({}) == 0, collection
            head = await database["model_heads"].find_one({"_id": "iris"})
            assert head is None or head["next"] == 0

            stored = await upload_iris(client, iris)
            assert stored["version"] == 1  # the failed upload's number was given back
            assert await database["onnx_models.files"].count_documents({}) == 1
    finally:
        await proxy.close()
        await direct.drop_database(settings.mongodb_db)
        await direct.close()
