"""What Swagger UI shows and sends is true: schemas match behaviour, examples are safe."""

from __future__ import annotations

from typing import Any

import httpx
from asgi_lifespan import LifespanManager

from tests.factories import make_admin, user_session


async def _document(client: httpx.AsyncClient) -> dict[str, Any]:
    document: dict[str, Any] = (await client.get("/openapi.json")).json()
    return document


def _json_example(operation: dict[str, Any], name: str = "registration") -> dict[str, Any]:
    """The JSON body example (the one called `name` where there are several)."""
    media = operation["requestBody"]["content"]["application/json"]
    example: dict[str, Any] = (
        media["examples"][name]["value"] if "examples" in media else media["example"]
    )
    return example


async def test_admin_flags_are_optional_but_never_null_in_schema_or_behaviour(
    client: httpx.AsyncClient,
) -> None:
    schemas = (await _document(client))["components"]["schemas"]
    for model in ("UserCreate", "UserReplace", "UserUpdate"):
        for field in ("role", "is_active"):
            prop = schemas[model]["properties"][field]
            assert "anyOf" not in prop, (model, field)
            assert "default" not in prop, (model, field)
            assert model == "UserCreate" or field not in schemas[model].get("required", [])
    # What the schema now says is what the service does: null is refused, absent is fine.
    sent_null = await client.post("/users", json={**_create_payload(), "role": None})
    assert sent_null.status_code == 422
    assert (await client.post("/users", json=_create_payload())).status_code == 201


def _create_payload() -> dict[str, Any]:
    return {
        "username": "nullcheck",
        "email": "nullcheck@example.com",
        "password": "Ochre-Tandem-Quill-58",
    }


async def test_swagger_examples_are_accepted_and_harmless(
    client: httpx.AsyncClient, started_app: LifespanManager
) -> None:
    document = await _document(client)
    users = document["paths"]["/users"]["post"]
    create_example = _json_example(users)
    assert not {"role", "is_active"} & set(create_example)
    # "Try it out" as an anonymous visitor registers a user. (Sent past the suite's secret
    # ledger: the example password is public, printed in the document itself.)
    transport = httpx.ASGITransport(app=started_app.app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as swagger:
        created = await swagger.post("/users", json=create_example)
        # The invitation example is an admin's: anonymous, it lacks username and password.
        invitation = _json_example(users, "invitation")
        assert not {"role", "is_active", "password"} & set(invitation)
        refused = await swagger.post("/users", json=invitation)
    assert created.status_code == 201, created.text
    assert refused.status_code == 422, refused.text
    assert {e["loc"][-1] for e in refused.json()["errors"]} == {"username", "password"}

    patch = document["paths"]["/users/me"]["patch"]["requestBody"]["content"]
    for media_type in ("application/json", "application/merge-patch+json"):
        assert set(patch[media_type]["example"]) <= {"name", "email"}, media_type
    put_example = _json_example(document["paths"]["/users/{user_id}"]["put"])
    assert not {"role", "is_active"} & set(put_example)

    # An admin who executes the update example stays an admin.
    admin = await make_admin(client)
    updated = await client.patch("/users/me", json=patch["application/json"]["example"])
    assert updated.status_code == 200, updated.text
    assert updated.json()["role"] == "admin"
    assert updated.json()["id"] == admin["id"]
    # ...and the invitation example, sent by an admin, creates the invited user.
    invited = await client.post("/users", json=_json_example(users, "invitation"))
    assert invited.status_code == 201, invited.text
    assert invited.json()["email"] == _json_example(users, "invitation")["email"]


async def test_no_request_documents_content_type_as_a_parameter(
    client: httpx.AsyncClient,
) -> None:
    for path, operations in (await _document(client))["paths"].items():
        for method, operation in operations.items():
            names = {p["name"].lower() for p in operation.get("parameters", [])}
            assert "content-type" not in names, f"{method.upper()} {path}"


async def test_every_json_body_route_documents_400_and_415(client: httpx.AsyncClient) -> None:
    for path, operations in (await _document(client))["paths"].items():
        for method, operation in operations.items():
            content = operation.get("requestBody", {}).get("content", {})
            if "application/json" in content:
                assert {"400", "415"} <= set(operation["responses"]), f"{method} {path}"


async def test_registration_is_documented_as_open_to_anonymous_callers(
    client: httpx.AsyncClient,
) -> None:
    operation = (await _document(client))["paths"]["/users"]["post"]
    assert {} in operation["security"]
    assert (await client.post("/users", json=_create_payload())).status_code == 201


async def test_links_lead_from_a_created_user_to_read_update_and_delete_it(
    client: httpx.AsyncClient,
) -> None:
    document = await _document(client)
    links = document["paths"]["/users"]["post"]["responses"]["201"]["links"]
    targets = {link["operationRef"] for link in links.values()}
    for method in ("get", "patch", "put", "delete"):
        assert f"#/paths/~1users~1{{user_id}}/{method}" in targets
    for link in links.values():
        assert link["parameters"] == {"user_id": "$response.body#/id"}
    # Following the link with the created body's id reaches that user.
    user, auth = await user_session(client)
    assert (await client.get(f"/users/{user['id']}", headers=auth)).status_code == 200


async def test_metrics_are_documented_as_the_text_they_are(client: httpx.AsyncClient) -> None:
    operation = (await _document(client))["paths"]["/metrics"]["get"]
    documented = set(operation["responses"]["200"]["content"])
    response = await client.get("/metrics")
    assert response.headers["content-type"].split(";")[0] in documented
    openmetrics = await client.get("/metrics", headers={"accept": "application/openmetrics-text"})
    assert openmetrics.headers["content-type"].split(";")[0] in documented


async def test_avatar_uploads_are_documented_as_image_files(client: httpx.AsyncClient) -> None:
    document = await _document(client)
    upload = document["paths"]["/users/{user_id}/avatar"]["put"]["requestBody"]["content"]
    part = upload["multipart/form-data"]
    assert part["encoding"]["file"]["contentType"].startswith("image/")
    registration = document["paths"]["/users"]["post"]["requestBody"]["content"]
    form = registration["multipart/form-data"]
    assert form["schema"]["additionalProperties"] is False
    assert (
        form["schema"]["properties"]["username"]
        == (document["components"]["schemas"]["UserCreate"]["properties"]["username"])
    )
