"""The flood benchmark's report: what one flood measured, as bench/RESULTS.md's section."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from service.core.config import Settings

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench/RESULTS.md"
SECTION = "## Flood: admission control under an anonymous flood"
JWT_SECRET = "bench-only-signing-secret-" + "f" * 40
CHART_LIMIT_MIB = 832  # deploy/helm/users-service/values.yaml resources.limits.memory


@dataclass
class FloodReport:
    """What one flood measured."""

    worker_base_mib: list[float]
    worker_peak_mib: list[float]
    master_peak_mib: float
    unchecked_by_limiter: float
    formula_mib: float
    reader_p50_ms: float
    reader_p99_ms: float
    reader_requests: int
    reader_errors: int
    logins: Counter[str]
    bombs: Counter[str]
    seconds: float


def _statuses(counts: Counter[str]) -> str:
    return ", ".join(f"{outcome}: {n}" for outcome, n in sorted(counts.items()))


def render(report: FloodReport, logins: int, bombs: int) -> str:
    """The Markdown section for bench/RESULTS.md."""
    settings = Settings(environment="test", jwt_secret=JWT_SECRET)
    argon2_mib = settings.argon2_memory_cost_kib // 1024
    decode_mib = settings.avatar_max_pixels * 14 / 2**20
    hash_slots, decode_slots = settings.hash_concurrency, settings.decode_concurrency
    rows = "\n".join(
        f"| worker {i + 1} | {base:.0f} | {peak:.0f} | {report.formula_mib:.0f} | "
        f"{'yes' if peak <= report.formula_mib else 'NO'} |"
        for i, (base, peak) in enumerate(
            zip(report.worker_base_mib, report.worker_peak_mib, strict=True)
        )
    )
    workers = len(report.worker_peak_mib)
    pod_peak = report.master_peak_mib + sum(report.worker_peak_mib)
    pod_formula = report.master_peak_mib + workers * report.formula_mib
    within = "yes" if pod_peak <= min(pod_formula, CHART_LIMIT_MIB) else "NO"
    pod_row = (
        f"| pod (master {report.master_peak_mib:.0f} + workers) | - | {pod_peak:.0f} | "
        f"{pod_formula:.0f} | {within} (chart limit {CHART_LIMIT_MIB}) |"
    )
    error_rate = report.reader_errors / max(1, report.reader_requests)
    return f"""{SECTION}

Written by `make bench-flood` (`bench/flood.py`), {datetime.now(UTC):%Y-%m-%d %H:%M} UTC.
Two uvicorn workers with production settings: Argon2id {argon2_mib} MiB,
t={settings.argon2_time_cost}; {hash_slots} hashing slots and {decode_slots} decoding slot(s)
per worker; pixel budget {settings.avatar_max_pixels:,}; FerretDB on loopback. At once:
{logins} anonymous logins for unknown users, {bombs} multipart registrations each with a
2896x2896 PNG (8 KB on the wire, the whole pixel budget once decoded), and one authenticated
reader looping on `GET /users/{{id}}`. The flood took {report.seconds:.1f} s.

| process | RSS before MiB | peak RSS MiB (VmHWM) | formula MiB | within |
|---|---|---|---|---|
{rows}
{pod_row}

Per worker: base + hashing slots x Argon2 memory + decoding slots x decode budget (~14 bytes
per pixel) = {max(report.worker_base_mib):.0f} + {hash_slots} x {argon2_mib} + {decode_slots} x \
{decode_mib:.0f} = {report.formula_mib:.0f} MiB; per pod: master + workers x that.

| reader during the flood | value |
|---|---|
| requests | {report.reader_requests} |
| p50 ms | {report.reader_p50_ms:.1f} |
| p99 ms | {report.reader_p99_ms:.1f} |
| errors | {report.reader_errors} ({error_rate:.1%}) |

