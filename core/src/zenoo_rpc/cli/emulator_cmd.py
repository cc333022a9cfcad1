"""``zenoo emulator`` serves an in-memory Odoo; ``zenoo demo`` runs the guided tour.

::

    zenoo emulator --port 8069 --version 19 --size 200

The first line on stdout is the URL it listens on (flushed at once, so a
script or test that starts it with ``--port 0`` reads the port from there);
the database, logins, API keys and master password follow on stderr. Ctrl-C
or SIGTERM stop it cleanly, with exit code 0. It needs the ``emulator``
extra's uvicorn (``pip install "zenoo-rpc[emulator]"``).
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib.util
import signal
import sys
from typing import Any

import click

from zenoo_rpc.cli.exit_codes import CommandFailed
from zenoo_rpc.cli.state import CliState, pass_state

__all__ = ["demo", "emulator"]


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind.")
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8069,
    show_default=True,
    help="Port (0: any free port).",
)
@click.option(
    "--version",
    "odoo_version",
    type=click.Choice(["16", "17", "18", "19"]),
    default="18",
    show_default=True,
    help="Odoo version to behave like.",
)
@click.option(
    "--size",
    type=click.IntRange(1, 1_000_000),
    default=10,
    show_default=True,
    help="Demo records per model.",
)
@click.option("--database", default="demo", show_default=True, help="Database name.")
@click.option("--seed", type=int, default=0, show_default=True, help="Demo data seed.")
@pass_state
def emulator(
    state: CliState, host: str, port: int, odoo_version: str, size: int, database: str, seed: int
) -> None:
    """Serve an emulated Odoo until interrupted.

    The first line on stdout is the URL (use --port 0 for any free port).
    """
    if importlib.util.find_spec("uvicorn") is None:
        raise CommandFailed(
            'the emulator server needs uvicorn: pip install "zenoo-rpc[emulator]"', 1
        )
    from zenoo_rpc.testing.emulator import database as database_module
    from zenoo_rpc.testing.emulator.serve import bind_socket, uvicorn_server
    from zenoo_rpc.testing.emulator.server import Emulator

    server_emulator = Emulator(
        version=int(odoo_version), size=size, databases=(database,), seed=seed
    )
    sock = bind_socket(host, port)
    bound_host, bound_port = sock.getsockname()[:2]
    shown_host = f"[{bound_host}]" if ":" in bound_host else bound_host
    server_emulator.base_url = f"http://{shown_host}:{bound_port}"
    stdout = state.output.stdout
    stdout.write(server_emulator.base_url + "\n")
    stdout.flush()
    output = state.output
    output.note(f"Emulated Odoo {server_emulator.server_version} at {server_emulator.base_url}")
    output.note(f"  database: {database}")
    output.note("  users: admin / admin (uid 2), demo2 / demo2 (restricted)")
    output.note(
        f"  API keys: admin {database_module.ADMIN_API_KEY}, demo2 {database_module.DEMO2_API_KEY}"
    )
    output.note(f"  master password: {server_emulator.master_password}")
    output.note("Ctrl-C or SIGTERM stops it.")
    server = uvicorn_server(server_emulator, log_level="warning" if not output.verbose else "info")
    _serve(server, sock)
    output.note("emulator stopped")


def _serve(server: Any, sock: Any) -> None:
    # uvicorn catches SIGINT / SIGTERM while serving, shuts down, then raises the
    # signal again with the handlers found before: these make that a clean exit.
    previous = signal.signal(signal.SIGTERM, lambda *_: None)
    try:
        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(server.serve(sockets=[sock]))
    finally:
        signal.signal(signal.SIGTERM, previous)
        sock.close()


@click.command()
def demo() -> None:
    """Run the demo tour against the built-in in-memory Odoo."""
    from zenoo_rpc.demo.tour import main

    code = main()
    sys.stdout.flush()
    if code:
        raise SystemExit(code)
