"""``LoggingSink``: one stdlib log line per audit record.

The message is short and human-readable::

    audit ok res.partner.write ids=[7, 8] fields=['email', 'name'] 3.2 ms db=prod uid=2

and the whole record rides along as the log record's ``audit`` attribute
(an :class:`~zenoo_rpc_audit.record.AuditRecord`; ``msgspec.to_builtins(r.audit)``
gives plain data to a JSON formatter). The library attaches no handler:
configure the logger (``zenoo_rpc.audit`` by default) as you would any other.
"""

from __future__ import annotations

import logging

from zenoo_rpc_audit.record import AuditRecord

__all__ = ["LoggingSink"]

_SHOWN_IDS = 10


class LoggingSink:
    """Logs each record to ``logger`` at ``level``.

    :param logger: the logger name.
    :param level: the level of every audit line.
    """

    durable = False

    def __init__(self, logger: str = "zenoo_rpc.audit", level: int = logging.INFO) -> None:
        self.logger = logging.getLogger(logger)
        self.level = level

    def write(self, record: AuditRecord) -> None:
        """Log ``record`` (nothing is formatted when the level is disabled)."""
        if not self.logger.isEnabledFor(self.level):
            return
        target = f"{record.model}.{record.method}" if record.model else record.method
        self.logger.log(
            self.level,
            "audit %s %s ids=%s fields=%s %s db=%s uid=%s%s",
            record.outcome,
            target,
            _shown_ids(record.ids),
            list(record.fields),
            "-" if record.duration_ms is None else f"{record.duration_ms:.1f} ms",
            record.db,
            record.uid,
            f" error={record.error}" if record.error else "",
            extra={"audit": record},
        )

    async def sync(self) -> None:
        """Nothing to do: flushing is the handlers' business."""

    def close(self) -> None:
        """Nothing to release: the logger belongs to the application."""


def _shown_ids(ids: tuple[int, ...]) -> str:
    if len(ids) <= _SHOWN_IDS:
        return str(list(ids))
    head = ", ".join(str(i) for i in ids[:_SHOWN_IDS])
    return f"[{head}, ... {len(ids) - _SHOWN_IDS} more]"
