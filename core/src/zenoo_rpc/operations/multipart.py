"""``multipart/form-data`` bodies whose file part is streamed, not held in memory.

The fields and the file part's headers are encoded up front; the file's bytes
follow as they are read, so the body's length is known (``Content-Length``)
without reading the file first.
"""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator, Mapping

from zenoo_rpc.errors import TransferError
from zenoo_rpc.operations.files import FileSource

__all__ = ["MultipartBody"]


def _quoted(value: str) -> str:
    """A header parameter value: quotes, backslashes and line breaks cannot escape it."""
    clean = value.replace("\\", "\\\\").replace('"', '\\"')
    return clean.replace("\r", " ").replace("\n", " ")


class MultipartBody:
    """A form with text ``fields`` and one file ``file_field`` from ``source``.

    ``source.size`` must be known; :meth:`chunks` fails if the source yields
    another number of bytes.
    """

    def __init__(
        self, fields: Mapping[str, str], file_field: str, filename: str, source: FileSource
    ) -> None:
        if source.size is None:
            raise ValueError("a streamed multipart body needs a source of known size")
        self.boundary = f"zenoo-{secrets.token_hex(16)}"
        dash = f"--{self.boundary}\r\n"
        parts = [
            f'{dash}Content-Disposition: form-data; name="{_quoted(name)}"\r\n\r\n{value}\r\n'
            for name, value in fields.items()
        ]
        parts.append(
            f'{dash}Content-Disposition: form-data; name="{_quoted(file_field)}"; '
            f'filename="{_quoted(filename)}"\r\nContent-Type: application/octet-stream\r\n\r\n'
        )
        self._head = "".join(parts).encode()
        self._tail = f"\r\n--{self.boundary}--\r\n".encode()
        self._source = source
        self._size = source.size
        #: Bytes of the whole body.
        self.length = len(self._head) + source.size + len(self._tail)

    @property
    def content_type(self) -> str:
        return f"multipart/form-data; boundary={self.boundary}"

    async def chunks(self) -> AsyncIterator[bytes]:
        """The body: the fields, the file as it is read, the closing boundary."""
        yield self._head
        sent = 0
        async for chunk in self._source.chunks():
            sent += len(chunk)
            if sent > self._size:
                break
            yield chunk
        if sent != self._size:
            raise TransferError(
                f"the file changed while it was sent: {sent} bytes instead of {self._size}"
            )
        yield self._tail
