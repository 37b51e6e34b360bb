"""The per-worker caches and the pending-request bound stay within their bounds."""

from __future__ import annotations

import contextlib

import pytest

from service.core.admission import AdmissionGate, WorkerBusy
from service.models.onnx_files import ModelLimits
from service.models.runtime import PENDING_PER_SLOT, LruCache, Serving


def test_lru_cache_is_bounded_by_cost_and_evicts_the_least_recently_used() -> None:
    cache: LruCache[str, str] = LruCache(capacity=10)
    cache.put("a", "A", cost=4)
    cache.put("b", "B", cost=4)
    assert cache.get("a") == "A"  # now "b" is the least recently used
    cache.put("c", "C", cost=4)
    assert (cache.get("a"), cache.get("b"), cache.get("c")) == ("A", None, "C")
    assert cache.used == 8
    cache.put("huge", "H", cost=11)  # larger than the whole cache: not stored, nothing evicted
    assert cache.get("huge") is None
    assert len(cache) == 2
    cache.put("a", "A2", cost=2)  # replacing an entry re-counts its cost
    assert (cache.get("a"), cache.used) == ("A2", 6)


def test_a_zero_capacity_cache_stores_nothing() -> None:
    cache: LruCache[str, int] = LruCache(capacity=0)
    cache.put("k", 1)
    assert cache.get("k") is None


def test_prediction_requests_past_the_pending_bound_are_refused_at_once() -> None:
    serving = Serving(
        missing=None,
        gate=AdmissionGate("inference", 2, max_wait_s=1.0),
        sessions=LruCache(0),
        predictions=LruCache(0),
        max_upload_bytes=1024,
        limits=ModelLimits(max_features=10, arena_max_bytes=2**24, run_timeout_s=1.0),
    )
    bound = PENDING_PER_SLOT * 2
    with contextlib.ExitStack() as admitted:
        for _ in range(bound):
            admitted.enter_context(serving.admitted())
        with pytest.raises(WorkerBusy) as refused, serving.admitted():
            pass  # pragma: no cover - never admitted
        assert refused.value.retry_after_s == 1  # answered with `Retry-After: 1`
    with serving.admitted():  # every earlier request has left: admitted again
        pass
