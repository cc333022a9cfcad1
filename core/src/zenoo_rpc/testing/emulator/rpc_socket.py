"""``/websocket/jsonrpc``: HTTP requests multiplexed over one websocket (zenoo-rpc, not Odoo).

Used by the websocket transport plugin. Each text frame is a request
``{"id": N, "path": "/jsonrpc", "method": "POST", "headers": {...}, "body":
"<text>"}`` (a body that is not UTF-8 goes base64-encoded with ``"encoding":
"base64"``); each answer is a frame ``{"id": N, "status": 200, "headers":
[[name, value], ...], "body": "<text>"}`` (a body that is not UTF-8, like a
PDF, comes base64-encoded with ``"encoding": "base64"``). Requests run
concurrently, so answers may come out of order. A dropped-connection fault
closes the websocket (code 1011).
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
from typing import TYPE_CHECKING, Any

from zenoo_rpc.testing.emulator.faults import ConnectionDropped
from zenoo_rpc.transports.base import HttpRequest

if TYPE_CHECKING:
    from zenoo_rpc.testing.emulator.asgi import Receive, Scope, Send
    from zenoo_rpc.testing.emulator.server import Emulator

__all__ = ["serve_rpc"]


async def serve_rpc(emulator: Emulator, scope: Scope, receive: Receive, send: Send) -> None:
    """Run one multiplexed connection until the client closes it (or a fault drops it)."""
    if (await receive())["type"] != "websocket.connect":
        return
    await send({"type": "websocket.accept"})
    lock = asyncio.Lock()
    tasks: set[asyncio.Task[None]] = set()
    closed = asyncio.Event()

    async def answer(frame: dict[str, Any]) -> None:
        reply = await _reply(emulator, frame)
        async with lock:
            if closed.is_set():
                return
            if reply is None:
                closed.set()
                await send(
                    {"type": "websocket.close", "code": 1011, "reason": "connection dropped"}
                )
                return
            await send({"type": "websocket.send", "text": json.dumps(reply)})

    try:
        while not closed.is_set():
            message = await receive()
            if message["type"] == "websocket.disconnect":
                break
            text = message.get("text") or (message.get("bytes") or b"").decode()
            try:
                frame = json.loads(text)
            except ValueError:
                frame = None
            if not isinstance(frame, dict):
                frame = {"id": None, "invalid": True}
            task = asyncio.ensure_future(answer(frame))
            tasks.add(task)
            task.add_done_callback(tasks.discard)
    finally:
        closed.set()
        for task in list(tasks):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task


async def _reply(emulator: Emulator, frame: dict[str, Any]) -> dict[str, Any] | None:
    """The answer frame of one request frame, or ``None`` when the connection must drop."""
    frame_id = frame.get("id")
    if frame.get("invalid") or not isinstance(frame.get("path"), str):
        return {
            "id": frame_id,
            "status": 400,
            "headers": [["Content-Type", "text/plain"]],
            "body": "a frame is {id, path, headers, body}",
        }
    headers = frame.get("headers") if isinstance(frame.get("headers"), dict) else {}
    body = frame.get("body") or ""
    content = body.encode() if isinstance(body, str) else b""
    if frame.get("encoding") == "base64":
        try:
            content = base64.b64decode(content, validate=True)
        except ValueError:
            return {
                "id": frame_id,
                "status": 400,
                "headers": [["Content-Type", "text/plain"]],
                "body": "a base64 body that is not base64",
            }
    request = HttpRequest(
        method=str(frame.get("method", "POST")),
        path=frame["path"],
        headers={str(k): str(v) for k, v in (headers or {}).items()},
        content=content,
    )
    try:
        response = await emulator.handle(request)
    except ConnectionDropped:
        return None
    reply: dict[str, Any] = {
        "id": frame_id,
        "status": response.status,
        "headers": [list(h) for h in response.headers],
    }
    try:
        reply["body"] = response.content.decode()
    except UnicodeDecodeError:
        reply["body"] = base64.b64encode(response.content).decode()
        reply["encoding"] = "base64"
    return reply
