"""The backend's own behaviour: errors it raises, its circuit, replica checks, what it refuses."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aiocache.lock import OptimisticLock, OptimisticLockError, RedLock

from zenoo_rpc import ZenooClient
from zenoo_rpc.errors import CacheError
from zenoo_rpc.testing.emulator.server import Emulator
from zenoo_rpc_redis_cluster import (
    CacheUnavailable,
    RedisCacheError,
    RedisClusterCache,
    RedisUnreachable,
    ReplicationUnconfirmed,
)
from zenoo_rpc_redis_cluster.replication import ReplicaAcks, connected_replicas
from zenoo_rpc_redis_cluster.serializer import RawBytesSerializer
from zenoo_rpc_redis_cluster.testing import (
    RedisClusterProcess,
    RedisServerProcess,
    start_redis_server,
)


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def dead_url() -> Iterator[str]:
    """A loopback port nothing listens on (held bound, never listening)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield f"redis://127.0.0.1:{sock.getsockname()[1]}"


async def test_a_redis_that_never_answers_fails_the_operation_at_its_timeout() -> None:
    with socket.socket() as silent:  # accepts connections (backlog), never replies
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        url = f"redis://127.0.0.1:{silent.getsockname()[1]}"
        cache = RedisClusterCache(url=url, timeout=0.2, socket_timeout=30, mode="single")
        with pytest.raises(RedisUnreachable, match=r"no answer within 0\.2s"):
            await cache.get("k")
        await cache.close()


async def test_unreachable_redis_opens_the_circuit_then_tries_again(dead_url: str) -> None:
    clock = FakeClock()
    cache = RedisClusterCache(url=dead_url, circuit_failures=2, circuit_reset=5, clock=clock)
    for _ in range(2):
        with pytest.raises(RedisUnreachable, match="get failed: ConnectionError"):
            await cache.get("k")
    assert cache.circuit_state == "open"
    with pytest.raises(CacheUnavailable) as info:
        await cache.set("k", b"v")
    assert info.value.retry_after == pytest.approx(5)
    assert isinstance(info.value, CacheError)
    clock.now += 5
    with pytest.raises(RedisUnreachable):  # the trial goes to Redis, and fails
        await cache.get("k")
    assert cache.health()["circuit"] == "open"
    await cache.close()


async def test_circuit_closes_when_redis_answers_again(tmp_path: Path) -> None:
    clock = FakeClock()
    with start_redis_server(tmp_path) as server:
        cache = RedisClusterCache(url=server.url, circuit_failures=1, circuit_reset=5, clock=clock)
        await cache.set("k", b"v")
        server.kill()
        with pytest.raises(RedisUnreachable):
            await cache.get("k")
        assert cache.circuit_state == "open"
        server.start()
        with pytest.raises(CacheUnavailable):
            await cache.get("k")
        clock.now += 5
        assert await cache.get("k") is None  # a restarted server without persistence
        assert cache.circuit_state == "closed"
        await cache.close()


async def test_a_dead_redis_never_fails_a_call(odoo_emulator: Emulator, dead_url: str) -> None:
    cache = {"enabled": True, "backend": "redis-cluster", "settings": {"url": dead_url}}
    events: list[Any] = []
    async with ZenooClient(odoo_emulator.memory_url, plugins=["redis-cluster"], cache=cache) as c:
        c.register_event_handler(lambda e: events.append(e) if e.name == "cache_error" else None)
        await c.login("demo", "admin", "admin")
        partner = await c.create("res.partner", {"name": "No cache"})
        for _ in range(5):
            assert await c.read("res.partner", [partner], ["name"]) == [
                {"id": partner, "name": "No cache"}
            ]
    assert events
    assert all(isinstance(e.error, RedisCacheError) for e in events)
    assert any(isinstance(e.error, CacheUnavailable) for e in events)


async def test_replica_acks_are_demanded_of_a_node_with_none(
    redis_server: RedisServerProcess,
) -> None:
    # A plain server has no replica: asking for one can never be confirmed.
    strict = RedisClusterCache(url=redis_server.url, replica_acks=1, replica_ack_timeout=0.01)
    with pytest.raises(ReplicationUnconfirmed, match="0 of 1"):
        await strict.increment("acks-strict", 1)
    assert strict.circuit_state == "closed"  # Redis answered: not an outage
    auto = RedisClusterCache(url=redis_server.url)
    assert await auto.increment("acks-auto", 1) == 1  # no replica to wait for
    await strict.close()
    await auto.close()


