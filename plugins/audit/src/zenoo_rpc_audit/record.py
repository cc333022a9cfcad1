"""``AuditRecord``: what the audit trail keeps of one call, and its JSON Lines encoding."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from typing import Any, Literal

import msgspec

__all__ = [
    "LOGIN_METHOD",
    "AuditRecord",
    "Outcome",
    "decode_line",
    "encode_into",
    "encode_line",
    "iso_utc",
]

#: How a call ended: the server answered (``ok``), it failed (``error``), or the
#: client cannot know whether it ran (``unknown``: ``OutcomeUnknownError``,
#: cancellation, interpreter shutdown).
Outcome = Literal["ok", "error", "unknown"]

#: ``method`` of the record a successful login leaves (its ``model`` is ``None``).
LOGIN_METHOD = "authenticate"


class AuditRecord(msgspec.Struct, frozen=True, kw_only=True, gc=False):
    """One audited call.

    :ivar ts: when the call started: ISO 8601, UTC, microseconds
        (``2025-05-01T09:30:12.052113Z``; sorts as text; :attr:`when` as a datetime).
    :ivar server: the server URL without credentials or query string.
    :ivar db: the database, ``None`` before login.
    :ivar uid: the user id the call ran as, ``None`` before login.
    :ivar model: the Odoo model (``None`` for a login).
    :ivar method: the method called (``authenticate`` for a login).
    :ivar ids: the record ids touched: the ids a record method was called on
        (``read``, ``write``, ``unlink``, ``action_*``...), or the ids ``create``
        returned.
    :ivar fields: the field names ``create`` / ``write`` set, sorted.
    :ivar values: what ``create`` / ``write`` set, redacted, only for the models
        listed in ``include_values``: one mapping for ``write`` (applied to every
        id), one per record for ``create`` (in the order of ``ids``).
    :ivar duration_ms: how long the call took in the client, retries included
        (``None`` for a login).
    :ivar outcome: ``ok``, ``error`` or ``unknown`` (see :data:`Outcome`).
    :ivar error: for a failed call, Odoo's exception name
        (``odoo.exceptions.AccessError``) or the exception class name
        (``ReadTimeout``, ``CancelledError``); never its message, which may quote
        the values sent.
    :ivar protocol: ``json2``, ``jsonrpc`` or ``web`` (``None`` before login).
    """

    ts: str
    server: str
    db: str | None
    uid: int | None
    model: str | None
    method: str
    ids: tuple[int, ...] = ()
    fields: tuple[str, ...] = ()
    values: tuple[dict[str, Any], ...] | None = None
    duration_ms: float | None = None
    outcome: Outcome = "ok"
    error: str | None = None
    protocol: str | None = None

    @property
    def when(self) -> datetime:
        """``ts`` as an aware :class:`~datetime.datetime` (UTC)."""
        return datetime.fromisoformat(self.ts.replace("Z", "+00:00"))


class _SecondPrefix:
    """``YYYY-MM-DDTHH:MM:SS`` of the last second formatted (one strftime per second)."""

    second = -1
    text = ""


def iso_utc(timestamp_ns: int) -> str:
    """``timestamp_ns`` (``time.time_ns()``) as ``2025-05-01T09:30:12.052113Z``.

    Cheaper than ``datetime.now(timezone.utc).isoformat()``: the date and time
    of day are formatted once per second.
    """
    second, nanoseconds = divmod(timestamp_ns, 1_000_000_000)
    cache = _SecondPrefix
    if second != cache.second:
        cache.text = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(second))
        cache.second = second
    return f"{cache.text}.{nanoseconds // 1000:06d}Z"


def _unknown_type(value: Any) -> Any:
    # Values sent to Odoo are JSON-able by the protocol's own encoder; anything
    # else is shown by type only, never by repr (which could hold a secret).
    return f"<{type(value).__name__}>"


_encoder = msgspec.json.Encoder(enc_hook=_unknown_type)
_decoder = msgspec.json.Decoder(AuditRecord)


def encode_line(record: AuditRecord) -> bytes:
    """``record`` as one JSON line, ``\\n`` included."""
    return _encoder.encode(record) + b"\n"


#: Encode a record into a reused ``bytearray``, replacing its content (no ``\\n``).
encode_into: Callable[[AuditRecord, bytearray], None] = _encoder.encode_into


def decode_line(line: bytes) -> AuditRecord:
    """Parse one JSON line (with or without its ``\\n``).

    :raises msgspec.DecodeError: the line is not a complete record (torn or foreign).
    """
    return _decoder.decode(line)
