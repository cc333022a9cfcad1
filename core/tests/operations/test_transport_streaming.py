"""The transports' optional ``stream()``: bodies handed over as they arrive, uploads sent as read.

A raw asyncio server on a loopback port plays each answer byte by byte, so
the framings Odoo and proxies use (``Content-Length``, chunked, read to the
close, gzip) and their failures are all exercised on both built-in transports.
"""

from __future__ import annotations

import asyncio
import gzip
import hashlib
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
from ops_helpers import TRANSPORTS

from zenoo_rpc.errors import ConnectionLost, InvalidRequestError, ReadTimeout
from zenoo_rpc.transports.base import (
    HttpRequest,
    HttpResponse,
    RequestBody,
    StreamingTransport,
    Transport,
    TransportOptions,
    open_stream,
)
from zenoo_rpc.transports.httpx_transport import HttpxTransport
from zenoo_rpc.transports.streams import StreamsTransport

Reader = asyncio.StreamReader
Writer = asyncio.StreamWriter
Handler = Callable[[Reader, Writer, bytes], Awaitable[None]]


class RawServer:
    """One handler answers every connection; it gets the request head and reads the body itself."""

    def __init__(self) -> None:
        self.handler: Handler | None = None
        self.url = ""
        self.requests: list[bytes] = []

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            self.requests.append(head)
            assert self.handler is not None
            await self.handler(reader, writer, head)
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()


@pytest.fixture
async def server() -> AsyncIterator[RawServer]:
    raw = RawServer()
    listener = await asyncio.start_server(raw._serve, "127.0.0.1", 0)
    host, port = listener.sockets[0].getsockname()[:2]
    raw.url = f"http://{host}:{port}"
    async with listener:
        yield raw
        listener.close()


def make(name: str, url: str, timeout: float = 10.0) -> Transport:
    options = TransportOptions(base_url=url, timeout=timeout)
    return StreamsTransport(options) if name == "asyncio" else HttpxTransport(options)


def content_length(head: bytes) -> int:
    for line in head.decode("latin-1").split("\r\n"):
        name, _, value = line.partition(":")
        if name.lower() == "content-length":
            return int(value)
    return 0


@pytest.mark.parametrize("name", TRANSPORTS)
async def test_first_bytes_arrive_before_the_rest_is_sent(server: RawServer, name: str) -> None:
    first_seen = asyncio.Event()

    async def handler(reader: Reader, writer: Writer, head: bytes) -> None:
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/pdf\r\n")
        writer.write(b"Content-Length: 10\r\n\r\n")
        writer.write(b"%PDF-")
        await writer.drain()
        await first_seen.wait()  # the rest only once the client holds the first part
        writer.write(b"12345")
        await writer.drain()

    server.handler = handler
    transport = make(name, server.url)
    assert isinstance(transport, StreamingTransport)
    received: list[bytes] = []
    async with open_stream(transport, HttpRequest(method="GET", path="/report")) as stream:
        assert (stream.status, stream.content_type) == (200, "application/pdf")
        async for chunk in stream:
            received.append(chunk)
            first_seen.set()
    assert b"".join(received) == b"%PDF-12345"
    assert received[0] == b"%PDF-"
    await transport.aclose()


@pytest.mark.parametrize("name", TRANSPORTS)
async def test_chunked_and_gzip_bodies(server: RawServer, name: str) -> None:
    payload = bytes(range(256)) * 300
    packed = gzip.compress(payload)

    async def handler(reader: Reader, writer: Writer, head: bytes) -> None:
        writer.write(
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n\r\n"
        )
        for start in range(0, len(packed), 1000):
            piece = packed[start : start + 1000]
            writer.write(b"%x;ext=1\r\n%s\r\n" % (len(piece), piece))
            await writer.drain()
        writer.write(b"0\r\nX-Trailer: yes\r\n\r\n")
        await writer.drain()

    server.handler = handler
    transport = make(name, server.url)
    async with open_stream(transport, HttpRequest(method="GET", path="/gz")) as stream:
        body = await stream.read()
    assert body == payload
    await transport.aclose()


