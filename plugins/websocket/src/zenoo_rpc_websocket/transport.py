"""``ws://`` and ``wss://``: HTTP requests multiplexed over one websocket, answers matched by id.

The protocols (JSON-RPC, JSON-2, web session) build the same
:class:`~zenoo_rpc.transports.base.HttpRequest` objects as over HTTP; this
transport sends each one as a frame ``{"id", "path", "method", "headers",
"body"}`` to ``<base>/websocket/jsonrpc`` and hands back the answer frame with
the same ``id`` (:mod:`~zenoo_rpc_websocket.rpc_frames`; bodies that are not
UTF-8 travel base64-encoded). Many calls are in flight at once on one connection and the
server may answer in any order.

The contract of every zenoo-rpc transport holds: a request that provably
never left raises :class:`~zenoo_rpc.errors.ConnectError` (safe to send
again), one that may have reached the server raises
:class:`~zenoo_rpc.errors.ConnectionLost` or
:class:`~zenoo_rpc.errors.ReadTimeout` (outcome unknown: the retry policy
never resends a write then). A dropped websocket fails every call in flight
that way, and the next call opens a new one. A call's timeout covers the
wait for a slot, for the connection and for the answer; a late answer is
dropped. A send that blocks because the server stopped reading (a full
socket buffer) ends when the keep-alive ping times out.

Real Odoo serves no ``/websocket/jsonrpc`` (its websocket is the bus); this
endpoint is the emulator's, or that of a gateway speaking the same frames.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import itertools
import logging
import ssl
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlsplit

import msgspec
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidStatus, WebSocketException
from websockets.protocol import State

from zenoo_rpc import __version__ as core_version
from zenoo_rpc.errors import (
    ConfigError,
    ConnectError,
    ConnectionLost,
    ConnectTimeout,
    ProtocolError,
    ReadTimeout,
)
from zenoo_rpc.transports.base import HttpRequest, HttpResponse, TransportOptions, TransportSpec
from zenoo_rpc_websocket.__about__ import __version__
from zenoo_rpc_websocket.rpc_frames import decode_reply, encode_request
from zenoo_rpc_websocket.settings import PLUGIN_NAME, WebsocketSettings, parse_settings
from zenoo_rpc_websocket.wire_log import WIRE_LOG

__all__ = ["TRANSPORT_SPEC", "WebSocketTransport", "tls_context"]

log = logging.getLogger(__name__)

USER_AGENT = f"zenoo-rpc/{core_version} zenoo-rpc-websocket/{__version__}"


class _TimedOut(Exception):
    """Internal: the request's deadline passed (turned into ReadTimeout)."""


class _Link:
    """One open websocket and the requests waiting for their answer on it."""

    __slots__ = ("broken", "loop", "pending", "reader", "ws")

    def __init__(self, ws: ClientConnection, loop: asyncio.AbstractEventLoop) -> None:
        self.ws = ws
        self.loop = loop
        self.pending: dict[int, asyncio.Future[HttpResponse]] = {}
        self.reader: asyncio.Task[None] | None = None
        #: Set once the reader stopped: nothing sent from now on gets an answer.
        self.broken = False

    @property
    def writable(self) -> bool:
        return not self.broken and self.ws.state is State.OPEN

    def fail_all(self, error: Exception) -> None:
        self.broken = True
        pending, self.pending = self.pending, {}
        for future in pending.values():
            if not future.done():
                future.set_exception(error)


