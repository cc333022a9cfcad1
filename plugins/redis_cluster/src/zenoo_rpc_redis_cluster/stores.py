"""The Redis commands behind the cache backend, for a cluster and for a single node.

:class:`ClusterStore` runs on ``redis.asyncio.cluster.RedisCluster`` (slot
routing, MOVED/ASK redirections and failover handled by redis-py);
:class:`NodeStore` on a plain ``redis.asyncio.Redis``. Both offer the same
few coroutines, so the backend does not care which it has. Keys that must
live together (a model's generation and its entries) share a hash tag, so
every multi-key step here is a pipeline of single-key commands, valid in a
cluster whatever slots the keys fall in.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Iterable, Sequence
from typing import Any

from redis.asyncio import Redis
from redis.asyncio.cluster import ClusterNode, RedisCluster
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import (
    AskError,
    MovedError,
    RedisError,
    ResponseError,
    SlotNotCoveredError,
)
from redis.exceptions import ConnectionError as RedisConnectionError

from zenoo_rpc_redis_cluster.errors import RedisCacheError, ReplicationUnconfirmed
from zenoo_rpc_redis_cluster.replication import ReplicaAcks
from zenoo_rpc_redis_cluster.settings import NodeAddress, RedisCacheSettings

__all__ = [
    "ClusterStore",
    "NodeStore",
    "RedisStore",
    "client_options",
    "is_cluster_node",
    "open_store",
]

# Compare-and-set and compare-and-delete, atomic on the key's node.
_CAS_SET = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  if ARGV[3] ~= '' then
    return redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3]) and 1 or 0
  end
  return redis.call('SET', KEYS[1], ARGV[2]) and 1 or 0
end
return 0
"""
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
"""


def client_options(settings: RedisCacheSettings) -> dict[str, Any]:
    """redis-py connection options common to the cluster and the single-node client."""
    username, password = settings.credentials()
    options: dict[str, Any] = {
        "username": username,
        "password": password,
        "socket_timeout": settings.socket_timeout,
        "socket_connect_timeout": settings.socket_connect_timeout,
        "max_connections": settings.max_connections,
        "client_name": settings.client_name,
    }
    if any(node.ssl for node in settings.nodes()):
        options["ssl"] = True
        if settings.ssl_ca_certs:
            options["ssl_ca_certs"] = settings.ssl_ca_certs
    return options


def is_cluster_node(info: Any) -> bool:
    """Whether an ``INFO cluster`` reply says cluster mode is on."""
    if isinstance(info, dict):
        return str(info.get("cluster_enabled", "0")) == "1"
    text = info.decode() if isinstance(info, bytes) else str(info)
    return "cluster_enabled:1" in text


def _not_integer(exc: ResponseError) -> bool:
    return "not an integer" in str(exc)


def _scan_reply(reply: Any) -> tuple[int, list[Any]]:
    """``(cursor, keys)`` from a SCAN reply, whichever shape this redis-py gives it."""
    cursor, keys = reply
    if isinstance(cursor, dict):  # cluster: {node name: cursor}
        cursor = next(iter(cursor.values()), 0)
    return int(cursor), list(keys)


async def _close(client: Any) -> None:
    close = getattr(client, "aclose", None) or client.close
    result = close()
    if inspect.isawaitable(result):
        await result


class RedisStore:
    """The commands the backend needs; :class:`ClusterStore` and :class:`NodeStore` route them.

    :param client: a redis-py ``RedisCluster`` or ``Redis``.
    :param acks: the replica-acknowledgement policy for :meth:`incrby`.
    """

    #: ``"cluster"`` or ``"single"``.
    mode = ""

    def __init__(self, client: Any, acks: ReplicaAcks) -> None:
        self.client = client
        self.acks = acks

    async def get(self, key: str) -> bytes | None:
        """The value at ``key``, or None."""
        value: bytes | None = await self.client.execute_command("GET", key)
        return value

    async def mget(self, keys: Sequence[str]) -> list[bytes | None]:
        """The values at ``keys`` (None where missing), one pipeline."""
        if not keys:
            return []
        async with self.client.pipeline(transaction=False) as pipe:
            for key in keys:
                pipe.execute_command("GET", key)
            values: list[bytes | None] = await pipe.execute()
        return values

    async def set(self, key: str, value: bytes, ttl_ms: int | None, *, nx: bool = False) -> bool:
        """``SET`` (``PX`` when ``ttl_ms``, ``NX`` when ``nx``); False when NX found the key."""
        args: list[Any] = ["SET", key, value]
        if ttl_ms:
            args += ["PX", ttl_ms]
        if nx:
            args.append("NX")
        return bool(await self.client.execute_command(*args))

    async def mset(self, pairs: Iterable[tuple[str, bytes]], ttl_ms: int | None) -> None:
        """``SET`` each pair, one pipeline."""
        async with self.client.pipeline(transaction=False) as pipe:
            for key, value in pairs:
                if ttl_ms:
                    pipe.execute_command("SET", key, value, "PX", ttl_ms)
                else:
                    pipe.execute_command("SET", key, value)
            await pipe.execute()

    async def compare_and_set(
        self, key: str, value: bytes, token: bytes, ttl_ms: int | None
    ) -> bool:
        """Set ``key`` only if it holds ``token`` now (atomic)."""
        done = await self.client.execute_command(
            "EVAL", _CAS_SET, 1, key, token, value, str(ttl_ms or "")
        )
        return bool(done)

    async def delete(self, key: str) -> int:
        """Remove ``key``; 1 if it was there."""
        return int(await self.client.execute_command("DEL", key))

    async def exists(self, key: str) -> bool:
        """Whether ``key`` exists."""
        return bool(await self.client.execute_command("EXISTS", key))

    async def expire(self, key: str, ttl_ms: int | None) -> bool:
        """Set (or with None, remove) ``key``'s expiry; False when ``key`` is missing."""
        if ttl_ms:
            return bool(await self.client.execute_command("PEXPIRE", key, ttl_ms))
        async with self.client.pipeline(transaction=False) as pipe:
            pipe.execute_command("PERSIST", key)
            pipe.execute_command("EXISTS", key)
            _, exists = await pipe.execute()
        return bool(exists)

    async def release(self, key: str, value: bytes) -> int:
        """Delete ``key`` only if it holds ``value`` (an aiocache lock release)."""
        return int(await self.client.execute_command("EVAL", _RELEASE, 1, key, value))

    async def raw(self, command: str, *args: Any) -> Any:
        """Any command, routed by redis-py."""
        return await self.client.execute_command(command, *args)

    async def incrby(self, key: str, delta: int) -> int:
        """``INCRBY``, confirmed by replicas as :class:`ReplicaAcks` asks.

        :raises TypeError: the value is not an integer.
        :raises ReplicationUnconfirmed: too few replicas confirmed in time (the
            bump did happen on the master).
        """
        raise NotImplementedError

    async def _incr_and_wait(
        self, pipe: Any, key: str, delta: int, replicas: int, **options: Any
    ) -> tuple[int, int]:
        # One pipeline, so one connection: WAIT counts what *this* connection wrote.
        route = {"target_nodes": options.pop("target_nodes")} if "target_nodes" in options else {}
        pipe.execute_command("INCRBY", key, delta, **route)
        pipe.execute_command("WAIT", replicas, self.acks.timeout_ms, **route)
        try:
            value, acked = await pipe.execute(**options)
        except ResponseError as exc:
            if _not_integer(exc):
                raise TypeError("Value is not an integer") from None
            raise
        return int(value), int(acked)

    async def _plain_incr(self, key: str, delta: int) -> int:
        try:
            return int(await self.client.execute_command("INCRBY", key, delta))
        except ResponseError as exc:
            if _not_integer(exc):
                raise TypeError("Value is not an integer") from None
            raise

    @staticmethod
    def _unconfirmed(key: str, node: str, acked: int, wanted: int) -> ReplicationUnconfirmed:
        return ReplicationUnconfirmed(
            f"INCRBY {key} on {node}: {acked} of {wanted} replica(s) confirmed it; "
            "a failover now could lose it"
        )

    async def delete_matching(self, pattern: str, count: int) -> int:
        """Delete every key matching ``pattern`` (SCAN, never KEYS); how many were deleted."""
        raise NotImplementedError

    async def _delete_keys(self, keys: Sequence[Any]) -> int:
        if not keys:
            return 0
        async with self.client.pipeline(transaction=False) as pipe:
            for key in keys:
                pipe.execute_command("UNLINK", key)
            deleted = await pipe.execute()
        return sum(int(n) for n in deleted)

    async def close(self) -> None:
        """Close every connection."""
        await _close(self.client)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.client!r})"


