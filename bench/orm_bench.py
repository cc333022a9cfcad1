"""The model layer's speed: typed records decoded per second, calls per report, stream memory.

Usage: ``python bench/orm_bench.py [--quick]`` (or ``python bench/run.py --suite orm``).

Against the emulator served over loopback HTTP (uvicorn, its own process), in
the same run:

1. **80-record pages**: ``client.model(ResPartner).limit(80).all()`` (zenoo,
   asyncio transport) against OdooRPC's ``browse`` (``search`` + ``browse``,
   its object model) and OdooRPC's ``search_read`` (dicts); every record's
   scalar fields in :data:`TOUCHED` are read on both sides. Measured: client
   process CPU (``time.process_time``: the server's work never counts), shown
   as records decoded per CPU second; median of rounds.
2. **A 100 000-record stream**: ``async for`` over ``client.model(ResPartner)``
   (1000 per page, id cursor) against OdooRPC ``search`` of every id, then
   ``browse`` per 1000. Same measure.
3. **"50 sale orders with their partner's name and their lines' product
   names"**: calls and wall time, zenoo with ``prefetch_related`` on Odoo 18
   (``web_search_read``) and Odoo 16 (``search_read`` + ``read``), zenoo
   loading lazily (``await order.order_line.all()``), and OdooRPC's browse.
4. **Memory**: ``tracemalloc`` peak (Python heap, client process only) of the
   whole stream against the peak of reading one page of the same size.

Targets: pages and stream at least 3x OdooRPC's browse; the 50-orders report
in at most 4 calls; the stream's peak under 2x one page's.

This module's top level is stdlib only (``run.py`` imports it). Measuring
happens in child processes of ``python bench/orm_bench.py <role>``: ``serve``
(the emulator), ``zenoo`` and ``memory`` (this repo's zenoo_rpc), ``odoorpc``
(OdooRPC's venv, ``bench/.venvs/odoorpc``). Children bind 127.0.0.1 only and
servers stop when their stdin closes.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from emulator_process import EmulatorProcess, running, serve_until_stdin_eof
from harness import fmt, median, print_table, run_json

BENCH = Path(__file__).resolve().parent
SCRIPT = Path(__file__).resolve()

DB = "demo"
USER = "admin"
PASSWORD = "admin"
PAGE = 80
STREAM_PAGE = 1000
#: The scalar fields read from every record, by every client.
TOUCHED = (
    "name",
    "email",
    "phone",
    "is_company",
    "street",
    "city",
    "zip",
    "website",
    "vat",
    "ref",
    "function",
    "active",
    "color",
    "type",
    "comment",
    "write_date",
)


@dataclass
class Settings:
    """How much to run; ``quick`` is a smoke run of a couple of minutes."""

    rounds: int = 5
    page_calls: int = 200
    page_warmup: int = 20
    page_size_server: int = 1000
    stream_size: int = 100_000
    orders_size: int = 100

    @classmethod
    def make(cls, quick: bool) -> Settings:
        if quick:
            return cls(rounds=3, page_calls=40, page_warmup=5, stream_size=20_000)
        return cls()


# =========================================================================== orchestrator


def _log(message: str) -> None:
    print(f"[bench] orm: {message}", file=sys.stderr, flush=True)


def _child(python: str, role: str, *args: str, timeout: float) -> dict[str, Any]:
    """Run ``role`` in a child process; its last stdout line is JSON."""
    return run_json([python, str(SCRIPT), role, *args], timeout=timeout, label=role)


def _server(python: str, version: int, size: int) -> EmulatorProcess:
    """The emulator served over loopback in a child process (role ``serve``)."""
    return EmulatorProcess(
        [python, str(SCRIPT), "serve", "--version", str(version), "--size", str(size)],
        name=f"emulator (Odoo {version}, size={size})",
        timeout=60 + size / 2000,
    )


def _rounds(
    clients: dict[str, tuple[str, list[str]]], rounds: int, timeout: float
) -> dict[str, dict[str, Any]]:
    """Each client once per round, the order rotating; every run and the medians."""
    names = list(clients)
    out: dict[str, dict[str, Any]] = {name: {"runs": [], "error": ""} for name in names}
    for index in range(rounds):
        shift = index % len(names)
        for name in names[shift:] + names[:shift]:
            if out[name]["error"]:
                continue
            python, args = clients[name]
            result = _child(python, *args, timeout=timeout)
            if "error" in result:
                out[name]["error"] = str(result["error"])
                _log(f"{name}: {result['error']}")
                continue
            out[name]["runs"].append(result)
            _log(f"round {index + 1}/{rounds} {name}: {result['records_per_cpu_s']:.0f} records/s")
    for entry in out.values():
        entry["records_per_cpu_s"] = median(entry["runs"], "records_per_cpu_s")
        entry["cpu_us_per_record"] = median(entry["runs"], "cpu_us_per_record")
        entry["wall_s"] = median(entry["runs"], "wall_s")
    return out


def run_suite(zenoo_python: str, odoorpc_python: str | None, s: Settings) -> dict[str, Any]:
    """Every measurement; ``odoorpc_python`` None when OdooRPC is unavailable."""
    started = time.time()
    results: dict[str, Any] = {"settings": asdict(s), "touched": list(TOUCHED)}
    odoorpc_error = "" if odoorpc_python else "OdooRPC venv unavailable"

    def clients(role: str, url: str, *extra: str) -> dict[str, tuple[str, list[str]]]:
        chosen = {"zenoo": (zenoo_python, ["zenoo", role, "--url", url, *extra])}
        if odoorpc_python:
            for kind in ("browse", "read") if role == "pages" else ("browse",):
                chosen[f"odoorpc-{kind}"] = (
                    odoorpc_python,
                    ["odoorpc", role, "--url", url, "--kind", kind, *extra],
                )
        return chosen

    page_args = ("--calls", str(s.page_calls), "--warmup", str(s.page_warmup))
    _log(f"80-record pages: {s.page_calls} calls x {s.rounds} rounds per client")
    with running(_server(zenoo_python, 18, s.page_size_server)) as (server,):
        results["pages"] = _rounds(clients("pages", server.url, *page_args), s.rounds, 600.0)
        orders = {
            "zenoo-odoo18": _child(
                zenoo_python, "zenoo", "orders", "--url", server.url, timeout=120.0
            )
        }
        if odoorpc_python:
            orders["odoorpc-odoo18"] = _child(
                odoorpc_python, "odoorpc", "orders", "--url", server.url, timeout=300.0
            )
    with running(_server(zenoo_python, 16, s.orders_size)) as (server,):
        orders["zenoo-odoo16"] = _child(
            zenoo_python, "zenoo", "orders", "--url", server.url, timeout=120.0
        )
    results["orders"] = orders
    _log(f"stream: Emulator(size={s.stream_size}) being built")
    with running(_server(zenoo_python, 18, s.stream_size)) as (server,):
        stream_timeout = 120 + s.stream_size / 100
        results["stream"] = _rounds(clients("stream", server.url), 1, stream_timeout)
        _log("memory: tracemalloc of one page and of the whole stream")
        results["memory"] = _child(
            zenoo_python, "memory", "--url", server.url, timeout=stream_timeout * 2
        )
    results["odoorpc_error"] = odoorpc_error
    results["seconds"] = round(time.time() - started, 1)
    results["targets"] = targets(results)
    return results


def _ratio(value: float | None, reference: float | None) -> float | None:
    return value / reference if value and reference else None


def targets(results: dict[str, Any]) -> list[dict[str, Any]]:
    """PASS / MISS / n/a for each target of the issue."""
    out = []
    for part in ("pages", "stream"):
        entry = results.get(part, {})
        ratio = _ratio(
            entry.get("zenoo", {}).get("records_per_cpu_s"),
            entry.get("odoorpc-browse", {}).get("records_per_cpu_s"),
        )
        out.append(
            {
                "target": f"{part}: records/s >= 3x OdooRPC browse",
                "value": ratio,
                "verdict": "n/a" if ratio is None else ("PASS" if ratio >= 3 else "MISS"),
            }
        )
    orders = results.get("orders", {})
    for name in ("zenoo-odoo18", "zenoo-odoo16"):
        calls = orders.get(name, {}).get("prefetch", {}).get("calls")
        out.append(
            {
                "target": f"50 orders report ({name}): <= 4 calls",
                "value": calls,
                "verdict": "n/a" if calls is None else ("PASS" if calls <= 4 else "MISS"),
            }
        )
    memory = results.get("memory", {})
    ratio = _ratio(memory.get("stream_peak"), memory.get("page_peak"))
    out.append(
        {
            "target": "stream peak memory < 2x one page",
            "value": ratio,
            "verdict": "n/a" if ratio is None else ("PASS" if ratio < 2 else "MISS"),
        }
    )
    return out


# --------------------------------------------------------------------------- report


_LABELS = {
    "zenoo": "zenoo-rpc models (asyncio transport)",
    "odoorpc-browse": "OdooRPC browse (search + browse)",
    "odoorpc-read": "OdooRPC search_read (dicts)",
}


def print_report(results: dict[str, Any]) -> None:
    """The "ORM" section of the benchmark's output."""
    s = results["settings"]
    title = "ORM: typed records over loopback HTTP (emulator, Odoo 18)"
    print(f"\n{title}\n{'=' * len(title)}")
    if results.get("odoorpc_error"):
        print(f"  OdooRPC: {results['odoorpc_error']}")
    for part, what in (
        (
            "pages",
            f"{PAGE}-record pages of res.partner, {s['page_calls']} calls x {s['rounds']} rounds",
        ),
        (
            "stream",
            f"stream of every res.partner of Emulator(size={s['stream_size']}), "
            f"{STREAM_PAGE} per page",
        ),
    ):
        print(f"\n{what}; {len(TOUCHED)} fields read per record; client CPU only")
        entry = results.get(part, {})
        reference = entry.get("odoorpc-browse", {}).get("records_per_cpu_s")
        rows = [("client", "records/CPU s", "CPU us/record", "wall s/run", "vs OdooRPC browse")]
        for name, label in _LABELS.items():
            if name not in entry:
                continue
            row = entry[name]
            if row.get("records_per_cpu_s") is None:
                rows.append((label, row.get("error") or "no result", "", "", ""))
                continue
            ratio = _ratio(row["records_per_cpu_s"], reference)
            rows.append(
                (
                    label,
                    f"{row['records_per_cpu_s']:.0f}",
                    fmt(row["cpu_us_per_record"], ".1f"),
                    fmt(row["wall_s"], ".2f"),
                    f"{ratio:.2f}x" if ratio else "-",
                )
            )
        print_table(rows)

    print("\n50 sale orders with their partner's name and their lines' product names")
    rows = [("client", "calls", "wall ms", "orders", "lines")]
    for name, result in results.get("orders", {}).items():
        if "error" in result:
            rows.append((name, result["error"], "", "", ""))
            continue
        for variant, row in result.items():
            rows.append(
                (
                    f"{name} {variant}",
                    str(row["calls"]),
                    f"{row['wall_ms']:.1f}",
                    str(row["orders"]),
                    str(row["lines"]),
                )
            )
    print_table(rows)

    memory = results.get("memory", {})
    print("\nMemory (tracemalloc peak above the baseline, client process)")
    if "error" in memory:
        print(f"  not measured: {memory['error']}")
    else:
        mb = 1024 * 1024
        ratio = _ratio(memory["stream_peak"], memory["page_peak"])
        print_table(
            [
                ("measure", "value"),
                (f"one page of {STREAM_PAGE} records", f"{memory['page_peak'] / mb:.2f} MB"),
                (
                    f"stream of {memory['stream_records']} records",
                    f"{memory['stream_peak'] / mb:.2f} MB",
                ),
                ("stream / one page", f"{ratio:.2f}x" if ratio else "-"),
            ]
        )
    print()
    for target in results.get("targets", []):
        value = target["value"]
        shown = (
            "-" if value is None else (f"{value:.2f}" if isinstance(value, float) else str(value))
        )
        print(f"target: {target['target']}: {shown} {target['verdict']}")


