"""The per-process caller cache: fresh for its TTL, forgotten on writes, bounded."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from beanie import PydanticObjectId

from service.users import cache
from service.users.cache import UserCache
from service.users.models import User


def _user() -> User:
    return User(id=PydanticObjectId(), username="cached", email="c@example.com", password_hash="x")


def test_entries_expire_after_the_ttl(monkeypatch: pytest.MonkeyPatch) -> None:
    # The cache's own clock, moved by hand: a loaded machine's pauses cannot expire an
    # entry early, and the test waits for nothing.
    now = [1000.0]
    monkeypatch.setattr(cache, "time", SimpleNamespace(monotonic=lambda: now[0]))
    users = UserCache(ttl_s=0.5)
    user = _user()
    users.put(user)
    now[0] += 0.25
    assert users.get(user.id) is user  # type: ignore[arg-type]
    now[0] += 0.25  # the TTL to the tick: stale
    assert users.get(user.id) is None  # type: ignore[arg-type]


def test_forget_and_disabled_cache() -> None:
    users = UserCache(ttl_s=10)
    user = _user()
    users.put(user)
    users.forget(user.id)
    assert users.get(user.id) is None  # type: ignore[arg-type]
    off = UserCache(ttl_s=0)
    off.put(user)
    assert off.get(user.id) is None  # type: ignore[arg-type]


def test_least_recently_used_entries_are_evicted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache, "MAX_ENTRIES", 2)
    users = UserCache(ttl_s=10)
    first, second, third = _user(), _user(), _user()
    users.put(first)
    users.put(second)
    users.get(first.id)  # type: ignore[arg-type]  # first is now the most recent
    users.put(third)
    assert users.get(second.id) is None  # type: ignore[arg-type]
    assert users.get(first.id) is first  # type: ignore[arg-type]
