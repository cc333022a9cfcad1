"""The emulated Odoo bus: an append-only log of notifications with waiters.

Real Odoo stores notifications in ``bus.bus`` and pushes them to websocket
subscribers of their channel; ``subscribe`` with ``last`` replays what came
after that id. The emulator does the same in memory. It also posts a
notification on every create / write / unlink (``zenoo.record/<kind>``) so
that clients can react to record changes made by others; real Odoo only does
that for models that send their own bus messages (a documented difference).
"""

from __future__ import annotations

import asyncio
import itertools
from collections import deque
from collections.abc import Iterable
from typing import Any

__all__ = ["Bus", "Notification"]

Notification = dict[str, Any]


class Bus:
    """Notifications of one database, in id order, with async waiting for new ones."""

    def __init__(self, *, keep: int = 10_000) -> None:
        self._ids = itertools.count(1)
        self._log: deque[tuple[str, Notification]] = deque(maxlen=keep)
        self._waiters: set[asyncio.Event] = set()
        #: How many times :meth:`close_websockets` was called, and its last code and reason.
        self.closings = 0
        self.close_with: tuple[int, str] = (1012, "")

    @property
    def last_id(self) -> int:
        return self._log[-1][1]["id"] if self._log else 0

    def send(self, channel: str, type_: str, payload: Any) -> int:
        """Append a notification on ``channel`` and wake every waiter. Returns its id."""
        nid = next(self._ids)
        self._log.append((channel, {"id": nid, "message": {"type": type_, "payload": payload}}))
        for event in self._waiters:
            event.set()
        return nid

    def close_websockets(self, code: int = 1012, reason: str = "") -> None:
        """Close every bus websocket of this database, as a server restart does (test control).

        Connections close within ``POLL_SECONDS`` of the bus socket with
        ``code`` (1012 "service restart" by default; 1013 "try again later",
        1001 "going away"...); clients may reconnect and resume with ``last``.
        Safe to call from another thread than the server's.
        """
        self.close_with = (code, reason)
        self.closings += 1

    def notify_records(
        self, db: str, model: str, kind: str, ids: Iterable[int], fields: Iterable[str] = ()
    ) -> int:
        """Record change notification on channels ``"<db>"`` and ``"<db>.<model>"``."""
        payload = {"model": model, "ids": list(ids), "fields": sorted(fields)}
        return self.send(f"{db}.{model}", f"zenoo.record/{kind}", payload)

    def since(self, last: int, channels: Iterable[str]) -> list[Notification]:
        """Notifications after id ``last`` on any of ``channels`` (a prefix match on ``db``)."""
        wanted = set(channels)
        out = []
        for channel, note in self._log:
            if note["id"] <= last:
                continue
            if channel in wanted or channel.split(".", 1)[0] in wanted:
                out.append(note)
        return out

    async def wait(
        self, last: int, channels: Iterable[str], timeout: float | None = None
    ) -> list[Notification]:
        """Wait until a notification after ``last`` exists on ``channels`` (or timeout)."""
        channels = list(channels)
        event = asyncio.Event()
        self._waiters.add(event)
        try:
            while True:
                found = self.since(last, channels)
                if found:
                    return found
                event.clear()
                try:
                    await asyncio.wait_for(event.wait(), timeout)
                except asyncio.TimeoutError:
                    return []
        finally:
            self._waiters.discard(event)
