"""Avatar failures; `service.api.problems` maps each to its problem document."""

from __future__ import annotations

from typing import ClassVar

from service.core.errors import InvalidParameter, NotFound, UnsupportedMediaType


class AvatarNotFound(NotFound):
    """No avatar at this address: the user has none, or there is no such user (the public
    avatar route does not tell the two apart)."""

    def __init__(self) -> None:
        super().__init__("There is no avatar at this address.")


class UnsupportedImage(UnsupportedMediaType):
    """The bytes are not a PNG, JPEG, WebP or GIF image."""

    reason: ClassVar[str] = "unsupported-image"  # the label of the rejection metric

    def __init__(self) -> None:
        super().__init__("The file is not a PNG, JPEG, WebP or GIF image.")


class InvalidImage(InvalidParameter):
    """An image of an accepted format that cannot be used: too large, truncated, corrupt."""

    reason: ClassVar[str] = "invalid-image"  # the label of the rejection metric

    def __init__(self, msg: str, kind: str, field: str = "file") -> None:
        super().__init__(["body", field], msg, kind)
