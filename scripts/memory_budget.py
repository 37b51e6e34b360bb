"""Check the chart's memory limit against the worst-case formula of the README.

Usage: python scripts/memory_budget.py RENDERED_CHART.yaml

Reads the settings from the rendered ConfigMap (the service's defaults where a setting is
absent) and the limit from the Deployment, then computes, as "Memory budget" does:

    worker = base + HASH_CONCURRENCY x Argon2 memory + DECODE_CONCURRENCY x pixels x 14 B
             [+ models: ONNX Runtime + MODEL_ARENA_MAX_BYTES
                + 3 x (MODEL_SESSION_CACHE_BYTES + INFERENCE_CONCURRENCY x MODEL_MAX_BYTES)
                + MODEL_PREDICTION_CACHE_ROWS x 0.5 KB]      (when ML_ENABLED)
    pod    = master + WEB_CONCURRENCY x worker

and exits 1 when the limit is below the pod's worst case.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import yaml

MIB = 1024 * 1024
# A worker once every feature has run: 87 MiB idle + 33 MiB of libraries loaded on first
# use (password strength, passkeys, QR codes, Pillow, mail, the breach check's client).
BASE_MIB = 120  # measured (docs/operations.md, "Memory budget")
MASTER_MIB = 55  # the uvicorn master, measured
ORT_MIB = 55  # onnxruntime + onnx + numpy imported, measured
SESSION_FACTOR = 3  # a loaded session takes one to three times its file's bytes
ROW_BYTES = 512  # one cached prediction row
DEFAULTS = {  # service/core/config.py
    "WEB_CONCURRENCY": "2",
    "HASH_CONCURRENCY": "2",
    "ARGON2_MEMORY_COST_KIB": "65536",
    "DECODE_CONCURRENCY": "1",
    "AVATAR_MAX_PIXELS": "8388608",
    "ML_ENABLED": "true",
    "MODEL_ARENA_MAX_BYTES": "134217728",
    "MODEL_SESSION_CACHE_BYTES": "67108864",
    "MODEL_MAX_BYTES": "16777216",
    "MODEL_PREDICTION_CACHE_ROWS": "20000",
    "INFERENCE_CONCURRENCY": "1",
}


def mebibytes(quantity: str) -> float:
    """A Kubernetes memory quantity (Mi, Gi, M, G or bytes) in MiB."""
    units = {"Ki": 1 / 1024, "Mi": 1, "Gi": 1024, "M": 1e6 / MIB, "G": 1e9 / MIB}
    for suffix, factor in units.items():
        if quantity.endswith(suffix):
            return float(quantity[: -len(suffix)]) * factor
    return float(quantity) / MIB


def worst_case(env: dict[str, str]) -> tuple[float, float, float]:
    """The worker's worst case without models, its models term, and the pod's (MiB)."""
    value = {**DEFAULTS, **env}
    number = {key: float(value[key]) for key in DEFAULTS if key != "ML_ENABLED"}
    worker = (
        BASE_MIB
        + number["HASH_CONCURRENCY"] * number["ARGON2_MEMORY_COST_KIB"] / 1024
        + number["DECODE_CONCURRENCY"] * number["AVATAR_MAX_PIXELS"] * 14 / MIB
    )
    models = 0.0
    if value["ML_ENABLED"].lower() == "true":
        sessions = (
            number["MODEL_SESSION_CACHE_BYTES"]
            + number["INFERENCE_CONCURRENCY"] * number["MODEL_MAX_BYTES"]
        )
        models = (
            ORT_MIB
            + number["MODEL_ARENA_MAX_BYTES"] / MIB
            + SESSION_FACTOR * sessions / MIB
            + number["MODEL_PREDICTION_CACHE_ROWS"] * ROW_BYTES / MIB
        )
    pod = MASTER_MIB + number["WEB_CONCURRENCY"] * (worker + models)
    return worker, models, pod


def main(rendered: Path) -> int:
    """Print the formula's numbers; exit 1 when the limit is below the pod's worst case."""
    docs: list[dict[str, Any]] = [d for d in yaml.safe_load_all(rendered.read_text()) if d]
    env = next(d for d in docs if d["kind"] == "ConfigMap" and "WEB_CONCURRENCY" in d["data"])
    deployment = next(d for d in docs if d["kind"] == "Deployment")
    container = deployment["spec"]["template"]["spec"]["containers"][0]
    limit = mebibytes(str(container["resources"]["limits"]["memory"]))
    worker, models, pod = worst_case({k: str(v) for k, v in env["data"].items()})
    print(
        f"worker {worker:.0f} MiB + models {models:.0f} MiB; pod worst case {pod:.0f} MiB; "
        f"limit {limit:.0f} MiB"
    )
    if limit < pod:
        print(f"FAIL: the memory limit is below the worst case by {pod - limit:.0f} MiB")
        return 1
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    sys.exit(main(Path(sys.argv[1])))
