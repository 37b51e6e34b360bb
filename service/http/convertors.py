"""Path convertors: a path segment that must look like an id before a route matches it.

`/users/me/passkeys/{passkey_id:objectid}` must not match `.../registration-options`:
otherwise that POST-only path would also seem to serve DELETE (the `Allow` of its 405).
"""

from __future__ import annotations

import re

from starlette.convertors import Convertor, register_url_convertor

OBJECT_ID = re.compile(r"^[0-9a-fA-F]{24}$")


class ObjectIdConvertor(Convertor[str]):
    """24 hexadecimal characters, kept as text (the route's parameter type parses it)."""

    regex = "[0-9a-fA-F]{24}"

    def convert(self, value: str) -> str:
        """The segment as matched."""
        return value

    def to_string(self, value: str) -> str:
        """The segment for a URL; refuses anything but an id."""
        if not OBJECT_ID.match(str(value)):
            raise ValueError(f"{value!r} is not a 24-hex id")
        return str(value)


def register_convertors() -> None:
    """Make `{name:objectid}` usable in route paths (Starlette keeps one registry)."""
    register_url_convertor("objectid", ObjectIdConvertor())
