"""The checked field types of a user's request bodies, with the JSON Schema they document."""

from __future__ import annotations

import re
from typing import Annotated, Any

import email_validator
from pydantic import AfterValidator, BeforeValidator, EmailStr, Field, WithJsonSchema
from pydantic.config import JsonDict

from service.users.usernames import (
    USERNAME_JSON_PATTERN,
    USERNAME_RULE,
    is_valid_username,
    normalise_username,
)


def _normalise(value: Any) -> Any:
    return normalise_username(value) if isinstance(value, str) else value


def _check_username(value: str) -> str:
    if not is_valid_username(value):
        raise ValueError(USERNAME_RULE)
    return value


# Whitespace as JSON Schema patterns (ECMA-262 `\s`) define it, spelled out: Python's and
# Rust's `\s` (pydantic's `pattern`) each differ from it, and from each other, at the edges
# (U+FEFF, U+0085, U+001C-U+001F), so `\S` would mean three different things.
BLANKS = "\t\n\v\f\r \u00a0\u1680" + "".join(map(chr, range(0x2000, 0x200B)))
BLANKS += "\u2028\u2029\u202f\u205f\u3000\ufeff"
# "Contains something other than whitespace", read the same by every regex dialect here.
NOT_BLANK = "[^" + "".join(f"\\u{ord(c):04x}" for c in BLANKS) + "]"


def _strip(value: str) -> str:
    return value.strip(BLANKS)


def not_nullable(schema: JsonDict) -> None:
    """Document an optional member that may not be null: no `null`, no `default: null`.

    For members whose model refuses an explicit `null` (the `_no_null` validators), so
    clients (and Swagger's generated examples) never send one. Typed `X | None` all the
    same, so errors point at the field.
    """
    schema.pop("default", None)
    options = schema.pop("anyOf", None)
    if isinstance(options, list):
        kept = [option for option in options if option != {"type": "null"}]
        if len(kept) == 1 and isinstance(kept[0], dict):
            schema.update(kept[0])
        else:
            schema["anyOf"] = kept


Username = Annotated[
    str,
    BeforeValidator(_normalise),
    AfterValidator(_check_username),
    WithJsonSchema(
        {
            "type": "string",
            "minLength": 3,
            "maxLength": 32,
            # What is accepted as sent: checked after NFKC normalisation and lower-casing.
            "pattern": USERNAME_JSON_PATTERN,
            "description": "3-32 characters of a-z, 0-9, '.', '_' or '-', starting with a "
            "letter or digit. NFKC-normalised and lower-cased before it is checked and "
            "stored; a name that looks like an existing one (see README) is refused with 409.",
            "examples": ["ada.lovelace"],
        }
    ),
]


def _any_case(word: str) -> str:
    return "".join(f"[{c.lower()}{c.upper()}]" if c.isalpha() else re.escape(c) for c in word)


# email-validator refuses addresses at special-use domains (`x@host.test`, `x@printer.local`)
# although they are well-formed; the documented pattern says so (ECMA-262, case-insensitive
# by hand), derived from the library's own list so the two cannot drift apart.
_SPECIAL_USE = "|".join(_any_case(name) for name in email_validator.SPECIAL_USE_DOMAIN_NAMES)
EMAIL_JSON_PATTERN = rf"^(?!.*@(?:.*\.)?(?:{_SPECIAL_USE})\.?$)"
Email = Annotated[
    EmailStr,
    AfterValidator(str.lower),
    Field(
        max_length=254,
        examples=["ada@example.com"],
        json_schema_extra={"pattern": EMAIL_JSON_PATTERN},
        description="An email address (RFC 5321 and email-validator's rules, at a domain that "
        "is not special-use such as `.test` or `.local`); stored lower-case.",
    ),
]
# What may not appear in a display name, which mails and pages show on one line: C0 and
# C1 controls (CR and LF among them), line and paragraph separators, and the bidirectional
# overrides that make text read differently from what it is.
_CONTROL_RANGES = ((0x00, 0x1F), (0x7F, 0x9F), (0x2028, 0x2029), (0x202A, 0x202E), (0x2066, 0x2069))
CONTROLS = frozenset(chr(c) for low, high in _CONTROL_RANGES for c in range(low, high + 1))
_CONTROL_CLASS = "".join(f"\\u{low:04x}-\\u{high:04x}" for low, high in _CONTROL_RANGES)
_BLANK_CLASS = "".join(f"\\u{ord(c):04x}" for c in BLANKS if c not in CONTROLS)
# One line, no controls, something other than whitespace: one pattern every dialect reads.
DISPLAY_NAME_PATTERN = (
    f"^[^{_CONTROL_CLASS}]*[^{_BLANK_CLASS}{_CONTROL_CLASS}][^{_CONTROL_CLASS}]*$"
)


def _one_line(value: str) -> str:
    if any(c in CONTROLS for c in value):
        raise ValueError("must be a single line without control characters")
    return value


# Checked as sent (so the documented bounds are the real ones), then trimmed.
DisplayName = Annotated[
    str,
    Field(
        min_length=1,
        max_length=100,
        pattern=NOT_BLANK,
        examples=["Ada Lovelace"],
        # Documents both checks: NOT_BLANK (the pattern) and `_one_line`.
        json_schema_extra={"pattern": DISPLAY_NAME_PATTERN},
        description="Display name on one line: no control characters (CR, LF, tab, ...), "
        "line separators or bidirectional overrides; 1-100 characters, trimmed.",
    ),
    AfterValidator(_one_line),
    AfterValidator(_strip),
]
