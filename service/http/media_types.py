"""The media type of a request body, as clients declare it."""

from __future__ import annotations

from email.message import Message

# What an avatar upload may be, as an OpenAPI multipart `encoding` content type.
IMAGE_MEDIA_TYPES = "image/png, image/jpeg, image/webp, image/gif"


def media_type(content_type: str | None) -> str:
    """`type/subtype` of a Content-Type header, lower-cased, parameters dropped.

    A missing header reads as `text/plain`, the MIME default, so it never passes for JSON.
    """
    message = Message()
    message["content-type"] = content_type or ""
    return message.get_content_type()
