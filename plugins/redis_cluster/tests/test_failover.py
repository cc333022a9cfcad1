"""Redis failing under a running client: calls never fail, reads never go stale, hits come back.

Each test gets its own 6-node cluster (``disposable_cluster``) and breaks it:
kills the master holding ``res.partner``'s keys mid-loop (its replica takes
over), moves that slot to another master, kills every node (then starts them
again), or freezes a replica so that invalidations cannot be confirmed.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import time
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import pytest

from zenoo_rpc import Event, ZenooClient
from zenoo_rpc.cache import generation_key
from zenoo_rpc.testing.emulator.server import Emulator
from zenoo_rpc_redis_cluster import RedisClusterCache
from zenoo_rpc_redis_cluster.errors import (
    CacheUnavailable,
    RedisCacheError,
    RedisLaunchError,
    ReplicationUnconfirmed,
)
from zenoo_rpc_redis_cluster.testing import RedisClusterProcess, RedisServerProcess

PARTNERS = 3


@pytest.fixture
async def client(
    odoo_emulator: Emulator,
    disposable_cluster: RedisClusterProcess,
    cache_config: Callable[..., dict[str, Any]],
) -> AsyncIterator[ZenooClient]:
    cache = cache_config(disposable_cluster.urls)
    async with ZenooClient(
        odoo_emulator.memory_url, plugins=["redis-cluster"], cache=cache
    ) as client:
        await client.login("demo", "admin", "admin")
        yield client


@pytest.fixture
def events(client: ZenooClient) -> list[Event]:
    seen: list[Event] = []
    client.register_event_handler(lambda e: seen.append(e) if e.name.startswith("cache_") else None)
    return seen


def _partner_master(client: ZenooClient, cluster: RedisClusterProcess) -> RedisServerProcess:
    namespace = client.config.cache.namespace
    return cluster.master_of(f"{namespace}:{generation_key(client.url, 'demo', 'res.partner')}")


def _promoted(
    client: ZenooClient, cluster: RedisClusterProcess, victim: RedisServerProcess
) -> bool:
    try:
        return _partner_master(client, cluster) is not victim
    except RedisLaunchError:  # no master for the slot yet
        return False


class Loop:
    """Tasks each owning one partner: write a new name every fifth step, read it otherwise.

    Every read is checked against the last name written, so a stale cache
    entry served after a write is caught, whatever Redis is going through.
    """

    def __init__(self, client: ZenooClient, partners: list[int]) -> None:
        self.client = client
        self.expected = dict.fromkeys(partners, "v0")
        self.stale: list[tuple[int, str, str]] = []
        self.reads = 0
        self.writes = 0
        self.stop = asyncio.Event()

    async def run(self, partner: int) -> None:
        step = 0
        while not self.stop.is_set():
            step += 1
            if step % 5 == 0:
                name = f"v{step}"
                await self.client.write("res.partner", [partner], {"name": name})
                self.expected[partner] = name
                self.writes += 1
            else:
                got = (await self.client.read("res.partner", [partner], ["name"]))[0]["name"]
                if got != self.expected[partner]:
                    self.stale.append((partner, got, self.expected[partner]))
                self.reads += 1
            await asyncio.sleep(0.002)


async def _until(condition: Callable[[], bool], limit: float, what: str) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + limit
    while not condition():
        if loop.time() > deadline:
            raise AssertionError(f"not within {limit}s: {what}")
        await asyncio.sleep(0.05)


def _count(events: list[Event], name: str, start: int = 0) -> int:
    return sum(1 for e in events[start:] if e.name == name)


async def test_a_master_killed_mid_loop_fails_no_call_and_serves_nothing_stale(
    client: ZenooClient, disposable_cluster: RedisClusterProcess, events: list[Event]
) -> None:
    partners = [await client.create("res.partner", {"name": "v0"}) for _ in range(PARTNERS)]
    victim = _partner_master(client, disposable_cluster)
    loop = Loop(client, partners)
    tasks = [asyncio.create_task(loop.run(partner)) for partner in partners]
    try:
        await _until(lambda: _count(events, "cache_hit") >= 30, 30, "cache hits before the kill")
        victim.kill()
        killed = len(events)
        await _until(lambda: _count(events, "cache_error", killed) > 0, 30, "the kill noticed")
        # the replica takes over; hits resume, on the promoted replica
        await _until(
            lambda: _promoted(client, disposable_cluster, victim), 30, "a replica promoted"
        )
        recovered = len(events)
        await _until(
            lambda: (
                _count(events, "cache_hit", recovered) >= 30 and loop.writes >= 2 * PARTNERS + 10
            ),
            30,
            "cache hits after the failover",
        )
    finally:
        loop.stop.set()
        await asyncio.gather(*tasks)  # re-raises any call that failed
    assert loop.stale == []
    assert loop.reads > 100
    assert _count(events, "cache_hit", recovered) >= 30


async def test_a_dead_cluster_fails_no_call_and_is_used_again_once_back(
    client: ZenooClient, disposable_cluster: RedisClusterProcess, events: list[Event]
) -> None:
    partner = await client.create("res.partner", {"name": "v0"})
    loop = Loop(client, [partner])
    task = asyncio.create_task(loop.run(partner))
    try:
        await _until(lambda: _count(events, "cache_hit") >= 10, 30, "cache hits")
        disposable_cluster.close()
        dead = len(events)
        # Redis is skipped (the circuit is open): no call waits on a dead node.
        await _until(
            lambda: any(isinstance(e.error, CacheUnavailable) for e in events[dead:]),
            30,
            "the circuit opened",
        )
        reads_while_dead = loop.reads
        await _until(lambda: loop.reads > reads_while_dead + 50, 30, "reads while Redis is dead")
        assert _count(events, "cache_hit", dead + 5) == 0
        for node in disposable_cluster.nodes:
            node.start()
        await asyncio.to_thread(disposable_cluster.wait_healthy, 60)
        back = len(events)
        await _until(lambda: _count(events, "cache_hit", back) >= 10, 30, "hits after restart")
    finally:
        loop.stop.set()
        await task
    assert loop.stale == []


@contextlib.contextmanager
def _frozen(node: RedisServerProcess) -> Iterator[None]:
    assert node.process is not None
    os.kill(node.process.pid, signal.SIGSTOP)
    try:
        yield
    finally:
        os.kill(node.process.pid, signal.SIGCONT)


async def test_an_unconfirmed_invalidation_stops_caching_the_model_until_one_is_confirmed(
    client: ZenooClient,
    disposable_cluster: RedisClusterProcess,
    events: list[Event],
    odoo_emulator: Emulator,
) -> None:
    partner = await client.create("res.partner", {"name": "v0"})

    async def name() -> str:
        return str((await client.read("res.partner", [partner], ["name"]))[0]["name"])

    assert [await name(), await name()] == ["v0", "v0"]
    assert _count(events, "cache_hit") == 1
    master = _partner_master(client, disposable_cluster)
    (replica,) = disposable_cluster.replicas_of(master)
    with _frozen(replica):
        # The bump reaches the master but no replica: a failover could lose it.
        await client.write("res.partner", [partner], {"name": "v1"})
        assert any(isinstance(e.error, ReplicationUnconfirmed) for e in events)
        # So res.partner is not cached: each read goes to Odoo.
        odoo_emulator.database("demo").call(
            2, "res.partner", "write", [[partner], {"name": "v2"}], {}
        )
        assert await name() == "v2"
        odoo_emulator.database("demo").call(
            2, "res.partner", "write", [[partner], {"name": "v3"}], {}
        )
        assert await name() == "v3"
    await asyncio.to_thread(disposable_cluster.wait_healthy, 60)
    thawed = len(events)
    assert [await name(), await name()] == ["v3", "v3"]
    assert [e.name for e in events[thawed:]] == ["cache_miss", "cache_hit"]


def _migrate_slot(
    cluster: RedisClusterProcess, key: str, *, finish: bool = True
) -> RedisServerProcess:
    """Move ``key``'s slot to another master the way ``redis-cli --cluster reshard`` does.

    With ``finish=False`` the keys are moved but the slot stays migrating (ASK replies).
    """
    source = cluster.master_of(key)
    target = next(master for master in cluster.masters() if master is not source)
    ids = {info.port: info.node_id for info in cluster.topology()}
    slot = source.command("CLUSTER", "KEYSLOT", key)
    target.command("CLUSTER", "SETSLOT", slot, "IMPORTING", ids[source.port])
    source.command("CLUSTER", "SETSLOT", slot, "MIGRATING", ids[target.port])
    while keys := source.command("CLUSTER", "GETKEYSINSLOT", slot, 10):
        source.command("MIGRATE", target.host, target.port, "", 0, 5000, "KEYS", *keys)
        time.sleep(0.01)  # let the client run into ASK redirections meanwhile
    if finish:
        _finish_migration(cluster, slot, ids[target.port])
    return target


def _finish_migration(cluster: RedisClusterProcess, slot: int, node_id: str) -> None:
    for master in cluster.masters():
        master.command("CLUSTER", "SETSLOT", slot, "NODE", node_id)


async def test_a_slot_moved_mid_loop_fails_no_call_and_serves_nothing_stale(
    client: ZenooClient, disposable_cluster: RedisClusterProcess, events: list[Event]
) -> None:
    partners = [await client.create("res.partner", {"name": "v0"}) for _ in range(PARTNERS)]
    namespace = client.config.cache.namespace
    gen = f"{namespace}:{generation_key(client.url, 'demo', 'res.partner')}"
    loop = Loop(client, partners)
    tasks = [asyncio.create_task(loop.run(partner)) for partner in partners]
    try:
        await _until(lambda: _count(events, "cache_hit") >= 30, 30, "cache hits before the move")
        target = await asyncio.to_thread(_migrate_slot, disposable_cluster, gen)
        moved = len(events)
        writes = loop.writes
        await _until(
            lambda: _count(events, "cache_hit", moved) >= 30 and loop.writes >= writes + 10,
            30,
            "cache hits and writes after the move",
        )
    finally:
        loop.stop.set()
        await asyncio.gather(*tasks)
    assert loop.stale == []
    assert disposable_cluster.master_of(gen) is target
    with target.client() as conn:
        assert conn.exists(gen)


async def test_a_bump_follows_a_moved_slot_and_refuses_a_migrating_one(
    disposable_cluster: RedisClusterProcess,
) -> None:
    cache = RedisClusterCache(urls=disposable_cluster.urls[:1], namespace="moving")
    key = "moving:{tag}:gen"
    assert await cache.increment("{tag}:gen", 1) == 1
    # MOVED: INCRBY pinned to the old master is refused there, then sent to the new one.
    target = await asyncio.to_thread(_migrate_slot, disposable_cluster, key)
    assert await cache.increment("{tag}:gen", 1) == 2
    assert disposable_cluster.master_of(key) is target
    # ASK (slot half-migrated): not followed, since WAIT could not follow it to
    # the same connection; the bump fails and nothing was incremented.
    target = await asyncio.to_thread(_migrate_slot, disposable_cluster, key, finish=False)
    with pytest.raises(RedisCacheError, match="being migrated"):
        await cache.increment("{tag}:gen", 1)
    ids = {info.port: info.node_id for info in disposable_cluster.topology()}
    slot = target.command("CLUSTER", "KEYSLOT", key)
    await asyncio.to_thread(_finish_migration, disposable_cluster, slot, ids[target.port])
    assert await cache.increment("{tag}:gen", 1) == 3
    await cache.close()
