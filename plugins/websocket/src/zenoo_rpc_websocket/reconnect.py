"""``BusConnection``: keeps one bus websocket open, by Odoo's rules for closing and reconnecting.

One connection goes: log in (when there is no session yet), open
``/websocket?version=...`` with the session cookie and an ``Origin`` header,
send the subscription, read frames until the server or the network closes it.
Then the close code decides: 4001 (session expired) logs in again, 1000
``OUTDATED_VERSION`` asks the server its worker version again, 1013 (try
later) waits at least a few seconds, anything else waits the backoff's next
delay (exponential, with jitter, capped). A connection that lived
:data:`STABLE_AFTER` seconds or brought a frame resets the backoff. A login
the server refuses, or a handshake it refuses for good (404...), raises
instead of looping forever.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import ssl
from collections.abc import Awaitable, Callable

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidStatus, WebSocketException
from websockets.typing import Origin

from zenoo_rpc.errors import ProtocolError, ZenooError, ZenooTransportError
from zenoo_rpc_websocket.backoff import Backoff
from zenoo_rpc_websocket.bus_session import BusSession, bus_url
from zenoo_rpc_websocket.errors import BusAuthenticationError, BusError
from zenoo_rpc_websocket.transport import USER_AGENT
from zenoo_rpc_websocket.wire_log import WIRE_LOG

__all__ = ["OUTDATED_VERSION", "SESSION_EXPIRED", "STABLE_AFTER", "TRY_LATER", "BusConnection"]

log = logging.getLogger(__name__)

SESSION_EXPIRED = 4001
TRY_LATER = 1013
OUTDATED_VERSION = "OUTDATED_VERSION"
#: A connection that lived this long (seconds) worked: the backoff starts over.
STABLE_AFTER = 5.0
#: Waiting at least this long after 1013 "try again later" (capped by the backoff's cap).
TRY_LATER_DELAY = 5.0
#: HTTP answers to the handshake that no retry will change.
_FATAL_HANDSHAKE = frozenset({400, 401, 403, 404, 405, 426})

OnOpen = Callable[[str], Awaitable[None]]
OnClose = Callable[[int | None, str, float], Awaitable[None]]
OnFrame = Callable[[str | bytes], Awaitable[None]]


class BusConnection:
    """The bus websocket of one listener, opened again and again until cancelled.

    :param session: the web session (logged in on the first connection).
    :param http_url: the server's ``http(s)://`` base URL.
    :param subscription: the subscribe frame to send on each new connection
        (with the channels and the last id seen at that moment).
    :param on_frame: awaited with each frame, in order (the next frame waits).
    :param on_open: awaited with the URL (no query) once subscribed.
    :param on_close: awaited with the close code (``None`` if none came), the
        reason and the seconds before the next attempt.
    :param ssl_context: TLS settings for ``https`` servers (``wss://``).
    """

    def __init__(
        self,
        session: BusSession,
        http_url: str,
        *,
        subscription: Callable[[], str],
        on_frame: OnFrame,
        on_open: OnOpen,
        on_close: OnClose,
        backoff: Backoff,
        origin: str,
        ping_interval: float | None,
        ping_timeout: float | None,
        open_timeout: float,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        self.session = session
        self.http_url = http_url
        self.backoff = backoff
        self._subscription = subscription
        self._on_frame = on_frame
        self._on_open = on_open
        self._on_close = on_close
        self._origin = Origin(origin)
        self._ping = (ping_interval, ping_timeout)
        self._open_timeout = open_timeout
        self._ssl = ssl_context
        #: The open websocket, while subscribed.
        self.ws: ClientConnection | None = None
        #: Websocket connections opened so far.
        self.connections = 0

    async def run(self) -> None:
        """Connect, read, reconnect, until cancelled.

        :raises BusAuthenticationError: the server refused the login.
        :raises BusError: the server refused the websocket for good.
        """
        while True:
            delay = await self._connect_once()
            if delay:
                await asyncio.sleep(delay)

    async def send(self, text: str) -> bool:
        """Send ``text`` on the open websocket; ``False`` when none is open."""
        ws = self.ws
        if ws is None:
            return False
        try:
            await ws.send(text)
        except ConnectionClosed:
            return False
        return True

    async def _login(self) -> float | None:
        """Open the web session; the delay before trying again if the server is unreachable."""
        try:
            await self.session.open()
        except (ZenooTransportError, ProtocolError) as exc:
            delay = self.backoff.next_delay()
            log.warning("bus login to %s failed (%s); retrying in %.1fs", self.http_url, exc, delay)
            return delay
        except ZenooError as exc:  # refused: wrong password, API key only, second factor...
            raise BusAuthenticationError(
                f"the bus cannot log in to {self.http_url}: {exc}"
            ) from exc
        return None

    async def _connect_once(self) -> float | None:
        """One connection, from login to close; the delay before the next one."""
        session = self.session
        if session.cookie is None:
            delay = await self._login()
            if delay is not None:
                return delay
        cookie = session.cookie
        assert cookie is not None
        loop = asyncio.get_running_loop()
        url = bus_url(self.http_url, session.worker_version)
        shown = url.split("?", 1)[0]
        code: int | None = None
        reason = ""
        opened_at: float | None = None
        received = False
        try:
            async with connect(
                url,
                ssl=self._ssl,
                origin=self._origin,
                additional_headers={"Cookie": f"session_id={cookie}"},
                ping_interval=self._ping[0],
                ping_timeout=self._ping[1],
                open_timeout=self._open_timeout,
                max_size=None,
                compression=None,
                user_agent_header=USER_AGENT,
                logger=WIRE_LOG,
            ) as ws:
                opened_at = loop.time()
                self.connections += 1
                # Published before the first send: a subscribe() that runs while
                # that send is under way sends its own (newer) subscription too,
                # instead of finding no websocket and being left for the next one.
                self.ws = ws
                await ws.send(self._subscription())
                await self._on_open(shown)
                with contextlib.suppress(ConnectionClosed):
                    async for raw in ws:
                        received = True
                        await self._on_frame(raw)
                code, reason = ws.close_code, ws.close_reason or ""
        except InvalidStatus as exc:
            status = exc.response.status_code
            if status in _FATAL_HANDSHAKE:
                raise BusError(
                    f"the server refused the bus websocket {shown}: HTTP {status}"
                ) from exc
            reason = f"HTTP {status}"
        except ConnectionClosed as exc:  # closed before the subscription went out
            code, reason = (exc.rcvd.code, exc.rcvd.reason) if exc.rcvd else (None, str(exc))
        except (OSError, TimeoutError, asyncio.TimeoutError, WebSocketException) as exc:
            reason = str(exc) or type(exc).__name__
        finally:
            self.ws = None
        if opened_at is not None and (received or loop.time() - opened_at >= STABLE_AFTER):
            self.backoff.reset()
        delay = await self._after_close(code, reason)
        log.info("bus websocket %s closed (%s %r); again in %.2fs", shown, code, reason, delay)
        await self._on_close(code, reason, delay)
        return delay

    async def _after_close(self, code: int | None, reason: str) -> float:
        """What a close means: log in again, read the version again, or wait."""
        if code == SESSION_EXPIRED:
            first = self.backoff.attempts == 0
            delay = await self._login()
            if delay is not None:
                return delay
            delay = self.backoff.next_delay()  # counted: a server closing 4001 at once waits
            return 0.0 if first else delay
        if code == 1000 and reason == OUTDATED_VERSION:
            before = self.session.worker_version
            try:
                after = await self.session.refresh_worker_version()
            except (ZenooTransportError, ProtocolError):
                return self.backoff.next_delay()
            except ZenooError as exc:
                raise BusAuthenticationError(f"the bus cannot log in again: {exc}") from exc
            delay = self.backoff.next_delay()
            if after is None or after == before:
                log.warning("bus: the server says its own worker version %r is outdated", before)
                return delay
            return 0.0
        if code == TRY_LATER:
            return self.backoff.next_delay(at_least=TRY_LATER_DELAY)
        return self.backoff.next_delay()
