"""Avatar failures, each mapped to its problem document by `service.core.errors`."""

from __future__ import annotations

from service.core.errors import InvalidParameter, NotFound, UnsupportedMediaType


class AvatarNotFound(NotFound):
    """No avatar at this address: the user has none, or there is no such user (the public
    avatar route does not tell the two apart)."""

    slug = "avatar-not-found"

    def __init__(self) -> None:
        super().__init__("There is no avatar at this address.")


class UnsupportedImage(UnsupportedMediaType):
    """The bytes are not a PNG, JPEG, WebP or GIF image."""

    slug = "unsupported-image"

    def __init__(self) -> None:
        super().__init__("The file is not a PNG, JPEG, WebP or GIF image.")


class InvalidImage(InvalidParameter):
    """An image of an accepted format that cannot be used: too large, truncated, corrupt."""

    slug = "invalid-image"

    def __init__(self, msg: str, kind: str, field: str = "file") -> None:
        super().__init__(["body", field], msg, kind)
