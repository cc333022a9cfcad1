"""``python -m zenoo_rpc.testing``: run an emulated Odoo server for manual testing.

Prints the URL and the demo credentials, then serves until interrupted::

    python -m zenoo_rpc.testing --version 19 --size 100 --port 8069
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
from collections.abc import Sequence

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m zenoo_rpc.testing", description="Serve an in-memory emulated Odoo."
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (127.0.0.1)")
    parser.add_argument("--port", type=int, default=8069, help="port (8069; 0 = any free)")
    parser.add_argument(
        "--version",
        type=int,
        choices=(16, 17, 18, 19),
        default=18,
        help="Odoo version to emulate (18)",
    )
    parser.add_argument("--size", type=int, default=10, help="demo records per model (10)")
    parser.add_argument("--database", default="demo", help="database name (demo)")
    parser.add_argument("--seed", type=int, default=0, help="demo data seed (0)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Serve until Ctrl-C; returns the process exit code."""
    args = _parser().parse_args(argv)
    from zenoo_rpc.testing.emulator import database as database_module
    from zenoo_rpc.testing.emulator.serve import bind_socket, uvicorn_server
    from zenoo_rpc.testing.emulator.server import Emulator

    emulator = Emulator(
        version=args.version, size=args.size, databases=(args.database,), seed=args.seed
    )
    sock = bind_socket(args.host, args.port)
    host, port = sock.getsockname()[:2]
    emulator.base_url = f"http://{host}:{port}"
    print(f"Emulated Odoo {emulator.server_version} at {emulator.base_url}")
    print(f"  database: {args.database}")
    print("  users: admin / admin (uid 2), demo2 / demo2 (restricted)")
    print(
        f"  API keys: admin {database_module.ADMIN_API_KEY}, demo2 {database_module.DEMO2_API_KEY}"
    )
    print(f"  master password: {emulator.master_password}")
    from uvicorn.config import LOGGING_CONFIG

    server = uvicorn_server(emulator, log_level="info", log_config=LOGGING_CONFIG)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(server.serve(sockets=[sock]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
