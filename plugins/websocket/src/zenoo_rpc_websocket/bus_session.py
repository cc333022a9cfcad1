"""The web session a bus websocket runs in: its own login, cookie and worker version.

Odoo's bus accepts a websocket only from a logged-in web session (the
``session_id`` cookie) and, from Odoo 17 on, only from a client that says
which ``websocket_worker_version`` it speaks (``/websocket?version=...``),
which the login's ``session_info`` tells. The listener opens its own session
(API keys open none, and the client's own protocol may not be the web one),
logs in again when the bus closes with 4001 (session expired), and reads the
worker version again when it closes with ``OUTDATED_VERSION``.
"""

from __future__ import annotations

import contextlib
import logging
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit, urlunsplit

from zenoo_rpc.connection import select_transport
from zenoo_rpc.errors import ConfigError, SessionExpired, ZenooError
from zenoo_rpc.protocols.base import Credentials
from zenoo_rpc.protocols.envelope import (
    JSON_HEADERS,
    decode_jsonrpc_response,
    encode_jsonrpc_request,
)
from zenoo_rpc.protocols.web import WebSessionProtocol
from zenoo_rpc.transports.base import HttpRequest, Transport, TransportOptions

if TYPE_CHECKING:
    from zenoo_rpc.client import ZenooClient

__all__ = ["BusSession", "bus_url", "http_base_url", "open_bus_session"]

log = logging.getLogger(__name__)

_HTTP_OF = {"http": "http", "https": "https", "ws": "http", "wss": "https"}


def http_base_url(url: str) -> str:
    """The ``http(s)://`` base URL of a server given as ``http(s)://`` or ``ws(s)://``.

    :raises ValueError: for other schemes (``memory://`` has no websocket).
    """
    parts = urlsplit(url)
    scheme = _HTTP_OF.get(parts.scheme)
    if scheme is None or not parts.hostname:
        raise ValueError(
            f"the bus needs an Odoo server reached over HTTP or websockets, not {parts.scheme}://"
        )
    netloc = parts.netloc.rpartition("@")[2]  # never credentials in a URL we build
    return urlunsplit((scheme, netloc, parts.path.rstrip("/"), "", ""))


def bus_url(http_url: str, worker_version: str | None) -> str:
    """``ws(s)://host[:port][/prefix]/websocket[?version=...]`` for a server's base URL."""
    parts = urlsplit(http_url)
    scheme = "wss" if parts.scheme == "https" else "ws"
    query = f"version={quote(worker_version, safe='')}" if worker_version else ""
    return urlunsplit((scheme, parts.netloc, parts.path.rstrip("/") + "/websocket", query, ""))


class BusSession:
    """A web session of its own for one bus listener.

    :param transport: an HTTP transport to the server's base URL (closed by
        :meth:`close` when ``owns_transport``).
    :param credentials: the login; needs a password (web sessions take no API key).
    :param timeout: seconds for each HTTP request (``None``: the transport's default).
    """

    def __init__(
        self,
        transport: Transport,
        credentials: Credentials,
        *,
        timeout: float | None = None,
        owns_transport: bool = True,
    ) -> None:
        self._transport = transport
        self._credentials = credentials
        self._timeout = timeout
        self._owns_transport = owns_transport
        self._protocol: WebSessionProtocol | None = None
        #: ``websocket_worker_version`` of the last login or refresh (``None``: not told).
        self.worker_version: str | None = None
        #: How many times the session was opened (the first login included).
        self.logins = 0

    @property
    def cookie(self) -> str | None:
        """The ``session_id`` cookie: a SECRET, never logged or shown."""
        return self._protocol.session_cookie if self._protocol is not None else None

    @property
    def db(self) -> str:
        return self._credentials.db

    async def open(self) -> None:
        """Log in (again); the previous session, if any, is ended on the server.

        :raises AccessDenied: wrong login or password.
        :raises ConfigError: credentials without a password.
        :raises ZenooTransportError: the server could not be reached.
        """
        protocol = WebSessionProtocol(self._transport)
        session = await protocol.authenticate(self._credentials, timeout=self._timeout)
        previous, self._protocol = self._protocol, protocol
        self.worker_version = session.websocket_worker_version
        self.logins += 1
        if previous is not None:
            with contextlib.suppress(ZenooError):
                await previous.logout()

    async def refresh_worker_version(self) -> str | None:
        """Ask the server its ``websocket_worker_version`` again (after ``OUTDATED_VERSION``).

        Uses ``/web/session/get_session_info``; logs in again when the session
        expired meanwhile. Returns the version now known.
        """
        cookie = self.cookie
        if cookie is None:
            await self.open()
            return self.worker_version
        request_id, body = encode_jsonrpc_request({}, method="get_session_info")
        path = "/web/session/get_session_info"
        response = await self._transport.request(
            HttpRequest(
                path=path,
                headers={**JSON_HEADERS, "Cookie": f"session_id={cookie}"},
                content=body,
                timeout=self._timeout,
            )
        )
        try:
            info: Any = decode_jsonrpc_response(
                response, path, request_id=request_id, db=self.db, secrets=(cookie,)
            )
        except SessionExpired:
            await self.open()
            return self.worker_version
        version = info.get("websocket_worker_version") if isinstance(info, dict) else None
        self.worker_version = version if isinstance(version, str) else None
        return self.worker_version

    async def close(self) -> None:
        """End the session on the server (best effort) and release the transport."""
        protocol, self._protocol = self._protocol, None
        try:
            if protocol is not None:
                with contextlib.suppress(ZenooError):
                    await protocol.logout()
        finally:
            if self._owns_transport:
                await self._transport.aclose()


def open_bus_session(
    client: ZenooClient | None,
    http_url: str,
    *,
    database: str | None = None,
    login: str | None = None,
    password: str | None = None,
    timeout: float | None = None,
    verify_ssl: bool | None = None,
) -> BusSession:
    """A :class:`BusSession` (not logged in yet) for ``client``'s login, or the one given.

    Arguments win over the client's credentials. Its HTTP transport is the
    client's kind for ``http_url`` (the highest-priority one, or the client's
    configured transport when it serves HTTP), or the built-in asyncio one.

    :raises ConfigError: no database, login or password to open a web session with.
    """
    credentials = client.credentials if client is not None else None
    database = database or (credentials.db if credentials else None)
    login = login or (credentials.login if credentials else None)
    password = password or (credentials.password if credentials else None)
    if not database or not login:
        raise ConfigError(
            "the bus listener needs a database and a login: log the client in first, "
            "or pass database= and login="
        )
    if not password:
        raise ConfigError(
            "the bus listener needs a password: Odoo's bus runs in a web session, which API "
            "keys cannot open (pass password=, or set [plugins.websocket] password)"
        )
    creds = Credentials(db=database, login=login, password=password)
    return BusSession(_http_transport(client, http_url, verify_ssl), creds, timeout=timeout)


def _http_transport(client: ZenooClient | None, http_url: str, verify: bool | None) -> Transport:
    if client is None:
        from zenoo_rpc.transports.streams import StreamsTransport

        return StreamsTransport(
            TransportOptions(base_url=http_url, verify_ssl=True if verify is None else verify)
        )
    specs = client.plugins.transports()
    scheme = urlsplit(http_url).scheme
    name = client.config.transport
    if name is not None and (name not in specs or scheme not in specs[name].schemes):
        name = None  # the client's configured transport is for its ws:// URL
    spec = select_transport(specs, http_url, name)
    return spec.factory(
        TransportOptions(
            base_url=http_url,
            timeout=client.config.timeout,
            verify_ssl=client.config.verify_ssl if verify is None else verify,
        )
    )
