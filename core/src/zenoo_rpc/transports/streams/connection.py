"""One TCP (or TLS) connection as a bare :class:`asyncio.Protocol`, and reading a response off it.

No ``StreamReader``: bytes go straight into one ``bytearray`` and a single
future wakes the reader once the buffer holds what it waits for, so a 50 KB
answer costs a few wake-ups, not one per segment.
"""

from __future__ import annotations

import asyncio
import select
import sys

from zenoo_rpc.transports.streams.http11 import MAX_HEAD, Malformed, decode_body, parse_head

__all__ = ["Closed", "Connection", "TimedOut", "expire"]

_MAX_IDLE_BUFFER = 256 * 1024
_HAS_POLL = hasattr(select, "poll")


class Closed(Exception):
    """Internal: the connection ended (EOF or error) while we waited for bytes."""

    def __init__(self, cause: BaseException | None, *, before_response: bool = False) -> None:
        self.cause = cause
        self.before_response = before_response
        super().__init__(str(cause) if cause else "connection closed by the server")


class TimedOut(Exception):
    """Internal: the request's deadline passed while we waited."""


def expire(waiter: asyncio.Future[bool]) -> None:
    """Deadline callback: wake ``waiter`` with False ("not in time")."""
    if not waiter.done():
        waiter.set_result(False)


