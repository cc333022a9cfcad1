"""Where downloads go and where uploads come from: paths, file objects and bytes.

A download to a *path* is written to a hidden temporary file next to it
(``.<name>.<random>.part``, owner-only permissions: reports, attachments and
backups hold business data) and renamed over the path only once every byte
arrived and passed its checks, so a failed transfer never leaves a partial
file behind. A download to a *file object* is written as it arrives (what was
written before a failure stays there: the object is the caller's).

An upload reads a path in chunks (in a worker thread), a file object from
its current position, or bytes as they are.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import os
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path
from typing import IO, Any, BinaryIO, Union

from zenoo_rpc.errors import InvalidArgument, TransferError

__all__ = ["Destination", "FileSink", "FileSource", "Source", "open_destination", "open_source"]

#: Where a download is written: a path, or a binary file object open for writing.
Destination = Union[str, "os.PathLike[str]", BinaryIO]
#: What an upload sends: a path, a binary file object open for reading, or bytes.
Source = Union[str, "os.PathLike[str]", BinaryIO, bytes, bytearray, memoryview]

#: Size of the pieces read from files.
READ_CHUNK = 1024 * 1024


class FileSink:
    """Receives a download: counts its bytes and keeps their SHA-1."""

    def __init__(self, target: IO[bytes], label: str) -> None:
        self._target = target
        self._label = label
        self._sha1 = hashlib.sha1(usedforsecurity=False)
        #: Bytes written so far.
        self.size = 0

    def write(self, data: bytes | memoryview) -> None:
        """Write ``data``; an OS error becomes a :class:`~zenoo_rpc.errors.TransferError`."""
        try:
            self._target.write(data)
        except OSError as exc:
            raise TransferError(f"cannot write {self._label}: {exc}") from exc
        self._sha1.update(data)
        self.size += len(data)

    @property
    def sha1(self) -> str:
        """The SHA-1 (hex) of everything written."""
        return self._sha1.hexdigest()


@contextlib.asynccontextmanager
async def open_destination(
    destination: Destination, *, argument: str = "destination"
) -> AsyncIterator[FileSink]:
    """A :class:`FileSink` for ``destination``; a path gets its bytes only if the block succeeds.

    :raises InvalidArgument: for something that is neither a path nor a writable file object.
    :raises TransferError: when the path's directory cannot be written, or the
        path is a directory.
    """
    if isinstance(destination, (str, os.PathLike)):
        path = Path(destination)
        if await asyncio.to_thread(path.is_dir):
            raise TransferError(f"{path} is a directory: give the path of the file to write")
        try:
            handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - renamed or removed below
                dir=path.parent, prefix=f".{path.name}.", suffix=".part", delete=False
            )
        except OSError as exc:
            raise TransferError(f"cannot write {path}: {exc}") from exc
        done = False
        try:
            sink = FileSink(handle, str(path))
            yield sink
            try:
                handle.flush()
                await asyncio.to_thread(os.fsync, handle.fileno())
                handle.close()
                os.replace(handle.name, path)
            except OSError as exc:
                raise TransferError(f"cannot write {path}: {exc}") from exc
            done = True
        finally:
            if not done:
                handle.close()
                with contextlib.suppress(OSError):
                    os.unlink(handle.name)
        return
    if callable(getattr(destination, "write", None)):
        yield FileSink(destination, _label(destination))
        return
    raise InvalidArgument(
        f"{argument} must be a path or a binary file object open for writing, "
        f"not {type(destination).__name__}",
        argument=argument,
    )


class FileSource:
    """An upload's bytes: ``size`` (``None`` when unknown) and :meth:`chunks`."""

    def __init__(self, name: str | None, size: int | None, reader: Any, label: str) -> None:
        #: The file name, when the source has one.
        self.name = name
        self.size = size
        self._reader = reader
        self._label = label

    async def chunks(self, chunk_size: int = READ_CHUNK) -> AsyncIterator[bytes]:
        """The bytes, ``chunk_size`` at a time (files are read in a worker thread)."""
        reader = self._reader
        if isinstance(reader, bytes):
            for start in range(0, len(reader), chunk_size):
                yield reader[start : start + chunk_size]
            return
        if isinstance(reader, Path):
            try:
                handle = await asyncio.to_thread(reader.open, "rb")
            except OSError as exc:
                raise TransferError(f"cannot read {self._label}: {exc}") from exc
            with handle:
                async for chunk in self._read_all(handle, chunk_size):
                    yield chunk
            return
        async for chunk in self._read_all(reader, chunk_size):
            yield chunk

    async def _read_all(self, handle: Any, chunk_size: int) -> AsyncIterator[bytes]:
        while True:
            try:
                chunk = await asyncio.to_thread(handle.read, chunk_size)
            except OSError as exc:
                raise TransferError(f"cannot read {self._label}: {exc}") from exc
            if not chunk:
                return
            if not isinstance(chunk, (bytes, bytearray)):
                raise InvalidArgument(
                    f"{self._label} gave {type(chunk).__name__}, not bytes: open it in binary mode",
                    argument="source",
                )
            yield bytes(chunk)

    async def read(self, limit: int | None = None) -> bytes:
        """All the bytes; :class:`~zenoo_rpc.errors.TransferError` past ``limit`` bytes."""
        parts: list[bytes] = []
        size = 0
        async for chunk in self.chunks():
            size += len(chunk)
            if limit is not None and size > limit:
                raise TransferError(f"{self._label} is larger than {limit} bytes")
            parts.append(chunk)
        return b"".join(parts)


def open_source(source: Source, *, argument: str = "source") -> FileSource:
    """A :class:`FileSource` for ``source`` (its size is known for paths, bytes and seekable files).

    :raises InvalidArgument: for anything else than a path, bytes or a readable file object.
    :raises TransferError: for a path that is not a readable file.
    """
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
        return FileSource(None, len(data), data, "the bytes given")
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        try:
            size = path.stat().st_size
        except OSError as exc:
            raise TransferError(f"cannot read {path}: {exc}") from exc
        if not path.is_file():
            raise TransferError(f"{path} is not a file")
        return FileSource(path.name, size, path, str(path))
    if callable(getattr(source, "read", None)):
        name = getattr(source, "name", None)
        return FileSource(
            Path(name).name if isinstance(name, str) and name else None,
            _remaining(source),
            source,
            _label(source),
        )
    raise InvalidArgument(
        f"{argument} must be a path, bytes or a binary file object open for reading, "
        f"not {type(source).__name__}",
        argument=argument,
    )


def _remaining(handle: Any) -> int | None:
    """Bytes left in a seekable file object, else ``None``."""
    try:
        if not handle.seekable():
            return None
        position = handle.tell()
        end = handle.seek(0, os.SEEK_END)
        handle.seek(position)
        return int(end - position)
    except (AttributeError, OSError, ValueError):
        return None


def _label(handle: Any) -> str:
    name = getattr(handle, "name", None)
    return repr(name) if isinstance(name, str) else f"the {type(handle).__name__}"
