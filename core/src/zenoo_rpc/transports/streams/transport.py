"""StreamsTransport: one base URL, a keep-alive pool, and the rules for sending a request again."""

from __future__ import annotations

import asyncio
import contextlib
import ssl
from collections.abc import AsyncGenerator, AsyncIterator
from urllib.parse import urlsplit

from zenoo_rpc.__about__ import __version__
from zenoo_rpc.errors import (
    ConfigError,
    ConnectError,
    ConnectionLost,
    ConnectTimeout,
    ProtocolError,
    ReadTimeout,
    redact,
)
from zenoo_rpc.transports.base import (
    HttpRequest,
    HttpResponse,
    HttpStream,
    RequestBody,
    TransportOptions,
    TransportSpec,
)
from zenoo_rpc.transports.streams.connection import Closed, Connection, TimedOut
from zenoo_rpc.transports.streams.http11 import Malformed, encode_request
from zenoo_rpc.transports.streams.pool import ConnectionPool
from zenoo_rpc.transports.streams.streamed import body_chunks, send_body

__all__ = ["TRANSPORT_SPEC", "StreamsTransport"]


class StreamsTransport:
    """HTTP/1.1 with keep-alive pooling over asyncio; registered as ``"asyncio"``.

    One instance serves one base URL (``http`` or ``https``). At most
    ``max_connections`` requests run at once; more wait for a free connection
    within their own deadline.
    """

    def __init__(self, options: TransportOptions) -> None:
        parts = urlsplit(options.base_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ConfigError(f"not an http(s) base URL: {options.base_url!r}")
        self._https = parts.scheme == "https"
        self._host = parts.hostname
        self._port = parts.port or (443 if self._https else 80)
        self._prefix = parts.path.rstrip("/")
        host = self._host.encode("idna").decode("ascii") if not self._host.isascii() else self._host
        host = f"[{host}]" if ":" in host else host
        default_port = self._port == (443 if self._https else 80)
        self._host_line = f"Host: {host}\r\n" if default_port else f"Host: {host}:{self._port}\r\n"
        self._url = f"{parts.scheme}://{host}:{self._port}{self._prefix}"  # never userinfo
        self._timeout: float | None = options.timeout
        self._verify = options.verify_ssl
        settings = options.settings
        self._ssl: ssl.SSLContext | None = settings.get("ssl_context")
        self._resend_on_idle_close = bool(settings.get("resend_on_idle_close", False))
        self._pool = ConnectionPool(
            max_connections=int(settings.get("max_connections", 10)),
            expiry=float(settings.get("keepalive_expiry", 4.0)),
        )
        self._closed = False
        self._ua_line = f"User-Agent: zenoo-rpc/{__version__}\r\n"

    def __repr__(self) -> str:
        return f"StreamsTransport({self._url!r})"

    # ------------------------------------------------------------------ public API

    async def request(self, request: HttpRequest) -> HttpResponse:
        if self._closed:
            raise ConnectError("the transport is closed", url=self._url)
        data, close_after = encode_request(request, self._prefix, self._host_line, self._ua_line)
        loop = asyncio.get_running_loop()
        timeout = request.timeout if request.timeout is not None else self._timeout
        deadline = None if timeout is None else loop.time() + timeout
        pool = self._pool
        if not await pool.acquire(loop, deadline):
            raise ConnectTimeout(
                f"no free connection to {self._url} within {timeout} s", url=self._url
            )
        try:
            conn = pool.pop_idle(loop)
            if conn is None:
                conn = await self._connect(loop, deadline, timeout)
            try:
                return await self._exchange(conn, data, request, deadline, timeout, close_after)
            except _StaleConnection as stale:
                try:
                    conn = await self._connect(loop, deadline, timeout)
                    return await self._exchange(conn, data, request, deadline, timeout, close_after)
                except ConnectError as exc:
                    if stale.proven:
                        raise
                    # The first send may have reached the server: never say "not sent".
                    lost = ConnectionLost(
                        f"connection to {self._url} closed before answering, then {exc}",
                        url=self._url,
                    )
                    raise lost from exc
        finally:
            pool.release()

    async def aclose(self) -> None:
        """Close every connection (in-flight requests then fail with ConnectionLost)."""
        self._closed = True
        await self._pool.aclose()

    @contextlib.asynccontextmanager
    async def stream(
        self, request: HttpRequest, *, body: RequestBody | None = None
    ) -> AsyncIterator[HttpStream]:
        """Send ``request`` (its body from ``body`` when given); yield the response as it arrives.

        Always on a fresh connection (a large transfer is never worth the
        stale keep-alive race), parked for reuse when the body was read to the
        end. The timeout bounds each wait for bytes, not the whole transfer.
        """
        if self._closed:
            raise ConnectError("the transport is closed", url=self._url)
        data, close_after = encode_request(
            request,
            self._prefix,
            self._host_line,
            self._ua_line,
            body_length=body.length if body is not None else None,
        )
        loop = asyncio.get_running_loop()
        timeout = request.timeout if request.timeout is not None else self._timeout
        pool = self._pool
        if not await pool.acquire(loop, None if timeout is None else loop.time() + timeout):
            raise ConnectTimeout(
                f"no free connection to {self._url} within {timeout} s", url=self._url
            )
        conn: Connection | None = None
        chunks: AsyncGenerator[bytes, None] | None = None
        finished = clean = False
        try:
            conn = await self._connect(
                loop, None if timeout is None else loop.time() + timeout, timeout
            )
            head = await self._send_head(conn, data, body, request, timeout)
            status, headers, length, chunked, keep, encoding, start = head
            if request.method == "HEAD" or status in (204, 304):
                length, chunked = 0, False

            async def read_body(conn: Connection = conn) -> AsyncGenerator[bytes, None]:
                nonlocal finished
                try:
                    async for piece in body_chunks(
                        conn,
                        start=start,
                        length=length,
                        chunked=chunked,
                        encoding=encoding,
                        timeout=timeout,
                    ):
                        yield piece
                except (Closed, TimedOut, Malformed) as exc:
                    raise self._stream_error(exc, request, timeout, conn, sent=True) from None
                finished = True

            chunks = read_body()
            yield HttpStream(status, headers, chunks)
            clean = finished and keep and not close_after and not conn.buffer and not self._closed
        finally:
            if chunks is not None:
                await chunks.aclose()
            if conn is not None:
                if clean:
                    pool.keep_idle(conn)
                else:
                    pool.discard(conn)
            pool.release()

    async def _send_head(
        self,
        conn: Connection,
        data: bytes,
        body: RequestBody | None,
        request: HttpRequest,
        timeout: float | None,
    ) -> tuple[int, list[tuple[str, str]], int, bool, bool, str, int]:
        """Send the request (head, then ``body``) on a fresh ``conn``; read the answer's head."""
        transport = conn.transport
        assert transport is not None
        loop = conn.loop
        sent = False
        try:
            if conn.closed or transport.is_closing():
                raise Closed(conn.cause)
            transport.write(data)
            sent = not transport.is_closing()
            if conn.write_paused:
                await conn.flush(None if timeout is None else loop.time() + timeout)
            if body is not None:
                await send_body(conn, body, timeout)
            return await conn.read_head(None if timeout is None else loop.time() + timeout)
        except (Closed, TimedOut, Malformed) as exc:
            raise self._stream_error(exc, request, timeout, conn, sent=sent) from None

    def _stream_error(
        self,
        exc: Exception,
        request: HttpRequest,
        timeout: float | None,
        conn: Connection,
        *,
        sent: bool,
    ) -> Exception:
        if isinstance(exc, TimedOut):
            return ReadTimeout(
                f"no data from {self._url}{request.path} for {timeout} s", url=self._url
            )
        if isinstance(exc, Malformed):
            return ProtocolError(
                f"invalid HTTP response from {self._url}: {redact(str(exc))}",
                status=exc.status,
                body_start=redact(bytes(conn.buffer[:200]).decode("latin-1")),
                url=self._url,
            )
        if not sent:
            return ConnectError(
                f"connection to {self._url} closed before the request was sent", url=self._url
            )
        return ConnectionLost(
            f"connection to {self._url} closed mid-transfer: {exc}", url=self._url
        )

    # ------------------------------------------------------------------ internals

    def _ssl_context(self) -> ssl.SSLContext | None:
        if not self._https:
            return None
        if self._ssl is None:
            ctx = ssl.create_default_context()
            if not self._verify:
                ctx.check_hostname = False
                ctx.verify_mode = ssl.CERT_NONE
            self._ssl = ctx
        return self._ssl

    async def _connect(
        self, loop: asyncio.AbstractEventLoop, deadline: float | None, timeout: float | None
    ) -> Connection:
        ssl_context = self._ssl_context()
        coro = loop.create_connection(
            lambda: Connection(loop),
            self._host,
            self._port,
            ssl=ssl_context,
            server_hostname=self._host if ssl_context else None,
        )
        try:
            if deadline is None:
                _, conn = await coro
            else:
                _, conn = await asyncio.wait_for(coro, max(0.0, deadline - loop.time()))
        except (asyncio.TimeoutError, TimeoutError) as exc:
            raise ConnectTimeout(
                f"connecting to {self._url} took more than {timeout} s", url=self._url
            ) from exc
        except (OSError, ValueError) as exc:
            raise ConnectError(f"cannot connect to {self._url}: {exc}", url=self._url) from exc
        self._pool.add(conn)
        return conn

    async def _exchange(
        self,
        conn: Connection,
        data: bytes,
        request: HttpRequest,
        deadline: float | None,
        timeout: float | None,
        close_after: bool,
    ) -> HttpResponse:
        """Send ``data`` on ``conn`` and read the response.

        Raises :class:`_StaleConnection` (the caller then sends once more on a
        fresh connection) only on a REUSED connection and only when:

        * the request did not entirely leave this process (the send failed, or
          the connection died with bytes still in the write buffer): a server
          cannot run an HTTP request it did not completely receive; or
        * the connection closed or was reset before ONE byte of response came
          back, and ``resend_on_idle_close`` is on. This is the race of a server
          closing a keep-alive connection it thinks idle while our request is on
          the wire (the server never read it). It is what browsers do, but it is
          not a proof: a server that reads the request, runs it, then dies
          without answering looks the same. ``keepalive_expiry`` and the
          readability check before reuse make this path rare; turn it off to
          get :class:`ConnectionLost` (outcome unknown) instead.

        Every other failure after the send raises ConnectionLost or ReadTimeout
        and the request is never sent again here.
        """
        reused = conn.reused
        transport = conn.transport
        assert transport is not None
        clean = False
        try:
            try:
                if conn.closed or transport.is_closing():
                    raise Closed(conn.cause)  # gone before we wrote a byte
                transport.write(data)
                if transport.is_closing():  # the send raised: not one byte of it left
                    raise Closed(conn.cause)
                if conn.write_paused:
                    await conn.flush(deadline)
            except Closed as exc:
                if reused:
                    raise _StaleConnection(proven=True) from exc
                err = ConnectError(
                    f"connection to {self._url} closed before the request was sent", url=self._url
                )
                raise err from exc.cause
            status, headers, body, keep = await conn.read_response(
                request.method == "HEAD", deadline
            )
            clean = keep and not close_after and not self._closed
            return HttpResponse(status=status, headers=headers, content=body)
        except Closed as exc:
            if exc.before_response and reused and self._resend_on_idle_close:
                raise _StaleConnection(proven=False) from exc
            where = "before answering" if exc.before_response else "in the middle of the response"
            lost = ConnectionLost(f"connection to {self._url} closed {where}: {exc}", url=self._url)
            raise lost from exc.cause
        except TimedOut:
            raise ReadTimeout(
                f"no complete answer from {self._url}{request.path} within {timeout} s",
                url=self._url,
            ) from None
        except Malformed as exc:
            raise ProtocolError(
                f"invalid HTTP response from {self._url}: {redact(str(exc))}",
                status=exc.status,
                body_start=redact(bytes(conn.buffer[:200]).decode("latin-1")),
                url=self._url,
            ) from None
        finally:
            if clean:
                self._pool.keep_idle(conn)
            else:
                self._pool.discard(conn)


class _StaleConnection(Exception):
    """Internal: the reused connection did not take the request (see ``_exchange``).

    ``proven`` is False for the idle-close race, where a failure of the resend
    must not claim the request was never sent.
    """

    def __init__(self, *, proven: bool) -> None:
        self.proven = proven
        super().__init__("stale keep-alive connection")


TRANSPORT_SPEC = TransportSpec(
    name="asyncio", schemes=("http", "https"), factory=StreamsTransport, priority=10
)
