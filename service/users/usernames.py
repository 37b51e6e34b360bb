"""What a username may be, how it is normalised, and when two of them look alike.

A username is NFKC-normalised and lower-cased *before* it is checked, so full-width
letters or a Kelvin sign are what they look like (`admin`, `k`), and only then must it
fully match `[a-z0-9][a-z0-9._-]{2,31}`. `re.fullmatch` rather than `$`: in Python `$` also
matches before a trailing newline, which once let `"admin\\n"` register.

Two usernames that differ only in ways a reader easily misses share one *skeleton*, and
the `username_skeleton` unique index lets only one of them exist (see README):
separators `.`, `_` and `-` are dropped, `0` reads as `o`, `1` and `i` as `l`, `5` as `s`,
and `rn` as `m`, `vv` as `w`. So `adm1n`, `a.dmin`, `ADMIN` and `adrnin` all clash with
`admin`.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from collections.abc import Iterator

USERNAME_REGEX = r"[a-z0-9][a-z0-9._-]{2,31}"
USERNAME_PATTERN = re.compile(USERNAME_REGEX)
# The rule for JSON Schema (ECMA-262, where `$` only matches at the very end), as a name is
# sent: upper case is accepted there, since names are lower-cased before they are checked.
USERNAME_JSON_PATTERN = "^" + USERNAME_REGEX.replace("a-z", "A-Za-z") + "$"
USERNAME_RULE = (
    "must be 3-32 characters of a-z, 0-9, '.', '_' or '-', starting with a letter or digit"
)

_SEPARATORS = str.maketrans("", "", "._-")
_LOOKALIKE_CHARS = str.maketrans({"0": "o", "1": "l", "i": "l", "5": "s"})
_LOOKALIKE_PAIRS = (("rn", "m"), ("vv", "w"))


def normalise_username(value: str) -> str:
    """NFKC-normalise and lower-case, the form a username is checked and stored in."""
    return unicodedata.normalize("NFKC", value).lower()


def is_valid_username(value: str) -> bool:
    """Whether a normalised username fully matches the allowed shape."""
    return USERNAME_PATTERN.fullmatch(value) is not None


def username_skeleton(username: str) -> str:
    """The look-alike class of a normalised username: equal skeletons mean confusable names."""
    skeleton = username.translate(_SEPARATORS).translate(_LOOKALIKE_CHARS)
    for pair, replacement in _LOOKALIKE_PAIRS:
        skeleton = skeleton.replace(pair, replacement)
    return skeleton


_NOT_ALLOWED = re.compile(r"[^a-z0-9._-]+")
_LEADING = re.compile(r"^[^a-z0-9]+")
SEQUENTIAL_SUFFIXES = 3  # `ada2`, `ada3`, `ada4`: then random ones, which rarely clash
RANDOM_SUFFIXES = 5


def _base(text: str) -> str:
    """`text` reduced to username characters, starting with a letter or digit; accents
    are dropped rather than the letters that carry them (`Zoë` gives `zoe`)."""
    folded = unicodedata.normalize("NFKD", normalise_username(text)).encode("ascii", "ignore")
    cleaned = _NOT_ALLOWED.sub("", folded.decode().replace(" ", "."))
    return _LEADING.sub("", cleaned)[:26]


def username_candidates(email: str, name: str | None) -> Iterator[str]:
    """Usernames to try, in order, for a user created without one: the email's local part
    (without a `+tag`), else the display name, else `user`; then with a number appended.

    Each is valid; which is free only the unique indexes decide, at insert time.
    """
    local = email.rsplit("@", 1)[0].split("+", 1)[0]
    base = next(
        (b for b in (_base(local), _base(name or "")) if len(b) >= 3), _base(local) + "user"
    )
    yield base
    for n in range(2, 2 + SEQUENTIAL_SUFFIXES):
        yield f"{base}{n}"
    for _ in range(RANDOM_SUFFIXES):
        yield f"{base}{secrets.randbelow(900_000) + 100_000}"