class WebSocketTransport:
    """A :class:`~zenoo_rpc.transports.base.Transport` over one multiplexed websocket.

    Registered as ``"websocket"`` for ``ws`` and ``wss`` URLs. The connection
    opens on the first request (under a lock, so concurrent first calls share
    it) and again on the next request after it dropped. Settings come from
    ``[plugins.websocket]`` (:class:`~zenoo_rpc_websocket.settings.WebsocketSettings`:
    ``path``, ``max_in_flight``, ``max_message_size``, ``ping_interval``,
    ``ping_timeout``, ``open_timeout``, ``compression``, ``ca_file``).

    :param options: base URL (``ws://host:port[/prefix]``), default timeout,
        TLS verification and settings.
    """

    def __init__(self, options: TransportOptions) -> None:
        parts = urlsplit(options.base_url)
        if parts.scheme not in ("ws", "wss") or not parts.hostname:
            raise ConfigError(f"not a ws:// or wss:// base URL: {options.base_url!r}")
        settings, _ = parse_settings(options.settings)
        try:
            port = parts.port or (443 if parts.scheme == "wss" else 80)
        except ValueError:
            raise ConfigError(f"bad port in {options.base_url!r}") from None
        host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
        prefix = parts.path.rstrip("/")
        self._url = f"{parts.scheme}://{host}:{port}{prefix}{settings.path}"  # never userinfo
        self._timeout: float | None = options.timeout
        self._settings = settings
        self._ssl: ssl.SSLContext | None = None
        if parts.scheme == "wss":
            self._ssl = tls_context(settings.ca_file, verify=options.verify_ssl)
        self._ids = itertools.count(1)
        self._link: _Link | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._lock: asyncio.Lock | None = None
        self._slots: asyncio.Semaphore | None = None
        self._closed = False
        #: Websocket connections opened so far (a reconnect after a drop adds one).
        self.connections = 0

    def __repr__(self) -> str:
        return f"WebSocketTransport({self._url!r})"

    @property
    def url(self) -> str:
        """The websocket endpoint's URL (without any credentials)."""
        return self._url

    @property
    def settings(self) -> WebsocketSettings:
        """The settings in use (from ``[plugins.websocket]``)."""
        return self._settings

    @property
    def closed(self) -> bool:
        """Whether :meth:`aclose` was called (every request then fails with ConnectError)."""
        return self._closed

    @property
    def in_flight(self) -> int:
        """Requests sent on the current connection and not answered yet."""
        link = self._link
        return len(link.pending) if link is not None else 0

    # ------------------------------------------------------------------ public API

    async def request(self, request: HttpRequest) -> HttpResponse:
        """Send ``request`` on the shared websocket and wait for its own answer."""
        if self._closed:
            raise ConnectError("the transport is closed", url=self._url)
        loop = asyncio.get_running_loop()
        slots = self._bind(loop)
        timeout = request.timeout if request.timeout is not None else self._timeout
        deadline = None if timeout is None else loop.time() + timeout
        frame_id = next(self._ids)
        data = encode_request(frame_id, request)
        if not await _acquire(slots, loop, deadline):
            raise ConnectTimeout(
                f"{self._settings.max_in_flight} calls already in flight on {self._url}; "
                f"none finished within {timeout} s",
                url=self._url,
            )
        try:
            link = await self._writable_link(loop, deadline, timeout)
            future: asyncio.Future[HttpResponse] = loop.create_future()
            link.pending[frame_id] = future
            timer = None if deadline is None else loop.call_at(deadline, _expire, future)
            try:
                try:
                    await link.ws.send(data, text=True)
                except ConnectionClosed as exc:
                    raise self._lost(link, request) from exc
                return await future
            except _TimedOut:
                raise ReadTimeout(
                    f"no answer from {self._url} to {request.method} {request.path} "
                    f"within {timeout} s",
                    url=self._url,
                ) from None
            finally:
                if timer is not None:
                    timer.cancel()
                link.pending.pop(frame_id, None)
                if future.done() and not future.cancelled():
                    future.exception()  # seen, even when the caller was cancelled first
        finally:
            slots.release()

    async def aclose(self) -> None:
        """Close the websocket; calls in flight fail with ConnectionLost. Idempotent."""
        self._closed = True
        link, self._link = self._link, None
        if link is None:
            return
        link.fail_all(ConnectionLost(f"the transport closed with the call in flight ({self._url})"))
        if link.loop is not asyncio.get_running_loop() or link.loop.is_closed():
            return  # its event loop is gone: nothing to close the socket with
        with contextlib.suppress(Exception):
            await link.ws.close()
        if link.reader is not None:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await link.reader

    # ------------------------------------------------------------------ connection

    def _bind(self, loop: asyncio.AbstractEventLoop) -> asyncio.Semaphore:
        """Per-event-loop state: a connection, lock and slots only serve the loop they came from."""
        if self._loop is not loop or self._slots is None:
            self._loop = loop
            self._lock = asyncio.Lock()
            self._slots = asyncio.Semaphore(self._settings.max_in_flight)
            if self._link is not None and self._link.loop is not loop:
                self._link = None  # opened in another (likely finished) event loop
        return self._slots

    async def _writable_link(
        self, loop: asyncio.AbstractEventLoop, deadline: float | None, timeout: float | None
    ) -> _Link:
        """An open connection to write on; a connection found closing is replaced once."""
        for _ in range(2):
            link = self._link
            if link is None or not link.writable:
                link = await self._connect(loop, deadline, timeout)
            if link.writable:
                return link
            if self._link is link:
                self._link = None
        raise ConnectError(f"{self._url} closed before the request was sent", url=self._url)

    async def _connect(
        self, loop: asyncio.AbstractEventLoop, deadline: float | None, timeout: float | None
    ) -> _Link:
        assert self._lock is not None
        async with self._lock:
            link = self._link
            if link is not None and link.writable:
                return link
            if self._closed:
                raise ConnectError("the transport is closed", url=self._url)
            settings = self._settings
            open_timeout: float | None = settings.open_timeout
            if deadline is not None:
                open_timeout = max(0.0, min(settings.open_timeout, deadline - loop.time()))
            try:
                ws = await connect(
                    self._url,
                    ssl=self._ssl,
                    open_timeout=open_timeout,
                    ping_interval=settings.ping_interval or None,
                    ping_timeout=settings.ping_timeout or None,
                    max_size=settings.max_message_size,
                    max_queue=None,
                    compression=settings.compression,
                    user_agent_header=USER_AGENT,
                    logger=WIRE_LOG,
                )
            except (TimeoutError, asyncio.TimeoutError) as exc:
                raise ConnectTimeout(
                    f"opening the websocket {self._url} took more than {open_timeout} s",
                    url=self._url,
                ) from exc
            except InvalidStatus as exc:
                status = exc.response.status_code
                hint = (
                    " (no such endpoint: real Odoo serves only its bus at /websocket; "
                    "ws:// URLs need the emulator or a gateway that speaks these frames)"
                    if status == 404
                    else ""
                )
                raise ConnectError(
                    f"the server refused the websocket {self._url}: HTTP {status}{hint}",
                    url=self._url,
                ) from exc
            except (OSError, WebSocketException, ValueError) as exc:
                raise ConnectError(
                    f"cannot open the websocket {self._url}: {str(exc) or type(exc).__name__}",
                    url=self._url,
                ) from exc
            if self.closed:  # aclose() ran during the handshake: nobody will close this one
                with contextlib.suppress(Exception):
                    await ws.close()
                raise ConnectError("the transport is closed", url=self._url)
            self.connections += 1
            link = _Link(ws, loop)
            link.reader = loop.create_task(self._read(link))
            self._link = link
            log.debug("websocket transport connected to %s", self._url)
            return link

    def _lost(self, link: _Link, request: HttpRequest) -> ConnectionLost:
        ws = link.ws
        why = f"code {ws.close_code}" + (f" {ws.close_reason}" if ws.close_reason else "")
        return ConnectionLost(
            f"the websocket {self._url} closed ({why}) before answering "
            f"{request.method} {request.path}",
            url=self._url,
        )

    async def _read(self, link: _Link) -> None:
        """Hand each answer to the request with its id, until the connection ends."""
        ws = link.ws
        try:
            async for message in _frames(ws):
                if not self._dispatch(link, message):
                    await ws.close(1002, "a frame that is not an answer")
                    break
        except Exception:  # never leave the calls in flight waiting
            log.exception("websocket transport reader failed on %s", self._url)
            with contextlib.suppress(Exception):
                await ws.close(1011, "client error")
        finally:
            why = f"code {ws.close_code}" + (f" {ws.close_reason}" if ws.close_reason else "")
            link.fail_all(
                ConnectionLost(
                    f"the websocket {self._url} closed ({why}) with the call in flight",
                    url=self._url,
                )
            )
            if self._link is link:
                self._link = None

    def _dispatch(self, link: _Link, message: str | bytes) -> bool:
        """Resolve the request ``message`` answers; ``False`` for a frame that answers nothing."""
        try:
            reply = decode_reply(message)
        except (msgspec.DecodeError, msgspec.ValidationError) as exc:
            return self._bad_frame(link, message, exc)
        future = link.pending.pop(reply.id, None) if reply.id is not None else None
        if future is None or future.done():
            # The answer to a request that timed out or was cancelled: nobody waits.
            log.debug("websocket transport: dropped a late answer (id %s)", reply.id)
            return reply.id is not None
        if reply.encoding == "base64":
            try:
                content = base64.b64decode(reply.body, validate=True)
            except ValueError:
                future.set_exception(
                    ProtocolError(
                        f"{self._url}: an answer's base64 body does not decode",
                        status=reply.status,
                        url=self._url,
                    )
                )
                return True
        else:
            content = reply.body.encode()
        future.set_result(HttpResponse(status=reply.status, headers=reply.headers, content=content))
        return True

    def _bad_frame(self, link: _Link, message: str | bytes, exc: Exception) -> bool:
        try:
            frame: Any = msgspec.json.decode(message)
        except msgspec.DecodeError:
            frame = None
        frame_id = frame.get("id") if isinstance(frame, dict) else None
        future = link.pending.pop(frame_id, None) if isinstance(frame_id, int) else None
        if future is None:
            log.warning("websocket transport: %s sent a frame that answers nothing", self._url)
            return False
        if not future.done():
            future.set_exception(
                ProtocolError(f"{self._url}: an answer frame is malformed ({exc})", url=self._url)
            )
        return True


