"""Schemathesis against the running service: what the OpenAPI document promises is true.

Every operation is fuzzed with valid and invalid input (examples, coverage and generated
cases; every check schemathesis has), then the create -> read -> update -> delete links are
walked as stateful scenarios; each as a normal user and as an admin. Any 500, undocumented
status or content type, schema mismatch, wrong `Allow`, valid input refused or invalid
input accepted fails the test.

`make test` runs a small, deterministic budget; `make fuzz` sets `FUZZ_EXAMPLES` (and a
random seed) for a long session. The case and request counts are printed at the end.
"""

from __future__ import annotations

import asyncio
import copy
import hashlib
import os
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
import schemathesis
from asgi_lifespan import LifespanManager
from bson import ObjectId
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from pymongo.asynchronous.database import AsyncDatabase
from schemathesis.config import SchemathesisConfig
from schemathesis.core.parameters import ParameterLocation
from schemathesis.generation.modes import GenerationMode

from service.main import create_app
from service.users.cache import UserCache
from service.users.cursor import Cursor
from tests.audit.helpers import AUDIT_LISTS, valid_audit_cursor
from tests.avatars import images
from tests.factories import make_admin, user_session
from tests.fuzz_stats import COUNTS
from tests.loop_bridge import LoopBridge, run_on

FUZZ_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "0"))
EXAMPLES = FUZZ_EXAMPLES or 6
SCENARIOS = FUZZ_EXAMPLES or 8

CONFIG = SchemathesisConfig.from_dict(
    {
        "checks": {
            # A generated `If-Match` is never the current ETag: 412 is the documented,
            # correct answer to it, not a valid request refused.
            "positive_data_acceptance": {
                "expected-statuses": ["2xx", "3xx", "401", "403", "404", "409", "412", "429"]
            },
        },
        "operations": [
            {
                # A generated credential is well-formed JSON but no authenticator's
                # response to a challenge of ours: 400 invalid-passkey-response.
                "include-path-regex": "^/users/me/passkeys$",
                "checks": {
                    "positive_data_acceptance": {
                        "expected-statuses": ["2xx", "400", "409", "429"],
                    },
                },
            },
            {
                # A generated password is well-formed but mostly one the password policy
                # refuses (too weak, or holding the username): 422 is the documented answer.
                "include-path-regex": "^/(users?|users/me/password)$",
                "checks": {
                    "positive_data_acceptance": {
                        "expected-statuses": ["2xx", "3xx", "401", "403", "409", "422", "429"],
                    },
                },
            },
            {
                # A generated token is well-formed but was never mailed: 400 invalid-token
                # is the documented, correct answer to it.
                "include-path-regex": "^/auth/(verify|reset-password)$",
                "checks": {
                    "positive_data_acceptance": {
                        "expected-statuses": ["2xx", "400", "429"],
                    },
                },
            },
        ],
    }
)
# The document every route is generated from; the test checks the app serves this very one.
DOCUMENT = copy.deepcopy(create_app().openapi())
schema = schemathesis.openapi.from_dict(copy.deepcopy(DOCUMENT), config=CONFIG)

# The API's only binary fields are avatar images: for it, valid binary data is a PNG, JPEG,
# WebP or GIF (schemathesis would also send arbitrary bytes, PDFs and ZIPs as "valid").
schemathesis.openapi.format(
    "binary",
    st.sampled_from(
        [
            images.png(32, 24),
            images.jpeg_with_gps(40, 30),
            images.webp(16, 16),
            images.animated_gif(2, 8),
        ]
    ),
)

RUN_SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    derandomize=not FUZZ_EXAMPLES,
    suppress_health_check=list(HealthCheck),
)


def _valid_cursor(sort: str, seed: str) -> str:
    """A cursor this service could have issued for `sort`, derived from `seed`."""
    digest = hashlib.sha256(seed.encode("utf-8", "replace")).digest()
    oid = ObjectId(digest[:12])
    if sort.lstrip("-") == "created_at":
        when = datetime(2020, 1, 1, tzinfo=UTC) + timedelta(seconds=digest[12] * 86_400)
        return Cursor(sort, when, oid).encode()
    return Cursor(sort, digest.hex()[:8], oid).encode()


def _is_positive(case: Any, location: ParameterLocation) -> bool:
    component = case.meta.components.get(location) if case.meta else None
    return component is None or component.mode is GenerationMode.POSITIVE


@schemathesis.hook
def before_call(context: Any, case: Any, kwargs: dict[str, Any]) -> None:
    """Give valid cases what only the service or a careful client can make.

    - An `Idempotency-Key` is fresh for each new request (a generated one may repeat with
      other content, which is the documented 422);
    - the list cursors are opaque: valid data is a cursor the service issued, for the same
      sort (the audit listings have one sort).

    Only for cases whose headers or query are meant to be valid; a negative case keeps its
    bad value.
    """
    headers = case.headers or {}
    if "Idempotency-Key" in headers and _is_positive(case, ParameterLocation.HEADER):
        headers["Idempotency-Key"] = uuid.uuid4().hex
    query = case.query or {}
    if case.method.upper() != "GET" or "cursor" not in query:
        return
    if case.operation.path in AUDIT_LISTS and _is_positive(case, ParameterLocation.QUERY):
        query["cursor"] = valid_audit_cursor(str(query["cursor"]))
    if case.operation.path != "/users":
        return
    if _is_positive(case, ParameterLocation.QUERY):
        sort = query.get("sort", "-created_at")
        if isinstance(sort, str) and sort in ("created_at", "-created_at", "username", "-username"):
            query["cursor"] = _valid_cursor(sort, str(query["cursor"]))


