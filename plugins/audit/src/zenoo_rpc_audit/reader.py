"""Reading a JSON Lines audit file back: complete records only, torn lines skipped."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator

import msgspec

from zenoo_rpc_audit.errors import AuditError
from zenoo_rpc_audit.record import AuditRecord, decode_line

__all__ = ["iter_audit_log", "read_audit_log"]

log = logging.getLogger(__name__)


def iter_audit_log(
    path: str | os.PathLike[str], *, rotated: bool = False, strict: bool = False
) -> Iterator[AuditRecord]:
    """Yield the records of a JSON Lines audit file, oldest first, reading as it goes.

    A line that is not a complete record (the torn end of a write cut short by
    a crash, or a last line still being written) is skipped, or raises with
    ``strict``. Blank lines are skipped.

    :param path: the file the ``jsonl`` sink writes (``path`` in ``[plugins.audit]``).
    :param rotated: read the rotated files first (``path.N`` ... ``path.1``, then ``path``).
    :param strict: raise :class:`~zenoo_rpc_audit.errors.AuditError` on a torn line.
    :raises AuditError: the file cannot be read (or a torn line, with ``strict``).
    """
    for file in _files(os.fspath(path), rotated):
        try:
            handle = open(file, "rb")  # noqa: SIM115 - closed below, generator-safe
        except OSError as exc:
            raise AuditError(f"cannot read audit log {file}: {exc.strerror or exc}") from exc
        with handle:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    if not line.endswith(b"\n"):
                        raise msgspec.DecodeError("no end of line")
                    yield decode_line(line)
                except msgspec.DecodeError as exc:
                    if strict:
                        raise AuditError(f"{file}:{number}: not a complete audit record") from exc
                    log.warning("%s:%d: skipped a torn audit line", file, number)


def read_audit_log(
    path: str | os.PathLike[str], *, rotated: bool = False, strict: bool = False
) -> list[AuditRecord]:
    """The records of a JSON Lines audit file, oldest first (see :func:`iter_audit_log`)."""
    return list(iter_audit_log(path, rotated=rotated, strict=strict))


def _files(path: str, rotated: bool) -> list[str]:
    if not rotated:
        return [path]
    backups: list[str] = []
    index = 1
    while os.path.exists(f"{path}.{index}"):
        backups.append(f"{path}.{index}")
        index += 1
    return [*reversed(backups), path]
