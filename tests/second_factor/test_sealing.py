"""TOTP secrets at rest: sealed per user, readable across a key rotation, nowhere else."""

from __future__ import annotations

import os

import pytest

from service.second_factor.sealing import Keyring, UnreadableSecret

OWNER, OTHER = "6744a1f0c2b5e3a1d4f0a001", "6744a1f0c2b5e3a1d4f0a002"


def test_a_sealed_secret_opens_only_for_its_owner_and_its_keys() -> None:
    old, new = os.urandom(32), os.urandom(32)
    sealed = Keyring(old).seal("JBSWY3DPEHPK3PXP", OWNER)
    assert "JBSWY3DPEHPK3PXP" not in sealed
    assert Keyring(old).open(sealed, OWNER) == "JBSWY3DPEHPK3PXP"
    # Copied onto another user's record, it does not open.
    with pytest.raises(UnreadableSecret):
        Keyring(old).open(sealed, OTHER)
    # After a rotation the old key still reads (SECOND_FACTOR_OLD_KEYS) and a reseal is due.
    rotated = Keyring(new, (old,))
    assert rotated.open(sealed, OWNER) == "JBSWY3DPEHPK3PXP"
    assert rotated.needs_reseal(sealed)
    assert not rotated.needs_reseal(rotated.seal("JBSWY3DPEHPK3PXP", OWNER))
    # Without the old key nothing opens it.
    with pytest.raises(UnreadableSecret):
        Keyring(new).open(sealed, OWNER)
    with pytest.raises(UnreadableSecret):
        Keyring(old).open(sealed[:-4] + "AAAA", OWNER)


def test_recovery_code_hashes_are_keyed_and_survive_a_rotation() -> None:
    old, new = os.urandom(32), os.urandom(32)
    stored = Keyring(old).code_hash("abcdefghjkmnpqrs")
    assert stored != Keyring(new).code_hash("abcdefghjkmnpqrs")
    assert stored in Keyring(new, (old,)).code_hashes("abcdefghjkmnpqrs")