# =========================================================================== children


def _report(records: int, cpu: float, wall: float, **extra: Any) -> None:
    print(
        json.dumps(
            {
                "records": records,
                "records_per_cpu_s": records / cpu if cpu else None,
                "cpu_us_per_record": cpu / records * 1e6 if records else None,
                "wall_s": wall,
                **extra,
            }
        ),
        flush=True,
    )


async def _zenoo_client(url: str) -> Any:
    from zenoo_rpc import ZenooClient

    client = ZenooClient(url, protocol="jsonrpc", transport="asyncio", plugins=[])
    await client.open()
    await client.login(DB, USER, PASSWORD)
    return client


def _touch_records(records: Any) -> int:
    count = 0
    for record in records:
        for name in TOUCHED:
            getattr(record, name)
        country = record.country_id
        if country is not None:
            country.display_name  # noqa: B018 - reading is the point
        count += 1
    return count


async def role_zenoo(role: str, url: str, calls: int, warmup: int) -> None:
    """zenoo-rpc's side of ``pages``, ``stream`` or ``orders``; prints one JSON line."""
    from zenoo_rpc.models.common import ResPartner

    client = await _zenoo_client(url)
    try:
        if role == "pages":
            query = client.model(ResPartner).order_by("id").limit(PAGE)
            if _touch_records(await query.all()) != PAGE:
                raise RuntimeError(f"expected {PAGE} records")
            for _ in range(warmup):
                _touch_records(await query.all())
            wall, cpu = time.perf_counter(), time.process_time()
            records = 0
            for _ in range(calls):
                records += _touch_records(await query.all())
            _report(records, time.process_time() - cpu, time.perf_counter() - wall)
        elif role == "stream":
            wall, cpu = time.perf_counter(), time.process_time()
            records = 0
            async for record in client.model(ResPartner).iterate(page_size=STREAM_PAGE):
                records += _touch_records((record,))
            _report(records, time.process_time() - cpu, time.perf_counter() - wall)
        else:
            print(json.dumps(await _zenoo_orders(client)), flush=True)
    finally:
        await client.close()


