"""CacheManager: the seed API, backends by name, clear errors, values that round-trip."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

from zenoo_rpc.cache import CacheBackendSpec, CacheManager, LRUMemoryCache
from zenoo_rpc.errors import CacheError, ConfigError


class BrokenCache(LRUMemoryCache):
    """A backend whose every operation fails, as a Redis that went away."""

    async def _get(self, key: str, encoding: Any = "utf-8", _conn: Any = None) -> Any:
        raise ConnectionError("redis is down")

    async def _set(self, *args: Any, **kwargs: Any) -> Any:
        raise ConnectionError("redis is down")


async def test_seed_usage_memory_cache() -> None:
    manager = CacheManager()
    cache = await manager.setup_memory_cache(name="pool_cache", max_size=500, strategy="lru")
    assert isinstance(cache, LRUMemoryCache)
    assert manager.backend is cache
    assert manager.active == "pool_cache"
    data = {"id": 7, "name": "Azure", "email": None, "is_company": True}
    await manager.set("customer:7", data, ttl=300)
    assert await manager.get("customer:7") == data
    assert await manager.get("customer:8") is None
    assert await manager.get("customer:8", default="none") == "none"
    assert await manager.delete("customer:7")
    assert not await manager.delete("customer:7")


async def test_get_before_any_setup_uses_a_default_memory_cache() -> None:
    manager = CacheManager()
    assert manager.backend is None
    await manager.set("k", [1, 2])
    assert await manager.get("k") == [1, 2]
    assert isinstance(manager.backend, LRUMemoryCache)


async def test_cached_values_cannot_be_mutated_through_results() -> None:
    manager = CacheManager()
    results = [{"id": 1}, {"id": 2}]
    await manager.set("search", results, ttl=60)
    results.append({"id": 3})
    got = await manager.get("search")
    got.append("junk")
    assert await manager.get("search") == [{"id": 1}, {"id": 2}]


async def test_falsy_values_are_hits() -> None:
    manager = CacheManager()
    value: Any
    for value in (0, "", [], False, None):
        await manager.set("k", value)
        assert await manager.get("k", default="MISSING") == value


async def test_unknown_strategy_is_a_clear_value_error() -> None:
    with pytest.raises(ValueError, match="'lfu' is not supported"):
        await CacheManager().setup_memory_cache(strategy="lfu")


async def test_unknown_backend_lists_available_and_hints_the_redis_plugin() -> None:
    manager = CacheManager()
    with pytest.raises(ConfigError) as info:
        await manager.setup_cache("c", "memcached")
    assert str(info.value) == "unknown cache backend 'memcached'; available: memory."
    assert info.value.path == "$.cache.backend"
    for name in ("redis", "redis-cluster"):
        with pytest.raises(ConfigError, match="pip install zenoo-rpc-redis-cluster"):
            await manager.setup_cache("c", name)


async def test_setup_redis_cache_without_the_plugin_says_what_to_install() -> None:
    with pytest.raises(ConfigError) as info:
        await CacheManager().setup_redis_cache(
            name="svc_cache", url="redis://localhost:6379/0", namespace="svc"
        )
    message = str(info.value)
    assert "unknown cache backend 'redis-cluster'" in message
    assert "available: memory" in message
    assert "pip install zenoo-rpc-redis-cluster" in message


async def test_setup_redis_cache_delegates_to_the_registered_plugin() -> None:
    received: list[Mapping[str, Any]] = []

    async def factory(settings: Mapping[str, Any]) -> Any:  # async factories are awaited
        received.append(dict(settings))
        return LRUMemoryCache(namespace=settings.get("namespace"))

    spec = CacheBackendSpec(name="redis-cluster", factory=factory)
    manager = CacheManager(backends=lambda: {"redis-cluster": spec})
    assert manager.available_backends() == ["memory", "redis-cluster"]
    cache = await manager.setup_redis_cache(name="svc", url="redis://r:6379/0", namespace="svc:")
    assert received == [{"url": "redis://r:6379/0", "namespace": "svc:"}]
    assert manager.get_cache("svc") is cache
    await manager.set("a", 1)
    assert await cache.get("svc:a", namespace="") is not None


async def test_setup_replaces_and_closes_the_same_name() -> None:
    closed: list[str] = []

    class Tracked(LRUMemoryCache):
        async def _close(self, *args: Any, **kwargs: Any) -> None:
            closed.append("x")

    spec = CacheBackendSpec(name="tracked", factory=lambda s: Tracked())
    manager = CacheManager(backends=lambda: {"tracked": spec})
    first = await manager.setup_cache("c", "tracked")
    second = await manager.setup_cache("c", "tracked")
    assert first is not second
    assert closed == ["x"]
    await manager.setup_memory_cache("other")
    manager.use("c")
    assert manager.backend is second
    with pytest.raises(KeyError, match="no cache named 'zzz'"):
        manager.use("zzz")
    await manager.close()
    assert closed == ["x", "x"]
    assert manager.backend is None


async def test_factory_must_build_a_cache() -> None:
    spec = CacheBackendSpec(name="bad", factory=lambda s: object())
    with pytest.raises(CacheError, match="must build an aiocache BaseCache"):
        await CacheManager(backends=lambda: {"bad": spec}).setup_cache("c", "bad")


async def test_clear_only_touches_the_cache_namespace() -> None:
    manager = CacheManager()
    cache = await manager.setup_memory_cache(namespace="mine:")
    await cache.set("theirs:k", 1, namespace="")
    await manager.set("k", 2)
    await manager.clear()
    assert await manager.get("k") is None
    assert await cache.get("theirs:k", namespace="") == 1


async def test_backend_failures_raise_cache_error_and_show_in_health() -> None:
    spec = CacheBackendSpec(name="broken", factory=lambda s: BrokenCache())
    manager = CacheManager(backends=lambda: {"broken": spec})
    await manager.setup_cache("b", "broken")
    with pytest.raises(CacheError, match="redis is down") as info:
        await manager.get("k")
    assert isinstance(info.value.__cause__, ConnectionError)
    with pytest.raises(CacheError):
        await manager.set("k", 1)
    health = manager.health()
    assert health["status"] == "degraded"
    assert health["errors"] == 2
    assert "redis is down" in health["last_error"]


async def test_unencodable_value_is_a_cache_error() -> None:
    with pytest.raises(CacheError, match="set of 'k'"):
        await CacheManager().set("k", object())


async def test_health_reports_caches_and_hit_ratio() -> None:
    manager = CacheManager()
    await manager.setup_memory_cache(name="pool_cache", max_size=2)
    await manager.set("a", 1)
    await manager.get("a")
    await manager.get("b")
    health = manager.health()
    assert health["status"] == "ok"
    assert health["active"] == "pool_cache"
    assert health["caches"]["pool_cache"]["backend"] == "LRUMemoryCache"
    assert health["caches"]["pool_cache"]["size"] == 1
    assert health["caches"]["pool_cache"]["max_size"] == 2
    assert (health["hits"], health["misses"], health["hit_ratio"]) == (1, 1, 0.5)
