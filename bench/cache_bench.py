"""Cache-hit latency: a cached ``search_read`` through the client, per backend.

Usage: ``python bench/cache_bench.py [--quick]`` (or ``python bench/run.py --suite cache``).

For each backend, one client (in-process ``memory://`` Odoo 18 emulator,
100 partners) caches ``search_read`` of 80 ``res.partner`` with 10 fields
(``emulator_bench.FIELDS``), then times N more identical calls, every one a
hit (checked: the emulator sees none of them). Backends:

- ``memory``: the built-in in-process LRU;
- ``redis-cluster``: 3 masters + 3 replicas on loopback (started here with
  ``zenoo_rpc_redis_cluster.testing.start_cluster``);
- ``redis-single``: one plain ``redis-server`` on loopback.

Reported per backend: median and p99 wall time of one hit through the client
(key, generation lookup, entry fetch, msgpack decode), the same for a raw
``backend.get`` of the cached entry (the store alone), and, for reference,
one uncached call to the in-process emulator. Everything runs in one process
on one event loop; the Redis servers are this machine's, so the numbers are
loopback round trips, not a network's.

Needs ``zenoo_rpc`` and, for the Redis rows, ``zenoo_rpc_redis_cluster`` with
``redis-server`` / ``redis-cli`` on PATH; a row that cannot run says why.
Prints a table, then one JSON line with the results.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from emulator_bench import FIELDS
from harness import print_table

REPO = Path(__file__).resolve().parent.parent
LIMIT = 80


def _stats(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return {
        "median_us": round(statistics.median(ordered) * 1e6, 1),
        "p99_us": round(p99 * 1e6, 1),
        "mean_us": round(statistics.fmean(ordered) * 1e6, 1),
    }


async def _time(work: Callable[[], Awaitable[Any]], calls: int) -> list[float]:
    samples = []
    clock = time.perf_counter
    for _ in range(calls):
        start = clock()
        await work()
        samples.append(clock() - start)
    return samples


async def measure(
    name: str, memory_url: str, plugins: list[str], cache: dict[str, Any], calls: int
) -> dict[str, Any]:
    """One backend's row: hit latency through the client and of a raw backend get."""
    from zenoo_rpc import ZenooClient

    async with ZenooClient(memory_url, plugins=plugins, cache=cache) as client:
        await client.login("demo", "admin", "admin")
        keys: list[str] = []
        misses = 0

        def on_event(event: Any) -> None:
            nonlocal misses
            if event.name == "cache_miss":
                misses += 1
                keys.append(event.key)
            elif event.name == "cache_error":
                raise SystemExit(f"{name}: cache error {event.error!r}")

        client.register_event_handler(on_event)

        async def read() -> Any:
            return await client.search_read("res.partner", [], FIELDS, limit=LIMIT)

        first = await read()
        assert len(first) == LIMIT, len(first)
        await _time(read, max(50, calls // 10))  # warm-up
        hits = await _time(read, calls)
        if misses != 1:
            raise SystemExit(f"{name}: {misses} misses, expected only the first call")
        backend = client.cache_manager.backend
        entry = keys[0]

        async def raw_get() -> Any:
            return await backend.get(entry)

        raw = await _time(raw_get, calls)
        size = len(await backend.get(entry))
    return {
        "backend": name,
        "hit": _stats(hits),
        "raw_get": _stats(raw),
        "entry_bytes": size,
        "calls": calls,
    }


async def uncached(memory_url: str, calls: int) -> dict[str, Any]:
    """The same call without a cache: the in-process emulator answering it."""
    from zenoo_rpc import ZenooClient

    async with ZenooClient(memory_url, plugins=[]) as client:
        await client.login("demo", "admin", "admin")

        async def read() -> Any:
            return await client.search_read("res.partner", [], FIELDS, limit=LIMIT)

        await _time(read, 20)
        return {"backend": "none (emulator answers)", "hit": _stats(await _time(read, calls))}


async def run(calls: int) -> dict[str, Any]:
    """Every row, with the Redis servers started and stopped here."""
    from zenoo_rpc.testing.emulator.server import Emulator
    from zenoo_rpc.testing.transport import register_emulator

    emulator = Emulator(size=100)
    register_emulator("cache-bench", emulator)
    url = "memory://cache-bench"
    rows: list[dict[str, Any]] = []
    memory_cache = {"enabled": True, "backend": "memory", "ttl": None}
    rows.append(await measure("memory", url, [], memory_cache, calls))
    try:
        from zenoo_rpc_redis_cluster.testing import start_cluster, start_redis_server
    except ImportError as exc:
        rows.append({"backend": "redis-*", "error": f"unavailable: {exc}"})
    else:
        with tempfile.TemporaryDirectory(prefix="zenoo-cache-bench-") as tmp:
            try:
                cluster = await asyncio.to_thread(start_cluster, Path(tmp) / "cluster")
                single = await asyncio.to_thread(start_redis_server, Path(tmp) / "single")
            except Exception as exc:  # redis-server missing, ports...
                rows.append({"backend": "redis-*", "error": f"unavailable: {exc}"})
            else:
                with cluster, single:
                    for name, settings in (
                        ("redis-cluster", {"urls": cluster.urls, "mode": "cluster"}),
                        ("redis-single", {"url": single.url, "mode": "single"}),
                    ):
                        cache = {
                            "enabled": True,
                            "backend": "redis-cluster",
                            "ttl": None,
                            "settings": settings,
                        }
                        rows.append(await measure(name, url, ["redis-cluster"], cache, calls))
    rows.append(await uncached(url, max(100, calls // 10)))
    return {
        "workload": f"search_read res.partner, {LIMIT} records, {len(FIELDS)} fields",
        "calls": calls,
        "python": sys.version.split()[0],
        "rows": rows,
    }


def print_report(results: dict[str, Any]) -> None:
    """The table of ``run``'s results."""
    print(f"\nCache hits: {results['workload']}; {results['calls']} hits per backend, loopback")
    header = ("backend", "hit median", "hit p99", "raw get median", "raw get p99", "entry")
    table = [header]
    for row in results["rows"]:
        if "error" in row:
            table.append((row["backend"], row["error"], "", "", "", ""))
            continue
        raw = row.get("raw_get")
        table.append(
            (
                row["backend"],
                f"{row['hit']['median_us']:.0f} us",
                f"{row['hit']['p99_us']:.0f} us",
                f"{raw['median_us']:.0f} us" if raw else "-",
                f"{raw['p99_us']:.0f} us" if raw else "-",
                f"{row['entry_bytes']} B" if "entry_bytes" in row else "-",
            )
        )
    print_table(table)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--quick", action="store_true", help="500 hits per backend")
    parser.add_argument("--calls", type=int, help="hits per backend (default 5000)")
    args = parser.parse_args()
    calls = args.calls or (500 if args.quick else 5000)
    results = asyncio.run(run(calls))
    print_report(results)
    print(json.dumps(results))


if __name__ == "__main__":
    main()