async def _zenoo_orders(client: Any) -> dict[str, Any]:
    from zenoo_rpc.models.common import SaleOrder

    calls: list[str] = []

    async def count(call: Any, call_next: Any) -> Any:
        calls.append(f"{call.model}.{call.method}")
        return await call_next(call)

    client.add_middleware(count)
    out: dict[str, Any] = {}
    for variant in ("prefetch", "lazy"):
        calls.clear()
        began = time.perf_counter()
        query = client.model(SaleOrder).order_by("id").limit(50)
        if variant == "prefetch":
            orders = await query.prefetch_related("order_line__product_id").all()
        else:
            orders = await query.all()
        report = []
        for order in orders:
            lines = await order.order_line.all()
            report.append(
                (
                    order.partner_id.display_name if order.partner_id else None,
                    [line.product_id.display_name for line in lines if line.product_id],
                )
            )
        out[variant] = {
            "calls": len(calls),
            "methods": list(calls),
            "wall_ms": (time.perf_counter() - began) * 1000,
            "orders": len(report),
            "lines": sum(len(products) for _, products in report),
        }
    return out


async def role_memory(url: str) -> None:
    """tracemalloc peak of one page vs the whole stream (same page size); prints JSON."""
    import gc
    import tracemalloc

    from zenoo_rpc.models.common import ResPartner

    client = await _zenoo_client(url)
    try:
        query = client.model(ResPartner)
        await query.limit(5).all()  # warm every code path before tracing
        tracemalloc.start()
        gc.collect()
        base = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        page = await query.order_by("id").limit(STREAM_PAGE).all()
        _touch_records(page)
        page_peak = tracemalloc.get_traced_memory()[1] - base
        del page
        gc.collect()
        base = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        records = 0
        async for record in query.iterate(page_size=STREAM_PAGE):
            records += _touch_records((record,))
        stream_peak = tracemalloc.get_traced_memory()[1] - base
        tracemalloc.stop()
    finally:
        await client.close()
    print(
        json.dumps({"page_peak": page_peak, "stream_peak": stream_peak, "stream_records": records}),
        flush=True,
    )