| flood | answers (status: count) |
|---|---|
| logins | {_statuses(report.logins)} |
| registrations with a bomb PNG | {_statuses(report.bombs)} |
"""


def write_section(section: str, heading: str = SECTION) -> None:
    """Replace (or append) the section under `heading` of bench/RESULTS.md."""
    text = RESULTS.read_text() if RESULTS.exists() else "# Benchmark results\n"
    if heading in text:
        before, _, rest = text.partition(heading)
        following = rest.find("\n## ")
        text = before + section + (rest[following + 1 :] if following >= 0 else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    RESULTS.write_text(text)


def render_limited(report: FloodReport) -> str:
    """The second pass: the same flood with the default rate limits on a shared Redis."""
    error_rate = report.reader_errors / max(1, report.reader_requests)
    return f"""
The same flood again with the default rate limits on (shared Redis; `RATE_LIMIT_AUTH`
10/minute per client address covers logins and registrations), took {report.seconds:.1f} s:

| with rate limits | value |
|---|---|
| logins | {_statuses(report.logins)} |
| registrations with a bomb PNG | {_statuses(report.bombs)} |
| reader p50 / p99 ms | {report.reader_p50_ms:.1f} / {report.reader_p99_ms:.1f} |
| reader errors | {report.reader_errors} of {report.reader_requests} ({error_rate:.1%}) |
| peak RSS per worker MiB | {", ".join(f"{peak:.0f}" for peak in report.worker_peak_mib)} |
| requests let through unchecked (Redis timed out: fail open) | {report.unchecked_by_limiter:.0f} |
"""


MODEL_SECTION = "## Model flood: hostile models and 150 connections"
CHART_MODELS_LIMIT_MIB = 1792  # values.yaml models.memoryLimit


@dataclass
class ModelFloodReport:
    """What the model flood measured."""

    worker_base_mib: list[float]
    worker_peak_mib: list[float]
    worker_after_mib: list[float]
    master_peak_mib: float
    formula_mib: float
    quiet_p99_ms: float
    flood_p99_ms: float
    reader_requests: int
    reader_errors: int
    uploads: Counter[str]
    predictions: Counter[str]
    seconds: float


def render_models(report: ModelFloodReport) -> str:
    """The model flood's Markdown section for bench/RESULTS.md."""
    rows = "\n".join(
        f"| worker {i + 1} | {base:.0f} | {peak:.0f} | {after:.0f} | {report.formula_mib:.0f} | "
        f"{'yes' if peak <= report.formula_mib else 'NO'} |"
        for i, (base, peak, after) in enumerate(
            zip(
                report.worker_base_mib,
                report.worker_peak_mib,
                report.worker_after_mib,
                strict=True,
            )
        )
    )
    pod_peak = report.master_peak_mib + sum(report.worker_peak_mib)
    ratio = report.flood_p99_ms / max(report.quiet_p99_ms, 1e-9)
    return f"""{MODEL_SECTION}

Written by `make bench-flood` (`bench/model_flood.py`), {datetime.now(UTC):%Y-%m-%d %H:%M} UTC.
Two workers with the default model limits (arena 128 MiB, run timeout 10 s, 1 inference
slot). An admin uploads a model that expands each row to 4 MiB and tries the 519-byte
ConstantOfShape model and a Loop; then 150 connections of a normal user predict at once,
half with 1000 rows (4 GiB: more than the arena), half with 30 rows (at the arena's cap),
all different (no cache hits), while one reader loops on `GET /users/{{id}}`. The flood
took {report.seconds:.1f} s.

| process | RSS before MiB | peak RSS MiB (VmHWM) | RSS after MiB | formula MiB | within |
|---|---|---|---|---|---|
{rows}
| pod (master {report.master_peak_mib:.0f} + workers) | - | {pod_peak:.0f} | - | \
{CHART_MODELS_LIMIT_MIB} (chart limit) | {"yes" if pod_peak <= CHART_MODELS_LIMIT_MIB else "NO"} |

Formula per worker: 350 MiB (no models) + the models term (README, "Memory budget").

| reader | value |
|---|---|
| p99 quiet ms | {report.quiet_p99_ms:.1f} |
| p99 during the flood ms | {report.flood_p99_ms:.1f} ({ratio:.1f}x quiet; goal < 2x) |
| requests during the flood | {report.reader_requests} |
| errors | {report.reader_errors} |

| flood | answers (outcome: count) |
|---|---|
| uploads | {_statuses(report.uploads)} |
| predictions | {_statuses(report.predictions)} |
"""
