"""The emulator's performance: loopback requests/s, in-process calls/s, memory at 100 000 partners.

Usage: ``python bench/emulator_bench.py [--quick]`` (or ``python bench/run.py --suite emulator``).

The workload is one ``search_read`` of 80 ``res.partner`` records with 10
fields (``FIELDS``) on the Odoo 18 emulator
(``zenoo_rpc.testing.emulator.server.Emulator``):

1. **Loopback HTTP**: the emulator (``size=1000``) served by uvicorn in its own
   process; another process drives it with 1, then 8 zenoo clients (asyncio
   transport, keep-alive, one connection each) sharing a fixed number of
   requests, bounded in time too. The same driver against an instant server
   that answers the emulator's exact ``search_read`` bytes (``bench/server.py``
   with its answer swapped) is the reference: what the driving clients can do
   at most on this machine.
2. **In-process**, one caller, sequential: ``Database.call`` (the ORM alone),
   ``Emulator.handle`` of a JSON-RPC request (plus routing and JSON), and
   ``ZenooClient("memory://...")`` (plus the whole client). What each layer
   costs.
3. **Memory**: a fresh process builds ``Emulator(size=100_000)``; RSS before
   and after (``VmRSS``), build time, then again in another fresh process under
   ``tracemalloc`` for the Python heap's peak.

This module's top level is stdlib only: ``run.py`` imports it to orchestrate.
The measuring happens in child processes of ``python bench/emulator_bench.py
<role>`` (roles ``serve``, ``instant``, ``load``, ``inproc``, ``memory``),
run by an interpreter where ``zenoo_rpc[emulator]`` is importable. Every child
binds 127.0.0.1 only, stops when its stdin closes or its time is up, and is
killed by the orchestrator if it overstays.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from emulator_process import (
    EmulatorProcess,
    announce,
    running,
    serve_until_stdin_eof,
    wait_for_stdin_eof,
)
from harness import fmt, median, print_table, run_json

BENCH = Path(__file__).resolve().parent
SCRIPT = Path(__file__).resolve()

VERSION = 18
DB = "demo"
USER = "admin"
PASSWORD = "admin"
MODEL = "res.partner"
LIMIT = 80
FIELDS = [
    "name",
    "email",
    "phone",
    "is_company",
    "country_id",
    "child_ids",
    "street",
    "city",
    "zip",
    "write_date",
]
MEMORY_NAME = "bench-emulator"


@dataclass
class Settings:
    """How much to run; ``quick`` gives a smoke run of a minute or so."""

    rounds: int = 5
    concurrency: tuple[int, ...] = (1, 8)
    size: int = 1000
    requests: int = 1000
    load_warmup: int = 200
    load_seconds: float = 30.0
    calls: int = 500
    call_warmup: int = 50
    memory_size: int = 100_000

    @classmethod
    def make(cls, quick: bool) -> Settings:
        if quick:
            return cls(
                rounds=3, requests=200, load_warmup=20, load_seconds=10.0, calls=100, call_warmup=10
            )
        return cls()


# =========================================================================== orchestrator


def _log(message: str) -> None:
    print(f"[bench] emulator: {message}", file=sys.stderr, flush=True)


def _child(python: str, role: str, *args: str, timeout: float) -> dict[str, Any]:
    """Run ``role`` to completion in a child process; its last stdout line is JSON."""
    return run_json([python, str(SCRIPT), role, *args], timeout=timeout, label=role)


def _server(python: str, role: str, size: int, max_seconds: float) -> EmulatorProcess:
    """A server child process (role ``serve`` or ``instant``) on a loopback port."""
    return EmulatorProcess(
        [python, str(SCRIPT), role, "--size", str(size), "--max-seconds", str(max_seconds)],
        name=f"{role} server",
        timeout=120.0,
    )


def _cpu_seconds(server: EmulatorProcess) -> float | None:
    """User + system CPU of the server process so far (Linux ``/proc``; else None)."""
    try:
        stat = Path(f"/proc/{server.process.pid}/stat").read_text()
        fields = stat.rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, AttributeError):
        return None


def _loopback(python: str, s: Settings) -> dict[str, Any]:
    """Each (server, clients) pair once per round, in an order that rotates; medians."""
    per_run = s.load_seconds + 60.0
    labels = {
        "serve": f"emulator (uvicorn, size={s.size})",
        "instant": "instant server, same bytes (reference)",
    }
    pairs = [(role, n) for n in s.concurrency for role in labels]
    runs: dict[tuple[str, int], list[dict[str, Any]]] = {pair: [] for pair in pairs}
    errors: dict[tuple[str, int], str] = {}
    budget = s.rounds * len(pairs) * per_run + 120.0
    by_role = {role: _server(python, role, s.size, budget) for role in ("serve", "instant")}
    with running(*by_role.values()):
        for index in range(s.rounds):
            shift = index % len(pairs)
            for role, clients in pairs[shift:] + pairs[:shift]:
                if (role, clients) in errors:
                    continue
                server = by_role[role]
                cpu_before = _cpu_seconds(server)
                result = _child(
                    python,
                    "load",
                    "--url",
                    server.url,
                    "--concurrency",
                    str(clients),
                    "--requests",
                    str(s.requests),
                    "--warmup",
                    str(s.load_warmup),
                    "--seconds",
                    str(s.load_seconds),
                    timeout=per_run,
                )
                shown = f"round {index + 1}/{s.rounds} {role}, {clients} clients"
                if "error" in result:
                    errors[role, clients] = str(result["error"])
                    _log(f"{shown}: {result['error']}")
                    continue
                cpu_after = _cpu_seconds(server)
                if cpu_before is not None and cpu_after is not None:
                    # the server's CPU over the whole child run (logins and warm-up included)
                    result["server_cpu_ms_per_request"] = (
                        (cpu_after - cpu_before) / result["requests_total"] * 1000
                    )
                runs[role, clients].append(result)
                _log(f"{shown}: {result['rps']:.0f} req/s")
    rows = {}
    for role, clients in pairs:
        results = runs[role, clients]
        rows[f"{role}-{clients}"] = {
            "label": labels[role],
            "server": role,
            "clients": clients,
            "median_rps": median(results, "rps"),
            "min_rps": min((r["rps"] for r in results), default=None),
            "max_rps": max((r["rps"] for r in results), default=None),
            "median_p50_ms": median(results, "p50_ms"),
            "median_p95_ms": median(results, "p95_ms"),
            "median_driver_cpu_ms_per_request": median(results, "cpu_ms_per_request"),
            "median_server_cpu_ms_per_request": median(results, "server_cpu_ms_per_request"),
            "all_complete": all(r["complete"] for r in results),
            "runs": results,
            "error": errors.get((role, clients), ""),
        }
    return rows


def run_suite(python: str, s: Settings) -> dict[str, Any]:
    """Run every part with ``python`` for the children; the results as one JSON-able dict."""
    started = time.time()
    results: dict[str, Any] = {"settings": asdict(s), "fields": FIELDS, "limit": LIMIT}
    _log(f"loopback: {s.concurrency} clients, {s.requests} requests x {s.rounds} rounds each")
    try:
        results["loopback"] = _loopback(python, s)
    except RuntimeError as exc:
        results["loopback"] = {"error": str(exc)}
    _log(f"in-process: {s.calls} calls x {s.rounds} rounds per layer")
    results["in_process"] = _child(
        python,
        "inproc",
        "--size",
        str(s.size),
        "--calls",
        str(s.calls),
        "--warmup",
        str(s.call_warmup),
        "--rounds",
        str(s.rounds),
        timeout=600.0,
    )
    _log(f"memory: Emulator(size={s.memory_size}) in fresh processes")
    memory = _child(python, "memory", "--size", str(s.memory_size), timeout=600.0)
    traced = _child(python, "memory", "--size", str(s.memory_size), "--trace", timeout=900.0)
    results["memory"] = {"plain": memory, "tracemalloc": traced}
    results["seconds"] = round(time.time() - started, 1)
    return results


# --------------------------------------------------------------------------- report


def print_report(results: dict[str, Any]) -> None:
    """The "Emulator" section of the benchmark's output."""
    s = results["settings"]
    title = f"Emulator (Odoo {VERSION}): search_read of {LIMIT} res.partner x {len(FIELDS)} fields"
    print(f"\n{title}\n{'=' * len(title)}")

    loopback = results.get("loopback", {})
    print(
        "\nLoopback HTTP: zenoo clients (asyncio transport, keep-alive, one connection each) in "
        f"one process sharing {s['requests']} requests (at most {s['load_seconds']:.0f} s) "
        f"x {s['rounds']} rounds; median of rounds; CPU ms per request"
    )
    if "error" in loopback:
        print(f"  not measured: {loopback['error']}")
    else:
        rows = [
            ("server", "clients", "req/s", "min-max", "p50 ms", "p95 ms", "CPU client", "server")
        ]
        cut = False
        for row in loopback.values():
            clients = str(row["clients"])
            if row["median_rps"] is None:
                rows.append((row["label"], clients, row["error"] or "no result", *[""] * 5))
                continue
            cut = cut or not row["all_complete"]
            rows.append(
                (
                    row["label"],
                    clients,
                    f"{row['median_rps']:.0f}" + ("" if row["all_complete"] else "*"),
                    f"{row['min_rps']:.0f}-{row['max_rps']:.0f}",
                    fmt(row["median_p50_ms"], ".2f"),
                    fmt(row["median_p95_ms"], ".2f"),
                    fmt(row["median_driver_cpu_ms_per_request"], ".3f"),
                    fmt(row["median_server_cpu_ms_per_request"], ".3f"),
                )
            )
        print_table(rows)
        if cut:
            print(f"  * some rounds stopped at {s['load_seconds']:.0f} s before all requests")
        slow = loopback.get("serve-1", {}).get("median_p50_ms")
        if slow and slow > 30:
            print(
                "  one client waits > 30 ms per request: on Linux that is Nagle's algorithm"
                " meeting delayed ACKs (TCP_NODELAY off on the server's sockets)"
            )

    inproc = results.get("in_process", {})
    print(
        f"\nIn-process, one caller, sequential (size={s['size']}): "
        f"{s['calls']} calls x {s['rounds']} rounds; median of rounds"
    )
    if "error" in inproc:
        print(f"  not measured: {inproc['error']}")
    else:
        layers = inproc["layers"]
        base = layers["database_call"]["median_calls_per_s"]
        rows = [("layer", "calls/s", "ms/call", "vs Database.call")]
        for layer in layers.values():
            rate = layer["median_calls_per_s"]
            rows.append(
                (
                    layer["label"],
                    f"{rate:.0f}",
                    f"{1000 / rate:.3f}",
                    f"{base / rate:.2f}x" if rate else "-",
                )
            )
        print_table(rows)
        print(f"  answer: {inproc['response_bytes']} bytes of JSON-RPC")

    memory = results.get("memory", {})
    plain, traced = memory.get("plain", {}), memory.get("tracemalloc", {})
    print(f"\nMemory: Emulator(size={s['memory_size']}) built in a fresh process")
    if "error" in plain:
        print(f"  not measured: {plain['error']}")
    else:
        mb = 1024 * 1024
        rows = [("measure", "value")]
        rows.append(("build time", f"{plain['build_seconds']:.2f} s"))
        rows.append(("res.partner records", str(plain["partners"])))
        rows.append(("RSS before (interpreter + zenoo_rpc)", f"{plain['rss_before'] / mb:.1f} MB"))
        rows.append(("RSS after", f"{plain['rss_after'] / mb:.1f} MB"))
        delta = plain["rss_after"] - plain["rss_before"]
        rows.append(("RSS growth", f"{delta / mb:.1f} MB"))
        rows.append(("RSS growth per partner", f"{delta / s['memory_size']:.0f} bytes"))
        if "error" in traced:
            rows.append(("tracemalloc", traced["error"]))
        else:
            rows.append(("tracemalloc current", f"{traced['traced_current'] / mb:.1f} MB"))
            rows.append(("tracemalloc peak", f"{traced['traced_peak'] / mb:.1f} MB"))
            per = traced["traced_peak"] / s["memory_size"]
            rows.append(("tracemalloc peak per partner", f"{per:.0f} bytes"))
            rows.append(("build time under tracemalloc", f"{traced['build_seconds']:.2f} s"))
        print_table(rows)
        print(f"  RSS from {plain['rss_source']}")


