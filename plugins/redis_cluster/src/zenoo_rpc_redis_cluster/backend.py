"""``RedisClusterCache``: an aiocache backend on Redis Cluster (or one Redis server).

It fits ``client.cache_manager`` and the model-call cache like the built-in
memory backend, and adds what sharing a cache between processes needs:

- values are the msgspec-msgpack bytes the core encodes, stored as they are
  (:class:`~zenoo_rpc_redis_cluster.serializer.RawBytesSerializer`), with TTLs
  in milliseconds;
- ``increment`` is ``INCRBY`` (atomic), confirmed by a replica before it
  counts (see :mod:`zenoo_rpc_redis_cluster.replication`), so an invalidation
  survives a failover;
- ``add`` is ``SET NX``; ``clear(namespace)`` SCANs every master and never
  touches keys outside the namespace;
- every failure is a :class:`~zenoo_rpc_redis_cluster.errors.RedisCacheError`
  (the call cache turns it into a ``cache_error`` event and a miss), each
  operation is bounded by ``timeout``, and after ``circuit_failures``
  consecutive outage failures Redis is skipped for ``circuit_reset`` seconds
  (operations fail at once with :class:`CacheUnavailable`), then tried again,
  so a dead cluster costs no timeout per call and is used again once it is back.

Connections open on first use, in the event loop that uses the backend.
"""

from __future__ import annotations

import asyncio
import logging
import re
import sys
import time
from collections.abc import Awaitable, Callable, Iterable
from typing import Any, TypeVar

from aiocache.base import BaseCache
from redis.exceptions import (
    ClusterError,
    ReadOnlyError,
    RedisClusterException,
    RedisError,
)
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from zenoo_rpc.errors import CircuitOpenError, ZenooTransportError
from zenoo_rpc.retry import CircuitBreaker, CircuitState
from zenoo_rpc_redis_cluster.errors import (
    CacheUnavailable,
    RedisCacheError,
    RedisUnreachable,
    ReplicationUnconfirmed,
)
from zenoo_rpc_redis_cluster.replication import ReplicaAcks
from zenoo_rpc_redis_cluster.serializer import RawBytesSerializer
from zenoo_rpc_redis_cluster.settings import RedisCacheSettings, parse_settings
from zenoo_rpc_redis_cluster.stores import RedisStore, open_store

__all__ = ["RedisClusterCache"]

log = logging.getLogger(__name__)

T = TypeVar("T")

#: Errors that mean "Redis did not answer" (as opposed to "Redis said no").
_OUTAGES: tuple[type[BaseException], ...] = (
    RedisConnectionError,
    RedisTimeoutError,
    ClusterError,
    RedisClusterException,
    ReadOnlyError,  # a write reached a master demoted by a failover
    OSError,
    asyncio.TimeoutError,
)
_GLOB_SPECIAL = re.compile(r"([*?\[\]\\])")


def _ttl_ms(ttl: float | None) -> int | None:
    if not ttl or ttl <= 0:
        return None
    return max(1, round(float(ttl) * 1000))


def _as_bytes(value: Any) -> bytes:
    if isinstance(value, bytes):
        return value
    if isinstance(value, bytearray | memoryview):
        return bytes(value)
    return str(value).encode()


