"""Calls/s over one multiplexed websocket vs HTTP keep-alive, at the same concurrency.

Usage: ``python bench/ws_bench.py [--quick]`` (or ``python bench/run.py --suite ws``).

The Odoo 18 emulator (``size=200``) is served by uvicorn in its own process
(HTTP and websockets on one loopback port). For each transport of
zenoo-rpc, one client in another process logs in (JSON-RPC) and N callers
(1, 8, 64) share it, each calling in a loop for a fixed time after a
warm-up; the calls per second, the latency (p50, p95) and the driving
process's CPU per call are recorded. Rounds rotate the order of the
(transport, callers) pairs; the table shows the median round.

- ``websocket``: ``ws://`` URL, zenoo-rpc-websocket: every call a frame on
  ONE websocket, answers matched by id;
- ``asyncio``: zenoo-rpc's own HTTP/1.1 keep-alive pool, as many
  connections as callers;
- ``httpx``: httpx's keep-alive pool (up to 100 connections).

Two calls: ``read`` of one partner's name (a few hundred bytes: the cost
per message) and ``search_read`` of 80 partners x 10 fields (about 20 KB:
the cost per byte). The server's CPU is included in what limits calls/s: on
a 2-core machine the single-threaded server is usually the bottleneck, so
the client CPU per call column is the fairer comparison of the transports.

Needs ``zenoo_rpc[emulator]`` and ``zenoo_rpc_websocket``. Prints a table,
then one JSON line with the results.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from emulator_process import EmulatorProcess, running, serve_until_stdin_eof
from harness import fmt, median, print_table, run_json

SCRIPT = Path(__file__).resolve()
VERSION = 18
SIZE = 200
TRANSPORTS = ("websocket", "asyncio", "httpx")
WORKLOADS = {
    "read": "read 1 partner, 1 field",
    "search_read": "search_read 80 partners x 10 fields",
}
FIELDS = ["name", "email", "phone", "is_company", "country_id", "child_ids", "street", "city",
          "zip", "write_date"]  # fmt: skip


@dataclass
class Settings:
    """How much to run; ``quick`` is a smoke run of about a minute."""

    rounds: int = 3
    callers: tuple[int, ...] = (1, 8, 64)
    seconds: float = 3.0
    warmup_seconds: float = 0.5

    @classmethod
    def make(cls, quick: bool) -> Settings:
        return cls(rounds=1, seconds=1.0, warmup_seconds=0.2) if quick else cls()


# =========================================================================== orchestrator


def _log(message: str) -> None:
    print(f"[bench] ws: {message}", file=sys.stderr, flush=True)


def _load(url: str, transport: str, callers: int, workload: str, s: Settings) -> dict[str, Any]:
    command = [
        sys.executable, str(SCRIPT), "load", "--url", url, "--transport", transport,
        "--callers", str(callers), "--workload", workload, "--seconds", str(s.seconds),
        "--warmup-seconds", str(s.warmup_seconds),
    ]  # fmt: skip
    return run_json(command, timeout=120)


def run_suite(s: Settings) -> dict[str, Any]:
    """Every (workload, transport, callers) cell, ``s.rounds`` times; medians."""
    cells = [(w, t, n) for w in WORKLOADS for n in s.callers for t in TRANSPORTS]
    runs: dict[tuple[str, str, int], list[dict[str, Any]]] = {cell: [] for cell in cells}
    errors: dict[tuple[str, str, int], str] = {}
    budget = s.rounds * len(cells) * (s.seconds + s.warmup_seconds + 20) + 60
    server = EmulatorProcess(
        [sys.executable, str(SCRIPT), "serve", "--max-seconds", str(budget)],
        name="the emulator server",
        timeout=60.0,
    )
    started = time.time()
    with running(server):
        for index in range(s.rounds):
            shift = index % len(cells)
            for cell in cells[shift:] + cells[:shift]:
                if cell in errors:
                    continue
                workload, transport, callers = cell
                result = _load(server.url, transport, callers, workload, s)
                shown = f"round {index + 1}/{s.rounds} {workload} {transport} x{callers}"
                if "error" in result:
                    errors[cell] = str(result["error"])
                    _log(f"{shown}: {result['error']}")
                    continue
                runs[cell].append(result)
                _log(f"{shown}: {result['calls_per_s']:.0f} calls/s")
    rows = {}
    for cell in cells:
        workload, transport, callers = cell
        results = runs[cell]
        rows[f"{workload}-{transport}-{callers}"] = {
            "workload": workload,
            "transport": transport,
            "callers": callers,
            "median_calls_per_s": median(results, "calls_per_s"),
            "median_p50_ms": median(results, "p50_ms"),
            "median_p95_ms": median(results, "p95_ms"),
            "median_client_cpu_ms_per_call": median(results, "cpu_ms_per_call"),
            "connections": max((r["connections"] for r in results), default=None),
            "runs": results,
            "error": errors.get(cell, ""),
        }
    return {
        "settings": asdict(s),
        "emulator": {"version": VERSION, "size": SIZE},
        "seconds": round(time.time() - started, 1),
        "cells": rows,
    }


def print_report(results: dict[str, Any]) -> None:
    """The "websocket vs HTTP keep-alive" table(s)."""
    s = results["settings"]
    title = "Transports: calls/s over one websocket vs HTTP keep-alive (same callers)"
    print(f"\n{title}\n{'=' * len(title)}")
    print(
        f"Odoo {VERSION} emulator (size={SIZE}) served by uvicorn in another process; "
        f"{s['seconds']:.0f} s per cell after {s['warmup_seconds']} s warm-up, "
        f"median of {s['rounds']} round(s)"
    )
    cells = results["cells"]
    for workload, label in WORKLOADS.items():
        print(f"\n{label}")
        header = ("callers", "transport", "calls/s", "vs asyncio", "p50 ms", "p95 ms",
                  "client CPU ms/call", "connections")  # fmt: skip
        rows: list[tuple[str, ...]] = [header]
        for callers in s["callers"]:
            base = cells[f"{workload}-asyncio-{callers}"]["median_calls_per_s"]
            for transport in TRANSPORTS:
                row = cells[f"{workload}-{transport}-{callers}"]
                rate = row["median_calls_per_s"]
                if rate is None:
                    rows.append((str(callers), transport, row["error"] or "no result",
                                 *[""] * 5))  # fmt: skip
                    continue
                rows.append(
                    (
                        str(callers),
                        transport,
                        f"{rate:.0f}",
                        f"{rate / base:.2f}x" if base else "-",
                        fmt(row["median_p50_ms"], ".2f"),
                        fmt(row["median_p95_ms"], ".2f"),
                        fmt(row["median_client_cpu_ms_per_call"], ".3f"),
                        str(row["connections"]),
                    )
                )
        print_table(rows)


# =========================================================================== children


async def role_load(
    url: str, transport: str, callers: int, workload: str, seconds: float, warmup: float
) -> None:
    """Drive one client with ``callers`` concurrent loops; print one JSON line."""
    from zenoo_rpc import ZenooClient
    from zenoo_rpc.config import ZenooConfig

    base = url.replace("http://", "ws://", 1) if transport == "websocket" else url
    config = ZenooConfig.from_mapping(
        {
            "url": base,
            "transport": transport,
            "protocol": "jsonrpc",
            "retry": {"max_attempts": 1},
            "plugins": {
                "enabled": ["websocket"] if transport == "websocket" else [],
                "asyncio": {"max_connections": callers},
            },
        }
    )
    async with ZenooClient(config=config) as client:
        await client.login("demo", "admin", "admin")
        ids = await client.search("res.partner", [], limit=80)

        async def call(n: int) -> None:
            if workload == "read":
                rows = await client.read("res.partner", [ids[n % len(ids)]], ["name"])
                assert rows[0]["id"] == ids[n % len(ids)]
            else:
                rows = await client.search_read("res.partner", [], FIELDS, limit=80)
                assert len(rows) == 80

        async def caller(first: int, until: float, latencies: list[float] | None) -> int:
            n = first
            done = 0
            while time.perf_counter() < until:
                began = time.perf_counter()
                await call(n)
                if latencies is not None:
                    latencies.append(time.perf_counter() - began)
                n += callers
                done += 1
            return done

        warm_until = time.perf_counter() + warmup
        await asyncio.gather(*(caller(i, warm_until, None) for i in range(callers)))
        latencies: list[float] = []
        cpu, began = time.process_time(), time.perf_counter()
        until = began + seconds
        counts = await asyncio.gather(*(caller(i, until, latencies) for i in range(callers)))
        wall, cpu = time.perf_counter() - began, time.process_time() - cpu
        connections = getattr(client.transport, "connections", None)
    total = sum(counts)
    latencies.sort()
    print(
        json.dumps(
            {
                "calls": total,
                "seconds": wall,
                "calls_per_s": total / wall,
                "cpu_ms_per_call": cpu / total * 1000,
                "p50_ms": latencies[len(latencies) // 2] * 1000,
                "p95_ms": latencies[int(len(latencies) * 0.95)] * 1000,
                "connections": connections if connections is not None else callers,
            }
        ),
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    sub = parser.add_subparsers(dest="role")
    serve = sub.add_parser("serve")
    serve.add_argument("--max-seconds", type=float, default=600.0)
    load = sub.add_parser("load")
    load.add_argument("--url", required=True)
    load.add_argument("--transport", choices=TRANSPORTS, required=True)
    load.add_argument("--callers", type=int, required=True)
    load.add_argument("--workload", choices=tuple(WORKLOADS), required=True)
    load.add_argument("--seconds", type=float, required=True)
    load.add_argument("--warmup-seconds", type=float, required=True)
    parser.add_argument("--quick", action="store_true", help="1 round of 1 s per cell")
    args = parser.parse_args()
    if args.role == "serve":
        asyncio.run(serve_until_stdin_eof(VERSION, SIZE, args.max_seconds))
    elif args.role == "load":
        asyncio.run(
            role_load(
                args.url, args.transport, args.callers, args.workload, args.seconds,
                args.warmup_seconds,
            )
        )  # fmt: skip
    else:
        results = run_suite(Settings.make(args.quick))
        print_report(results)
        print(json.dumps(results))


if __name__ == "__main__":
    main()
