"""What a write changes: the members a client really sent, and the fields the service
derives from them (search copies, the look-alike skeleton, `is_verified`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypedDict

from service.users.models import User
from service.users.schemas import ADMIN_ONLY_FIELDS, UserReplace, UserUpdate
from service.users.usernames import username_skeleton


class DerivedFields(TypedDict, total=False):
    """Fields the service keeps in step with what a client changed, or sets itself."""

    name_lower: str | None
    username_skeleton: str
    is_verified: bool
    avatar: dict[str, object] | None


def client_changes(body: UserUpdate | UserReplace) -> dict[str, object]:
    """The members a PUT or PATCH body really changes, by the model's own field names."""
    if isinstance(body, UserReplace):  # every mutable field; admin-only ones only when sent
        return body.model_dump(exclude=set(ADMIN_ONLY_FIELDS - body.model_fields_set))
    return body.model_dump(exclude_unset=True)  # merge patch: only the members sent


def search_fields(fields: Mapping[str, Any]) -> DerivedFields:
    """The indexed copies of `name` and `username` that searches and look-alike checks use,
    for whichever of the two `fields` holds (a new user's fields, or a change's)."""
    derived = DerivedFields()
    if "name" in fields:
        derived["name_lower"] = fields["name"].lower() if fields["name"] else None
    if "username" in fields:
        derived["username_skeleton"] = username_skeleton(fields["username"])
    return derived


def derived_fields(user: User, changes: Mapping[str, object]) -> DerivedFields:
    """What the service sets beside the client's changes, so derived fields never drift."""
    derived = search_fields(changes)
    if "email" in changes and changes["email"] != user.email:
        # A new address is unconfirmed; links mailed to the old one stop working too
        # (they are bound to the address they were sent to).
        derived["is_verified"] = False
    return derived
