"""The built-in LRU memory backend: size bound, eviction order, TTL on a fake clock."""

from __future__ import annotations

import pytest

from zenoo_rpc.cache.memory import MEMORY_BACKEND, LRUMemoryCache
from zenoo_rpc.errors import ConfigError


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


async def test_least_recently_used_is_evicted_first() -> None:
    cache = LRUMemoryCache(max_size=3)
    for key in "abc":
        await cache.set(key, key.upper())
    assert await cache.get("a") == "A"  # a is now the most recent
    await cache.set("d", "D")
    assert await cache.get("b") is None
    assert [await cache.get(k) for k in "acd"] == ["A", "C", "D"]
    assert len(cache) == 3
    assert cache.evictions == 1


async def test_ttl_per_key_and_default_ttl() -> None:
    clock = FakeClock()
    cache = LRUMemoryCache(max_size=10, clock=clock, ttl=100)
    await cache.set("short", b"x", ttl=5)
    await cache.set("default", b"y")
    await cache.set("forever", b"z", ttl=None)
    clock.now = 4.9
    assert await cache.get("short") == b"x"
    clock.now = 5.0
    assert await cache.get("short") is None
    assert await cache.exists("default")
    clock.now = 100.0
    assert await cache.get("default") is None
    assert await cache.get("forever") == b"z"


async def test_values_are_stored_as_given() -> None:
    cache = LRUMemoryCache()
    value = [1, {"a": 2}]
    await cache.set("k", value)
    assert await cache.get("k") is value


async def test_add_increment_expire_delete_clear() -> None:
    clock = FakeClock()
    cache = LRUMemoryCache(clock=clock)
    assert await cache.add("n", 5)
    with pytest.raises(ValueError, match="already exists"):
        await cache.add("n", 6)
    assert await cache.increment("n", 2) == 7
    assert await cache.increment("missing") == 1
    await cache.set("s", "text")
    with pytest.raises(TypeError):
        await cache.increment("s")
    assert await cache.expire("n", 1)
    assert not await cache.expire("nope", 1)
    clock.now = 1
    assert await cache.get("n") is None
    assert await cache.delete("s") == 1
    assert await cache.delete("s") == 0
    await cache.multi_set([("p:1", 1), ("p:2", 2), ("q:1", 3)])
    assert await cache.multi_get(["p:1", "q:1", "x"]) == [1, 3, None]
    await cache.clear(namespace="p:")
    assert await cache.multi_get(["p:1", "p:2", "q:1"]) == [None, None, 3]
    await cache.clear()
    assert len(cache) == 0


async def test_namespace_prefixes_keys() -> None:
    cache = LRUMemoryCache(namespace="svc:")
    await cache.set("k", 1)
    assert await cache.get("k") == 1
    assert await cache.get("svc:k", namespace="") == 1


async def test_compare_and_set() -> None:
    cache = LRUMemoryCache()
    await cache.set("k", "v1")
    assert await cache.set("k", "v2", _cas_token="other") == 0
    assert await cache.set("k", "v2", _cas_token="v1")
    assert await cache.get("k") == "v2"


def test_spec_factory_checks_settings() -> None:
    cache = MEMORY_BACKEND.factory({"max_size": 7, "ttl": 3, "namespace": "n:"})
    assert isinstance(cache, LRUMemoryCache)
    assert (cache.max_size, cache.ttl, cache.namespace) == (7, 3.0, "n:")
    with pytest.raises(ConfigError, match=r"unknown setting.*colour"):
        MEMORY_BACKEND.factory({"colour": "red"})
    with pytest.raises(ConfigError, match="'lfu' is not supported"):
        MEMORY_BACKEND.factory({"strategy": "lfu"})
    with pytest.raises(ValueError, match="max_size"):
        LRUMemoryCache(max_size=0)