class Connection(asyncio.Protocol):
    """One TCP (or TLS) connection: a receive buffer, one waiter, write flow control."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.transport: asyncio.Transport | None = None
        self.buffer = bytearray()
        self.closed = False
        self.cause: BaseException | None = None
        self.waiter: asyncio.Future[bool] | None = None
        self.want = 0
        self.write_paused = False
        self.unflushed = False
        self.read_paused = False
        self.reused = False
        self.idle_since = 0.0
        self.fd = -1
        self.lost: asyncio.Future[None] = loop.create_future()

    # ------------------------------------------------------------------ asyncio callbacks

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        # Pause on ANY unsent byte and resume only when all are in the kernel: so
        # "resume_writing happened" means "the whole request left this process".
        transport.set_write_buffer_limits(high=0, low=0)
        sock = transport.get_extra_info("socket")
        if sock is not None and transport.get_extra_info("sslcontext") is None:
            self.fd = sock.fileno()

    def data_received(self, data: bytes) -> None:
        buf = self.buffer
        buf += data
        waiter = self.waiter
        if waiter is not None:
            if len(buf) >= self.want and not waiter.done():
                waiter.set_result(True)
        elif len(buf) > _MAX_IDLE_BUFFER and not self.read_paused and self.transport:
            self.read_paused = True
            self.transport.pause_reading()

    def eof_received(self) -> bool | None:
        self.closed = True
        self._wake()
        return None  # let the transport close itself

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        if exc is not None:
            self.cause = exc
        self.unflushed = self.write_paused
        self.write_paused = False
        self._wake()
        if not self.lost.done():
            self.lost.set_result(None)

    def pause_writing(self) -> None:
        self.write_paused = True

    def resume_writing(self) -> None:
        self.write_paused = False
        self._wake()

    def _wake(self) -> None:
        waiter = self.waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(True)

    # ------------------------------------------------------------------ helpers

    def close(self) -> None:
        if self.transport is not None:
            self.transport.close()

    def abort(self) -> None:
        self.closed = True
        if self.transport is not None:
            self.transport.abort()

    def usable_when_idle(self, now: float, expiry: float) -> bool:
        """True when this idle connection can take a request without any doubt we can check."""
        if self.closed or self.buffer or now - self.idle_since > expiry:
            return False
        if self.transport is None or self.transport.is_closing():
            return False
        if self.fd >= 0:
            # The server's FIN (or a stray "408") may sit in the kernel before the
            # loop has read it: an idle plain-TCP socket must not be readable.
            try:
                if _HAS_POLL:
                    poller = select.poll()
                    poller.register(self.fd, select.POLLIN)
                    return not poller.poll(0)
                return not select.select([self.fd], [], [], 0)[0]
            except (OSError, ValueError):
                return False
        return True

    async def wait(self, want: int, deadline: float | None) -> None:
        """Wait until ``len(buffer) >= want``, the writes are flushed, or the connection ends."""
        if self.closed:
            raise Closed(self.cause)
        waiter: asyncio.Future[bool] = self.loop.create_future()
        self.waiter = waiter
        self.want = want
        if self.read_paused and self.transport is not None:
            self.read_paused = False
            self.transport.resume_reading()
        await self._until(waiter, deadline)

    async def _until(self, waiter: asyncio.Future[bool], deadline: float | None) -> None:
        """Await ``waiter`` (set by the protocol callbacks); TimedOut past ``deadline``."""
        handle = None if deadline is None else self.loop.call_at(deadline, expire, waiter)
        try:
            in_time = await waiter
        finally:
            self.waiter = None
            if handle is not None:
                handle.cancel()
        if not in_time:
            raise TimedOut

    async def flush(self, deadline: float | None) -> None:
        """Wait until every byte written is in the kernel; Closed if the connection died first."""
        while self.write_paused:
            waiter: asyncio.Future[bool] = self.loop.create_future()
            self.waiter = waiter
            self.want = sys.maxsize
            await self._until(waiter, deadline)
        if self.unflushed:
            raise Closed(self.cause)

    # ------------------------------------------------------------------ one response

    async def read_head(
        self, deadline: float | None
    ) -> tuple[int, list[tuple[str, str]], int, bool, bool, str, int]:
        """Read one response head, skipping interim 1xx answers.

        Returns :func:`parse_head`'s values and the offset of the body in the
        buffer (the head stays there). A :class:`Closed` raised before the
        first byte of the answer has ``before_response`` set.
        """
        buf = self.buffer
        interim = False
        while True:
            end = buf.find(b"\r\n\r\n")
            while end < 0:
                scanned = len(buf)
                if scanned > MAX_HEAD:
                    raise Malformed("response head larger than 256 KiB")
                try:
                    await self.wait(0, deadline)
                except Closed as exc:
                    exc.before_response = not buf and not interim
                    raise
                end = buf.find(b"\r\n\r\n", max(0, scanned - 3))
            status, headers, length, chunked, keep, encoding = parse_head(buf[:end])
            start = end + 4
            if 100 <= status < 200 and status != 101:
                del buf[:start]
                interim = True
                continue
            return status, headers, length, chunked, keep, encoding, start

    async def read_response(
        self, is_head: bool, deadline: float | None
    ) -> tuple[int, list[tuple[str, str]], bytes, bool]:
        """Read one response: (status, headers, body, keep_alive).

        Skips interim 1xx answers. A :class:`Closed` raised before the first byte
        of the answer has ``before_response`` set: the caller's resend rule needs
        to know whether the server said anything at all.
        """
        buf = self.buffer
        status, headers, length, chunked, keep, encoding, start = await self.read_head(deadline)
        try:
            if is_head or status in (204, 304):
                body, stop = b"", start
            elif chunked:
                body, stop = await self._read_chunked(start, deadline)
            elif length >= 0:
                stop = start + length
                while len(buf) < stop:
                    await self.wait(stop, deadline)
                with memoryview(buf) as view:
                    body = view[start:stop].tobytes()
            else:
                keep = False
                try:
                    while True:
                        await self.wait(sys.maxsize, deadline)
                except Closed as exc:
                    if exc.cause is not None:
                        raise
                stop = len(buf)
                with memoryview(buf) as view:
                    body = view[start:].tobytes()
            del buf[:stop]
            if buf:
                keep = False  # bytes we did not ask for: the framing cannot be trusted
            if encoding:
                body = decode_body(body, encoding)
            return status, headers, body, keep
        except Malformed as exc:
            exc.status = status  # the status line was read
            raise

    async def _read_chunked(self, pos: int, deadline: float | None) -> tuple[bytes, int]:
        buf = self.buffer
        chunks: list[bytes] = []
        while True:
            eol = buf.find(b"\r\n", pos)
            while eol < 0:
                await self.wait(0, deadline)
                eol = buf.find(b"\r\n", pos)
            try:
                size = int(bytes(buf[pos:eol]).split(b";", 1)[0].strip(), 16)
            except ValueError:
                raise Malformed("bad chunk size line") from None
            pos = eol + 2
            if size == 0:
                break
            stop = pos + size + 2
            while len(buf) < stop:
                await self.wait(stop, deadline)
            if buf[stop - 2 : stop] != b"\r\n":
                raise Malformed("chunk not followed by CRLF")
            with memoryview(buf) as view:
                chunks.append(view[pos : stop - 2].tobytes())
            pos = stop
        while True:  # trailer fields, ignored, up to the empty line
            eol = buf.find(b"\r\n", pos)
            while eol < 0:
                await self.wait(0, deadline)
                eol = buf.find(b"\r\n", pos)
            empty = eol == pos
            pos = eol + 2
            if empty:
                return b"".join(chunks), pos
