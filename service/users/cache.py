"""A short-lived, per-process cache of users looked up to authenticate requests.

Every authenticated request needs its caller's current state (active? token version?
role?). Reading it from MongoDB each time doubles the database work of a simple GET, so
callers are kept for `AUTH_CACHE_TTL_S` (1 s by default; 0 turns the cache off). There is
one cache per app, held by its `UserService`, which forgets a user at once on every write
to it: a change made here applies to the next request here; another worker process sees
it within the TTL.
"""

from __future__ import annotations

import time
from collections import OrderedDict

from beanie import PydanticObjectId

from service.users.models import User

MAX_ENTRIES = 10_000


class UserCache:
    """Users by id, each for at most `ttl_s` seconds, the least recently used evicted first."""

    def __init__(self, ttl_s: float = 0.0) -> None:
        self.ttl_s = ttl_s
        self._entries: OrderedDict[PydanticObjectId, tuple[User, float]] = OrderedDict()

    def get(self, user_id: PydanticObjectId) -> User | None:
        """The cached user, if present and fresh."""
        entry = self._entries.get(user_id)
        if entry is None:
            return None
        user, stored_at = entry
        if time.monotonic() - stored_at >= self.ttl_s:
            del self._entries[user_id]
            return None
        self._entries.move_to_end(user_id)
        return user

    def put(self, user: User) -> None:
        """Remember a user just read from the database."""
        if self.ttl_s <= 0 or user.id is None:
            return
        self._entries[user.id] = (user, time.monotonic())
        self._entries.move_to_end(user.id)
        if len(self._entries) > MAX_ENTRIES:
            self._entries.popitem(last=False)

    def forget(self, user_id: PydanticObjectId | None) -> None:
        """Drop a user who has just changed."""
        if user_id is not None:
            self._entries.pop(user_id, None)
