"""``JsonLinesSink``: an append-only JSON Lines file that a crash cannot garble.

How each guarantee is kept:

- **One complete line per record.** A record is encoded first, then written
  with a single ``write(2)`` on a descriptor opened with ``O_APPEND``: the
  kernel places the whole line at the end of the file, so lines from other
  clients or processes never interleave with it. A process killed between two
  records leaves nothing half-written.
- **Torn tails are contained.** A write that is cut short (``SIGKILL`` during
  a multi-page write, a full disk, power loss) can leave part of a line at the
  end. On open, a file whose last byte is not ``\\n`` gets one first, so the
  next record starts on its own line; :func:`~zenoo_rpc_audit.read_audit_log`
  skips the torn line. A short write seen while running is ended the same way
  and the whole line written again.
- **fsync, optionally.** With ``fsync=True`` the trail awaits :meth:`sync`
  after each record: ``fdatasync`` (``fsync`` where missing) runs in a worker
  thread, on a duplicate descriptor, so the event loop keeps serving other
  calls while the disk works. Without it, records are in the OS page cache as
  soon as the call returns: they survive the process being killed, not a
  power cut.
- **Writes stay in the event loop.** Appending a few hundred bytes to the
  page cache takes about a microsecond, far less than a hop to a thread
  (tens of microseconds), so ``write`` is synchronous; only the fsync, which
  waits on the device, is moved off the loop.
- **Size-based rotation** (``max_bytes`` > 0): before a write that would take
  the file past ``max_bytes``, ``audit.jsonl`` becomes ``audit.jsonl.1``
  (``.1`` becomes ``.2``... up to ``backup_count``; the oldest is dropped),
  under an exclusive ``flock`` on ``audit.jsonl.lock`` so processes sharing the
  file rotate it once. Before each write every writer checks that the path
  still names its file (``stat``) and reopens it when another process rotated
  it, so logrotate's ``create`` mode works too.

Limits: this relies on POSIX append semantics of local file systems (Linux,
macOS, BSD). On NFS, appends from several machines can interleave; on Windows
there is no cross-process rotation lock (one process per file there). A
record written by one process while another rotates can end up as the last
line of ``audit.jsonl.1`` instead of the first of the new file: complete, in
the backups, only out of place. Without rotation nothing checks whether the
file was moved: use ``copytruncate`` with external log rotation, which works
with ``O_APPEND``.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
import weakref
from collections.abc import Iterator
from typing import Any

from zenoo_rpc_audit.record import AuditRecord, encode_into

if sys.platform != "win32":
    import fcntl

__all__ = ["JsonLinesSink"]

_FLAGS = os.O_RDWR | os.O_APPEND | os.O_CREAT | getattr(os, "O_CLOEXEC", 0)
_datasync = getattr(os, "fdatasync", os.fsync)


class JsonLinesSink:
    """Appends each record as one JSON line to ``path`` (opened immediately).

    :param path: the file; created with ``file_mode`` if missing. Made absolute,
        so a later ``chdir`` does not move it.
    :param fsync: make every record durable before its call returns.
    :param max_bytes: rotate before the file would pass this size (0: never).
    :param backup_count: rotated files kept (``path.1`` ... ``path.N``); at least
        1 when ``max_bytes`` is set.
    :param file_mode: permissions of a new file (audit trails are private: 0o600).
    :raises OSError: the file cannot be opened.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        fsync: bool = False,
        max_bytes: int = 0,
        backup_count: int = 0,
        file_mode: int = 0o600,
    ) -> None:
        if max_bytes < 0 or backup_count < 0:
            raise ValueError("max_bytes and backup_count cannot be negative")
        if max_bytes and not backup_count:
            raise ValueError("rotation (max_bytes) needs backup_count >= 1")
        self.path = os.path.abspath(os.fspath(path))
        self.durable = fsync
        self.max_bytes = max_bytes
        self.backup_count = backup_count
        self.file_mode = file_mode
        self._fd = -1
        self._identity: tuple[int, int] = (0, 0)
        self._closer: weakref.finalize[Any, JsonLinesSink] | None = None
        self._line = bytearray()
        self.open()

    # ------------------------------------------------------------------ opening

    @property
    def is_open(self) -> bool:
        """Whether the file is open (``close`` closes it; the next ``write`` reopens it)."""
        return self._fd >= 0

    def open(self) -> None:
        """Open the file if it is not open, ending a torn last line first."""
        if self._fd >= 0:
            return
        fd = os.open(self.path, _FLAGS, self.file_mode)
        try:
            status = os.fstat(fd)
            if status.st_size and _last_byte(fd) != b"\n":
                _write_fully(fd, b"\n")
            if self.durable:
                _datasync(fd)
                _sync_directory(self.path)
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd
        self._identity = (status.st_dev, status.st_ino)
        self._closer = weakref.finalize(self, os.close, fd)

    def close(self) -> None:
        """Close the file (syncing it first when ``fsync`` is on); ``write`` reopens it."""
        fd, closer = self._fd, self._closer
        self._fd, self._closer = -1, None
        try:
            if fd >= 0 and self.durable:
                _datasync(fd)
        finally:
            if closer is not None:
                closer()

    # ------------------------------------------------------------------ writing

    def write(self, record: AuditRecord) -> None:
        """Append ``record`` as one line."""
        line = self._line
        encode_into(record, line)  # reuses the buffer: no allocation per record
        line.append(10)  # \n
        fd = self._fd
        if fd < 0 or self.max_bytes:
            self.write_line(bytes(line))
        elif os.write(fd, line) != len(line):
            self._recover_short_write(bytes(line))

    def write_line(self, line: bytes) -> None:
        """Append ``line`` (one complete JSON line ending in ``\\n``) with one write."""
        if self._fd < 0:
            self.open()
        if self.max_bytes:
            self._rotate_if_needed(len(line))
        written = os.write(self._fd, line)
        if written != len(line):
            self._recover_short_write(line)

    def _recover_short_write(self, line: bytes) -> None:
        # Part of the line is in the file: end it so it reads as one torn line,
        # then append the whole line again on its own.
        _write_fully(self._fd, b"\n")
        if os.write(self._fd, line) != len(line):
            _write_fully(self._fd, b"\n")
            raise OSError(f"short write to {self.path}: the record was not written whole")

    async def sync(self) -> None:
        """Wait until every line written so far is on disk (``fdatasync`` in a thread)."""
        if self._fd < 0:
            return
        # A duplicate descriptor: rotation or close may close ours meanwhile.
        fd = os.dup(self._fd)
        await asyncio.to_thread(_sync_and_close, fd)

    # ------------------------------------------------------------------ rotation

    def _rotate_if_needed(self, incoming: int) -> None:
        status = _stat(self.path)
        if (
            status is not None
            and (status.st_dev, status.st_ino) == self._identity
            and (status.st_size == 0 or status.st_size + incoming <= self.max_bytes)
        ):
            return
        with self._rotation_lock():
            # Another process may have rotated or recreated the file: look again.
            status = _stat(self.path)
            if status is None or (status.st_dev, status.st_ino) != self._identity:
                self._reopen()
                status = os.fstat(self._fd)
            if status.st_size == 0 or status.st_size + incoming <= self.max_bytes:
                return
            self._shift_backups()
            self._reopen()

    def _reopen(self) -> None:
        closer = self._closer
        self._fd, self._closer = -1, None
        if closer is not None:
            closer()
        self.open()

    def _shift_backups(self) -> None:
        for index in range(self.backup_count - 1, 0, -1):
            source = f"{self.path}.{index}"
            if os.path.exists(source):
                os.replace(source, f"{self.path}.{index + 1}")
        os.replace(self.path, f"{self.path}.1")

    @contextlib.contextmanager
    def _rotation_lock(self) -> Iterator[None]:
        if sys.platform == "win32":  # pragma: no cover - no flock: one process per file
            yield
            return
        fd = os.open(f"{self.path}.lock", _FLAGS, self.file_mode)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # releases the lock

    def __repr__(self) -> str:
        return f"JsonLinesSink({self.path!r}, fsync={self.durable})"


def _stat(path: str) -> os.stat_result | None:
    try:
        return os.stat(path)
    except FileNotFoundError:
        return None


def _last_byte(fd: int) -> bytes:
    os.lseek(fd, -1, os.SEEK_END)
    return os.read(fd, 1)


def _write_fully(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _sync_and_close(fd: int) -> None:
    try:
        _datasync(fd)
    finally:
        os.close(fd)


def _sync_directory(path: str) -> None:
    """Make a new file's directory entry durable (POSIX; a no-op elsewhere)."""
    if sys.platform == "win32":  # pragma: no cover - directories cannot be opened there
        return
    fd = os.open(os.path.dirname(path), os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
