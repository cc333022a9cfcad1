"""Client CPU per ``search_read`` of 80 partners (about 50 KB), zenoo-rpc against its peers.

Usage: ``python bench/run.py [--suite clients|emulator|cache|orm|ws|audit|all] [--quick]
[--calls N] [--rounds R] [--only a,b]``.

Each client runs in its own process from its own venv under ``bench/.venvs/``
(created with uv on first use, reused while its requirements are unchanged;
the local zenoo-rpc is reinstalled when ``core/`` changes). One loopback
server (``bench/server.py``, another process) answers instantly. Rounds
alternate between the clients; the table shows each client's median. Then the
emulator suite (``bench/emulator_bench.py``): the in-memory Odoo's requests/s
over loopback, calls/s in-process and memory for 100 000 partners; then the
cache suite (``bench/cache_bench.py``): cache-hit latency per backend; then
the model layer (``bench/orm_bench.py``): typed records/s against OdooRPC; then
the transports (``bench/ws_bench.py``): calls/s over one websocket vs HTTP keep-alive;
then the audit plugin's cost per call (``bench/audit_bench.py``).
Results also go to ``bench/results/latest.json``. See ``bench/README.md``.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import emulator_bench
import orm_bench
from harness import print_table

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
VENVS = BENCH / ".venvs"
RESULTS = BENCH / "results"
CORE = REPO / "core"


@dataclass
class Client:
    name: str
    label: str
    venv: str
    requirements: list[str]
    script: str
    args: list[str] = field(default_factory=list)
    runs: list[dict[str, float]] = field(default_factory=list)
    error: str = ""

    def median(self, key: str = "cpu_per_call_ms") -> float | None:
        values = [run[key] for run in self.runs]
        return statistics.median(values) if values else None


def clients() -> list[Client]:
    local = str(CORE)
    return [
        Client(
            "floor",
            "asyncio streams + msgspec (floor)",
            "raw-asyncio",
            ["msgspec"],
            "raw_streams.py",
        ),
        Client(
            "zenoo-asyncio",
            "zenoo-rpc (this repo), asyncio transport",
            "zenoo-local",
            [local],
            "zenoo_local.py",
            ["--transport", "asyncio"],
        ),
        Client(
            "zenoo-httpx",
            "zenoo-rpc (this repo), httpx transport",
            "zenoo-local",
            [local],
            "zenoo_local.py",
            ["--transport", "httpx"],
        ),
        Client("odoorpc", "OdooRPC (urllib, sync)", "odoorpc", ["odoorpc"], "odoorpc_urllib.py"),
        Client(
            "raw-httpx",
            "raw httpx.AsyncClient + msgspec",
            "raw-httpx",
            ["httpx", "sniffio", "msgspec"],
            "raw_httpx.py",
        ),
        Client(
            "zenoo-0.2.4",
            "zenoo-rpc 0.2.4 (PyPI)",
            "zenoo-0.2.4",
            ["zenoo-rpc==0.2.4"],
            "zenoo_024.py",
        ),
        Client(
            "aio-odoorpc",
            "aio-odoorpc + httpx",
            "aio-odoorpc",
            ["aio-odoorpc", "httpx"],
            "aio_odoorpc_httpx.py",
        ),
    ]


# --------------------------------------------------------------------------- venvs


def _python(venv: Path) -> Path:
    return venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def _local_dir(requirement: str) -> Path | None:
    """The directory of a local requirement (``path`` or ``path[extra]``), else None."""
    path = Path(requirement.split("[", 1)[0])
    return path if path.is_dir() else None


def _shown(requirements: list[str]) -> list[str]:
    """Requirements with local paths shown relative to the repository (no machine paths)."""
    shown = []
    for r in requirements:
        local = _local_dir(r)
        extras = "[" + r.split("[", 1)[1] if "[" in r else ""
        shown.append(f"{local.resolve().relative_to(REPO)}{extras}" if local else r)
    return shown


def _tree_fingerprint(root: Path) -> str:
    digest = hashlib.sha256()
    for path in [*sorted((root / "src").rglob("*")), root / "pyproject.toml"]:
        if path.is_file() and "__pycache__" not in path.parts:
            stat = path.stat()
            digest.update(f"{path.relative_to(root)}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()


def ensure_venv(name: str, requirements: list[str]) -> tuple[Path, str]:
    """(python of the venv, "" or why it could not be made)."""
    venv = VENVS / name
    python = _python(venv)
    local = [path for r in requirements if (path := _local_dir(r))]
    spec = {
        "python": sys.version,
        "requirements": _shown(requirements),
        "local": [_tree_fingerprint(path) for path in local],
    }
    marker = venv / "bench-spec.json"
    if python.exists() and marker.exists() and json.loads(marker.read_text()) == spec:
        return python, ""
    uv = shutil.which("uv")
    print(f"[bench] preparing venv {name}: {' '.join(spec['requirements'])}", file=sys.stderr)
    if uv:
        steps = (
            []
            if python.exists()
            else [[uv, "venv", "--quiet", "--python", sys.executable, str(venv)]]
        )
        reinstall = [arg for r in local for arg in ("--reinstall-package", _dist_name(r))]
        steps.append(
            [uv, "pip", "install", "--quiet", "--python", str(python), *reinstall, *requirements]
        )
    else:
        steps = [] if python.exists() else [[sys.executable, "-m", "venv", str(venv)]]
        steps.append(
            [str(python), "-m", "pip", "install", "--quiet", "--force-reinstall", *requirements]
        )
    for step in steps:
        done = subprocess.run(step, capture_output=True, text=True, check=False)
        if done.returncode:
            lines = (done.stderr or done.stdout).strip().splitlines() or ["(no output)"]
            return python, f"venv {name}: {lines[-1]}"
    marker.write_text(json.dumps(spec))
    return python, ""


def _dist_name(project: Path) -> str:
    for line in (project / "pyproject.toml").read_text().splitlines():
        if line.startswith("name"):
            return line.split("=", 1)[1].strip().strip("\"'")
    return project.name


# --------------------------------------------------------------------------- running


def start_server() -> tuple[subprocess.Popen[str], str]:
    server = subprocess.Popen(
        [sys.executable, str(BENCH / "server.py"), "--port", "0"],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert server.stdout is not None
    line = server.stdout.readline().split()
    if len(line) != 2 or line[0] != "PORT":
        server.kill()
        raise SystemExit(f"bench server did not start: {line!r}")
    return server, f"http://127.0.0.1:{line[1]}"


def run_client(client: Client, python: Path, url: str, calls: int, warmup: int) -> str:
    """Run one round of ``client``; record its result or its error; return what to show."""
    command = [
        str(python),
        str(BENCH / "clients" / client.script),
        "--url",
        url,
        "--calls",
        str(calls),
        "--warmup",
        str(warmup),
        *client.args,
    ]
    try:
        done = subprocess.run(
            command,
            capture_output=True,
            text=True,
            check=False,
            timeout=60 + calls * 0.05,
            cwd=BENCH,
        )
    except subprocess.TimeoutExpired:
        client.error = "timed out"
        return client.error
    lines = done.stdout.strip().splitlines()
    try:
        result = json.loads(lines[-1])
    except (IndexError, ValueError):
        err = done.stderr.strip().splitlines() or [f"exit code {done.returncode}"]
        client.error = f"crashed: {err[-1]}"
        return client.error
    if "error" in result:
        error = str(result["error"])
        client.error = error if error.startswith("unavailable") else f"unavailable: {error}"
        return client.error
    client.runs.append(result)
    return f"{result['cpu_per_call_ms']:.3f} ms"


# --------------------------------------------------------------------------- report


def _ratio(value: float | None, reference: float | None) -> str:
    return f"{value / reference:.2f}x" if value and reference else "-"


def report(chosen: list[Client], params: dict[str, Any]) -> dict[str, Any]:
    by_name = {c.name: c for c in chosen}
    odoorpc = by_name["odoorpc"].median() if "odoorpc" in by_name else None
    floor = by_name["floor"].median() if "floor" in by_name else None
    rows = [("client", "CPU ms/call", "min-max", "vs OdooRPC", "vs floor", "wall ms/call")]
    for c in sorted(chosen, key=lambda c: c.median() or float("inf")):
        median = c.median()
        if median is None:
            rows.append((c.label, c.error or "no result", "", "", "", ""))
            continue
        cpu = [run["cpu_per_call_ms"] for run in c.runs]
        rows.append(
            (
                c.label,
                f"{median:.3f}",
                f"{min(cpu):.3f}-{max(cpu):.3f}",
                _ratio(median, odoorpc),
                _ratio(median, floor),
                f"{c.median('wall_per_call_ms') or 0:.3f}",
            )
        )
    print()
    print_table(rows)

    zenoo = [c for c in chosen if c.name.startswith("zenoo-") and c.name != "zenoo-0.2.4"]
    measured = [c for c in zenoo if c.median() is not None]
    best = min(measured, key=lambda c: c.median() or 0.0) if measured else None
    targets = []
    for label, reference, limit in (("OdooRPC", odoorpc, 0.8), ("floor", floor, 1.5)):
        value = best.median() if best else None
        ratio = value / reference if value and reference else None
        verdict = "n/a" if ratio is None else ("PASS" if ratio <= limit else "MISS")
        targets.append(
            {
                "target": f"zenoo (best transport) <= {limit}x {label}",
                "best": best.name if best else None,
                "ratio": ratio,
                "verdict": verdict,
            }
        )
    print()
    for target in targets:
        shown = f"{target['ratio']:.2f}x ({target['best']})" if target["ratio"] else "-"
        print(f"target: {target['target']}: {shown} {target['verdict']}")
    return {
        **params,
        "clients": {
            c.name: {
                "label": c.label,
                "venv": c.venv,
                "requirements": _shown(c.requirements),
                "median_cpu_ms": c.median(),
                "median_wall_ms": c.median("wall_per_call_ms"),
                "runs": c.runs,
                "error": c.error,
            }
            for c in chosen
        },
        "targets": targets,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "--suite",
        choices=("clients", "emulator", "cache", "orm", "ws", "audit", "all"),
        default="all",
        help="the clients' CPU table, the emulator, cache-hit latency, the model layer, "
        "websocket vs HTTP calls/s, the audit plugin's overhead, or all",
    )
    parser.add_argument("--quick", action="store_true", help="200 calls, 3 rounds")
    parser.add_argument("--calls", type=int)
    parser.add_argument("--warmup", type=int)
    parser.add_argument("--rounds", type=int)
    parser.add_argument("--only", default="", help="comma-separated client names")
    args = parser.parse_args()
    results: dict[str, Any] = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "suite": args.suite,
    }
    if args.suite in ("clients", "all"):
        results.update(run_clients(args))
    if args.suite in ("emulator", "all"):
        results["emulator"] = run_emulator(quick=args.quick)
    if args.suite in ("cache", "all"):
        results["cache"] = run_cache(quick=args.quick)
    if args.suite in ("orm", "all"):
        results["orm"] = run_orm(quick=args.quick)
    if args.suite in ("ws", "all"):
        results["ws"] = run_ws(quick=args.quick)
    if args.suite in ("audit", "all"):
        results["audit"] = run_audit(quick=args.quick)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps(results, indent=2) + "\n")


def run_clients(args: argparse.Namespace) -> dict[str, Any]:
    """The clients' CPU table; its results (parameters, clients, targets)."""
    calls = args.calls or (200 if args.quick else 2000)
    warmup = args.warmup or (50 if args.quick else 200)
    rounds = args.rounds or (3 if args.quick else 5)
    chosen = clients()
    if args.only:
        wanted = set(args.only.split(","))
        unknown = wanted - {c.name for c in chosen}
        if unknown:
            names = ", ".join(c.name for c in chosen)
            raise SystemExit(f"unknown client(s) {sorted(unknown)}; choose among {names}")
        chosen = [c for c in chosen if c.name in wanted]

    pythons: dict[str, Path] = {}
    for c in chosen:
        if c.venv not in pythons:
            pythons[c.venv], problem = ensure_venv(c.venv, c.requirements)
            if problem:
                for other in chosen:
                    if other.venv == c.venv:
                        other.error = f"unavailable: {problem}"

    server, url = start_server()
    started = time.time()
    try:
        for round_index in range(rounds):
            order = chosen[round_index % len(chosen) :] + chosen[: round_index % len(chosen)]
            for c in order:
                if c.error:
                    continue
                shown = run_client(c, pythons[c.venv], url, calls, warmup)
                print(
                    f"[bench] round {round_index + 1}/{rounds} {c.name}: {shown}", file=sys.stderr
                )
    finally:
        server.terminate()
        server.wait(timeout=10)

    params = {
        "seconds": round(time.time() - started, 1),
        "calls": calls,
        "warmup": warmup,
        "rounds": rounds,
        "response_bytes": _response_size(),
    }
    print(
        f"\n{calls} calls x {rounds} rounds per client, {params['response_bytes']} byte answers, "
        f"Python {sys.version.split()[0]}; median of rounds, client process CPU only"
    )
    return report(chosen, params)


