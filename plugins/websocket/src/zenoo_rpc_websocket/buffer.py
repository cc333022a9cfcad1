"""The notifications a listener keeps for ``async for``, with backpressure instead of loss."""

from __future__ import annotations

import asyncio
from collections import deque

from zenoo_rpc_websocket.errors import BusError
from zenoo_rpc_websocket.notification import Notification

__all__ = ["NotificationBuffer"]


class NotificationBuffer:
    """A bounded queue of notifications that ends (cleanly or with an error) once.

    :meth:`put` waits while ``size`` notifications are waiting, so a slow
    reader slows the listener down (the server keeps the rest) rather than
    losing any. Readers get what was put, in order, then the end.
    """

    __slots__ = ("_error", "_finished", "_items", "_readable", "_writable", "size")

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: deque[Notification] = deque()
        self._readable = asyncio.Event()
        self._writable = asyncio.Event()
        self._writable.set()
        self._finished = False
        self._error: BusError | None = None

    def __len__(self) -> int:
        return len(self._items)

    @property
    def finished(self) -> bool:
        return self._finished

    async def put(self, note: Notification) -> None:
        """Add ``note``, waiting while the buffer is full (returns at once once finished)."""
        while len(self._items) >= self.size and not self._finished:
            self._writable.clear()
            await self._writable.wait()
        if not self._finished:
            self._items.append(note)
            self._readable.set()

    async def get(self) -> Notification:
        """The next notification; ``StopAsyncIteration`` (or the error) once finished and empty."""
        while True:
            if self._items:
                note = self._items.popleft()
                if len(self._items) < self.size:
                    self._writable.set()
                return note
            if self._finished:
                if self._error is not None:
                    raise self._error
                raise StopAsyncIteration
            self._readable.clear()
            await self._readable.wait()

    async def wait_finished(self) -> None:
        """Return once :meth:`finish` was called."""
        while not self._finished:
            self._readable.clear()
            await self._readable.wait()

    def finish(self, error: BusError | None = None) -> None:
        """End the buffer: readers get what is left, then ``error`` or the end."""
        if not self._finished:
            self._finished = True
            self._error = error
        self._readable.set()
        self._writable.set()