async def test_the_replica_count_is_asked_again_after_the_interval() -> None:
    clock = FakeClock()
    acks = ReplicaAcks("auto", timeout=0.1, check_interval=1.0, clock=clock)
    answers = [["master", 10, [["127.0.0.1", "7001", "10"]]], [b"master", 12, []]]
    asked: list[int] = []

    async def role() -> Any:
        asked.append(1)
        return answers[len(asked) - 1]

    assert await acks.required("n", role) == 1
    assert await acks.required("n", role) == 1  # remembered
    clock.now += 1.0
    assert await acks.required("n", role) == 0
    assert len(asked) == 2
    acks.forget("n")
    answers.append([b"slave", b"127.0.0.1", 7000, b"connected", 5])
    assert await acks.required("n", role) == 0
    assert await ReplicaAcks(2, timeout=0.1, check_interval=1).required("n", role) == 2
    assert connected_replicas(None) == 0


def test_the_serializer_takes_bytes_ints_and_text_only() -> None:
    serializer = RawBytesSerializer()
    assert serializer.dumps(b"\x00") == b"\x00"
    assert serializer.dumps(bytearray(b"ab")) == b"ab"
    assert serializer.dumps(42) == b"42"
    assert serializer.dumps("é") == "é".encode()
    with pytest.raises(TypeError, match="stores bytes, not dict"):
        serializer.dumps({"a": 1})
    with pytest.raises(TypeError):
        serializer.dumps(True)


async def test_clear_without_a_namespace_refuses_to_empty_the_database(
    redis_server: RedisServerProcess,
) -> None:
    cache = RedisClusterCache(url=redis_server.url)
    await cache.set("someone-elses-key", b"precious")
    with pytest.raises(RedisCacheError, match="needs a namespace"):
        await cache.clear()
    assert await cache.get("someone-elses-key") == b"precious"
    await cache.delete("someone-elses-key")
    await cache.close()


async def test_clear_matches_the_namespace_literally(redis_cluster: RedisClusterProcess) -> None:
    cache = RedisClusterCache(urls=redis_cluster.urls[:1])
    await cache.set("k", b"1", namespace="glob*")
    await cache.set("k", b"2", namespace="globby")
    await cache.clear(namespace="glob*")
    assert await cache.get("k", namespace="glob*") is None
    assert await cache.get("k", namespace="globby") == b"2"
    await cache.clear(namespace="globby")
    await cache.close()


async def test_a_redis_error_is_a_typed_cache_error(redis_server: RedisServerProcess) -> None:
    cache = RedisClusterCache(url=redis_server.url)
    await cache.raw("RPUSH", "a-list", "x")
    with pytest.raises(RedisCacheError, match="WRONGTYPE") as info:
        await cache.get("a-list")
    assert info.value.__cause__ is not None
    assert cache.circuit_state == "closed"
    assert await cache.delete("a-list") == 1
    await cache.close()


async def test_a_closed_backend_connects_again_on_use(redis_cluster: RedisClusterProcess) -> None:
    cache = RedisClusterCache(urls=redis_cluster.urls[:1], namespace="reopen")
    await cache.set("k", b"v")
    await cache.close()
    assert cache.mode is None
    assert await cache.get("k") == b"v"
    assert cache.mode == "cluster"
    await cache.clear()
    await cache.close()


async def test_aiocache_locks_work(redis_cluster: RedisClusterProcess) -> None:
    cache = RedisClusterCache(urls=redis_cluster.urls[:1], namespace="locks")
    await cache.set("k", b"\xff binary")
    async with OptimisticLock(cache, "k") as lock:
        await lock.cas(b"mine")
    assert await cache.get("k") == b"mine"
    async with OptimisticLock(cache, "k") as lock:
        await cache.set("k", b"someone else's")
        with pytest.raises(OptimisticLockError):
            await lock.cas(b"mine again")
    assert await cache.get("k") == b"someone else's"
    async with RedLock(cache, "k", lease=5):
        assert await cache.exists("k-lock")
    assert not await cache.exists("k-lock")
    await cache.clear()
    await cache.close()