class RedisClusterCache(BaseCache):  # type: ignore[misc]
    """An aiocache ``BaseCache`` on Redis Cluster or a single Redis server.

    ::

        cache = RedisClusterCache(urls=["redis://10.0.0.1:7000"], namespace="zenoo", ttl=300)
        await cache.set("k", b"v")
        await cache.close()

    :param settings: parsed settings; or give them as keyword arguments (see
        :class:`~zenoo_rpc_redis_cluster.settings.RedisCacheSettings`: ``url``,
        ``urls``, ``mode``, ``password``, ``namespace``, ``ttl``, ``timeout``...).
    :param serializer: an aiocache serializer (default: bytes as they are).
    :param plugins: aiocache plugins.
    :param key_builder: aiocache key builder (default ``<namespace>:<key>``).
    :param clock: monotonic clock for the circuit and replica checks (tests).
    :raises ConfigError: a setting is wrong (the message names it).
    """

    NAME = "redis-cluster"

    def __init__(
        self,
        settings: RedisCacheSettings | None = None,
        *,
        serializer: Any = None,
        plugins: Any = None,
        key_builder: Callable[..., str] | None = None,
        clock: Callable[[], float] = time.monotonic,
        **options: Any,
    ) -> None:
        if settings is None:
            settings = parse_settings(options)
        elif options:
            current = {f: getattr(settings, f) for f in settings.__struct_fields__}
            settings = parse_settings({**current, **options})
        super().__init__(
            serializer=serializer or RawBytesSerializer(),
            plugins=plugins,
            namespace=settings.namespace,
            key_builder=key_builder,
            timeout=None,  # bounded in _run, where a timeout counts as a failure
            ttl=settings.ttl,
        )
        self.settings = settings
        self._acks = ReplicaAcks(
            settings.replica_acks,
            timeout=settings.replica_ack_timeout,
            check_interval=settings.replica_check_interval,
            clock=clock,
        )
        self._circuit = (
            CircuitBreaker(
                settings.circuit_failures,
                settings.circuit_reset,
                clock,
                on_state_change=self._circuit_changed,
            )
            if settings.circuit_failures
            else None
        )
        self._store: RedisStore | None = None
        self._connecting: asyncio.Lock | None = None
        # redis-py raises instead of waiting when a node's connections are all
        # busy: at most max_connections operations in flight, the rest queue here.
        self._slots = asyncio.Semaphore(settings.max_connections)

    # ------------------------------------------------------------------ state

    @property
    def mode(self) -> str | None:
        """``"cluster"`` or ``"single"`` once connected, else None."""
        return self._store.mode if self._store is not None else None

    @property
    def circuit_state(self) -> str:
        """``"closed"`` (Redis in use), ``"open"`` (skipped) or ``"half_open"``."""
        return CircuitState.CLOSED.value if self._circuit is None else self._circuit.state.value

    def health(self) -> dict[str, Any]:
        """What this backend is connected to and whether Redis is being used. Never raises."""
        nodes = [f"{node.host}:{node.port}" for node in self.settings.nodes()]
        return {
            "backend": self.NAME,
            "mode": self.mode,
            "nodes": nodes,
            "namespace": self.namespace,
            "circuit": self.circuit_state,
            "retry_after": self._circuit.retry_after() if self._circuit else 0.0,
        }

    def _circuit_changed(self, state: CircuitState) -> None:
        if state is CircuitState.OPEN:
            log.warning(
                "redis-cluster cache: Redis keeps failing; skipping it for %.1fs "
                "(calls go to Odoo meanwhile)",
                self.settings.circuit_reset,
            )
        elif state is CircuitState.CLOSED:
            log.info("redis-cluster cache: Redis answers again; using it")

    # ------------------------------------------------------------------ plumbing

    def _build_key(self, key: Any, namespace: str | None = None) -> Any:
        namespace = self.namespace if namespace is None else namespace
        return f"{namespace}:{key}" if namespace else key

    async def _connect(self) -> RedisStore:
        if self._store is not None:
            return self._store
        if self._connecting is None:
            self._connecting = asyncio.Lock()
        async with self._connecting:
            if self._store is None:
                self._store = await open_store(self.settings, self._acks)
                log.debug("redis-cluster cache connected (%s mode)", self._store.mode)
            return self._store

    async def _attempt(self, work: Callable[[RedisStore], Awaitable[T]]) -> T:
        async with self._slots:
            return await work(await self._connect())

    async def _within(self, timeout: float, work: Callable[[RedisStore], Awaitable[T]]) -> T:
        if sys.version_info >= (3, 11):  # no extra task per operation
            async with asyncio.timeout(timeout):
                return await self._attempt(work)
        return await asyncio.wait_for(self._attempt(work), timeout)

    async def _run(self, action: str, work: Callable[[RedisStore], Awaitable[T]]) -> T:
        """Run one operation: through the circuit, within ``timeout``, errors translated."""
        circuit = self._circuit
        if circuit is not None:
            try:
                await circuit.before_call()
            except CircuitOpenError as exc:
                raise CacheUnavailable(
                    f"redis-cluster cache {action} skipped: Redis failed "
                    f"{circuit.consecutive_failures} times in a row; trying it again in "
                    f"{exc.retry_after:.1f}s",
                    retry_after=exc.retry_after,
                ) from None
        try:
            if self.settings.timeout is None:
                result = await self._attempt(work)
            else:
                result = await self._within(self.settings.timeout, work)
        except (ValueError, TypeError, ReplicationUnconfirmed):
            if circuit is not None:  # Redis answered
                await circuit.record_success()
            raise
        except _OUTAGES as exc:
            detail = str(exc) or f"no answer within {self.settings.timeout}s"
            error = RedisUnreachable(
                f"redis-cluster cache {action} failed: {type(exc).__name__}: {detail}"
            )
            if circuit is not None:
                await circuit.record_failure(ZenooTransportError(str(error)))
            raise error from exc
        except RedisError as exc:
            if circuit is not None:
                await circuit.record_success()
            raise RedisCacheError(
                f"redis-cluster cache {action} failed: {type(exc).__name__}: {exc}"
            ) from exc
        except BaseException as exc:
            if circuit is not None:  # cancelled, or a bug: release a half-open trial
                await circuit.record_failure(exc)
            raise
        if circuit is not None:
            await circuit.record_success()
        return result

    def _decoded(self, value: Any, encoding: str | None) -> Any:
        if encoding and isinstance(value, bytes):
            return value.decode(encoding)
        return value

    # ------------------------------------------------------------------ aiocache API

    async def _get(self, key: str, encoding: str | None = "utf-8", _conn: Any = None) -> Any:
        value = await self._run("get", lambda store: store.get(key))
        return self._decoded(value, encoding)

    async def _gets(self, key: str, encoding: str | None = "utf-8", _conn: Any = None) -> Any:
        # The token of aiocache's OptimisticLock: kept as stored, so binary values work.
        return await self._get(key, self.serializer.encoding)

    async def _multi_get(
        self, keys: Iterable[str], encoding: str | None = "utf-8", _conn: Any = None
    ) -> list[Any]:
        wanted = list(keys)
        values = await self._run("multi_get", lambda store: store.mget(wanted))
        return [self._decoded(value, encoding) for value in values]

    async def _set(
        self,
        key: str,
        value: Any,
        ttl: float | None = None,
        _cas_token: Any = None,
        _conn: Any = None,
    ) -> bool | int:
        data, ttl_ms = _as_bytes(value), _ttl_ms(ttl)
        if _cas_token is not None:
            token = _as_bytes(_cas_token)
            done = await self._run(
                "set", lambda store: store.compare_and_set(key, data, token, ttl_ms)
            )
            return 1 if done else 0
        return await self._run("set", lambda store: store.set(key, data, ttl_ms))

    async def _multi_set(
        self, pairs: Iterable[tuple[str, Any]], ttl: float | None = None, _conn: Any = None
    ) -> bool:
        items = [(key, _as_bytes(value)) for key, value in pairs]
        ttl_ms = _ttl_ms(ttl)
        await self._run("multi_set", lambda store: store.mset(items, ttl_ms))
        return True

    async def _add(self, key: str, value: Any, ttl: float | None = None, _conn: Any = None) -> bool:
        data, ttl_ms = _as_bytes(value), _ttl_ms(ttl)
        if not await self._run("add", lambda store: store.set(key, data, ttl_ms, nx=True)):
            raise ValueError(f"Key {key} already exists, use .set to update the value")
        return True

    async def _exists(self, key: str, _conn: Any = None) -> bool:
        return await self._run("exists", lambda store: store.exists(key))

    async def _increment(self, key: str, delta: int, _conn: Any = None) -> int:
        return await self._run("increment", lambda store: store.incrby(key, int(delta)))

    async def _expire(self, key: str, ttl: float | None, _conn: Any = None) -> bool:
        ttl_ms = _ttl_ms(ttl)
        return await self._run("expire", lambda store: store.expire(key, ttl_ms))

    async def _delete(self, key: str, _conn: Any = None) -> int:
        return await self._run("delete", lambda store: store.delete(key))

    async def _clear(self, namespace: str | None = None, _conn: Any = None) -> bool:
        namespace = namespace or self.namespace
        if not namespace:
            raise RedisCacheError(
                "clear() needs a namespace: without one it would delete every key of the "
                "Redis database, other programs' included; set the cache's namespace"
            )
        pattern = _GLOB_SPECIAL.sub(r"\\\1", namespace) + ":*"
        count = self.settings.scan_count
        await self._run("clear", lambda store: store.delete_matching(pattern, count))
        return True

    async def _raw(self, command: str, *args: Any, _conn: Any = None, **kwargs: Any) -> Any:
        encoding = kwargs.pop("encoding", None)
        value = await self._run(command, lambda store: store.raw(command, *args))
        return self._decoded(value, encoding)

    async def _redlock_release(self, key: str, value: Any) -> int:
        token = _as_bytes(value)
        return await self._run("release", lambda store: store.release(key, token))

    async def _close(self, *args: Any, _conn: Any = None, **kwargs: Any) -> None:
        store, self._store = self._store, None
        if store is not None:
            await store.close()

    def __repr__(self) -> str:
        nodes = ",".join(f"{node.host}:{node.port}" for node in self.settings.nodes())
        return (
            f"RedisClusterCache(nodes={nodes}, mode={self.mode or self.settings.mode}, "
            f"namespace={self.namespace!r}, circuit={self.circuit_state})"
        )
