"""Sharing the cache: across processes, per hash slot, and for as long as the TTL says."""

from __future__ import annotations

import asyncio
import json
import sys
import uuid
from collections.abc import Callable
from typing import Any

from zenoo_rpc import ZenooClient
from zenoo_rpc.testing.emulator.server import Emulator
from zenoo_rpc_redis_cluster.testing import RedisClusterProcess

WRITER = """
import asyncio, json, sys

from zenoo_rpc import ZenooClient


async def main(url: str, cache: dict, partner: int, name: str) -> None:
    async with ZenooClient(url, plugins=["redis-cluster"], cache=cache) as client:
        await client.login("demo", "admin", "admin")
        await client.write("res.partner", [partner], {"name": name})


asyncio.run(main(sys.argv[1], json.loads(sys.argv[2]), int(sys.argv[3]), sys.argv[4]))
"""


def _cache_events(client: ZenooClient) -> list[str]:
    events: list[str] = []
    client.register_event_handler(
        lambda e: events.append(e.name) if e.name.startswith("cache_") else None
    )
    return events


async def test_a_write_in_another_process_invalidates_this_ones_reads(
    odoo_server_url: str,
    redis_cluster: RedisClusterProcess,
    cache_config: Callable[..., dict[str, Any]],
) -> None:
    cache = cache_config(redis_cluster.urls[:1])
    async with ZenooClient(odoo_server_url, plugins=["redis-cluster"], cache=cache) as client:
        await client.login("demo", "admin", "admin")
        events = _cache_events(client)
        partner = await client.create("res.partner", {"name": "Original"})
        for _ in range(2):
            assert await client.read("res.partner", [partner], ["name"]) == [
                {"id": partner, "name": "Original"}
            ]
        assert events == ["cache_miss", "cache_hit"]

        writer = await asyncio.create_subprocess_exec(
            sys.executable,
            "-c",
            WRITER,
            odoo_server_url,
            json.dumps(cache),
            str(partner),
            "Written by another process",
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        _, err = await writer.communicate()
        assert writer.returncode == 0, err.decode()

        assert await client.read("res.partner", [partner], ["name"]) == [
            {"id": partner, "name": "Written by another process"}
        ]
        assert events[-1] == "cache_miss"


async def test_a_models_generation_and_entries_share_a_slot_and_a_master(
    odoo_emulator: Emulator,
    redis_cluster: RedisClusterProcess,
    cache_config: Callable[..., dict[str, Any]],
) -> None:
    namespace = f"slots-{uuid.uuid4().hex[:8]}"
    cache = {**cache_config(redis_cluster.urls[:1]), "namespace": namespace}
    async with ZenooClient(odoo_emulator.memory_url, plugins=["redis-cluster"], cache=cache) as c:
        await c.login("demo", "admin", "admin")
        for model in ("res.partner", "res.users", "res.country", "res.currency"):
            for limit in (1, 2, 3):
                await c.search_read(model, [], ["name"], limit=limit)

    where: dict[str, int] = {}  # key -> port of the master holding it
    for master in redis_cluster.masters():
        with master.client() as conn:
            for key in conn.scan_iter(match=f"{namespace}:*", count=1000):
                where[key.decode()] = master.port
    by_tag: dict[str, list[str]] = {}
    for key in where:
        by_tag.setdefault(key[key.index("{") : key.index("}") + 1], []).append(key)
    assert len(by_tag) == 4
    node = redis_cluster.nodes[0]
    for keys in by_tag.values():
        assert sum(key.endswith(":gen") for key in keys) == 1
        assert sum(":call:" in key for key in keys) == 3
        assert len({node.command("CLUSTER", "KEYSLOT", key) for key in keys}) == 1
        assert len({where[key] for key in keys}) == 1


async def test_entries_expire_after_the_ttl(
    odoo_emulator: Emulator,
    redis_cluster: RedisClusterProcess,
    cache_config: Callable[..., dict[str, Any]],
) -> None:
    # Long enough that a slow machine still finds the entry before it expires.
    cache = cache_config(redis_cluster.urls[:1], ttl=3.0)
    async with ZenooClient(odoo_emulator.memory_url, plugins=["redis-cluster"], cache=cache) as c:
        await c.login("demo", "admin", "admin")
        events = _cache_events(c)
        partner = await c.create("res.partner", {"name": "Before"})
        assert await c.read("res.partner", [partner], ["name"]) == [
            {"id": partner, "name": "Before"}
        ]
        odoo_emulator.database("demo").call(
            2, "res.partner", "write", [[partner], {"name": "After"}], {}
        )
        names = []
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 30
        while loop.time() < deadline:
            names.append((await c.read("res.partner", [partner], ["name"]))[0]["name"])
            if names[-1] == "After":
                break
            await asyncio.sleep(0.05)
        # served from the cache (stale, as a TTL allows) until the entry expired
        assert names[0] == "Before"
        assert names[-1] == "After"
        assert events[1] == "cache_hit"
        assert events[-1] == "cache_miss"
