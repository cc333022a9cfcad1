"""The emulated Odoo as an ASGI 3 application (for uvicorn or any ASGI server).

HTTP requests go to :meth:`Emulator.handle`; a dropped-connection fault
closes the socket without an answer. Websockets: ``/websocket`` is Odoo's bus
(:mod:`~zenoo_rpc.testing.emulator.bus_socket`) and ``/websocket/jsonrpc``
carries HTTP requests as frames (:mod:`~zenoo_rpc.testing.emulator.rpc_socket`,
a zenoo-rpc extension, not Odoo). Everything runs on the server's event loop.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from zenoo_rpc.testing.emulator.bus_socket import serve_bus
from zenoo_rpc.testing.emulator.faults import ConnectionDropped
from zenoo_rpc.testing.emulator.rpc_socket import serve_rpc
from zenoo_rpc.testing.emulator.server import Emulator
from zenoo_rpc.transports.base import HttpRequest

__all__ = ["EmulatorApp", "Receive", "Scope", "Send", "asgi_headers", "scope_headers"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


def scope_headers(scope: Scope) -> dict[str, str]:
    """The request headers, lower-cased; repeated ``Cookie`` headers are joined."""
    headers: dict[str, str] = {}
    for raw_key, raw_value in scope.get("headers", []):
        key, value = raw_key.decode("latin-1").lower(), raw_value.decode("latin-1")
        if key in headers:
            value = headers[key] + ("; " if key == "cookie" else ", ") + value
        headers[key] = value
    return headers


def asgi_headers(headers: Any) -> list[tuple[bytes, bytes]]:
    """Headers for the ASGI server, values without surrounding whitespace.

    Odoo 19 sends ``WWW-Authenticate: Bearer `` with a trailing space (the
    captures keep it); that space is not part of the value (RFC 9110, 5.5) and
    h11 refuses to send it, so it is dropped on the wire.
    """
    return [(k.lower().encode("latin-1"), v.strip().encode("latin-1")) for k, v in headers]


class EmulatorApp:
    """ASGI application serving one :class:`Emulator`."""

    def __init__(self, emulator: Emulator) -> None:
        self.emulator = emulator

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if kind == "http":
            await self._http(scope, receive, send)
        elif kind == "websocket":
            if scope["path"] == "/websocket":
                await serve_bus(self.emulator, scope, receive, send)
            elif scope["path"] == "/websocket/jsonrpc":
                await serve_rpc(self.emulator, scope, receive, send)
            else:
                await receive()
                await send({"type": "websocket.close", "code": 1008})
        elif kind == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return

    async def _http(self, scope: Scope, receive: Receive, send: Send) -> None:
        body = bytearray()
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        path = scope.get("raw_path", scope["path"].encode()).decode("latin-1")
        if scope.get("query_string"):
            path += "?" + scope["query_string"].decode("latin-1")
        request = HttpRequest(
            method=scope["method"], path=path, headers=scope_headers(scope), content=bytes(body)
        )
        try:
            response = await self.emulator.handle(request)
        except ConnectionDropped:
            await _drop(send)
            return
        await send(
            {
                "type": "http.response.start",
                "status": response.status,
                "headers": asgi_headers(response.headers),
            }
        )
        await send({"type": "http.response.body", "body": response.content})


async def _drop(send: Send) -> None:
    """Close the connection without answering.

    ASGI has no "abort": with uvicorn, ``send`` is bound to the request cycle,
    whose transport we close (and mark disconnected, so no 500 is sent in our
    place). Elsewhere, start an answer and never finish it, which any client
    also sees as a broken connection.
    """
    cycle = getattr(send, "__self__", None)
    transport = getattr(cycle, "transport", None)
    if transport is not None and hasattr(cycle, "disconnected"):
        transport.close()
        cycle.disconnected = True  # type: ignore[union-attr]
        return
    await send(
        {"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"1000")]}
    )
    await send({"type": "http.response.body", "body": b"", "more_body": True})
    raise ConnectionResetError("connection dropped by fault injection")
