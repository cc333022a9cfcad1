"""What the bus pushes: :class:`Notification`; :class:`RecordChange` for record notifications."""

from __future__ import annotations

from collections import deque
from typing import Any

import msgspec

__all__ = ["RECORD_TYPE_PREFIX", "Notification", "RecordChange", "SeenIds"]

#: Types of the record-change notifications (``zenoo.record/create``, ``/write``,
#: ``/unlink``): the emulator sends them for every change; on a real Odoo, a
#: server module has to (Odoo itself only notifies about its own features).
RECORD_TYPE_PREFIX = "zenoo.record/"


class RecordChange(msgspec.Struct, frozen=True, kw_only=True):
    """A ``zenoo.record/<kind>`` notification's payload: which records of which model changed."""

    model: str
    kind: str
    ids: tuple[int, ...] = ()
    fields: tuple[str, ...] = ()


class Notification(msgspec.Struct, frozen=True, kw_only=True):
    """One notification pushed by Odoo's bus.

    :ivar id: the ``bus.bus`` id: grows on a database, never reused, and what a
        reconnect resumes after.
    :ivar type: what it is about (``mail.record/insert``, ``zenoo.record/create``...).
    :ivar payload: its data, as the server sent it (decoded JSON).

    The frame does not say on which channel it was sent (Odoo does not send
    it), so a notification has no channel.
    """

    id: int
    type: str
    payload: Any = None

    @property
    def record_change(self) -> RecordChange | None:
        """For ``zenoo.record/<kind>`` notifications, what changed; ``None`` for others."""
        if not self.type.startswith(RECORD_TYPE_PREFIX) or not isinstance(self.payload, dict):
            return None
        model = self.payload.get("model")
        if not isinstance(model, str) or not model:
            return None
        ids = self.payload.get("ids")
        fields = self.payload.get("fields")
        return RecordChange(
            model=model,
            kind=self.type[len(RECORD_TYPE_PREFIX) :],
            ids=tuple(i for i in ids if isinstance(i, int)) if isinstance(ids, list) else (),
            fields=tuple(f for f in fields if isinstance(f, str))
            if isinstance(fields, list)
            else (),
        )


class SeenIds:
    """The ids delivered lately, so a notification is never delivered twice.

    Ids are not assumed to arrive in order: Odoo may push a lower id after a
    higher one (a transaction that committed late), and a reconnect replays
    what came after the last id seen. Only the ``size`` most recent ids are
    remembered; anything at or below the highest id forgotten so far (or the
    ``floor`` given, the id a listener resumes after) counts as seen.
    """

    __slots__ = ("_order", "_seen", "floor", "size")

    def __init__(self, floor: int = 0, size: int = 10_000) -> None:
        self.floor = floor
        self.size = size
        self._order: deque[int] = deque()
        self._seen: set[int] = set()

    def add(self, nid: int) -> bool:
        """Remember ``nid``; ``False`` when it was seen before (a duplicate to drop)."""
        if nid <= self.floor or nid in self._seen:
            return False
        self._seen.add(nid)
        self._order.append(nid)
        if len(self._order) > self.size:
            forgotten = self._order.popleft()
            self._seen.discard(forgotten)
            self.floor = max(self.floor, forgotten)
        return True

    def __contains__(self, nid: object) -> bool:
        return isinstance(nid, int) and (nid <= self.floor or nid in self._seen)
