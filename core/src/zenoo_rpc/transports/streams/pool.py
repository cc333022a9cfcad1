"""The keep-alive pool: request slots, idle connections, and every open connection.

A slot is taken for the whole exchange (pool wait, connect, send, response), so
at most ``max_connections`` requests run at once and at most that many sockets
are open; waiters are served first come, first served, each within its own
deadline. Idle connections are reused newest first and only while younger than
``keepalive_expiry`` and not readable (see :meth:`Connection.usable_when_idle`).
"""

from __future__ import annotations

import asyncio
from collections import deque

from zenoo_rpc.transports.streams.connection import Connection, expire

__all__ = ["ConnectionPool"]


class ConnectionPool:
    """Slots, idle connections and open connections of one :class:`StreamsTransport`."""

    def __init__(self, max_connections: int, expiry: float) -> None:
        if max_connections < 1:
            raise ValueError("max_connections must be at least 1")
        self._free = max_connections
        self._expiry = expiry
        self._slot_waiters: deque[asyncio.Future[bool]] = deque()
        self._idle: list[Connection] = []
        self._open: set[Connection] = set()

    # ------------------------------------------------------------------ slots

    async def acquire(self, loop: asyncio.AbstractEventLoop, deadline: float | None) -> bool:
        """Take a slot; False when ``deadline`` passed first (the caller raises)."""
        if self._free > 0:
            self._free -= 1
            return True
        waiter: asyncio.Future[bool] = loop.create_future()
        self._slot_waiters.append(waiter)
        handle = None if deadline is None else loop.call_at(deadline, expire, waiter)
        try:
            granted = await waiter
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled() and waiter.result():
                self.release()  # handed to us just as we were cancelled: pass it on
            raise
        finally:
            if handle is not None:
                handle.cancel()
        return granted

    def release(self) -> None:
        """Give the slot to the first waiter still waiting, else back to the free count."""
        while self._slot_waiters:
            waiter = self._slot_waiters.popleft()
            if not waiter.done():
                waiter.set_result(True)
                return
        self._free += 1

    # ------------------------------------------------------------------ connections

    def pop_idle(self, loop: asyncio.AbstractEventLoop) -> Connection | None:
        """An idle connection of this loop fit for reuse, else None; unfit ones are closed."""
        idle = self._idle
        now = loop.time()
        while idle:
            conn = idle.pop()
            if conn.loop is loop and conn.usable_when_idle(now, self._expiry):
                return conn
            self.discard(conn)
        return None

    def add(self, conn: Connection) -> None:
        """Track a newly opened connection (so :meth:`aclose` can close it)."""
        self._open.add(conn)

    def keep_idle(self, conn: Connection) -> None:
        """Park ``conn`` after a clean exchange; its next request counts as a reuse."""
        conn.reused = True
        conn.idle_since = conn.loop.time()
        self._idle.append(conn)

    def discard(self, conn: Connection) -> None:
        """Forget ``conn`` and abort it."""
        self._open.discard(conn)
        try:
            conn.abort()
        except RuntimeError:  # its event loop is closed: the socket went with it
            pass

    async def aclose(self) -> None:
        """Close every connection (in-flight requests then fail with ConnectionLost)."""
        loop = asyncio.get_running_loop()
        ours = [conn for conn in self._open if conn.loop is loop]
        for conn in self._open.difference(ours):
            self.discard(conn)  # from an event loop that is gone
        self._idle.clear()
        self._open.clear()
        for conn in ours:
            conn.close()
        if ours:
            await asyncio.wait([conn.lost for conn in ours], timeout=1.0)
            for conn in ours:
                if not conn.lost.done():
                    conn.abort()
