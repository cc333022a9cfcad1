"""Serve an :class:`Emulator` over HTTP and websockets on a free loopback port.

Two ways, both stopping cleanly when their block ends::

    async with serve_emulator(emulator) as base_url:      # in the running event loop
        ...

    with serve_emulator_in_thread(emulator) as base_url:  # for synchronous code
        ...

The server binds ``127.0.0.1`` on a port the OS picks (unless told
otherwise), so tests never collide. The threaded variant runs its own event
loop: touch the emulator from the test thread only while no request is
running (reading state after a request is fine).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import threading
from collections.abc import AsyncIterator, Iterator
from typing import Any

import uvicorn

from zenoo_rpc.testing.emulator.asgi import EmulatorApp
from zenoo_rpc.testing.emulator.server import Emulator

__all__ = ["bind_socket", "serve_emulator", "serve_emulator_in_thread", "uvicorn_server"]


def bind_socket(host: str = "127.0.0.1", port: int = 0) -> socket.socket:
    """A listening-ready TCP socket; port 0 lets the OS choose a free one."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP explicitly: asyncio only sets TCP_NODELAY on accepted sockets
    # whose listener says it is TCP, and without it every keep-alive request
    # waits for a delayed ACK (about 40 ms on Linux).
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.set_inheritable(True)
    return sock


class _QuietRefusals(logging.Filter):
    """Drop uvicorn's error for a websocket refused with an HTTP answer (the Origin check).

    uvicorn's sans-io websocket protocol logs "returned without completing
    handshake" even when the app answered the handshake with an HTTP 400 through
    the ``websocket.http.response`` extension, which is what Odoo does.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        return "without completing handshake" not in record.getMessage()


_QUIET = _QuietRefusals()


def uvicorn_server(emulator: Emulator, **config: Any) -> uvicorn.Server:
    """A uvicorn server for ``emulator``: h11, sans-io websockets, quiet, no lifespan."""
    options: dict[str, Any] = {
        "http": "h11",
        "ws": "websockets-sansio",
        "lifespan": "off",
        "log_level": "warning",
        "log_config": None,  # leave the host's logging (pytest's) alone
        "access_log": False,
        "server_header": False,
        "date_header": False,
        "ws_ping_interval": None,
    }
    options.update(config)
    server = uvicorn.Server(uvicorn.Config(EmulatorApp(emulator), **options))
    logger = logging.getLogger("uvicorn.error")
    if _QUIET not in logger.filters:
        logger.addFilter(_QUIET)
    return server


def _url(sock: socket.socket, emulator: Emulator) -> str:
    host, port = sock.getsockname()[:2]
    url = f"http://{host}:{port}"
    emulator.base_url = url
    return url


@contextlib.asynccontextmanager
async def serve_emulator(
    emulator: Emulator, *, host: str = "127.0.0.1", port: int = 0
) -> AsyncIterator[str]:
    """Serve ``emulator`` in the current event loop; yields its base URL."""
    sock = bind_socket(host, port)
    server = uvicorn_server(emulator)
    task = asyncio.ensure_future(server.serve(sockets=[sock]))
    try:
        while not server.started:
            if task.done():
                task.result()
                raise RuntimeError("the emulator server stopped while starting")
            await asyncio.sleep(0.005)
        yield _url(sock, emulator)
    finally:
        server.should_exit = True
        server.force_exit = True
        with contextlib.suppress(asyncio.CancelledError):
            await task
        sock.close()


@contextlib.contextmanager
def serve_emulator_in_thread(
    emulator: Emulator, *, host: str = "127.0.0.1", port: int = 0, timeout: float = 10.0
) -> Iterator[str]:
    """Serve ``emulator`` from a background thread with its own event loop; yields its URL."""
    sock = bind_socket(host, port)
    server = uvicorn_server(emulator)
    thread = threading.Thread(
        target=lambda: asyncio.run(server.serve(sockets=[sock])), name="zenoo-emulator", daemon=True
    )
    thread.start()
    try:
        for _ in range(int(timeout / 0.005)):
            if server.started or not thread.is_alive():
                break
            threading.Event().wait(0.005)
        if not server.started:
            raise RuntimeError("the emulator server did not start")
        yield _url(sock, emulator)
    finally:
        server.should_exit = True
        thread.join(timeout)
        sock.close()
