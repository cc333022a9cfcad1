"""The client's cache manager: named caches on pluggable backends, and a small key-value API.

``client.cache_manager`` is what the seed documents use::

    await client.cache_manager.setup_memory_cache(name="pool_cache", max_size=500)
    await client.cache_manager.set("customer:7", data, ttl=300)
    cached = await client.cache_manager.get("customer:7")

Backends are found by name among the registered :class:`CacheBackendSpec`
(the built-in ``memory``, plugins' ``zenoo_register_cache_backends``), so a
Redis cache is one ``pip install`` away and never a hard dependency. The last
cache set up is the active one, used by :meth:`get`/:meth:`set` and by the
model-call cache.

Values are msgspec-msgpack encoded: a backend that stores bytes works, the
caller cannot mutate a cached value through the object it got back, and
nothing read from a shared backend can run code (as unpickling could).
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable, Mapping
from typing import Any

from zenoo_rpc.cache.base import CacheBackendSpec
from zenoo_rpc.cache.keys import decode_value, encode_value
from zenoo_rpc.cache.memory import MEMORY_BACKEND, LRUMemoryCache
from zenoo_rpc.errors import CacheError, ConfigError

__all__ = ["BackendsProvider", "CacheManager", "default_backends"]

log = logging.getLogger(__name__)

#: Returns the registered backends by name; called at each setup so plugins loaded later count.
BackendsProvider = Callable[[], Mapping[str, CacheBackendSpec]]

_REDIS_NAMES = ("redis-cluster", "redis")
_REDIS_HINT = (
    "Redis support is a plugin: pip install zenoo-rpc-redis-cluster, "
    "then enable it in your config (plugins = [...])."
)


def default_backends() -> Mapping[str, CacheBackendSpec]:
    """The backends of a manager built without a provider: only the built-in ``memory``."""
    return {MEMORY_BACKEND.name: MEMORY_BACKEND}


class CacheManager:
    """Named caches, one active, on backends chosen by name.

    :param backends: returns the registered backend specs by name; the client
        passes its plugin manager's collection. Defaults to the built-in
        ``memory`` backend only.
    """

    def __init__(self, backends: BackendsProvider | None = None) -> None:
        self._backends = backends or default_backends
        self._caches: dict[str, Any] = {}
        self._active: str | None = None
        self._hits = 0
        self._misses = 0
        self._errors = 0
        self._last_error: str | None = None
        self._last_failed = False

    # ------------------------------------------------------------------ setup

    def available_backends(self) -> list[str]:
        """Names of the backends that :meth:`setup_cache` accepts."""
        names = set(self._backends())
        names.add(MEMORY_BACKEND.name)
        return sorted(names)

    def _spec(self, backend: str) -> CacheBackendSpec:
        specs = dict(self._backends())
        specs.setdefault(MEMORY_BACKEND.name, MEMORY_BACKEND)
        spec = specs.get(backend)
        if spec is None:
            message = f"unknown cache backend {backend!r}; available: {', '.join(sorted(specs))}."
            if backend.replace("_", "-") in _REDIS_NAMES:
                message += " " + _REDIS_HINT
            raise ConfigError(message, path="$.cache.backend")
        return spec

    async def setup_cache(self, name: str, backend: str, **settings: Any) -> Any:
        """Build a cache called ``name`` on the backend called ``backend`` and make it active.

        ``settings`` go to the backend's factory (see each backend's docs). A
        cache already set up under ``name`` is closed and replaced.

        :return: the aiocache ``BaseCache`` now active.
        :raises ConfigError: unknown backend (the message lists available ones)
            or a setting the backend rejects.
        """
        spec = self._spec(backend)
        cache = spec.factory(settings)
        if inspect.isawaitable(cache):
            cache = await cache
        for method in ("get", "set", "delete"):
            if not callable(getattr(cache, method, None)):
                raise CacheError(
                    f"cache backend {backend!r} built {type(cache).__name__}, which has no "
                    f"{method}(); a backend must build an aiocache BaseCache"
                )
        old = self._caches.pop(name, None)
        if old is not None and old is not cache:
            await self._close_quietly(name, old)
        self._caches[name] = cache
        self._active = name
        log.debug("cache %r set up on backend %r (%s)", name, backend, type(cache).__name__)
        return cache

    async def setup_memory_cache(
        self,
        name: str = "default",
        max_size: int = 1000,
        strategy: str = "lru",
        ttl: float | None = None,
        namespace: str | None = None,
    ) -> Any:
        """Set up an in-process cache of at most ``max_size`` keys, evicting least recently used.

        :param ttl: default seconds before a key expires (None: until evicted).
        :raises ConfigError: (a ``ValueError``) for a ``strategy`` other than ``"lru"``.
        """
        if strategy != "lru":
            raise ConfigError(
                f"cache strategy {strategy!r} is not supported; the memory cache is 'lru' only",
                path="$.cache.strategy",
            )
        return await self.setup_cache(
            name, MEMORY_BACKEND.name, max_size=max_size, ttl=ttl, namespace=namespace
        )

    async def setup_redis_cache(
        self,
        name: str = "redis",
        url: str = "redis://localhost:6379/0",
        namespace: str | None = None,
        **settings: Any,
    ) -> Any:
        """Set up a Redis cache through the ``redis-cluster`` backend plugin.

        :raises ConfigError: when no Redis backend is installed; the message
            says which package to install.
        """
        registered = set(self._backends())
        backend = next((n for n in _REDIS_NAMES if n in registered), _REDIS_NAMES[0])
        if namespace is not None:
            settings["namespace"] = namespace
        return await self.setup_cache(name, backend, url=url, **settings)

    # ------------------------------------------------------------------ choosing

    @property
    def backend(self) -> Any | None:
        """The active aiocache ``BaseCache``, or None before any cache is set up."""
        return None if self._active is None else self._caches[self._active]

    def ensure_backend(self) -> Any:
        """The active cache, setting up an in-memory LRU one (``default``) if there is none.

        This is what :meth:`get` and :meth:`set` use, so that code written like
        the seed documents works before (or without) any ``setup_*`` call.
        """
        if self._active is None:
            self._caches["default"] = LRUMemoryCache(max_size=1000)
            self._active = "default"
        return self._caches[self._active]

    @property
    def active(self) -> str | None:
        """Name of the active cache, None before any is set up or used."""
        return self._active

    def use(self, name: str) -> None:
        """Make the cache set up as ``name`` the active one."""
        if name not in self._caches:
            raise KeyError(f"no cache named {name!r}; set up: {', '.join(self._caches) or 'none'}")
        self._active = name

    def get_cache(self, name: str) -> Any:
        """The cache set up as ``name`` (active or not)."""
        return self._caches[name]

    # ------------------------------------------------------------------ key-value API

    def _failed(self, action: str, key: str, exc: Exception) -> CacheError:
        self._errors += 1
        self._last_failed = True
        self._last_error = f"{action} {key!r}: {type(exc).__name__}: {exc}"
        return CacheError(f"cache {action} of {key!r} failed: {type(exc).__name__}: {exc}")

    async def get(self, key: str, default: Any = None) -> Any:
        """The value stored under ``key``, or ``default`` when absent or expired.

        :raises CacheError: the backend failed or holds something undecodable.
        """
        try:
            data = await self.ensure_backend().get(key)
            if data is None:
                self._misses += 1
                self._last_failed = False
                return default
            value = decode_value(data)
        except Exception as exc:
            raise self._failed("get", key, exc) from exc
        self._hits += 1
        self._last_failed = False
        return value

    async def set(self, key: str, value: Any, ttl: float | None = None) -> None:
        """Store ``value`` (any msgspec-serialisable value) under ``key``.

        :param ttl: seconds to keep it; None uses the cache's default TTL.
        :raises CacheError: the value cannot be encoded or the backend failed.
        """
        try:
            data = encode_value(value)
            if ttl is None:
                await self.ensure_backend().set(key, data)
            else:
                await self.ensure_backend().set(key, data, ttl=ttl)
        except Exception as exc:
            raise self._failed("set", key, exc) from exc
        self._last_failed = False

    async def delete(self, key: str) -> bool:
        """Remove ``key``; True when it was there."""
        try:
            return bool(await self.ensure_backend().delete(key))
        except Exception as exc:
            raise self._failed("delete", key, exc) from exc

    async def clear(self) -> None:
        """Remove every key of the active cache's namespace (all keys when it has none)."""
        cache = self.ensure_backend()
        try:
            await cache.clear(namespace=getattr(cache, "namespace", None))
        except Exception as exc:
            raise self._failed("clear", "*", exc) from exc

    async def close(self) -> None:
        """Close every cache (their connections); the manager can set up new ones after."""
        caches, self._caches, self._active = self._caches, {}, None
        for name, cache in caches.items():
            await self._close_quietly(name, cache)

    async def _close_quietly(self, name: str, cache: Any) -> None:
        try:
            await cache.close()
        except Exception:
            log.warning("closing cache %r failed", name, exc_info=True)

    def health(self) -> dict[str, Any]:
        """What the caches are and how they have done, for a health endpoint. Never raises."""
        caches: dict[str, Any] = {}
        for name, cache in self._caches.items():
            info: dict[str, Any] = {
                "backend": type(cache).__name__,
                "namespace": getattr(cache, "namespace", None),
            }
            if isinstance(cache, LRUMemoryCache):
                info.update(size=len(cache), max_size=cache.max_size, evictions=cache.evictions)
            caches[name] = info
        total = self._hits + self._misses
        return {
            "status": "degraded" if self._last_failed else "ok",
            "active": self._active,
            "caches": caches,
            "hits": self._hits,
            "misses": self._misses,
            "errors": self._errors,
            "hit_ratio": self._hits / total if total else None,
            "last_error": self._last_error,
        }

    def __repr__(self) -> str:
        return f"CacheManager(active={self._active!r}, caches={sorted(self._caches)})"
