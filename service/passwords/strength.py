"""How guessable a password is (zxcvbn) and whether it contains the user's own names."""

from __future__ import annotations

# zxcvbn's cost grows faster than linearly with length (measured: ~15-30 ms at 72
# characters, up to ~150 ms at 128). Its estimate of a prefix is a lower bound for the
# whole password (more characters only add guesses), so the tail is not scored.
SCORED_PREFIX = 72
# Shorter names ("al", "jo") would refuse half the dictionary for nothing.
MIN_IDENTITY_LENGTH = 3


def score(password: str) -> tuple[int, str | None]:
    """zxcvbn's score (0-4) of the password's first characters, with its first suggestion.

    CPU-bound: call it in a worker thread. `user_inputs` is never passed: zxcvbn stores
    them in a module-level dictionary, which concurrent threads would share.
    """
    # Imported on the first score: its dictionaries take ~13 MiB per worker, and only
    # registrations and password changes need them (`tests/test_lean_start.py`).
    from zxcvbn import zxcvbn  # type: ignore[import-untyped]  # ships no type information

    result = zxcvbn(password[:SCORED_PREFIX], max_length=SCORED_PREFIX)
    suggestions = result.get("feedback", {}).get("suggestions") or []
    warning = result.get("feedback", {}).get("warning") or None
    return int(result["score"]), warning or (suggestions[0] if suggestions else None)


def identity_parts(username: str | None, email: str | None) -> list[str]:
    """The user's own names a password must not contain, lower-cased, long enough to count."""
    parts = [username or "", (email or "").rpartition("@")[0]]
    return [part.lower() for part in parts if len(part) >= MIN_IDENTITY_LENGTH]


def contains_identity(password: str, parts: list[str]) -> bool:
    """Whether the password contains any of the parts, ignoring case."""
    folded = password.casefold()
    return any(part.casefold() in folded for part in parts)
