"""The built-in cache backend: an in-process LRU dictionary with a per-key TTL.

aiocache's ``SimpleMemoryCache`` has no size bound, so a long-running client
caching ``search_read`` results would grow without limit. This backend keeps
at most ``max_size`` keys, dropping the least recently used first, and expires
keys lazily (checked when read, no timer per key), which also makes the clock
injectable for tests. Values are stored as given (no serializer): the call
cache and the cache manager store msgpack bytes, so cached values cannot be
mutated through a returned object.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from aiocache.base import BaseCache
from aiocache.serializers import NullSerializer

from zenoo_rpc.cache.base import CacheBackendSpec
from zenoo_rpc.errors import ConfigError

__all__ = ["MEMORY_BACKEND", "LRUMemoryCache"]


class LRUMemoryCache(BaseCache):  # type: ignore[misc]
    """An aiocache backend holding at most ``max_size`` keys in this process.

    :param max_size: keys kept; setting one more evicts the least recently used.
    :param clock: monotonic clock in seconds, for TTLs; tests inject a fake one.
    :param kwargs: aiocache ``BaseCache`` options (``namespace``, ``ttl``,
        ``serializer``, ``plugins``). ``timeout`` defaults to None here: a dict
        lookup cannot hang, and aiocache's ``wait_for`` would cost a task per call.
    """

    NAME = "lru-memory"

    def __init__(
        self,
        max_size: int = 1000,
        *,
        clock: Callable[[], float] = time.monotonic,
        **kwargs: Any,
    ) -> None:
        if max_size < 1:
            raise ValueError(f"max_size must be >= 1, got {max_size}")
        kwargs.setdefault("serializer", NullSerializer())
        kwargs.setdefault("timeout", None)
        super().__init__(**kwargs)
        self.max_size = max_size
        self.evictions = 0
        self._clock = clock
        # key -> (value, expires_at or None); order is least recently used first.
        self._entries: OrderedDict[str, tuple[Any, float | None]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    def _live(self, key: str) -> tuple[Any, float | None] | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        if entry[1] is not None and entry[1] <= self._clock():
            del self._entries[key]
            return None
        return entry

    def _expiry(self, ttl: float | None) -> float | None:
        return self._clock() + float(ttl) if ttl else None

    def _put(self, key: str, value: Any, expires_at: float | None) -> None:
        self._entries[key] = (value, expires_at)
        self._entries.move_to_end(key)
        while len(self._entries) > self.max_size:
            self._entries.popitem(last=False)
            self.evictions += 1

    async def _get(self, key: str, encoding: str | None = "utf-8", _conn: Any = None) -> Any:
        entry = self._live(key)
        if entry is None:
            return None
        self._entries.move_to_end(key)
        return entry[0]

    async def _gets(self, key: str, encoding: str | None = "utf-8", _conn: Any = None) -> Any:
        return await self._get(key, encoding)

    async def _multi_get(
        self, keys: Iterable[str], encoding: str | None = "utf-8", _conn: Any = None
    ) -> list[Any]:
        return [await self._get(key, encoding) for key in keys]

    async def _set(
        self,
        key: str,
        value: Any,
        ttl: float | None = None,
        _cas_token: Any = None,
        _conn: Any = None,
    ) -> bool | int:
        if _cas_token is not None:
            current = self._live(key)
            if current is None or current[0] != _cas_token:
                return 0
        self._put(key, value, self._expiry(ttl))
        return True

    async def _multi_set(
        self, pairs: Iterable[tuple[str, Any]], ttl: float | None = None, _conn: Any = None
    ) -> bool:
        for key, value in pairs:
            self._put(key, value, self._expiry(ttl))
        return True

    async def _add(self, key: str, value: Any, ttl: float | None = None, _conn: Any = None) -> bool:
        if self._live(key) is not None:
            raise ValueError(f"Key {key} already exists, use .set to update the value")
        self._put(key, value, self._expiry(ttl))
        return True

    async def _exists(self, key: str, _conn: Any = None) -> bool:
        return self._live(key) is not None

    async def _increment(self, key: str, delta: int, _conn: Any = None) -> int:
        entry = self._live(key)
        if entry is None:
            self._put(key, delta, None)
            return delta
        try:
            value = int(entry[0]) + delta
        except (TypeError, ValueError):
            raise TypeError("Value is not an integer") from None
        self._put(key, value, entry[1])
        return value

    async def _expire(self, key: str, ttl: float | None, _conn: Any = None) -> bool:
        entry = self._live(key)
        if entry is None:
            return False
        self._entries[key] = (entry[0], self._expiry(ttl))
        return True

    async def _delete(self, key: str, _conn: Any = None) -> int:
        return 0 if self._entries.pop(key, None) is None else 1

    async def _clear(self, namespace: str | None = None, _conn: Any = None) -> bool:
        if namespace:
            for key in [k for k in self._entries if k.startswith(namespace)]:
                del self._entries[key]
        else:
            self._entries.clear()
        return True

    async def _redlock_release(self, key: str, value: Any) -> int:
        entry = self._live(key)
        if entry is not None and entry[0] == value:
            return await self._delete(key)
        return 0

    def __repr__(self) -> str:
        return f"LRUMemoryCache(size={len(self)}, max_size={self.max_size})"


_MEMORY_SETTINGS = frozenset({"max_size", "ttl", "namespace", "timeout", "strategy"})


def _memory_factory(settings: Mapping[str, Any]) -> LRUMemoryCache:
    unknown = sorted(set(settings) - _MEMORY_SETTINGS)
    if unknown:
        raise ConfigError(
            f"unknown setting(s) {', '.join(unknown)} for cache backend 'memory'; "
            f"known: {', '.join(sorted(_MEMORY_SETTINGS))}",
            path=f"$.cache.{unknown[0]}",
        )
    strategy = settings.get("strategy", "lru")
    if strategy != "lru":
        raise ConfigError(
            f"cache strategy {strategy!r} is not supported by the memory backend; "
            "the only strategy is 'lru'",
            path="$.cache.strategy",
        )
    return LRUMemoryCache(
        max_size=int(settings.get("max_size", 1000)),
        ttl=settings.get("ttl"),
        namespace=settings.get("namespace"),
        timeout=settings.get("timeout"),
    )


#: The built-in backend, registered by the core under the name ``memory``.
#: Settings: ``max_size`` (1000), ``ttl`` (None: no expiry), ``namespace``, ``timeout``.
MEMORY_BACKEND = CacheBackendSpec(name="memory", factory=_memory_factory)
