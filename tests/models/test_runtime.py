"""The per-worker caches stay within their bounds, evicting the least recently used."""

from __future__ import annotations

from service.inference.runtime import LruCache


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