class ClusterStore(RedisStore):
    """A Redis Cluster: commands go to the master of their key's slot."""

    mode = "cluster"

    @classmethod
    def build(cls, settings: RedisCacheSettings, acks: ReplicaAcks) -> ClusterStore:
        """A store on a cluster client (nothing is connected until the first command)."""
        client = RedisCluster(
            startup_nodes=[ClusterNode(node.host, node.port) for node in settings.nodes()],
            require_full_coverage=False,
            retry=Retry(NoBackoff(), settings.retries),
            **client_options(settings),
        )
        return cls(client, acks)

    async def incrby(self, key: str, delta: int) -> int:
        """``INCRBY`` on the key's master, then ``WAIT`` there on the same connection."""
        try:
            return await self._pinned_incr(key, delta)
        except MovedError:
            # The slot moved and INCRBY did not run: one keyed command lets redis-py
            # follow MOVED and fix its slot map, then the new owner is asked.
            await self.client.execute_command("EXISTS", key)
            return await self._pinned_incr(key, delta)
        except AskError as exc:
            raise RedisCacheError(
                f"INCRBY {key} not run: its slot is being migrated (ASK {exc}), and WAIT "
                "could not follow it to the other node; try again once the migration ends"
            ) from exc

    async def _pinned_incr(self, key: str, delta: int) -> int:
        client: RedisCluster = self.client
        await client.initialize()  # re-reads the slot map after a failure
        node = client.get_node_from_key(key)
        if node is None:
            raise SlotNotCoveredError(f"no master serves the slot of {key!r}")
        wanted = await self.acks.required(
            node.name, functools.partial(client.execute_command, "ROLE", target_nodes=node)
        )
        if not wanted:
            return await self._plain_incr(key, delta)  # redirections followed as usual
        # Both commands pinned to the node and never redirected: WAIT must run on
        # the connection that ran INCRBY.
        value, acked = await self._incr_and_wait(
            client.pipeline(transaction=False),
            key,
            delta,
            wanted,
            target_nodes=node,
            allow_redirections=False,
        )
        if acked < wanted:
            self.acks.forget(node.name)
            raise self._unconfirmed(key, node.name, acked, wanted)
        return value

    async def delete_matching(self, pattern: str, count: int) -> int:
        """SCAN every master for ``pattern`` and UNLINK what it finds."""
        await self.client.initialize()
        deleted = 0
        for node in self.client.get_primaries():
            cursor = 0
            while True:
                reply = await self.client.execute_command(
                    "SCAN", cursor, "MATCH", pattern, "COUNT", count, target_nodes=node
                )
                cursor, keys = _scan_reply(reply)
                deleted += await self._delete_keys(keys)
                if cursor == 0:
                    break
        return deleted


