"""Avatar failures, each mapped to its problem document by `service.errors`."""

from __future__ import annotations

from service.errors import InvalidParameter, NotFound, UnsupportedMediaType


class AvatarNotFound(NotFound):
    """The user has no avatar."""

    slug = "avatar-not-found"

    def __init__(self) -> None:
        super().__init__("This user has no avatar.")


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