def emulator_python() -> tuple[str, str]:
    """(an interpreter with this repo's ``zenoo_rpc[emulator]``, "" or why there is none).

    The running one when it imports ``zenoo_rpc`` from ``core/`` and has uvicorn
    (``nox -s bench`` installs ``core[emulator]``); else the venv
    ``bench/.venvs/zenoo-emulator``, made like the clients' venvs.
    """
    zenoo = importlib.util.find_spec("zenoo_rpc")
    origin = Path(zenoo.origin).resolve() if zenoo and zenoo.origin else None
    if origin and origin.is_relative_to(CORE) and importlib.util.find_spec("uvicorn"):
        return sys.executable, ""
    python, problem = ensure_venv("zenoo-emulator", [f"{CORE}[emulator]"])
    return str(python), problem


def run_emulator(*, quick: bool) -> dict[str, Any]:
    """The emulator's section: requests/s, calls/s, memory; printed, and returned for the JSON."""
    python, problem = emulator_python()
    if problem:
        print(f"\nEmulator: not measured: unavailable: {problem}")
        return {"error": f"unavailable: {problem}"}
    results = emulator_bench.run_suite(python, emulator_bench.Settings.make(quick))
    emulator_bench.print_report(results)
    return results


def _run_script(
    title: str, venv: str, requirements: list[str], script: str, *args: str
) -> dict[str, Any]:
    """Run ``script`` in the venv ``venv``: print its table, return its last line's JSON."""
    python, problem = ensure_venv(venv, requirements)
    if problem:
        print(f"\n{title}: not measured: unavailable: {problem}")
        return {"error": f"unavailable: {problem}"}
    command = [str(python), str(BENCH / script), *args]
    done = subprocess.run(command, capture_output=True, text=True, check=False, cwd=BENCH)
    lines = done.stdout.strip().splitlines()
    if done.returncode or not lines:
        error = (done.stderr.strip().splitlines() or [f"exit code {done.returncode}"])[-1]
        print(f"\n{title}: not measured: {error}")
        return {"error": error}
    print("\n".join(lines[:-1]))
    result: dict[str, Any] = json.loads(lines[-1])
    return result


