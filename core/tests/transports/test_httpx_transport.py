"""The httpx transport: requests, keep-alive, and every httpx error mapped to zenoo's."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator, Awaitable, Callable

import httpx
import pytest

from zenoo_rpc import errors
from zenoo_rpc.transports.base import HttpRequest, Transport, TransportOptions
from zenoo_rpc.transports.httpx_transport import TRANSPORT_SPEC, HttpxTransport


def mocked(
    handler: Callable[[httpx.Request], httpx.Response],
) -> tuple[HttpxTransport, httpx.AsyncClient]:
    client = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    options = TransportOptions(base_url="http://odoo.test:8069/", client=client)
    return HttpxTransport(options), client


async def test_request_and_response_round_trip() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(
            200,
            headers=[
                ("Content-Type", "application/json"),
                ("Set-Cookie", "a=1"),
                ("Set-Cookie", "session_id=x; Path=/"),
            ],
            content=b'{"result": 1}',
        )

    transport, client = mocked(handler)
    assert isinstance(transport, Transport)
    response = await transport.request(
        HttpRequest(path="/jsonrpc", headers={"X-Odoo-Database": "db"}, content=b"{}")
    )
    assert response.status == 200
    assert response.content == b'{"result": 1}'
    assert response.content_type == "application/json"
    assert response.header_values("set-cookie") == ["a=1", "session_id=x; Path=/"]
    request = seen[0]
    assert (request.method, str(request.url)) == ("POST", "http://odoo.test:8069/jsonrpc")
    assert request.headers["x-odoo-database"] == "db"
    assert request.content == b"{}"
    get = await transport.request(HttpRequest(method="GET", path="/json/version"))
    assert get.status == 200
    assert seen[1].method == "GET"
    assert seen[1].content == b""
    await transport.aclose()
    await client.aclose()


async def test_per_request_timeout() -> None:
    timeouts: list[dict[str, float | None]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        timeouts.append(request.extensions["timeout"])
        return httpx.Response(204)

    transport, client = mocked(handler)
    await transport.request(HttpRequest(path="/a", timeout=2.5))
    await transport.request(HttpRequest(path="/a"))
    assert timeouts[0] == {"connect": 2.5, "read": 2.5, "write": 2.5, "pool": 2.5}
    assert timeouts[1] == {"connect": 5.0, "read": 5.0, "write": 5.0, "pool": 5.0}  # httpx default
    await client.aclose()


REQUEST = httpx.Request("POST", "http://odoo.test/jsonrpc")
MAPPING: list[tuple[Exception, type[errors.ZenooError], bool]] = [
    (httpx.ConnectError("refused", request=REQUEST), errors.ConnectError, False),
    (httpx.ConnectTimeout("slow", request=REQUEST), errors.ConnectTimeout, False),
    (httpx.PoolTimeout("pool", request=REQUEST), errors.ConnectTimeout, False),
    (httpx.ProxyError("proxy", request=REQUEST), errors.ConnectError, False),
    (httpx.UnsupportedProtocol("ftp", request=REQUEST), errors.ConnectError, False),
    (httpx.ReadTimeout("read", request=REQUEST), errors.ReadTimeout, True),
    (httpx.WriteTimeout("write", request=REQUEST), errors.ReadTimeout, True),
    (httpx.RemoteProtocolError("closed", request=REQUEST), errors.ConnectionLost, True),
    (httpx.ReadError("reset", request=REQUEST), errors.ConnectionLost, True),
    (httpx.WriteError("broken pipe", request=REQUEST), errors.ConnectionLost, True),
    (httpx.LocalProtocolError("bad", request=REQUEST), errors.ConnectionLost, True),
    (httpx.CloseError("close", request=REQUEST), errors.ConnectionLost, True),
]


@pytest.mark.parametrize(
    ("raised", "expected", "sent"), MAPPING, ids=[type(m[0]).__name__ for m in MAPPING]
)
async def test_httpx_errors_are_mapped(
    raised: Exception, expected: type[errors.ZenooError], sent: bool
) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise raised

    transport, client = mocked(handler)
    with pytest.raises(errors.ZenooError) as info:
        await transport.request(HttpRequest(path="/jsonrpc"))
    exc = info.value
    assert type(exc) is expected
    assert isinstance(exc, errors.ZenooTransportError)
    assert exc.request_sent is sent
    assert isinstance(exc, ConnectionError)
    if "Timeout" in type(raised).__name__:
        assert isinstance(exc, TimeoutError)
    assert exc.url == "http://odoo.test:8069/jsonrpc"
    assert exc.__cause__ is raised
    await client.aclose()


async def test_decoding_error_is_a_protocol_error() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.DecodingError("bad gzip", request=request)

    transport, client = mocked(handler)
    with pytest.raises(errors.ProtocolError):
        await transport.request(HttpRequest(path="/jsonrpc"))
    await client.aclose()


class _LazyBody(httpx.AsyncByteStream):
    """A body read off the "network" when the transport reads it, as a real one is."""

    def __init__(self, content: bytes) -> None:
        self.content = content

    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield self.content


async def test_undecodable_body_is_a_protocol_error_with_the_status() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            502,
            headers=[("Content-Type", "application/json"), ("Content-Encoding", "gzip")],
            stream=_LazyBody(b"not gzip at all"),
        )

    transport, client = mocked(handler)
    with pytest.raises(errors.ProtocolError) as info:
        await transport.request(HttpRequest(path="/jsonrpc"))
    assert info.value.status == 502
    assert info.value.content_type == "application/json"
    await client.aclose()


async def test_closed_injected_client_is_a_connect_error() -> None:
    transport, client = mocked(lambda request: httpx.Response(200))
    await client.aclose()
    with pytest.raises(
        errors.ConnectError, match=r"the injected httpx\.AsyncClient is closed"
    ) as info:
        await transport.request(HttpRequest(path="/jsonrpc"))
    assert info.value.request_sent is False
    assert not isinstance(info.value, RuntimeError)


async def test_request_after_aclose_is_a_connect_error() -> None:
    transport = TRANSPORT_SPEC.factory(TransportOptions(base_url="http://127.0.0.1:1"))
    await transport.aclose()
    with pytest.raises(errors.ConnectError, match="transport is closed") as info:
        await transport.request(HttpRequest(path="/jsonrpc"))
    assert info.value.request_sent is False


async def test_header_value_httpx_cannot_encode_is_refused() -> None:
    transport, client = mocked(lambda request: httpx.Response(200))
    with pytest.raises(errors.InvalidRequestError) as info:
        await transport.request(HttpRequest(path="/json/2/x/y", headers={"Authorization": "bé"}))
    assert isinstance(info.value, errors.ProtocolError)
    assert "bé" not in str(info.value)
    await client.aclose()


async def test_injected_client_is_not_closed() -> None:
    transport, client = mocked(lambda request: httpx.Response(200))
    await transport.aclose()
    await transport.aclose()
    assert not client.is_closed
    await client.aclose()


async def test_own_client_is_closed() -> None:
    transport = TRANSPORT_SPEC.factory(TransportOptions(base_url="http://127.0.0.1:1"))
    assert isinstance(transport, HttpxTransport)
    client = transport._client
    async with transport:
        pass
    assert client.is_closed
    await transport.aclose()


def test_spec_and_bad_settings() -> None:
    assert (TRANSPORT_SPEC.name, TRANSPORT_SPEC.schemes) == ("httpx", ("http", "https"))
    with pytest.raises(errors.ConfigError, match="AsyncClient"):
        HttpxTransport(TransportOptions(base_url="http://x", client=object()))
    with pytest.raises(errors.ConfigError, match="max_connections"):
        HttpxTransport(TransportOptions(base_url="http://x", settings={"max_connections": "many"}))


# --------------------------------------------------------------------- real loopback sockets

Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


@pytest.fixture
async def serve() -> AsyncIterator[Callable[[Handler], Awaitable[str]]]:
    """Start tiny HTTP servers on 127.0.0.1:0; every connection is closed at teardown."""
    servers: list[asyncio.Server] = []
    tasks: set[asyncio.Task[None]] = set()

    async def start(handler: Handler) -> str:
        async def guarded(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            task = asyncio.current_task()
            assert task is not None
            tasks.add(task)
            try:
                await handler(reader, writer)
            except (asyncio.IncompleteReadError, ConnectionError):
                pass
            finally:
                writer.close()

        server = await asyncio.start_server(guarded, "127.0.0.1", 0)
        servers.append(server)
        port = server.sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}"

    yield start
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    for server in servers:
        server.close()
        await server.wait_closed()


async def _read_request(reader: asyncio.StreamReader) -> bytes:
    head = await reader.readuntil(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":", 1)[1])
    return head + await reader.readexactly(length)


async def test_connection_refused_was_never_sent() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    transport = HttpxTransport(TransportOptions(base_url=f"http://127.0.0.1:{port}", timeout=5))
    with pytest.raises(errors.ConnectError) as info:
        await transport.request(HttpRequest(path="/jsonrpc", content=b"{}"))
    assert info.value.request_sent is False
    assert isinstance(info.value, ConnectionError)
    await transport.aclose()


async def test_server_closing_mid_answer_is_connection_lost(serve) -> None:  # type: ignore[no-untyped-def]
    async def half_answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await _read_request(reader)
        writer.write(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
            b'Content-Length: 1000\r\n\r\n{"jsonrpc": "2.0", "res'
        )
        await writer.drain()

    transport = HttpxTransport(TransportOptions(base_url=await serve(half_answer), timeout=5))
    with pytest.raises(errors.ConnectionLost) as info:
        await transport.request(HttpRequest(path="/jsonrpc", content=b"{}"))
    assert info.value.request_sent is True
    await transport.aclose()


async def test_silent_server_is_a_read_timeout(serve) -> None:  # type: ignore[no-untyped-def]
    async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await _read_request(reader)
        await asyncio.sleep(10)

    transport = HttpxTransport(TransportOptions(base_url=await serve(silent), timeout=5))
    with pytest.raises(errors.ReadTimeout) as info:
        await transport.request(HttpRequest(path="/jsonrpc", content=b"{}", timeout=0.2))
    assert info.value.request_sent is True
    assert isinstance(info.value, TimeoutError)
    await transport.aclose()


async def test_connections_are_kept_alive(serve) -> None:  # type: ignore[no-untyped-def]
    connections = 0

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal connections
        connections += 1
        while True:
            request = await _read_request(reader)
            body = b'{"jsonrpc": "2.0", "id": 1, "result": 2}'
            assert b"zenoo-rpc/" in request
            writer.write(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body
            )
            await writer.drain()

    transport = HttpxTransport(TransportOptions(base_url=await serve(answer), timeout=5))
    for _ in range(3):
        response = await transport.request(HttpRequest(path="/jsonrpc", content=b"{}"))
        assert response.status == 200
        assert response.content.endswith(b"2}")
    await transport.aclose()
    assert connections == 1