class NodeStore(RedisStore):
    """One plain Redis server (any database number)."""

    mode = "single"
    #: ``host:port`` of the server.
    address = ""

    @classmethod
    def build(
        cls, settings: RedisCacheSettings, acks: ReplicaAcks, node: NodeAddress | None = None
    ) -> NodeStore:
        """A store on one node (the first of the settings' by default), not yet connected."""
        node = node or settings.nodes()[0]
        client = Redis(
            host=node.host,
            port=node.port,
            db=node.db,
            retry=Retry(NoBackoff(), settings.retries, supported_errors=(RedisConnectionError,)),
            **client_options(settings),
        )
        store = cls(client, acks)
        store.address = f"{node.host}:{node.port}"
        return store

    async def incrby(self, key: str, delta: int) -> int:
        """``INCRBY`` then ``WAIT`` in one pipeline (so on one connection)."""
        node = self.address
        wanted = await self.acks.required(node, lambda: self.client.execute_command("ROLE"))
        if not wanted:
            return await self._plain_incr(key, delta)
        async with self.client.pipeline(transaction=False) as pipe:
            value, acked = await self._incr_and_wait(pipe, key, delta, wanted)
        if acked < wanted:
            self.acks.forget(node)
            raise self._unconfirmed(key, node, acked, wanted)
        return value

    async def delete_matching(self, pattern: str, count: int) -> int:
        """SCAN the database for ``pattern`` and UNLINK what it finds."""
        deleted = 0
        cursor = 0
        while True:
            reply = await self.client.execute_command(
                "SCAN", cursor, "MATCH", pattern, "COUNT", count
            )
            cursor, keys = _scan_reply(reply)
            deleted += await self._delete_keys(keys)
            if cursor == 0:
                return deleted


async def open_store(settings: RedisCacheSettings, acks: ReplicaAcks) -> RedisStore:
    """Connect to what the settings name, and say whether it is a cluster.

    ``mode = "auto"`` sends ``INFO cluster`` to the nodes in turn until one
    answers (a URL with a database other than 0 is a single node). A cluster
    client is initialised (slot map read) before it is returned.

    :raises RedisCacheError: a node answered that it is not part of a cluster
        while several nodes were named.
    :raises redis.RedisError: no node answered (the backend reports it).
    """
    nodes = settings.nodes()
    mode = settings.mode
    if mode == "auto" and any(node.db for node in nodes):
        mode = "single"
    if mode == "auto":
        error: Exception | None = None
        for node in nodes:
            probe = NodeStore.build(settings, acks, node)
            try:
                cluster = is_cluster_node(await probe.client.execute_command("INFO", "cluster"))
            except RedisError as exc:
                error = exc
                await probe.close()
                continue
            except BaseException:  # cancelled (the operation's timeout): close, then go
                await probe.close()
                raise
            if cluster:
                await probe.close()
                mode = "cluster"
                break
            if len(nodes) > 1:
                await probe.close()
                raise RedisCacheError(
                    f"{node.host}:{node.port} is a single Redis server, not a cluster node, "
                    'but several urls are set; give one url or set mode = "single"'
                )
            return probe
        else:
            assert error is not None
            raise error
    if mode == "single":
        return NodeStore.build(settings, acks)
    store = ClusterStore.build(settings, acks)
    try:
        await store.client.initialize()
    except BaseException:
        await store.close()
        raise
    return store