@schemathesis.hook
def filter_case(context: Any, case: Any) -> bool:
    """Leave out invalid multipart registrations: every form field is text on the wire, so a
    value made invalid by its type (a number for `name`) arrives as valid text, and
    schemathesis cannot always tell. The server validates both media types with the same
    `UserCreate`, whose JSON form gets the full negative testing.

    Leave out "valid" model uploads too: what makes one valid (the file is a servable ONNX
    graph, `features`/`labels` are JSON text matching it) is beyond what OpenAPI can say,
    so generated ones are refused with a correct 422; tests/models/ upload real models.
    """
    if case.media_type != "multipart/form-data":
        return True
    if case.operation.path == "/models/{name}/versions":
        return not _is_positive(case, ParameterLocation.BODY)
    if case.operation.path not in ("/users", "/user"):
        return True
    return _is_positive(case, ParameterLocation.BODY)


@pytest.fixture(scope="session")
async def session_loop() -> asyncio.AbstractEventLoop:
    """The event loop the app, its database client and the suite's fixtures run on."""
    return asyncio.get_running_loop()


class Identity:
    """A caller the run acts as, and the stored user it must find again before each case."""

    def __init__(
        self,
        headers: dict[str, str],
        stored: dict[str, Any],
        db: AsyncDatabase[dict[str, Any]],
        callers: UserCache,
    ) -> None:
        self.headers = headers
        self.stored = stored
        self.db = db
        self.callers = callers

    async def restore(self) -> None:
        """Put the user back as it was: a case may have deleted, renamed, deactivated it,
        changed its password or ended its sessions (and so its token)."""
        await self.db["users"].replace_one({"_id": self.stored["_id"]}, self.stored, upsert=True)
        self.callers.forget(self.stored["_id"])

    async def reset(self) -> None:
        """Only this user, as it was, and nothing else: each stateful scenario starts from
        the same state, so Hypothesis sees the same responses when it replays one."""
        for name in await self.db.list_collection_names():
            others = {"_id": {"$ne": self.stored["_id"]}} if name == "users" else {}
            await self.db[name].delete_many(others)
        await self.restore()


@pytest.fixture(params=["user", "admin"])
async def identity(
    request: pytest.FixtureRequest,
    started_app: LifespanManager,
    client: httpx.AsyncClient,
    test_db: AsyncDatabase[dict[str, Any]],
) -> Identity:
    """The run's caller: a normal user, or an admin (who may touch everyone)."""
    if request.param == "admin":
        admin = await make_admin(client)
        user_id, headers = admin["id"], {"Authorization": client.headers["Authorization"]}
    else:
        user, headers = await user_session(client)
        user_id = user["id"]
    stored = await test_db["users"].find_one({"_id": ObjectId(user_id)})
    assert stored is not None
    return Identity(headers, stored, test_db, started_app._state["app"].users.callers)


@pytest.fixture
def bridge(
    started_app: LifespanManager,
    session_loop: asyncio.AbstractEventLoop,
    identity: Identity,
) -> LoopBridge:
    """The app as schemathesis reaches it, serving the same document it was generated from."""
    served = run_on(session_loop, _served_document(started_app))
    assert served == DOCUMENT, "the app serves another OpenAPI document"
    return LoopBridge(started_app.app, session_loop)


async def _served_document(started_app: LifespanManager) -> Any:
    transport = httpx.ASGITransport(app=started_app.app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        return (await http.get("/openapi.json")).json()


@schema.parametrize()
@RUN_SETTINGS
def test_every_operation_keeps_its_documented_promises(
    case: Any, identity: Identity, bridge: LoopBridge, session_loop: asyncio.AbstractEventLoop
) -> None:
    run_on(session_loop, identity.restore())
    COUNTS["cases"] += 1
    case.call_and_validate(headers=identity.headers, app=bridge)


def test_create_read_update_delete_workflows(
    identity: Identity, bridge: LoopBridge, session_loop: asyncio.AbstractEventLoop
) -> None:
    class Workflows(schema.as_state_machine()):  # type: ignore[misc]
        def setup(self) -> None:
            run_on(session_loop, identity.reset())
            COUNTS["scenarios"] += 1

        def get_call_kwargs(self, case: Any) -> dict[str, Any]:
            COUNTS["cases"] += 1
            return {"headers": identity.headers, "app": bridge}

    Workflows.run(
        settings=settings(
            RUN_SETTINGS, max_examples=SCENARIOS, stateful_step_count=6, deadline=None
        )
    )
