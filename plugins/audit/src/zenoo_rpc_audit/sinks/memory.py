"""``MemorySink``: the last records, in memory (``get_audit_log()``)."""

from __future__ import annotations

from collections import deque

from zenoo_rpc_audit.record import AuditRecord

__all__ = ["MemorySink"]


class MemorySink:
    """Keeps the last ``max_records`` records, oldest first.

    :param max_records: how many records to keep; older ones are dropped.
    """

    durable = False

    def __init__(self, max_records: int = 1000) -> None:
        if max_records < 1:
            raise ValueError(f"max_records must be at least 1, not {max_records}")
        self._records: deque[AuditRecord] = deque(maxlen=max_records)

    @property
    def max_records(self) -> int:
        """How many records are kept."""
        return self._records.maxlen or 0

    def write(self, record: AuditRecord) -> None:
        """Keep ``record``, dropping the oldest one when full."""
        self._records.append(record)

    def records(self) -> list[AuditRecord]:
        """A copy of the records kept, oldest first."""
        return list(self._records)

    def clear(self) -> None:
        """Forget every record."""
        self._records.clear()

    async def sync(self) -> None:
        """Nothing to do: memory is as durable as it gets."""

    def close(self) -> None:
        """Nothing to release; the records stay readable."""