def role_odoorpc(role: str, url: str, kind: str, calls: int, warmup: int) -> None:
    """OdooRPC's side (run in its venv); prints one JSON line."""
    from urllib.parse import urlsplit

    import odoorpc  # type: ignore[import-not-found]

    parts = urlsplit(url)
    odoo = odoorpc.ODOO(parts.hostname, port=parts.port)
    odoo.login(DB, USER, PASSWORD)
    partners = odoo.env["res.partner"]

    def touch(records: Any) -> int:
        count = 0
        read: Callable[[Any, str], Any] = dict.__getitem__ if kind == "read" else getattr
        for record in records:
            for name in TOUCHED:
                read(record, name)
            count += 1
        return count

    def page() -> int:
        if kind == "read":
            return touch(partners.search_read([], list(TOUCHED), limit=PAGE, order="id"))
        return touch(partners.browse(partners.search([], limit=PAGE, order="id")))

    if role == "pages":
        if page() != PAGE:
            raise RuntimeError(f"expected {PAGE} records")
        for _ in range(warmup):
            page()
        wall, cpu = time.perf_counter(), time.process_time()
        records = sum(page() for _ in range(calls))
        _report(records, time.process_time() - cpu, time.perf_counter() - wall)
    elif role == "stream":
        wall, cpu = time.perf_counter(), time.process_time()
        ids = partners.search([], order="id")
        records = 0
        for start in range(0, len(ids), STREAM_PAGE):
            records += touch(partners.browse(ids[start : start + STREAM_PAGE]))
        _report(records, time.process_time() - cpu, time.perf_counter() - wall)
    else:
        sent: list[str] = []
        original = odoo.json

        def counting(path: str, params: Any) -> Any:
            sent.append(path)
            return original(path, params)

        odoo.json = counting
        began = time.perf_counter()
        orders = odoo.env["sale.order"]
        report = []
        for order in orders.browse(orders.search([], limit=50, order="id")):
            report.append(
                (
                    order.partner_id.name,
                    [line.product_id.name for line in order.order_line if line.product_id],
                )
            )
        result = {
            "calls": len(sent),
            "wall_ms": (time.perf_counter() - began) * 1000,
            "orders": len(report),
            "lines": sum(len(products) for _, products in report),
        }
        print(json.dumps({"browse": result}), flush=True)


# =========================================================================== entry point


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "role", nargs="?", default="all", choices=("all", "serve", "zenoo", "odoorpc", "memory")
    )
    parser.add_argument("part", nargs="?", default="", help="pages, stream or orders")
    parser.add_argument("--quick", action="store_true", help="fewer calls, a 20 000-record stream")
    parser.add_argument("--url", default="")
    parser.add_argument("--version", type=int, default=18)
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--kind", default="browse", choices=("browse", "read"))
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=20)
    args = parser.parse_args()
    if args.role == "all":
        sys.path.insert(0, str(BENCH))
        import run  # the venv machinery of the benchmark runner

        results = run.run_orm(quick=args.quick)
        out = BENCH / "results"
        out.mkdir(exist_ok=True)
        (out / "orm.json").write_text(json.dumps(results, indent=2) + "\n")
    elif args.role == "serve":
        asyncio.run(serve_until_stdin_eof(args.version, args.size))
    elif args.role == "zenoo":
        asyncio.run(role_zenoo(args.part, args.url, args.calls, args.warmup))
    elif args.role == "memory":
        asyncio.run(role_memory(args.url))
    else:
        role_odoorpc(args.part, args.url, args.kind, args.calls, args.warmup)


if __name__ == "__main__":
    main()
