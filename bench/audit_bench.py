"""What the audit plugin costs per call: a 5-row ``search_read`` with and without it.

Usage: ``python bench/audit_bench.py [--quick] [--calls N] [--rounds R] [--fsync] [--json]``
(or ``python bench/run.py --suite audit``, which runs it in ``bench/.venvs/zenoo-audit``).

One process, one in-process emulator (``memory://``, Odoo 18, 100 partners),
one client per variant: ``baseline`` (no plugin), ``jsonl`` (the audit plugin
writing a JSON Lines file in a temporary directory, fsync off: the target),
``memory`` (the in-memory sink) and, with ``--fsync``, ``jsonl+fsync`` (one
call in 20). Each round runs ``--calls`` calls per client; a variant's
overhead is taken per round against that round's baseline (so a machine that
slows down mid-run shifts both), and the table shows the median
over rounds. Within a round the clients take turns call by call, and a
round's figure per client is its median call; time is process CPU time, so
other processes on the machine count as little as they can. Target:
``jsonl`` under 5 % of a call.

Needs ``zenoo_rpc`` and ``zenoo_rpc_audit`` importable (``pip install -e core
-e plugins/audit``).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from harness import print_table

MODEL = "res.partner"
FIELDS = ["name", "email", "city"]
LIMIT = 5
TARGET_PERCENT = 5.0
SCRIPT = Path(__file__).resolve()


def variants(directory: str, *, fsync: bool) -> dict[str, dict[str, Any] | None]:
    """Each measured client's ``[plugins.audit]`` settings (``None``: no plugin)."""
    chosen: dict[str, dict[str, Any] | None] = {
        "baseline": None,
        "jsonl": {"path": f"{directory}/audit.jsonl"},
        "memory": {"sink": "memory"},
    }
    if fsync:
        chosen["jsonl+fsync"] = {"path": f"{directory}/audit-fsync.jsonl", "fsync": True}
    return chosen


async def _cpu_per_call_us(client: Any, calls: int) -> list[float]:
    """CPU microseconds of each of ``calls`` calls."""
    times = []
    clock = time.process_time_ns
    for _ in range(calls):
        started = clock()
        await client.search_read(MODEL, [], fields=FIELDS, limit=LIMIT)
        times.append((clock() - started) / 1000.0)
    return times


async def measure(calls: int, rounds: int, *, fsync: bool) -> dict[str, Any]:
    """Run the rounds; return per-variant medians and per-round overheads."""
    from zenoo_rpc import ZenooClient
    from zenoo_rpc.config import ZenooConfig
    from zenoo_rpc.testing.emulator.server import Emulator
    from zenoo_rpc.testing.transport import register_emulator, unregister_emulator

    register_emulator("audit-bench", Emulator(size=100))
    url = "memory://audit-bench"
    with tempfile.TemporaryDirectory() as directory:
        clients: dict[str, Any] = {}
        for name, settings in variants(directory, fsync=fsync).items():
            if settings is None:
                clients[name] = ZenooClient(url, plugins=[])
            else:
                mapping = {"url": url, "plugins": {"enabled": ["audit"], "audit": settings}}
                clients[name] = ZenooClient(config=ZenooConfig.from_mapping(mapping))
        try:
            for client in clients.values():
                await client.login("demo", "admin", "admin")
                await _cpu_per_call_us(client, 200)
            times: dict[str, list[float]] = {name: [] for name in clients}
            names = list(clients)
            for index in range(rounds):
                # Call by call, the clients take turns (in a rotating order), so
                # every variant runs under the same conditions; a round's figure
                # is the median call, which leaves out calls another process
                # slowed down.
                per_call: dict[str, list[float]] = {name: [] for name in names}
                for call_index in range(calls):
                    shift = call_index % len(names)
                    for name in names[shift:] + names[:shift]:
                        repeat = 1 if "fsync" not in name or call_index % 20 == 0 else 0
                        if repeat:
                            per_call[name] += await _cpu_per_call_us(clients[name], 1)
                for name in names:
                    times[name].append(statistics.median(per_call[name]))
                shown = ", ".join(f"{n} {times[n][-1]:.1f}" for n in names)
                print(f"[audit-bench] round {index + 1}/{rounds}: {shown} us", file=sys.stderr)
        finally:
            for client in clients.values():
                await client.close()
            unregister_emulator("audit-bench")
    baseline = times["baseline"]
    results: dict[str, Any] = {}
    for name, values in times.items():
        overheads = [(v / b - 1.0) * 100.0 for v, b in zip(values, baseline, strict=True)]
        results[name] = {
            "cpu_us_per_call": statistics.median(values),
            "overhead_percent": None if name == "baseline" else statistics.median(overheads),
            "overhead_range": None if name == "baseline" else [min(overheads), max(overheads)],
            "rounds": values,
        }
    jsonl = results["jsonl"]["overhead_percent"]
    return {
        "calls": calls,
        "rounds": rounds,
        "workload": f"{MODEL}.search_read limit={LIMIT} fields={FIELDS}, memory:// emulator",
        "variants": results,
        "target": {
            "target": f"jsonl sink (fsync off) overhead < {TARGET_PERCENT:.0f}%",
            "overhead_percent": jsonl,
            "verdict": "PASS" if jsonl < TARGET_PERCENT else "MISS",
        },
    }


def print_report(results: dict[str, Any]) -> None:
    """The table and the target line."""
    print(
        f"\nAudit overhead per call: {results['workload']}\n"
        f"{results['calls']} calls x {results['rounds']} rounds per variant; median of rounds, "
        "process CPU"
    )
    rows = [("variant", "us/call", "overhead", "range over rounds")]
    for name, row in results["variants"].items():
        low_high = row["overhead_range"]
        rows.append(
            (
                name,
                f"{row['cpu_us_per_call']:.1f}",
                "-" if row["overhead_percent"] is None else f"{row['overhead_percent']:+.1f}%",
                "" if low_high is None else f"{low_high[0]:+.1f}% .. {low_high[1]:+.1f}%",
            )
        )
    print_table(rows)
    target = results["target"]
    print(f"\ntarget: {target['target']}: {target['overhead_percent']:.1f}% {target['verdict']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--quick", action="store_true", help="1000 calls, 5 rounds")
    parser.add_argument("--calls", type=int, help="calls per client per round (default 3000)")
    parser.add_argument("--rounds", type=int, help="rounds (default 11)")
    parser.add_argument("--fsync", action="store_true", help="also measure fsync per record")
    parser.add_argument(
        "--json", action="store_true", help="also print the results as JSON, on the last line"
    )
    args = parser.parse_args()
    calls = args.calls or (1000 if args.quick else 3000)
    rounds = args.rounds or (5 if args.quick else 11)
    results = asyncio.run(measure(calls, rounds, fsync=args.fsync))
    print_report(results)
    if args.json:
        print(json.dumps(results))


if __name__ == "__main__":
    main()
