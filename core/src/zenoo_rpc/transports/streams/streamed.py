"""Streaming on one connection: a request body sent from an async source, a response body
handed over as it arrives.

What :meth:`.transport.StreamsTransport.stream` needs on top of the buffered
exchange: memory stays bounded by one read (the buffer is emptied as chunks
are handed over), and every wait has its own deadline (``timeout`` seconds
without a byte), so a long download never times out while data keeps coming.
"""

from __future__ import annotations

import zlib
from collections.abc import AsyncIterator

from zenoo_rpc.errors import InvalidRequestError
from zenoo_rpc.transports.base import RequestBody
from zenoo_rpc.transports.streams.connection import Closed, Connection
from zenoo_rpc.transports.streams.http11 import Malformed

__all__ = ["body_chunks", "send_body"]


def _deadline(conn: Connection, timeout: float | None) -> float | None:
    return None if timeout is None else conn.loop.time() + timeout


async def send_body(conn: Connection, body: RequestBody, timeout: float | None) -> None:
    """Write ``body`` after the head, waiting for the kernel to take each chunk.

    :raises InvalidRequestError: when the source yields more or fewer bytes
        than ``body.length`` (the connection is then unusable: the caller drops it).
    :raises Closed: when the connection ends while sending.
    """
    transport = conn.transport
    assert transport is not None
    sent = 0
    async for chunk in body.chunks:
        if not chunk:
            continue
        sent += len(chunk)
        if sent > body.length:
            raise InvalidRequestError(
                f"the request body yielded more than its declared {body.length} bytes"
            )
        if conn.closed or transport.is_closing():
            raise Closed(conn.cause)
        transport.write(chunk)
        if conn.write_paused:
            await conn.flush(_deadline(conn, timeout))
    if sent != body.length:
        raise InvalidRequestError(
            f"the request body yielded {sent} bytes, not its declared {body.length}"
        )


class _Decoder:
    """Undo a ``gzip`` / ``deflate`` content coding chunk by chunk (anything else passes)."""

    def __init__(self, encoding: str) -> None:
        self._zlib = (
            zlib.decompressobj(zlib.MAX_WBITS | 32)  # gzip or zlib header, detected
            if encoding in ("gzip", "x-gzip", "deflate")
            else None
        )

    def feed(self, data: bytes) -> bytes:
        if self._zlib is None:
            return data
        try:
            return self._zlib.decompress(data)
        except zlib.error as exc:
            raise Malformed(f"cannot decode the compressed body: {exc}") from None

    def flush(self) -> bytes:
        if self._zlib is None:
            return b""
        try:
            return self._zlib.flush()
        except zlib.error as exc:
            raise Malformed(f"cannot decode the compressed body: {exc}") from None


async def body_chunks(
    conn: Connection,
    *,
    start: int,
    length: int,
    chunked: bool,
    encoding: str,
    timeout: float | None,
) -> AsyncIterator[bytes]:
    """The response body after the head (which ends at ``start`` in the buffer), chunk by chunk.

    ``length`` is the ``Content-Length`` (-1 when unknown: chunked, or read to
    the end of the connection). Raises :class:`Closed`, :class:`TimedOut` or
    :class:`Malformed` like :meth:`Connection.read_response`.
    """
    buf = conn.buffer
    del buf[:start]
    decoder = _Decoder(encoding)

    async def take(count: int) -> AsyncIterator[bytes]:
        """``count`` body bytes, in the pieces they arrive in."""
        while count:
            if not buf:
                await conn.wait(1, _deadline(conn, timeout))
                continue
            size = min(count, len(buf))
            with memoryview(buf) as view:
                data = view[:size].tobytes()
            del buf[:size]
            count -= size
            out = decoder.feed(data)
            if out:
                yield out

    async def line() -> bytes:
        eol = buf.find(b"\r\n")
        while eol < 0:
            await conn.wait(len(buf) + 1, _deadline(conn, timeout))
            eol = buf.find(b"\r\n")
        text = bytes(buf[:eol])
        del buf[: eol + 2]
        return text

    if length >= 0:
        async for out in take(length):
            yield out
    elif chunked:
        while True:
            try:
                size = int(((await line()).split(b";", 1)[0]).strip(), 16)
            except ValueError:
                raise Malformed("bad chunk size line") from None
            if size == 0:
                break
            async for out in take(size):
                yield out
            if await line():
                raise Malformed("chunk not followed by CRLF")
        while await line():  # trailer fields, ignored, up to the empty line
            pass
    else:
        while True:
            if buf:
                data = bytes(buf)
                buf.clear()
                out = decoder.feed(data)
                if out:
                    yield out
            try:
                await conn.wait(1, _deadline(conn, timeout))
            except Closed as exc:
                if exc.cause is not None:
                    raise
                break
        if buf:
            out = decoder.feed(bytes(buf))
            buf.clear()
            if out:
                yield out
    tail = decoder.flush()
    if tail:
        yield tail