# =========================================================================== children


def _jsonrpc_body(request_id: int = 1) -> bytes:
    params = {
        "service": "object",
        "method": "execute_kw",
        "args": [DB, 2, PASSWORD, MODEL, "search_read", [[]], {"fields": FIELDS, "limit": LIMIT}],
    }
    return json.dumps(
        {"jsonrpc": "2.0", "method": "call", "params": params, "id": request_id}
    ).encode()


async def role_instant(size: int, max_seconds: float) -> None:
    """``bench/server.py`` answering the emulator's own ``search_read`` bytes; prints ``PORT``."""
    from zenoo_rpc.testing.emulator.server import Emulator
    from zenoo_rpc.transports.base import HttpRequest

    sys.path.insert(0, str(BENCH))
    import server as instant

    emulator = Emulator(version=VERSION, size=size)
    request = HttpRequest(
        path="/jsonrpc", headers={"Content-Type": "application/json"}, content=_jsonrpc_body()
    )
    answer = json.loads((await emulator.handle(request)).content)
    instant.RECORDS = json.dumps(answer["result"]).encode()
    loop = asyncio.get_running_loop()
    listening = await loop.create_server(instant.HttpServerProtocol, "127.0.0.1", 0, backlog=512)
    announce(listening.sockets[0].getsockname()[1])
    async with listening:
        await wait_for_stdin_eof(max_seconds)


