"""Odoo's bus websocket (``/websocket?version=...``) over ASGI.

The handshake needs an ``Origin`` header (400 without, like Odoo) and a
logged-in ``session_id`` cookie. The client sends ``{"event_name":
"subscribe", "data": {"channels": [...], "last": N}}`` (and
``update_presence``, accepted and ignored); the server pushes text frames
``[{"id": ..., "message": {"type": ..., "payload": ...}}]`` from the
database's :class:`~zenoo_rpc.testing.emulator.bus.Bus`: notifications after
``last`` on the subscribed channels (``"<db>"`` gets every record change,
``"<db>.<model>"`` one model's) plus the user's own partner channel.

Close codes as Odoo: 4001 when the session is missing, expired or logged
out (checked continuously), 1000 ``OUTDATED_VERSION`` when the ``version``
query parameter is not the server's ``websocket_worker_version`` (from Odoo
17 on, a client that sends a ``User-Agent`` and no version is outdated too).
:meth:`~zenoo_rpc.testing.emulator.bus.Bus.close_websockets` closes them as
a server restart would.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs

from zenoo_rpc.testing.emulator.routes.http import session_cookie

if TYPE_CHECKING:
    from zenoo_rpc.testing.emulator.asgi import Receive, Scope, Send
    from zenoo_rpc.testing.emulator.server import Emulator
    from zenoo_rpc.testing.emulator.sessions import WebSession

__all__ = ["POLL_SECONDS", "serve_bus"]

#: How often a connection re-checks its session and subscription while idle.
POLL_SECONDS = 0.05
SESSION_EXPIRED = 4001
_NO_ORIGIN = (
    b"<!doctype html>\n<html lang=en>\n<title>400 Bad Request</title>\n<h1>Bad Request</h1>\n"
    b"<p>Empty Origin header: not a websocket handshake</p>\n"
)


class _Subscription:
    def __init__(self) -> None:
        self.channels: list[str] | None = None
        self.last = 0
        self.changed = asyncio.Event()


async def serve_bus(emulator: Emulator, scope: Scope, receive: Receive, send: Send) -> None:
    """Run one bus connection until either side closes it."""
    from zenoo_rpc.testing.emulator.asgi import scope_headers

    headers = scope_headers(scope)
    connect = await receive()
    if connect["type"] != "websocket.connect":
        return
    if not headers.get("origin"):
        await _refuse(scope, send)
        return
    cookies = dict(
        item.strip().partition("=")[::2]
        for item in headers.get("cookie", "").split(";")
        if "=" in item
    )
    sid = cookies.get("session_id")
    session = emulator.sessions.authenticated(sid)
    accept_headers = [
        (b"content-type", b"text/html; charset=utf-8"),
        (b"access-control-allow-origin", b"*"),
        (b"access-control-allow-methods", b"GET, POST"),
    ]
    if session and sid:
        accept_headers.append((b"set-cookie", session_cookie(sid).encode()))
    accept_headers.append((b"x-content-type-options", b"nosniff"))
    await send({"type": "websocket.accept", "headers": accept_headers})
    version = parse_qs(scope.get("query_string", b"").decode()).get("version", [None])[0]
    # Odoo 17+ closes any browser-like client (one with a User-Agent) whose
    # worker version differs, a missing one included; 16 had no version.
    checked = version is not None or (emulator.version >= 17 and bool(headers.get("user-agent")))
    if checked and version != emulator.websocket_worker_version:
        await send({"type": "websocket.close", "code": 1000, "reason": "OUTDATED_VERSION"})
        return
    if session is None or session.db not in emulator.databases:
        await send(
            {"type": "websocket.close", "code": SESSION_EXPIRED, "reason": "SESSION_EXPIRED"}
        )
        return
    subscription = _Subscription()
    pusher = asyncio.ensure_future(_push(emulator, session, subscription, send))
    reader = asyncio.ensure_future(_read(receive, subscription))
    try:
        await asyncio.wait({pusher, reader}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in (pusher, reader):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task


async def _refuse(scope: Scope, send: Send) -> None:
    if "websocket.http.response" in scope.get("extensions", {}):
        await send(
            {
                "type": "websocket.http.response.start",
                "status": 400,
                "headers": [
                    (b"content-type", b"text/html; charset=utf-8"),
                    (b"content-length", str(len(_NO_ORIGIN)).encode()),
                ],
            }
        )
        await send({"type": "websocket.http.response.body", "body": _NO_ORIGIN})
    else:
        await send({"type": "websocket.close", "code": 1008})


async def _read(receive: Receive, subscription: _Subscription) -> None:
    while True:
        message = await receive()
        if message["type"] == "websocket.disconnect":
            return
        text = message.get("text")
        if text is None:
            text = (message.get("bytes") or b"").decode("utf-8", "replace")
        try:
            event = json.loads(text)
        except ValueError:
            continue
        if not isinstance(event, dict) or event.get("event_name") != "subscribe":
            continue  # update_presence and unknown events change nothing here
        data = event.get("data") if isinstance(event.get("data"), dict) else {}
        channels = data.get("channels") if isinstance(data, dict) else None
        subscription.channels = [str(c) for c in channels] if isinstance(channels, list) else []
        last = data.get("last") if isinstance(data, dict) else 0
        subscription.last = last if isinstance(last, int) and not isinstance(last, bool) else 0
        subscription.changed.set()


async def _push(
    emulator: Emulator, session: WebSession, subscription: _Subscription, send: Send
) -> None:
    db = emulator.databases[str(session.db)]
    personal = _personal_channel(emulator, session)
    compact = emulator.version >= 19
    closings = db.bus.closings
    while True:
        if (
            emulator.sessions.authenticated(session.sid) is not session
            or emulator.databases.get(str(session.db)) is not db
        ):
            await send(
                {"type": "websocket.close", "code": SESSION_EXPIRED, "reason": "SESSION_EXPIRED"}
            )
            return
        if db.bus.closings != closings:
            code, reason = db.bus.close_with
            await send({"type": "websocket.close", "code": code, "reason": reason})
            return
        if subscription.channels is None:
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(subscription.changed.wait(), POLL_SECONDS)
            continue
        subscription.changed.clear()
        channels = [*subscription.channels, personal]
        notes = await db.bus.wait(subscription.last, channels, timeout=POLL_SECONDS)
        if emulator.sessions.authenticated(session.sid) is not session:
            continue  # like Odoo, check the session before each dispatch: closed above
        if notes and not subscription.changed.is_set():
            subscription.last = max(note["id"] for note in notes)
            separators = (",", ":") if compact else (", ", ": ")
            await send({"type": "websocket.send", "text": json.dumps(notes, separators=separators)})


def _personal_channel(emulator: Emulator, session: WebSession) -> str:
    """The channel of the user's partner, where Odoo sends a user's own notifications."""
    try:
        user = emulator.databases[str(session.db)].user_info(int(session.uid or 0))
        partner: Any = user.get("partner_id")
    except Exception:  # no such user any more: the session check closes the socket
        partner = None
    if isinstance(partner, (list, tuple)):
        partner = partner[0]
    return f"{session.db}.res.partner.{partner}"