def tls_context(ca_file: str | None, *, verify: bool) -> ssl.SSLContext:
    """The TLS settings of a ``wss://`` connection (``ca_file``: extra trusted CAs, PEM).

    :raises ConfigError: ``ca_file`` cannot be read or holds no certificate
        (``path`` is ``$.plugins.websocket.ca_file``).
    """
    try:
        context = ssl.create_default_context(cafile=ca_file)
    except (OSError, ssl.SSLError) as exc:
        key = f"$.plugins.{PLUGIN_NAME}.ca_file"
        raise ConfigError(
            f"[plugins.{PLUGIN_NAME}] ca_file {ca_file!r} cannot be used as certificate "
            f"authorities: {getattr(exc, 'strerror', None) or exc} - at `{key}`",
            path=key,
        ) from None
    if not verify:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context


def _expire(future: asyncio.Future[HttpResponse]) -> None:
    if not future.done():
        future.set_exception(_TimedOut())


async def _frames(ws: ClientConnection) -> AsyncIterator[str | bytes]:
    """The connection's messages until it closes (cleanly or not)."""
    while True:
        try:
            yield await ws.recv()
        except ConnectionClosed:
            return


async def _acquire(
    slots: asyncio.Semaphore, loop: asyncio.AbstractEventLoop, deadline: float | None
) -> bool:
    """Take a slot, waiting until ``deadline`` at most; ``False`` if none came."""
    if not slots.locked():
        await slots.acquire()
        return True
    if deadline is None:
        await slots.acquire()
        return True
    try:
        await asyncio.wait_for(slots.acquire(), max(0.0, deadline - loop.time()))
    except (TimeoutError, asyncio.TimeoutError):
        return False
    return True


def _transport(options: TransportOptions) -> WebSocketTransport:
    return WebSocketTransport(options)


TRANSPORT_SPEC = TransportSpec(name=PLUGIN_NAME, schemes=("ws", "wss"), factory=_transport)
