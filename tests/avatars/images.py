"""Real image files made with Pillow for the avatar tests."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import ExifTags, Image


def png(width: int = 640, height: int = 480, *, alpha: bool = False) -> bytes:
    """A PNG with a gradient, so re-encoding has real pixels to work on."""
    image = Image.linear_gradient("L").resize((width, height)).convert("RGBA" if alpha else "RGB")
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def jpeg_with_gps(width: int = 1200, height: int = 900) -> bytes:
    """A JPEG carrying camera EXIF and GPS coordinates."""
    image = Image.new("RGB", (width, height), (180, 60, 40))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "TestCam"
    exif[ExifTags.Base.Model] = "Leaky 3000"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (52.0, 31.0, 12.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (13.0, 24.0, 36.0)
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif, quality=90)
    return out.getvalue()


def animated_gif(frames: int = 4, side: int = 200) -> bytes:
    """An animated GIF whose first frame is red and later frames other colours."""
    colours = [(255, 0, 0), (0, 255, 0), (0, 0, 255), (255, 255, 0)]
    images = [Image.new("RGB", (side, side), colours[i % len(colours)]) for i in range(frames)]
    out = io.BytesIO()
    images[0].save(out, format="GIF", save_all=True, append_images=images[1:], duration=100, loop=0)
    return out.getvalue()


def webp(width: int = 300, height: int = 300) -> bytes:
    """A WebP image."""
    out = io.BytesIO()
    Image.new("RGB", (width, height), (20, 120, 220)).save(out, format="WEBP")
    return out.getvalue()


def truncated_png() -> bytes:
    """A PNG cut off in the middle of its pixel data."""
    data = png(800, 600)
    return data[: len(data) // 2]


def png_declaring(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims `width` x `height` pixels (a decompression bomb)."""

    def chunk(kind: bytes, payload: bytes) -> bytes:
        crc = zlib.crc32(kind + payload) & 0xFFFFFFFF
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    pixels = zlib.compress(b"\x00" * (width + 1) * 4)  # a few rows; the rest would be zeros
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def bomb_png(width: int, height: int) -> bytes:
    """A complete, valid greyscale PNG of `width` x `height` zeros: tiny on the wire, large
    once decoded."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    compressor = zlib.compressobj(9)
    row = b"\x00" * (width + 1)  # filter byte + one byte per pixel
    pixels = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()

    def chunk(kind: bytes, payload: bytes) -> bytes:
        crc = zlib.crc32(kind + payload) & 0xFFFFFFFF
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", crc)

    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )
