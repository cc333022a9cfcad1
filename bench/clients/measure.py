"""What every client script shares: arguments, the timing loop and the one-line JSON report.

A client script runs in its own process and venv, logs in, checks one answer,
warms up, then times ``--calls`` calls with ``time.process_time()`` (CPU of this
process only, so the server's work never counts) and prints one JSON line:
``{"cpu_per_call_ms": ..., "wall_per_call_ms": ..., "calls": ...}`` or
``{"error": "..."}`` when the client cannot run here.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import traceback
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, NoReturn

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import workload

__all__ = ["fail", "measure_async", "measure_sync", "parse_args", "workload"]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True, help="http://127.0.0.1:PORT of bench/server.py")
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--warmup", type=int, default=200)
    parser.add_argument("--transport", default="", help="zenoo clients: the transport name")
    return parser.parse_args()


def fail(reason: str) -> NoReturn:
    print(json.dumps({"error": reason}), flush=True)
    sys.exit(0)


def _check(result: Any) -> None:
    if len(result) != workload.LIMIT:
        fail(f"expected {workload.LIMIT} records, got {len(result)}")


def _report(cpu: float, wall: float, calls: int) -> None:
    print(
        json.dumps(
            {
                "cpu_per_call_ms": cpu / calls * 1000,
                "wall_per_call_ms": wall / calls * 1000,
                "calls": calls,
            }
        ),
        flush=True,
    )


async def measure_async(call: Callable[[], Awaitable[Any]], calls: int, warmup: int) -> None:
    try:
        _check(await call())
        for _ in range(warmup):
            await call()
        wall, cpu = time.perf_counter(), time.process_time()
        for _ in range(calls):
            await call()
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    except Exception as exc:  # the row says why
        traceback.print_exc()
        fail(f"{type(exc).__name__}: {exc}")
    _report(cpu, wall, calls)


def measure_sync(call: Callable[[], Any], calls: int, warmup: int) -> None:
    try:
        _check(call())
        for _ in range(warmup):
            call()
        wall, cpu = time.perf_counter(), time.process_time()
        for _ in range(calls):
            call()
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    except Exception as exc:
        traceback.print_exc()
        fail(f"{type(exc).__name__}: {exc}")
    _report(cpu, wall, calls)
