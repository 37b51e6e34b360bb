"""Password hashing with Argon2id; the CPU-heavy work runs in a worker thread."""

from __future__ import annotations

import anyio.to_thread
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher


class PasswordHasher:
    """Hashes and verifies passwords without blocking the event loop."""

    def __init__(self, *, time_cost: int, memory_cost_kib: int, parallelism: int) -> None:
        self._hash = PasswordHash(
            (
                Argon2Hasher(
                    time_cost=time_cost, memory_cost=memory_cost_kib, parallelism=parallelism
                ),
            )
        )

    async def hash(self, password: str) -> str:
        """Return the Argon2id hash of `password`."""
        return await anyio.to_thread.run_sync(self._hash.hash, password)

    async def verify(self, password: str, password_hash: str) -> bool:
        """Tell whether `password` matches `password_hash`."""
        return await anyio.to_thread.run_sync(self._hash.verify, password, password_hash)
