"""Image checks and re-encoding with Pillow. Pure and CPU-bound: call it from a thread."""

from __future__ import annotations

import io
import struct
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING

from service.avatars.errors import InvalidImage, UnsupportedImage

if TYPE_CHECKING:
    from PIL import Image

# Only these decoders may even look at the bytes; everything else is a 415.
ACCEPTED_FORMATS = ("PNG", "JPEG", "WEBP", "GIF")
OUTPUT_FORMAT = "WEBP"
OUTPUT_MEDIA_TYPE = "image/webp"


@dataclass(frozen=True)
class ImageLimits:
    """What an upload may be and what it becomes."""

    max_side: int = 4096
    output_side: int = 512
    # Pixels one request may decode (after JPEG's reduced-scale decode): what bounds the
    # memory of a decode, about 12 bytes per pixel at the peak (decoded frame, converted
    # copy, resampling buffer). 8 Mi pixels ~ 100 MB.
    max_pixels: int = 8_388_608


@dataclass(frozen=True)
class ProcessedImage:
    """A re-encoded avatar, without metadata."""

    data: bytes
    media_type: str
    source_format: str
    width: int
    height: int


def process_avatar(data: bytes, limits: ImageLimits) -> ProcessedImage:
    """Check `data` is an acceptable image and re-encode it as a small WebP.

    The size check reads only the header, so a decompression bomb is refused before a
    single pixel is decoded. Re-encoding keeps the first frame, applies the EXIF
    orientation, and writes no metadata at all (EXIF, GPS, ICC, comments are gone).
    """
    # Pillow is imported by the first upload, not by every worker at start.
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            # Our own limit is far below Pillow's bomb threshold; never let it warn.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS) as image:
                source_format = str(image.format)
                width, height = image.size
                if width > limits.max_side or height > limits.max_side:
                    raise InvalidImage(
                        f"The image is {width}x{height} pixels; at most "
                        f"{limits.max_side}x{limits.max_side} is accepted.",
                        "image_too_large",
                    )
                if source_format == "JPEG":
                    # Decode at a reduced scale: far less time and memory for big photos.
                    image.draft("RGB", (limits.output_side, limits.output_side))
                _check_pixel_budget(image.size, limits.max_pixels)
                image.seek(0)  # the first frame of an animation
                frame = ImageOps.exif_transpose(image)
                frame = frame.convert("RGBA" if _has_alpha(frame) else "RGB")
                frame.thumbnail((limits.output_side, limits.output_side), Image.Resampling.LANCZOS)
                out = io.BytesIO()
                frame.save(out, format=OUTPUT_FORMAT, quality=85, method=4)
    except UnidentifiedImageError:
        raise UnsupportedImage from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise InvalidImage("The image expands to too many pixels.", "image_too_large") from None
    except (OSError, SyntaxError, ValueError, EOFError, struct.error):
        raise InvalidImage("The image is truncated or corrupt.", "image_corrupt") from None
    return ProcessedImage(
        data=out.getvalue(),
        media_type=OUTPUT_MEDIA_TYPE,
        source_format=source_format,
        width=frame.width,
        height=frame.height,
    )


def _check_pixel_budget(size: tuple[int, int], max_pixels: int) -> None:
    # Checked on the header before any pixel is decoded, on the size that will be decoded.
    width, height = size
    if width * height > max_pixels:
        raise InvalidImage(
            f"The image has {width * height} pixels ({width}x{height}); at most "
            f"{max_pixels} are decoded per upload.",
            "image_too_large",
        )


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
