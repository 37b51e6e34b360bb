"""Fixtures of the users tests: counting and holding password hashes."""

from tests.users.hashing import hashes, held_hash  # noqa: F401  (fixtures)
