"""Time and peak memory of the avatar pipeline's two extreme cases.

    python -m bench.avatar_costs

Each case runs in a fresh child process so that its peak RSS is its own: rejecting a PNG
that declares 30000x30000 pixels, and re-encoding a 4096x4096 JPEG photo-like image.
"""

from __future__ import annotations

import io
import json
import multiprocessing
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from PIL import Image

from service.avatars.errors import InvalidImage
from service.avatars.images import ImageLimits, process_avatar
from tests.avatars.images import png_declaring

ROUNDS = 5


def _jpeg_4096() -> bytes:
    # Smooth like a photo, so that it fits the 2 MiB upload cap as a real one would.
    gradient = Image.radial_gradient("L").resize((4096, 4096))
    noise = Image.effect_noise((4096, 4096), 8)
    photo = Image.merge("RGB", (gradient, noise, Image.linear_gradient("L").resize((4096, 4096))))
    out = io.BytesIO()
    photo.save(out, format="JPEG", quality=80)
    return out.getvalue()


def _bomb() -> bytes:
    return png_declaring(30000, 30000)


def _reject_bomb(data: bytes) -> None:
    try:
        process_avatar(data, ImageLimits())
    except InvalidImage:
        return
    raise AssertionError("the bomb was accepted")


def _reencode(data: bytes) -> None:
    process_avatar(data, ImageLimits())


def _vm_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"{field} not in /proc/self/status")


def _measure(
    name: str,
    data: bytes,
    run: Callable[[bytes], None],
    queue: multiprocessing.Queue[dict[str, object]],
) -> None:
    # A forked child inherits its parent's high-water mark; reset it (Linux) to measure ours.
    Path("/proc/self/clear_refs").write_text("5")
    baseline_kib = _vm_kib("VmRSS")
    timings = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        run(data)
        timings.append((time.perf_counter() - started) * 1000)
    peak_kib = _vm_kib("VmHWM")
    queue.put(
        {
            "case": name,
            "input_bytes": len(data),
            "median_ms": round(statistics.median(timings), 2),
            "max_ms": round(max(timings), 2),
            "peak_rss_growth_mib": round((peak_kib - baseline_kib) / 1024, 1),
            "peak_rss_mib": round(peak_kib / 1024, 1),
        }
    )


def main() -> None:
    """Run both cases and print one JSON line each."""
    context = multiprocessing.get_context("spawn")
    cases: list[tuple[str, Callable[[], bytes], Callable[[bytes], None]]] = [
        ("reject PNG declaring 30000x30000", _bomb, _reject_bomb),
        ("re-encode 4096x4096 JPEG", _jpeg_4096, _reencode),
    ]
    for name, make, run in cases:
        queue: multiprocessing.Queue[dict[str, object]] = context.Queue()
        process = context.Process(target=_measure, args=(name, make(), run, queue))
        process.start()
        print(json.dumps(queue.get(timeout=300)))
        process.join()


if __name__ == "__main__":
    main()
