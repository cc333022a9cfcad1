"""``AuditSink``: what the audit trail writes records to."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from zenoo_rpc_audit.record import AuditRecord

__all__ = ["AuditSink"]


@runtime_checkable
class AuditSink(Protocol):
    """A destination for audit records.

    ``write`` runs in the event loop for every call, so it must be quick and
    must not wait on the network or the disk (a local ``write(2)`` to the page
    cache is fine). A sink that can make its records durable sets ``durable``
    and does so in ``sync``, which the trail awaits after each write.
    """

    #: True when :meth:`sync` does real work (fsync) the trail should wait for.
    durable: bool

    def write(self, record: AuditRecord) -> None:
        """Record ``record`` (raise on failure; the trail logs it and goes on)."""

    async def sync(self) -> None:
        """Make every record written so far durable."""

    def close(self) -> None:
        """Release what the sink holds; a later ``write`` may open it again."""
