"""``BusListener``: Odoo's bus notifications as an async iterator, handlers and client events.

::

    async with BusListener(client, channels=["demo.res.partner"]) as bus:

        @bus.on("zenoo.record/create")
        async def partner_created(note):
            print("created", note.record_change.ids)

        async for note in bus:           # every notification, in arrival order
            print(note.id, note.type, note.payload)

It logs in through a web session of its own, connects to
``/websocket?version=<websocket_worker_version>`` with the session cookie
and an ``Origin`` header, subscribes with the last id it saw, and keeps the
connection alive with pings (:mod:`~zenoo_rpc_websocket.reconnect` says how
it reconnects). After a reconnect the server replays what came after the
last id; ids already delivered are dropped, so nothing is lost or delivered
twice. A login the server refuses ends the listener with
:class:`~zenoo_rpc_websocket.errors.BusAuthenticationError` instead of
retrying forever.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import logging
import random
import ssl
from collections.abc import Callable, Iterable
from fnmatch import fnmatchcase
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlsplit

import msgspec

from zenoo_rpc.errors import ConfigError
from zenoo_rpc.events import EventName
from zenoo_rpc_websocket.backoff import Backoff
from zenoo_rpc_websocket.buffer import NotificationBuffer
from zenoo_rpc_websocket.bus_session import http_base_url, open_bus_session
from zenoo_rpc_websocket.errors import BusError
from zenoo_rpc_websocket.notification import Notification, SeenIds
from zenoo_rpc_websocket.reconnect import BusConnection
from zenoo_rpc_websocket.transport import tls_context

if TYPE_CHECKING:
    from zenoo_rpc.client import ZenooClient

__all__ = ["BusListener", "Handler"]

log = logging.getLogger(__name__)

#: A notification handler: ``handler(notification)``, sync or async.
Handler = Callable[[Notification], Any]
H = TypeVar("H", bound=Handler)


class _Message(msgspec.Struct):
    type: str
    payload: Any = None


class _Frame(msgspec.Struct):
    id: int
    message: _Message


_decode_frame = msgspec.json.Decoder(list[_Frame]).decode
_encode = msgspec.json.Encoder().encode


class BusListener:
    """Listen to Odoo's bus: notifications as an async iterator, handlers and client events.

    :param source: a logged-in :class:`~zenoo_rpc.ZenooClient` (its server, login
        and password; the listener then also emits ``bus_*`` events on it and
        can invalidate its cache), or the server's ``http(s)://`` or
        ``ws(s)://`` URL with ``database``, ``login`` and ``password``.
    :param channels: channels to subscribe to (more with :meth:`subscribe`).
    :param database: the database (default: the client's).
    :param login: the user (default: the client's).
    :param password: the password (default: the client's; a web session
        needs one, API keys open none).
    :param last_id: resume after this notification id (0: from what the
        server still has, a minute's worth on Odoo).
    :param invalidate_cache: record-change notifications forget the client's
        cached reads of their model (``client.invalidate_cache``).
    :param invalidation: which models a notification changed (default: the
        ``model`` of ``zenoo.record/*`` notifications).
    :param reconnect_base_delay: seconds before the first reconnect attempt.
    :param reconnect_max_delay: the longest wait between attempts.
    :param ping_interval: seconds between keep-alive pings (``None``: none).
    :param ping_timeout: seconds a ping may wait for its pong.
    :param open_timeout: seconds the websocket handshake may take.
    :param buffer_size: notifications kept for ``async for``; when it is full
        the listener waits for the iteration (nothing is dropped). 0: no
        iteration (handlers and events only).
    :param origin: the ``Origin`` header (default: the server's own URL, as a
        browser on the Odoo page sends).
    :param timeout: seconds for each HTTP request of the login.
    :param verify_ssl: verify TLS certificates (default: the client's setting, else yes).
    :param rng: the random source of the backoff's jitter.
    """

    def __init__(
        self,
        source: ZenooClient | str,
        *,
        channels: Iterable[str] = (),
        database: str | None = None,
        login: str | None = None,
        password: str | None = None,
        last_id: int = 0,
        invalidate_cache: bool = False,
        invalidation: Callable[[Notification], Iterable[str]] | None = None,
        reconnect_base_delay: float = 0.5,
        reconnect_max_delay: float = 30.0,
        ping_interval: float | None = 20.0,
        ping_timeout: float | None = 20.0,
        open_timeout: float = 10.0,
        buffer_size: int = 1000,
        origin: str | None = None,
        timeout: float | None = None,
        verify_ssl: bool | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self._client = None if isinstance(source, str) else source
        try:
            self._http_url = http_base_url(source if isinstance(source, str) else source.url)
        except ValueError as exc:
            raise ConfigError(str(exc), path="$.url") from None
        if buffer_size < 0:
            raise ConfigError(f"buffer_size must be 0 or more, not {buffer_size}")
        if not _is_id(last_id):
            raise ConfigError(f"last_id must be a notification id (int >= 0), not {last_id!r}")
        self._channels: list[str] = []
        self._add_channels(channels)
        self._login_args = (database, login, password, timeout, verify_ssl)
        self._invalidate = invalidate_cache
        self._invalidation = invalidation or _record_models
        self._backoff = Backoff(reconnect_base_delay, reconnect_max_delay, rng)
        self._socket_args = (
            origin or _origin_of(self._http_url),
            ping_interval or None,
            ping_timeout or None,
            open_timeout,
        )
        self._seen = SeenIds(floor=last_id)
        self._last_id = last_id
        self._handlers: list[tuple[str, Handler]] = []
        self._buffer = NotificationBuffer(buffer_size)
        self._connected = asyncio.Event()
        self._connection: BusConnection | None = None
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        self._error: BusError | None = None

    def __repr__(self) -> str:
        state = (
            "stopped" if self._buffer.finished else "connected" if self.connected else "connecting"
        )
        return f"<BusListener {self._http_url} {state} last_id={self._last_id}>"

    # ------------------------------------------------------------------ state

    @property
    def channels(self) -> tuple[str, ...]:
        """The channels subscribed to."""
        return tuple(self._channels)

    @property
    def last_id(self) -> int:
        """The highest notification id received: a reconnect resumes after it."""
        return self._last_id

    @property
    def connected(self) -> bool:
        """True while a websocket is open and subscribed."""
        return self._connected.is_set()

    @property
    def error(self) -> BusError | None:
        """Why the listener stopped by itself, if it did."""
        return self._error

    @property
    def connections(self) -> int:
        """Websocket connections opened so far (reconnects included)."""
        return self._connection.connections if self._connection is not None else 0

    @property
    def logins(self) -> int:
        """Web-session logins so far (re-logins after a 4001 close included)."""
        return self._connection.session.logins if self._connection is not None else 0

    # ------------------------------------------------------------------ lifecycle

    async def __aenter__(self) -> BusListener:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    async def start(self) -> BusListener:
        """Start listening in a background task (returns at once; see :meth:`wait_connected`).

        :raises ConfigError: no login, database or password to open a web session with.
        :raises BusError: the listener was stopped (make a new one).
        """
        if self._buffer.finished or self._stopping:
            raise BusError("this bus listener was stopped; create a new one")
        if self._task is not None:
            return self
        database, login, password, timeout, verify_ssl = self._login_args
        session = open_bus_session(
            self._client,
            self._http_url,
            database=database,
            login=login,
            password=password,
            timeout=timeout,
            verify_ssl=verify_ssl,
        )
        origin, ping_interval, ping_timeout, open_timeout = self._socket_args
        if verify_ssl is None:
            verify_ssl = self._client.config.verify_ssl if self._client is not None else True
        self._connection = BusConnection(
            session,
            self._http_url,
            subscription=self._subscription,
            on_frame=self._on_frame,
            on_open=self._on_open,
            on_close=self._on_close,
            backoff=self._backoff,
            origin=origin,
            ping_interval=ping_interval,
            ping_timeout=ping_timeout,
            open_timeout=open_timeout,
            ssl_context=_ssl_context(self._http_url, verify_ssl),
        )
        self._task = asyncio.get_running_loop().create_task(self._run(), name="zenoo-bus")
        return self

    async def stop(self) -> None:
        """Close the websocket, end the web session and end iteration. Idempotent."""
        self._stopping = True
        was_connected = self.connected
        task, self._task = self._task, None
        if task is not None and not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        try:
            if self._connection is not None:
                await self._connection.session.close()
        finally:
            self._finish()
        if was_connected:
            await self._emit("bus_disconnected", data={"code": 1000, "reason": "stopped",
                                                       "retry_in": None})  # fmt: skip

    async def wait_connected(self, timeout: float | None = None) -> None:
        """Wait until the websocket is open and subscribed.

        :raises BusError: the listener stopped (its error, e.g.
            :class:`BusAuthenticationError`, when it failed).
        :raises TimeoutError: not connected within ``timeout`` seconds.
        """
        if self._task is None and not self._buffer.finished:
            raise BusError("the bus listener is not started (use `async with` or start())")
        connected = asyncio.ensure_future(self._connected.wait())
        finished = asyncio.ensure_future(self._buffer.wait_finished())
        try:
            await asyncio.wait(
                {connected, finished}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED
            )
        finally:
            connected.cancel()
            finished.cancel()
        if self._connected.is_set():
            return
        if self._buffer.finished:
            raise self._error or BusError("the bus listener stopped")
        raise TimeoutError(f"the bus listener did not connect within {timeout} s")

    # ------------------------------------------------------------------ channels, handlers

    async def subscribe(self, *channels: str) -> None:
        """Listen to more channels (sent at once when connected; kept across reconnects)."""
        if self._add_channels(channels):
            await self._send_subscription()

    async def unsubscribe(self, *channels: str) -> None:
        """Stop listening to ``channels``."""
        before = len(self._channels)
        self._channels = [c for c in self._channels if c not in channels]
        if len(self._channels) != before:
            await self._send_subscription()

    def on(self, pattern: str = "*") -> Callable[[H], H]:
        """Decorator: call the handler for each notification whose type matches ``pattern``.

        ``pattern`` is a glob (``"zenoo.record/*"``, ``"mail.record/insert"``).
        Handlers run in arrival order, in the listener's task (async ones are
        awaited: keep them short or start a task); an exception is logged and
        the next handler still runs.
        """

        def register(handler: H) -> H:
            self.add_handler(pattern, handler)
            return handler

        return register

    def add_handler(self, pattern: str, handler: Handler) -> None:
        """Call ``handler(notification)`` for notifications whose type matches ``pattern``."""
        if not callable(handler):
            raise TypeError(f"a bus handler must be callable, not {type(handler).__name__}")
        self._handlers.append((pattern, handler))

    def remove_handler(self, handler: Handler) -> None:
        """Stop calling ``handler`` (for every pattern it was added with)."""
        self._handlers = [(p, h) for p, h in self._handlers if h is not handler]

    # ------------------------------------------------------------------ iteration

    def __aiter__(self) -> BusListener:
        return self

    async def __anext__(self) -> Notification:
        if self._buffer.size == 0:
            raise BusError(
                "this listener keeps no notifications (buffer_size=0): use on() handlers"
            )
        if self._task is None and not self._buffer.finished:
            raise BusError("the bus listener is not started (use `async with` or start())")
        return await self._buffer.get()

    # ------------------------------------------------------------------ the connection's callbacks

    async def _run(self) -> None:
        assert self._connection is not None
        try:
            await self._connection.run()
        except BusError as exc:
            self._error = exc
            log.error("bus listener on %s stopped: %s", self._http_url, exc)
        except Exception as exc:  # a bug: say so instead of hanging the iteration
            log.exception("bus listener on %s crashed", self._http_url)
            self._error = BusError(f"the bus listener crashed: {type(exc).__name__}: {exc}")
            self._error.__cause__ = exc
        finally:
            self._finish()
        if self._error is not None:
            data = {"code": None, "reason": str(self._error), "retry_in": None}
            await self._emit("bus_disconnected", error=self._error, data=data)

    async def _on_open(self, url: str) -> None:
        self._connected.set()
        log.info("bus connected to %s (channels %s)", url, self._channels)
        data = {"url": url, "channels": list(self._channels), "last_id": self._last_id}
        await self._emit("bus_connected", data=data)

    async def _on_close(self, code: int | None, reason: str, delay: float) -> None:
        self._connected.clear()
        data = {"code": code, "reason": reason, "retry_in": delay}
        await self._emit("bus_disconnected", data=data)

    async def _on_frame(self, raw: str | bytes) -> None:
        try:
            frames = _decode_frame(raw)
        except (msgspec.DecodeError, msgspec.ValidationError) as exc:
            log.warning("bus: ignored a frame that is not a list of notifications (%s)", exc)
            return
        for frame in frames:
            if not self._seen.add(frame.id):
                continue  # replayed after a reconnect, or sent twice: delivered already
            if frame.id > self._last_id:
                self._last_id = frame.id
            note = Notification(id=frame.id, type=frame.message.type, payload=frame.message.payload)
            await self._deliver(note)

    async def _deliver(self, note: Notification) -> None:
        client = self._client
        if client is not None and self._invalidate:
            try:
                for model in self._invalidation(note):
                    await client.invalidate_cache(model)
            except Exception:
                log.exception("bus: cache invalidation failed on notification %d", note.id)
        for pattern, handler in list(self._handlers):
            if fnmatchcase(note.type, pattern):
                try:
                    result = handler(note)
                    if inspect.isawaitable(result):
                        await result
                except Exception:
                    log.exception("bus handler %r failed on notification %d", handler, note.id)
        data = {"id": note.id, "type": note.type, "payload": note.payload}
        await self._emit("bus_notification", data=data)
        if self._buffer.size:
            await self._buffer.put(note)

    async def _emit(self, name: EventName, **fields: Any) -> None:
        if self._client is not None:
            await self._client.emit_event(name, **fields)

    # ------------------------------------------------------------------ internals

    def _add_channels(self, channels: Iterable[str]) -> bool:
        if isinstance(channels, str):
            channels = [channels]
        added = False
        for channel in channels:
            if not _is_channel(channel):
                raise ConfigError(f"a bus channel is a non-empty string, not {channel!r}")
            if channel not in self._channels:
                self._channels.append(channel)
                added = True
        return added

    def _subscription(self) -> str:
        data = {"channels": self._channels, "last": self._last_id}
        return _encode({"event_name": "subscribe", "data": data}).decode()

    async def _send_subscription(self) -> None:
        if self._connection is not None:
            await self._connection.send(self._subscription())

    def _finish(self) -> None:
        self._connected.clear()
        self._buffer.finish(self._error)


def _is_id(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _is_channel(value: object) -> bool:
    return isinstance(value, str) and bool(value)


def _record_models(note: Notification) -> tuple[str, ...]:
    change = note.record_change
    return (change.model,) if change is not None else ()


def _ssl_context(http_url: str, verify: bool) -> ssl.SSLContext | None:
    if urlsplit(http_url).scheme != "https":
        return None
    return tls_context(None, verify=verify)


def _origin_of(http_url: str) -> str:
    parts = urlsplit(http_url)
    return f"{parts.scheme}://{parts.netloc}"