@pytest.mark.parametrize("name", TRANSPORTS)
async def test_body_read_to_the_close(server: RawServer, name: str) -> None:
    async def handler(reader: Reader, writer: Writer, head: bytes) -> None:
        writer.write(b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nno length, ")
        await writer.drain()
        writer.write(b"until the end")
        await writer.drain()

    server.handler = handler
    transport = make(name, server.url)
    async with open_stream(transport, HttpRequest(method="GET", path="/old")) as stream:
        assert await stream.read() == b"no length, until the end"
    await transport.aclose()


@pytest.mark.parametrize("name", TRANSPORTS)
async def test_connection_lost_mid_body(server: RawServer, name: str) -> None:
    async def handler(reader: Reader, writer: Writer, head: bytes) -> None:
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\nonly a part")
        await writer.drain()

    server.handler = handler
    transport = make(name, server.url)
    with pytest.raises(ConnectionLost):
        async with open_stream(transport, HttpRequest(method="GET", path="/cut")) as stream:
            await stream.read()
    await transport.aclose()


@pytest.mark.parametrize("name", TRANSPORTS)
async def test_silence_is_a_read_timeout(server: RawServer, name: str) -> None:
    release = asyncio.Event()

    async def handler(reader: Reader, writer: Writer, head: bytes) -> None:
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc")
        await writer.drain()
        await release.wait()

    server.handler = handler
    transport = make(name, server.url, timeout=0.2)
    try:
        with pytest.raises(ReadTimeout):
            async with open_stream(transport, HttpRequest(method="GET", path="/slow")) as stream:
                await stream.read()
    finally:
        release.set()
        await transport.aclose()


@pytest.mark.parametrize("name", TRANSPORTS)
async def test_upload_streamed_from_a_source(server: RawServer, name: str) -> None:
    async def handler(reader: Reader, writer: Writer, head: bytes) -> None:
        body = await reader.readexactly(content_length(head))
        digest = hashlib.sha256(body).hexdigest().encode()
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(digest), digest))
        await writer.drain()

    server.handler = handler
    pieces = [bytes([n]) * 70_000 for n in range(20)]

    async def source() -> AsyncIterator[bytes]:
        for piece in pieces:
            yield piece

    transport = make(name, server.url)
    request = HttpRequest(method="POST", path="/upload", headers={"Content-Type": "x/y"})
    body = RequestBody(sum(map(len, pieces)), source())
    async with open_stream(transport, request, body=body) as stream:
        answer = await stream.read()
    assert answer.decode() == hashlib.sha256(b"".join(pieces)).hexdigest()
    assert content_length(server.requests[0]) == body.length
    await transport.aclose()


@pytest.mark.parametrize("name", TRANSPORTS)
@pytest.mark.parametrize("declared", [5, 50])
async def test_upload_of_another_length_fails(server: RawServer, name: str, declared: int) -> None:
    async def handler(reader: Reader, writer: Writer, head: bytes) -> None:
        await reader.read(100)

    server.handler = handler

    async def source() -> AsyncIterator[bytes]:
        yield b"0123456789"

    transport = make(name, server.url)
    with pytest.raises(InvalidRequestError, match="declared"):
        async with open_stream(
            transport, HttpRequest(path="/upload"), body=RequestBody(declared, source())
        ):
            pass
    await transport.aclose()


async def test_fallback_for_a_transport_that_cannot_stream() -> None:
    class Buffered:
        def __init__(self) -> None:
            self.sent: list[HttpRequest] = []

        async def request(self, request: HttpRequest) -> HttpResponse:
            self.sent.append(request)
            return HttpResponse(status=201, headers=[("Content-Type", "a/b")], content=b"whole")

        async def aclose(self) -> None:
            pass

    async def source() -> AsyncIterator[bytes]:
        yield b"up"
        yield b"load"

    buffered = Buffered()
    assert not isinstance(buffered, StreamingTransport)
    request = HttpRequest(path="/x")
    async with open_stream(buffered, request, body=RequestBody(6, source())) as stream:
        assert (stream.status, stream.content_type) == (201, "a/b")
        assert [chunk async for chunk in stream] == [b"whole"]
    assert buffered.sent[0].content == b"upload"
    with pytest.raises(InvalidRequestError):
        async with open_stream(buffered, request, body=RequestBody(7, source())):
            pass


async def test_a_fully_read_stream_leaves_its_connection_for_reuse(server: RawServer) -> None:
    connections = 0

    async def handler(reader: Reader, writer: Writer, head: bytes) -> None:
        nonlocal connections
        connections += 1
        while True:
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
            await writer.drain()
            await reader.readuntil(b"\r\n\r\n")

    server.handler = handler
    transport = make("asyncio", server.url)
    async with open_stream(transport, HttpRequest(method="GET", path="/a")) as stream:
        assert await stream.read() == b"ok"
    response = await transport.request(HttpRequest(method="GET", path="/b"))
    assert response.content == b"ok"
    assert connections == 1
    await transport.aclose()