def run_cache(*, quick: bool) -> dict[str, Any]:
    """Cache-hit latency (``cache_bench.py``), in a venv with core and the Redis plugin."""
    plugin = REPO / "plugins" / "redis_cluster"
    requirements = [f"{CORE}[emulator]", str(plugin)]
    return _run_script("Cache", "zenoo-cache", requirements, "cache_bench.py", *_quick(quick))


def run_ws(*, quick: bool) -> dict[str, Any]:
    """Calls/s over one websocket vs HTTP keep-alive (``ws_bench.py``), with the ws plugin."""
    plugin = REPO / "plugins" / "websocket"
    requirements = [f"{CORE}[emulator]", str(plugin)]
    return _run_script("Websocket", "zenoo-ws", requirements, "ws_bench.py", *_quick(quick))


def run_audit(*, quick: bool) -> dict[str, Any]:
    """The audit plugin's overhead per call (``audit_bench.py``), with the audit plugin."""
    plugin = REPO / "plugins" / "audit"
    requirements = [str(CORE), str(plugin)]
    return _run_script(
        "Audit", "zenoo-audit", requirements, "audit_bench.py", "--json", *_quick(quick)
    )


def _quick(quick: bool) -> list[str]:
    return ["--quick"] if quick else []


def run_orm(*, quick: bool) -> dict[str, Any]:
    """The model layer (``orm_bench.py``): typed records/s against OdooRPC, calls, memory."""
    python, problem = emulator_python()
    if problem:
        print(f"\nORM: not measured: unavailable: {problem}")
        return {"error": f"unavailable: {problem}"}
    odoorpc, odoorpc_problem = ensure_venv("odoorpc", ["odoorpc"])
    settings = orm_bench.Settings.make(quick)
    results = orm_bench.run_suite(python, None if odoorpc_problem else str(odoorpc), settings)
    if odoorpc_problem:
        results["odoorpc_error"] = f"unavailable: {odoorpc_problem}"
    orm_bench.print_report(results)
    return results


def _response_size() -> int:
    sys.path.insert(0, str(BENCH))
    import workload

    return len(workload.records_json())


if __name__ == "__main__":
    main()