def _check(result: Any) -> None:
    if not isinstance(result, list) or len(result) != LIMIT:
        raise RuntimeError(f"expected {LIMIT} records, got {type(result).__name__}")
    missing = set(FIELDS) - set(result[0])
    if missing:
        raise RuntimeError(f"records lack {sorted(missing)}")


async def role_load(url: str, concurrency: int, requests: int, warmup: int, seconds: float) -> None:
    """``concurrency`` clients share ``requests`` calls (stopping at ``seconds``); prints JSON."""
    from zenoo_rpc import ZenooClient

    async with contextlib.AsyncExitStack() as stack:
        clients = [
            await stack.enter_async_context(
                ZenooClient(url, protocol="jsonrpc", transport="asyncio", plugins=[])
            )
            for _ in range(concurrency)
        ]
        await asyncio.gather(*(client.login(DB, USER, PASSWORD) for client in clients))
        _check(await clients[0].search_read(MODEL, [], fields=FIELDS, limit=LIMIT))

        latencies: list[float] = []
        state = {"left": 0, "deadline": 0.0}

        async def worker(client: Any, record: bool) -> None:
            while state["left"] > 0 and time.perf_counter() < state["deadline"]:
                state["left"] -= 1
                began = time.perf_counter()
                await client.search_read(MODEL, [], fields=FIELDS, limit=LIMIT)
                if record:
                    latencies.append(time.perf_counter() - began)

        async def phase(count: int, record: bool) -> tuple[float, float]:
            state["left"], state["deadline"] = count, time.perf_counter() + seconds
            wall, cpu = time.perf_counter(), time.process_time()
            await asyncio.gather(*(worker(client, record) for client in clients))
            return time.perf_counter() - wall, time.process_time() - cpu

        await phase(warmup, record=False)
        wall, cpu = await phase(requests, record=True)
    done = len(latencies)
    if not done:
        raise RuntimeError(f"no request finished within {seconds} s")
    latencies.sort()
    print(
        json.dumps(
            {
                "requests": done,
                "requests_total": done + warmup + 1 + concurrency,  # + check + logins
                "complete": done == requests,
                "seconds": wall,
                "rps": done / wall,
                "cpu_ms_per_request": cpu / done * 1000,
                "p50_ms": latencies[done // 2] * 1000,
                "p95_ms": latencies[min(done - 1, done * 95 // 100)] * 1000,
                "concurrency": concurrency,
            }
        ),
        flush=True,
    )


async def _rate(call: Callable[[], Awaitable[Any]], calls: int, warmup: int) -> float:
    for _ in range(warmup):
        await call()
    began = time.perf_counter()
    for _ in range(calls):
        await call()
    return calls / (time.perf_counter() - began)


async def role_inproc(size: int, calls: int, warmup: int, rounds: int) -> None:
    """Calls/s of ``Database.call``, ``Emulator.handle`` and a ``memory://`` client; prints JSON."""
    from zenoo_rpc import ZenooClient
    from zenoo_rpc.testing.emulator.server import Emulator
    from zenoo_rpc.testing.transport import register_emulator, unregister_emulator
    from zenoo_rpc.transports.base import HttpRequest

    emulator = Emulator(version=VERSION, size=size)
    register_emulator(MEMORY_NAME, emulator)
    database = emulator.database(DB)
    uid = database.authenticate(USER, PASSWORD)
    if uid is None:
        raise RuntimeError("admin cannot log in")
    request = HttpRequest(
        path="/jsonrpc", headers={"Content-Type": "application/json"}, content=_jsonrpc_body()
    )
    response_bytes = len((await emulator.handle(request)).content)

    async def database_call() -> Any:
        kwargs = {"fields": FIELDS, "limit": LIMIT}
        return database.call(uid, MODEL, "search_read", [[]], kwargs)

    async def handle() -> Any:
        response = await emulator.handle(request)
        if response.status != 200:
            raise RuntimeError(f"HTTP {response.status}")
        return response

    try:
        async with ZenooClient(f"memory://{MEMORY_NAME}", protocol="jsonrpc", plugins=[]) as client:
            await client.login(DB, USER, PASSWORD)

            async def via_client() -> Any:
                return await client.search_read(MODEL, [], fields=FIELDS, limit=LIMIT)

            _check(await database_call())
            _check(await via_client())
            layers: dict[str, tuple[str, Callable[[], Awaitable[Any]]]] = {
                "database_call": ("Database.call (ORM only)", database_call),
                "emulator_handle": ("Emulator.handle (+ routing, JSON-RPC)", handle),
                "memory_client": ("ZenooClient memory:// (+ client)", via_client),
            }
            names = list(layers)
            rates: dict[str, list[float]] = {name: [] for name in names}
            for index in range(rounds):
                for name in names[index % len(names) :] + names[: index % len(names)]:
                    rates[name].append(await _rate(layers[name][1], calls, warmup))
    finally:
        unregister_emulator(MEMORY_NAME)
    result = {
        "response_bytes": response_bytes,
        "layers": {
            name: {
                "label": layers[name][0],
                "median_calls_per_s": statistics.median(rates[name]),
                "calls_per_s": rates[name],
            }
            for name in names
        },
    }
    print(json.dumps(result), flush=True)


def _rss() -> tuple[int, str]:
    """(resident set size in bytes, where it came from)."""
    with contextlib.suppress(OSError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024, "/proc/self/status VmRSS"
    import resource  # not on Windows; peak rather than current

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak * (1 if sys.platform == "darwin" else 1024), "getrusage ru_maxrss (peak)"


def role_memory(size: int, trace: bool) -> None:
    """Build ``Emulator(size=size)`` in this fresh process; prints JSON of its cost."""
    import gc
    import tracemalloc

    from zenoo_rpc.testing.emulator.server import Emulator

    gc.collect()
    rss_before, source = _rss()
    if trace:
        tracemalloc.start()
    began = time.perf_counter()
    emulator = Emulator(version=VERSION, size=size)
    build = time.perf_counter() - began
    traced_current, traced_peak = tracemalloc.get_traced_memory() if trace else (0, 0)
    tracemalloc.stop()
    gc.collect()
    rss_after, _ = _rss()
    database = emulator.database(DB)
    uid = database.authenticate(USER, PASSWORD) or 2
    partners = database.call(uid, MODEL, "search_count", [[]], {"context": {"active_test": False}})
    result: dict[str, Any] = {
        "size": size,
        "partners": partners,
        "build_seconds": build,
        "rss_before": rss_before,
        "rss_after": rss_after,
        "rss_source": source,
        "tracemalloc": trace,
    }
    if trace:
        result.update(traced_current=traced_current, traced_peak=traced_peak)
    print(json.dumps(result), flush=True)


# =========================================================================== entry point


def _python_for_children() -> str:
    return sys.executable


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    sub = parser.add_subparsers(dest="role")
    everything = sub.add_parser("all", help="every part, then the table (the default)")
    everything.add_argument("--quick", action="store_true")
    for role in ("serve", "instant"):
        server = sub.add_parser(role)
        server.add_argument("--size", type=int, default=1000)
        server.add_argument("--max-seconds", type=float, default=600.0)
    load = sub.add_parser("load")
    load.add_argument("--url", required=True)
    load.add_argument("--concurrency", type=int, default=8)
    load.add_argument("--requests", type=int, default=1000)
    load.add_argument("--warmup", type=int, default=200)
    load.add_argument("--seconds", type=float, default=30.0)
    inproc = sub.add_parser("inproc")
    inproc.add_argument("--size", type=int, default=1000)
    inproc.add_argument("--calls", type=int, default=500)
    inproc.add_argument("--warmup", type=int, default=50)
    inproc.add_argument("--rounds", type=int, default=3)
    memory = sub.add_parser("memory")
    memory.add_argument("--size", type=int, default=100_000)
    memory.add_argument("--trace", action="store_true")
    argv = sys.argv[1:]
    if not argv or argv[0].startswith("-"):
        argv = ["all", *argv]
    args = parser.parse_args(argv)

    if args.role == "serve":
        asyncio.run(serve_until_stdin_eof(VERSION, args.size, args.max_seconds))
    elif args.role == "instant":
        asyncio.run(role_instant(args.size, args.max_seconds))
    elif args.role == "load":
        asyncio.run(role_load(args.url, args.concurrency, args.requests, args.warmup, args.seconds))
    elif args.role == "inproc":
        asyncio.run(role_inproc(args.size, args.calls, args.warmup, args.rounds))
    elif args.role == "memory":
        role_memory(args.size, args.trace)
    else:
        results = run_suite(_python_for_children(), Settings.make(args.quick))
        print_report(results)


if __name__ == "__main__":
    main()
