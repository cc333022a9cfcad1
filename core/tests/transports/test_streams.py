"""The ``asyncio`` transport against real loopback servers (no mocks of the socket layer)."""

from __future__ import annotations

import asyncio
import gc
import gzip
import pickle
import socket
import ssl
import struct
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from zenoo_rpc.errors import (
    ConnectError,
    ConnectionLost,
    ConnectTimeout,
    InvalidRequestError,
    ProtocolError,
    ReadTimeout,
    ZenooTransportError,
)
from zenoo_rpc.testing.tls import self_signed_certificate
from zenoo_rpc.transports.base import HttpRequest, Transport, TransportOptions
from zenoo_rpc.transports.streams import TRANSPORT_SPEC, StreamsTransport


@dataclass
class Seen:
    """One request as the server received it."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    conn: int  # index of the connection it came on
    nth: int  # its rank on that connection (0 = first)


Handler = Callable[[Seen, asyncio.StreamWriter], Awaitable[bool]]
StartServer = Callable[[Handler], Awaitable["Server"]]
MakeTransport = Callable[..., StreamsTransport]


@dataclass
class Server:
    """A loopback HTTP/1.1 server whose answers are scripted by ``handler``."""

    handler: Handler
    port: int = 0
    connections: int = 0
    active: int = 0
    max_active: int = 0
    requests: list[Seen] = field(default_factory=list)
    writers: list[asyncio.StreamWriter] = field(default_factory=list)
    aserver: asyncio.Server | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        conn = self.connections
        self.connections += 1
        self.writers.append(writer)
        nth = 0
        try:
            while True:
                try:
                    head = await reader.readuntil(b"\r\n\r\n")
                except (asyncio.IncompleteReadError, ConnectionError):
                    return
                lines = head.decode("latin-1").split("\r\n")
                method, path, _ = lines[0].split(" ")
                headers = {}
                for line in lines[1:]:
                    if line:
                        name, _, value = line.partition(":")
                        headers[name.lower()] = value.strip()
                body = await reader.readexactly(int(headers.get("content-length", "0")))
                seen = Seen(method, path, headers, body, conn, nth)
                self.requests.append(seen)
                nth += 1
                self.active += 1
                self.max_active = max(self.max_active, self.active)
                try:
                    keep = await self.handler(seen, writer)
                finally:
                    self.active -= 1
                if not keep:
                    return
        finally:
            writer.close()


def reply(
    writer: asyncio.StreamWriter,
    body: bytes = b'{"ok": true}',
    *,
    status: str = "200 OK",
    headers: tuple[tuple[str, str], ...] = (("Content-Type", "application/json"),),
    chunked: bool = False,
) -> None:
    head = f"HTTP/1.1 {status}\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers)
    if chunked:
        parts = [body[i : i + 7] for i in range(0, len(body), 7)]
        payload = (
            b"".join(b"%x;ext=1\r\n%s\r\n" % (len(p), p) for p in parts) + b"0\r\nX-T: 1\r\n\r\n"
        )
        writer.write(head.encode() + b"Transfer-Encoding: chunked\r\n\r\n" + payload)
    else:
        writer.write(head.encode() + b"Content-Length: %d\r\n\r\n" % len(body) + body)


async def echo(seen: Seen, writer: asyncio.StreamWriter) -> bool:
    reply(writer, b"echo:" + seen.body + b" path:" + seen.path.encode())
    return True


@pytest.fixture
async def start_server() -> AsyncIterator[Callable[[Handler], Awaitable[Server]]]:
    servers: list[tuple[asyncio.Server, Server]] = []

    async def start(handler: Handler) -> Server:
        srv = Server(handler)
        aserver = await asyncio.start_server(srv.serve, "127.0.0.1", 0)
        srv.port = aserver.sockets[0].getsockname()[1]
        srv.aserver = aserver
        servers.append((aserver, srv))
        return srv

    yield start
    for aserver, srv in servers:
        aserver.close()
        for writer in srv.writers:
            writer.close()
        await aserver.wait_closed()


@pytest.fixture
async def make_transport() -> AsyncIterator[Callable[..., StreamsTransport]]:
    made: list[StreamsTransport] = []

    def make(
        url: str, *, timeout: float = 5.0, verify_ssl: bool = True, **settings: Any
    ) -> StreamsTransport:
        transport = StreamsTransport(
            TransportOptions(
                base_url=url, timeout=timeout, verify_ssl=verify_ssl, settings=settings
            )
        )
        made.append(transport)
        return transport

    yield make
    for transport in made:
        await transport.aclose()


def post(body: bytes = b"{}", path: str = "/jsonrpc", **kw: Any) -> HttpRequest:
    return HttpRequest(path=path, content=body, headers={"Content-Type": "application/json"}, **kw)


# --------------------------------------------------------------------------- happy paths


def test_spec_registers_the_asyncio_transport() -> None:
    assert TRANSPORT_SPEC.name == "asyncio"
    assert TRANSPORT_SPEC.schemes == ("http", "https")
    transport = TRANSPORT_SPEC.factory(TransportOptions(base_url="http://127.0.0.1:1"))
    assert isinstance(transport, Transport)


async def test_keep_alive_reuses_one_connection(
    start_server: StartServer, make_transport: MakeTransport
) -> None:
    server = await start_server(echo)
    transport = make_transport(server.url)
    for i in range(5):
        response = await transport.request(post(b"%d" % i))
        assert response.status == 200
        assert response.content == b"echo:%d path:/jsonrpc" % i
        assert response.content_type == "application/json"
        assert response.header("content-length") == str(len(response.content))
    assert server.connections == 1
    seen = server.requests[0]
    assert seen.method == "POST"
    assert seen.headers["host"] == f"127.0.0.1:{server.port}"
    assert seen.headers["content-type"] == "application/json"
    assert seen.headers["user-agent"].startswith("zenoo-rpc/")


async def test_base_url_prefix_and_get_without_body(
    start_server: StartServer, make_transport: MakeTransport
) -> None:
    server = await start_server(echo)
    transport = make_transport(server.url + "/odoo/")
    response = await transport.request(HttpRequest(method="GET", path="/web/version?x=1"))
    assert response.content == b"echo: path:/odoo/web/version?x=1"
    assert "content-length" not in server.requests[0].headers


async def test_chunked_body_with_extensions_and_trailers(
    start_server: StartServer, make_transport: MakeTransport
) -> None:
    payload = b'{"result": [' + b", ".join(b'{"id": %d}' % i for i in range(300)) + b"]}"

    async def chunked(seen: Seen, writer: asyncio.StreamWriter) -> bool:
        reply(writer, payload, chunked=True)
        return True

    server = await start_server(chunked)
    transport = make_transport(server.url)
    for _ in range(3):
        assert (await transport.request(post())).content == payload
    assert server.connections == 1


async def test_connection_close_answer_is_not_reused(
    start_server: StartServer, make_transport: MakeTransport
) -> None:
    async def closing(seen: Seen, writer: asyncio.StreamWriter) -> bool:
        reply(writer, b"bye", headers=(("Connection", "close"),))
        return False

    server = await start_server(closing)
    transport = make_transport(server.url)
    for _ in range(3):
        assert (await transport.request(post())).content == b"bye"
    assert server.connections == 3
    assert len(server.requests) == 3


async def test_http10_close_delimited_body(
    start_server: StartServer, make_transport: MakeTransport
) -> None:
    async def old(seen: Seen, writer: asyncio.StreamWriter) -> bool:
        writer.write(b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end")
        return False

    server = await start_server(old)
    transport = make_transport(server.url)
    assert (await transport.request(post())).content == b"until the end"
    assert (await transport.request(post())).content == b"until the end"
    assert server.connections == 2


async def test_interim_100_gzip_head_and_204(
    start_server: StartServer, make_transport: MakeTransport
) -> None:
    async def varied(seen: Seen, writer: asyncio.StreamWriter) -> bool:
        if seen.method == "HEAD":
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n")
        elif seen.path == "/empty":
            writer.write(b"HTTP/1.1 204 No Content\r\n\r\n")
        else:
            writer.write(b"HTTP/1.1 100 Continue\r\n\r\n")
            reply(writer, gzip.compress(b"zipped" * 100), headers=(("Content-Encoding", "gzip"),))
        return True

    server = await start_server(varied)
    transport = make_transport(server.url)
    assert (await transport.request(post())).content == b"zipped" * 100
    head = await transport.request(HttpRequest(method="HEAD", path="/"))
    assert (head.status, head.content) == (200, b"")
    assert (await transport.request(post(path="/empty"))).status == 204
    assert (await transport.request(post())).content == b"zipped" * 100
    assert server.connections == 1


async def test_repeated_headers_keep_their_order(
    start_server: StartServer, make_transport: MakeTransport
) -> None:
    async def cookies(seen: Seen, writer: asyncio.StreamWriter) -> bool:
        reply(writer, b"", headers=(("Set-Cookie", "a=1"), ("Set-Cookie", "b=2")))
        return True

    server = await start_server(cookies)
    response = await make_transport(server.url).request(post())
    assert response.header_values("set-cookie") == ["a=1", "b=2"]


async def test_concurrent_requests_share_a_bounded_pool(
    start_server: StartServer, make_transport: MakeTransport
) -> None:
    async def slow(seen: Seen, writer: asyncio.StreamWriter) -> bool:
        await asyncio.sleep(0.01)
        reply(writer, seen.body)
        return True

    server = await start_server(slow)
    transport = make_transport(server.url, max_connections=3)
    bodies = [b"%d" % i for i in range(30)]
    responses = await asyncio.gather(*(transport.request(post(b)) for b in bodies))
    assert [r.content for r in responses] == bodies
    assert server.connections == 3
    assert server.max_active == 3


async def test_large_bodies_both_ways(
    start_server: StartServer, make_transport: MakeTransport
) -> None:
    async def sized(seen: Seen, writer: asyncio.StreamWriter) -> bool:
        reply(writer, b"%d:" % len(seen.body) + b"r" * 3_000_000)
        await writer.drain()
        return True

    server = await start_server(sized)
    transport = make_transport(server.url)
    for _ in range(2):
        response = await transport.request(post(b"u" * 5_000_000))
        assert response.content == b"5000000:" + b"r" * 3_000_000
    assert server.connections == 1


def test_a_new_event_loop_does_not_reuse_old_connections() -> None:
    async def serve_and_call(transport: StreamsTransport | None) -> StreamsTransport:
        srv = Server(echo)
        aserver = await asyncio.start_server(srv.serve, "127.0.0.1", 0)
        port = aserver.sockets[0].getsockname()[1]
        options = TransportOptions(base_url=f"http://127.0.0.1:{port}")
        transport = transport or StreamsTransport(options)
        transport._host_line = f"Host: 127.0.0.1:{port}\r\n"
        transport._port = port
        assert (await transport.request(post(b"x"))).content == b"echo:x path:/jsonrpc"
        for writer in srv.writers:
            writer.close()
        aserver.close()
        await aserver.wait_closed()
        return transport

    transport = asyncio.run(serve_and_call(None))
    transport = asyncio.run(serve_and_call(transport))
    asyncio.run(transport.aclose())
    gc.collect()


# --------------------------------------------------------------------------- failures


async def test_refused_port_is_connect_error() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    transport = StreamsTransport(TransportOptions(base_url=f"http://127.0.0.1:{port}"))
    with pytest.raises(ConnectError) as info:
        await transport.request(post())
    assert info.value.request_sent is False
    assert not isinstance(info.value, ConnectTimeout)
    assert isinstance(info.value.__cause__, OSError)
    again = pickle.loads(pickle.dumps(info.value))
    assert type(again) is ConnectError
    assert str(again) == str(info.value)
    await transport.aclose()


async def test_unknown_host_is_connect_error(make_transport: MakeTransport) -> None:
    transport = make_transport("http://no-such-host.invalid:8069", timeout=10)
    with pytest.raises(ConnectError) as info:
        await transport.request(post())
    assert info.value.request_sent is False


async def test_server_closing_mid_body_is_connection_lost(
    start_server: StartServer, make_transport: MakeTransport
) -> None:
    async def truncate(seen: Seen, writer: asyncio.StreamWriter) -> bool:
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n" + b"x" * 10)
        await writer.drain()
        return False

    server = await start_server(truncate)
    transport = make_transport(server.url)
    with pytest.raises(ConnectionLost) as info:
        await transport.request(post())
    assert info.value.request_sent is True
    assert len(server.requests) == 1


async def test_reset_mid_body_on_reused_connection_is_not_resent(
    start_server: StartServer, make_transport: MakeTransport
) -> None:
    async def reset_second(seen: Seen, writer: asyncio.StreamWriter) -> bool:
        if seen.nth == 0:
            reply(writer, b"first")
            return True
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Len")
        await writer.drain()
        sock = writer.get_extra_info("socket")
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        writer.transport.abort()
        return False

    server = await start_server(reset_second)
    transport = make_transport(server.url)
    await transport.request(post())
    with pytest.raises(ConnectionLost):
        await transport.request(post())
    assert len(server.requests) == 2


async def test_read_timeout_then_recovers(
    start_server: StartServer, make_transport: MakeTransport
) -> None:
    async def sleepy(seen: Seen, writer: asyncio.StreamWriter) -> bool:
        if seen.body == b"slow":
            await asyncio.sleep(1)
        reply(writer, seen.body)
        return True

    server = await start_server(sleepy)
    transport = make_transport(server.url, timeout=5)
    with pytest.raises(ReadTimeout) as info:
        await transport.request(post(b"slow", timeout=0.1))
    assert isinstance(info.value, TimeoutError)
    assert info.value.request_sent is True
    assert (await transport.request(post(b"fast"))).content == b"fast"
    assert server.connections == 2  # the timed-out connection was not reused


async def test_options_timeout_applies_without_request_timeout(
    start_server: StartServer, make_transport: MakeTransport
) -> None:
    async def never(seen: Seen, writer: asyncio.StreamWriter) -> bool:
        await asyncio.sleep(5)
        return False

    server = await start_server(never)
    with pytest.raises(ReadTimeout):
        await make_transport(server.url, timeout=0.1).request(post())


async def test_waiting_for_a_pool_slot_times_out_as_connect_timeout(
    start_server: StartServer, make_transport: MakeTransport
) -> None:
    async def sleepy(seen: Seen, writer: asyncio.StreamWriter) -> bool:
        await asyncio.sleep(0.3)
        reply(writer)
        return True

    server = await start_server(sleepy)
    transport = make_transport(server.url, max_connections=1)
    first = asyncio.ensure_future(transport.request(post()))
    await asyncio.sleep(0.05)
    with pytest.raises(ConnectTimeout) as info:
        await transport.request(post(timeout=0.05))
    assert info.value.request_sent is False
    assert (await first).status == 200
    assert len(server.requests) == 1


async def test_cancelled_request_frees_its_slot(
    start_server: StartServer, make_transport: MakeTransport
) -> None:
    async def sleepy(seen: Seen, writer: asyncio.StreamWriter) -> bool:
        if seen.body == b"slow":
            await asyncio.sleep(1)
        reply(writer, seen.body)
        return True

    server = await start_server(sleepy)
    transport = make_transport(server.url, max_connections=1)
    task = asyncio.ensure_future(transport.request(post(b"slow")))
    waiting = asyncio.ensure_future(transport.request(post(b"queued")))
    await asyncio.sleep(0.05)
    task.cancel()
    waiting.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert (await transport.request(post(b"next", timeout=1))).content == b"next"


async def test_malformed_answer_is_protocol_error(
    start_server: StartServer, make_transport: MakeTransport
) -> None:
    async def garbage(seen: Seen, writer: asyncio.StreamWriter) -> bool:
        writer.write(b"<html>not http</html>\r\n\r\n")
        return False

    server = await start_server(garbage)
    with pytest.raises(ProtocolError) as info:
        await make_transport(server.url).request(post())
    assert "not http" in str(info.value)


def test_header_injection_is_refused() -> None:
    transport = StreamsTransport(TransportOptions(base_url="http://127.0.0.1:1"))
    with pytest.raises(ValueError, match="header"):
        asyncio.run(transport.request(HttpRequest(path="/", headers={"X": "a\r\nEvil: 1"})))


@pytest.mark.parametrize(
    ("request_", "match"),
    [
        (HttpRequest(path="/", headers={"X": "a\r\nEvil: 1"}), "header"),
        (HttpRequest(path="/json/2/res partner/search"), "path"),
        (HttpRequest(path="/a\r\nX: 1"), "path"),
        (HttpRequest(path="/", headers={"Authorization": "bearer \u20ac"}), "latin-1"),
    ],
    ids=["header-crlf", "path-space", "path-crlf", "header-not-latin-1"],
)
async def test_refused_request_is_a_typed_error_and_nothing_is_sent(
    start_server: StartServer, make_transport: MakeTransport, request_: HttpRequest, match: str
) -> None:
    server = await start_server(echo)
    with pytest.raises(InvalidRequestError, match=match) as info:
        await make_transport(server.url).request(request_)
    assert isinstance(info.value, ProtocolError)
    assert info.value.status is None
    assert server.connections == 0


async def test_quoted_path_reaches_the_server(
    start_server: StartServer, make_transport: MakeTransport
) -> None:
    server = await start_server(echo)
    response = await make_transport(server.url).request(post(path="/json/2/res%20partner/x"))
    assert response.content.endswith(b"path:/json/2/res%20partner/x")


@pytest.mark.parametrize(
    ("answer", "status"),
    [
        (b"HTTP/1.1 2OO OK\r\nSet-Cookie: session_id=sid-SECRET-1; Path=/\r\n\r\n", None),
        (b"HTTP/1.1 200 OK\r\nSet-Cookie: session_id=sid-SECRET-1\r\nbroken\r\n\r\n", 200),
        (
            b"HTTP/1.1 502 Bad Gateway\r\nSet-Cookie: session_id=sid-SECRET-1\r\n"
            b"Transfer-Encoding: chunked\r\n\r\nzz\r\n",
            502,
        ),
        (
            b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 3\r\n\r\nabc",
            200,
        ),
    ],
    ids=["bad-status-line", "bad-header-line", "bad-chunk", "bad-gzip"],
)
async def test_malformed_answer_keeps_its_status_and_no_session_id(
    start_server: StartServer, make_transport: MakeTransport, answer: bytes, status: int | None
) -> None:
    async def garbage(seen: Seen, writer: asyncio.StreamWriter) -> bool:
        writer.write(answer)
        return False

    server = await start_server(garbage)
    with pytest.raises(ProtocolError) as info:
        await make_transport(server.url).request(post())
    exc = info.value
    assert exc.status == status
    for text in (str(exc), exc.body_start, repr(vars(exc))):
        assert "sid-SECRET-1" not in text


# --------------------------------------------------------------------------- stale connections


async def test_idle_connection_closed_by_server_is_replaced_before_sending(
    start_server: StartServer, make_transport: MakeTransport
) -> None:
    async def one_per_connection(seen: Seen, writer: asyncio.StreamWriter) -> bool:
        reply(writer, seen.body)  # says keep-alive, then closes anyway (idle timeout)
        return False

    server = await start_server(one_per_connection)
    transport = make_transport(server.url, resend_on_idle_close=False)
    for i in range(3):
        assert (await transport.request(post(b"%d" % i))).content == b"%d" % i
        await asyncio.sleep(0.02)
    assert len(server.requests) == 3  # nothing was sent twice
    assert server.connections == 3


async def test_idle_close_detected_in_the_kernel_before_the_loop_sees_it(
    start_server: StartServer, make_transport: MakeTransport
) -> None:
    closed = asyncio.Event()

    async def close_after(seen: Seen, writer: asyncio.StreamWriter) -> bool:
        reply(writer, seen.body)
        await writer.drain()
        closed.set()
        return False

    server = await start_server(close_after)
    transport = make_transport(server.url, resend_on_idle_close=False)
    await transport.request(post(b"a"))
    await closed.wait()
    time.sleep(0.05)  # noqa: ASYNC251 - FIN is in the client's kernel; the event loop has not run since
    assert (await transport.request(post(b"b"))).content == b"b"
    assert [r.body for r in server.requests] == [b"a", b"b"]


async def test_race_with_idle_close_resends_once_on_a_fresh_connection(
    start_server: StartServer, make_transport: MakeTransport
) -> None:
    async def drop_second(seen: Seen, writer: asyncio.StreamWriter) -> bool:
        if seen.nth == 1:
            return False  # read it, close without one byte: the idle-close race
        reply(writer, seen.body)
        return True

    server = await start_server(drop_second)
    transport = make_transport(server.url, resend_on_idle_close=True)
    assert (await transport.request(post(b"1"))).content == b"1"
    assert (await transport.request(post(b"2"))).content == b"2"
    assert [(r.conn, r.nth, r.body) for r in server.requests] == [
        (0, 0, b"1"),
        (0, 1, b"2"),
        (1, 0, b"2"),
    ]


async def test_resend_happens_at_most_once(
    start_server: StartServer, make_transport: MakeTransport
) -> None:
    async def drop_after_first(seen: Seen, writer: asyncio.StreamWriter) -> bool:
        if seen.conn == 0 and seen.nth == 0:
            reply(writer)
            return True
        return False

    server = await start_server(drop_after_first)
    transport = make_transport(server.url, resend_on_idle_close=True)
    await transport.request(post())
    with pytest.raises(ConnectionLost, match="before answering"):
        await transport.request(post())
    assert len(server.requests) == 3  # first, dropped on reused, dropped on fresh: no third try


async def test_failed_reconnect_after_the_race_is_not_called_unsent(
    start_server: StartServer, make_transport: MakeTransport
) -> None:
    stopped: list[asyncio.Server] = []

    async def drop_second_then_stop(seen: Seen, writer: asyncio.StreamWriter) -> bool:
        if seen.nth == 0:
            reply(writer)
            return True
        stopped[0].close()  # stop listening: the resend cannot connect
        return False

    server = await start_server(drop_second_then_stop)
    transport = make_transport(server.url, resend_on_idle_close=True)
    await transport.request(post())
    assert server.aserver is not None
    stopped.append(server.aserver)
    with pytest.raises(ConnectionLost) as info:
        await transport.request(post())
    assert not isinstance(info.value, ConnectError)
    assert info.value.request_sent is True
    assert len(server.requests) == 2


async def test_no_resend_when_the_connection_was_fresh(
    start_server: StartServer, make_transport: MakeTransport
) -> None:
    async def drop(seen: Seen, writer: asyncio.StreamWriter) -> bool:
        return False

    server = await start_server(drop)
    with pytest.raises(ConnectionLost) as info:
        await make_transport(server.url).request(post())
    assert info.value.request_sent is True
    assert len(server.requests) == 1


async def test_no_resend_when_disabled(
    start_server: StartServer, make_transport: MakeTransport
) -> None:
    async def drop_second(seen: Seen, writer: asyncio.StreamWriter) -> bool:
        if seen.nth == 1:
            return False
        reply(writer)
        return True

    server = await start_server(drop_second)
    transport = make_transport(server.url)
    await transport.request(post())
    with pytest.raises(ConnectionLost):
        await transport.request(post())
    assert len(server.requests) == 2


async def test_no_resend_after_part_of_the_response(
    start_server: StartServer, make_transport: MakeTransport
) -> None:
    async def partial_second(seen: Seen, writer: asyncio.StreamWriter) -> bool:
        if seen.nth == 1:
            writer.write(b"HTTP/1.1 200")
            await writer.drain()
            return False
        reply(writer)
        return True

    server = await start_server(partial_second)
    transport = make_transport(server.url)
    await transport.request(post())
    with pytest.raises(ConnectionLost, match="middle of the response"):
        await transport.request(post())
    assert len(server.requests) == 2


async def test_expired_idle_connection_is_not_reused(
    start_server: StartServer, make_transport: MakeTransport
) -> None:
    server = await start_server(echo)
    transport = make_transport(server.url, keepalive_expiry=0.01)
    await transport.request(post())
    await asyncio.sleep(0.03)
    await transport.request(post())
    assert server.connections == 2


async def test_aclose_is_idempotent_and_final(
    start_server: StartServer, make_transport: MakeTransport
) -> None:
    server = await start_server(echo)
    transport = make_transport(server.url)
    await transport.request(post())
    await transport.aclose()
    await transport.aclose()
    with pytest.raises(ConnectError, match="transport is closed") as info:
        await transport.request(post())
    assert info.value.request_sent is False


# --------------------------------------------------------------------------- https


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for ``localhost``: (certificate, key) PEM files."""
    return self_signed_certificate(tmp_path_factory.mktemp("tls"))


async def test_https_verifies_certificates(
    certificate: tuple[Path, Path], make_transport: MakeTransport
) -> None:
    cert_path, key_path = certificate
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert_path, key_path)
    srv = Server(echo)
    aserver = await asyncio.start_server(srv.serve, "127.0.0.1", 0, ssl=context)
    port = aserver.sockets[0].getsockname()[1]
    try:
        insecure = make_transport(f"https://localhost:{port}", verify_ssl=False)
        for _ in range(2):
            assert (await insecure.request(post(b"tls"))).content == b"echo:tls path:/jsonrpc"
        assert srv.connections == 1

        trusted = ssl.create_default_context(cafile=str(cert_path))
        pinned = make_transport(f"https://localhost:{port}", ssl_context=trusted)
        assert (await pinned.request(post(b"ca"))).status == 200

        strict = make_transport(f"https://localhost:{port}")
        with pytest.raises(ConnectError) as info:
            await strict.request(post())
        assert isinstance(info.value.__cause__, ssl.SSLError)
        assert isinstance(info.value, ZenooTransportError)
    finally:
        for transport_writer in srv.writers:
            transport_writer.close()
        aserver.close()
        await aserver.wait_closed()
