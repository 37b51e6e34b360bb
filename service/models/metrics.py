"""Prometheus series of ONNX model serving: uploads, predictions, rows, latency, cache,
and runs stopped by the worker's bounds."""

from __future__ import annotations

from dataclasses import dataclass

from prometheus_client import CollectorRegistry, Counter, Histogram

# A cached answer takes microseconds; ONNX Runtime on a small model well under 1 ms a row
# batch (bench/models.py); a first request also loads the session (tens of ms).
PREDICTION_BUCKETS_S = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0)
CACHE_RESULTS = ("hit", "miss")
# Why a run was stopped (service.models.ort_limits.StopReason).
STOP_REASONS = ("timeout", "cancelled", "memory")


@dataclass(frozen=True)
class ModelMetrics:
    """What model serving did, by model name and version."""

    uploads: Counter
    predictions: Counter
    rows: Counter
    seconds: Histogram
    cache: Counter
    stopped: Counter

    @classmethod
    def on(cls, registry: CollectorRegistry) -> ModelMetrics:
        """Create the series in `registry`; cache results and stop reasons exist at 0."""
        by_version = ["model", "version"]
        cache = Counter(
            "model_prediction_cache",
            "Prediction requests answered from the per-worker cache (hit) or not (miss).",
            ["result"],
            registry=registry,
        )
        for result in CACHE_RESULTS:
            cache.labels(result=result)
        stopped = Counter(
            "model_runs_stopped",
            "Model runs stopped before they finished: run timeout, cancelled request, or "
            "more memory than the worker's arena (MODEL_ARENA_MAX_BYTES).",
            ["reason"],
            registry=registry,
        )
        for reason in STOP_REASONS:
            stopped.labels(reason=reason)
        return cls(
            uploads=Counter(
                "model_uploads", "ONNX model versions stored.", ["model"], registry=registry
            ),
            predictions=Counter(
                "model_predictions",
                "Prediction requests answered, by model and version.",
                by_version,
                registry=registry,
            ),
            rows=Counter(
                "model_prediction_rows",
                "Rows predicted, by model and version.",
                by_version,
                registry=registry,
            ),
            seconds=Histogram(
                "model_prediction_seconds",
                "Time to run a model on a request's rows (cache misses), session load included.",
                by_version,
                buckets=PREDICTION_BUCKETS_S,
                registry=registry,
            ),
            cache=cache,
            stopped=stopped,
        )
