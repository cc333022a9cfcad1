"""Files stored in Odoo (``ir.attachment``): download and upload, with size limits and checksums.

Downloads go through ``/web/content/<id>?download=true`` and are streamed to
the destination when the client has a web session, or when it logged in with
a password and the file is larger than :data:`STREAM_ABOVE` (a short side
session is opened for it); otherwise the base64 ``datas`` field is read in
one call, which holds the whole file in memory about three times over (the
JSON answer, its base64 text and the decoded bytes). Either way ``max_size``
is checked against Odoo's ``file_size`` before the transfer and against the
bytes while they arrive, and the SHA-1 Odoo stores (``checksum``) is checked
at the end.

Uploads are ``ir.attachment.create`` with base64 ``datas``: the file is held
in memory (base64 and JSON included, about 2.5 times its size), which is why
``max_size`` defaults to 25 MiB, Odoo's own default upload limit.
"""

from __future__ import annotations

import base64
import binascii
from typing import TYPE_CHECKING, Any

import msgspec

from zenoo_rpc.errors import (
    AttachmentTooLarge,
    ChecksumMismatch,
    InvalidArgument,
    MissingError,
    TransferError,
)
from zenoo_rpc.operations.arguments import require_id, require_text
from zenoo_rpc.operations.files import Destination, FileSink, Source, open_destination, open_source
from zenoo_rpc.operations.web_session import has_web_session, web_get
from zenoo_rpc.protocols.html_page import page_message

if TYPE_CHECKING:
    from zenoo_rpc.client import ZenooClient

__all__ = ["DEFAULT_MAX_UPLOAD", "STREAM_ABOVE", "AttachmentInfo", "AttachmentManager"]

#: Default ``max_size`` of :meth:`AttachmentManager.upload` (Odoo's own upload limit).
DEFAULT_MAX_UPLOAD = 25 * 2**20
#: Files larger than this are streamed through a side web session when the client has none.
STREAM_ABOVE = 2**20

_MODEL = "ir.attachment"
_INFO_FIELDS = ["name", "mimetype", "file_size", "checksum", "res_model", "res_id", "type"]


class AttachmentInfo(msgspec.Struct, frozen=True, kw_only=True):
    """What Odoo knows of an attachment (``ir.attachment``), empty values as ``None``."""

    id: int
    name: str
    mimetype: str | None = None
    #: Size in bytes, as Odoo stored it.
    file_size: int = 0
    #: SHA-1 (hex) of the content, as Odoo stored it.
    checksum: str | None = None
    res_model: str | None = None
    res_id: int | None = None


class AttachmentManager:
    """``client.attachments``: :meth:`info`, :meth:`download` and :meth:`upload`.

    Every call runs as the logged-in user, with the client's context.
    """

    def __init__(self, client: ZenooClient) -> None:
        self._client = client

    def __repr__(self) -> str:
        return f"<AttachmentManager {self._client!r}>"

    async def info(self, attachment_id: int) -> AttachmentInfo:
        """Name, type, size, checksum and owner of attachment ``attachment_id``.

        :raises MissingError: when it does not exist (or the user may not see it).
        """
        info, _ = await self._read(attachment_id)
        return info

    async def _read(self, attachment_id: int) -> tuple[AttachmentInfo, dict[str, Any]]:
        require_id(attachment_id, "attachment_id")
        rows = await self._client.read(_MODEL, [attachment_id], _INFO_FIELDS)
        if not rows:
            raise MissingError(
                f"attachment {attachment_id} does not exist or has been deleted",
                name="odoo.exceptions.MissingError",
            )
        row = rows[0]
        res_model = row.get("res_model") or None
        info = AttachmentInfo(
            id=attachment_id,
            name=str(row.get("name") or ""),
            mimetype=row.get("mimetype") or None,
            file_size=int(row.get("file_size") or 0),
            checksum=row.get("checksum") or None,
            res_model=res_model,
            res_id=(row.get("res_id") or None) if res_model else None,
        )
        return info, row

    async def download(
        self, attachment_id: int, destination: Destination, *, max_size: int | None = None
    ) -> AttachmentInfo:
        """Write the content of attachment ``attachment_id`` to ``destination``; its info.

        :param destination: a path (written whole or not at all) or a binary file object.
        :param max_size: refuse files larger than this many bytes.
        :raises AttachmentTooLarge: when the file is larger than ``max_size``.
        :raises ChecksumMismatch: when the bytes received are not those Odoo stored.
        :raises MissingError: when it does not exist (or the user may not see it).
        :raises TransferError: for a URL attachment (it has no content) or an
            unwritable destination.
        """
        if max_size is not None and (type(max_size) is not int or max_size < 0):
            raise InvalidArgument("max_size must be a non-negative integer", argument="max_size")
        info, row = await self._read(attachment_id)
        if row.get("type") == "url":
            raise TransferError(f"attachment {attachment_id} is a link to a URL, not a file")
        _check_size(info.file_size, max_size, attachment_id)
        client = self._client
        credentials = client._state.credentials
        stream = has_web_session(client) or (
            credentials is not None and bool(credentials.password) and info.file_size > STREAM_ABOVE
        )
        async with open_destination(destination) as sink:
            if stream:
                await self._stream(info, sink, max_size)
            else:
                await self._read_datas(info, sink, max_size)
            _check_checksum(info, sink)
        return info

    async def _stream(self, info: AttachmentInfo, sink: FileSink, max_size: int | None) -> None:
        path = f"/web/content/{info.id}?download=true"
        async with web_get(self._client, path, purpose="downloading an attachment") as stream:
            if stream.status != 200:
                body = await stream.read(64 * 1024)
                text = page_message(body) if "html" in stream.content_type else ""
                raise MissingError(
                    f"/web/content/{info.id} answered HTTP {stream.status}"
                    + (f": {text}" if text else ""),
                    name="odoo.exceptions.MissingError",
                    status=stream.status,
                )
            async for chunk in stream:
                _check_size(sink.size + len(chunk), max_size, info.id)
                sink.write(chunk)

    async def _read_datas(self, info: AttachmentInfo, sink: FileSink, max_size: int | None) -> None:
        rows = await self._client.read(_MODEL, [info.id], ["datas"])
        if not rows:
            raise MissingError(
                f"attachment {info.id} does not exist or has been deleted",
                name="odoo.exceptions.MissingError",
            )
        text = rows[0].get("datas") or ""
        try:
            data = base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise TransferError(f"attachment {info.id}: the server sent invalid base64") from exc
        _check_size(len(data), max_size, info.id)
        sink.write(data)

    async def upload(
        self,
        source: Source,
        *,
        name: str | None = None,
        res_model: str | None = None,
        res_id: int | None = None,
        mimetype: str | None = None,
        max_size: int | None = DEFAULT_MAX_UPLOAD,
    ) -> int:
        """Store ``source`` as a new attachment; its id.

        :param source: a path, a binary file object (read from its position) or bytes.
        :param name: the file name (default: the path's or the file object's name).
        :param res_model: the model of the record to attach it to (with ``res_id``).
        :param mimetype: the MIME type (default: Odoo guesses it from the name and content).
        :param max_size: refuse files larger than this many bytes (``None``: no limit,
            but the whole file is held in memory; see the module docstring).
        :raises AttachmentTooLarge: when the file is larger than ``max_size``.
        """
        if max_size is not None and (type(max_size) is not int or max_size < 0):
            raise InvalidArgument("max_size must be a non-negative integer", argument="max_size")
        if res_id is not None and (type(res_id) is not int or res_id <= 0 or not res_model):
            raise InvalidArgument(
                "res_id must be a positive integer, given with res_model", argument="res_id"
            )
        if res_model is not None:
            require_text(res_model, "res_model", "a model name")
        opened = open_source(source)
        name = name if name is not None else opened.name
        if not isinstance(name, str) or not name:
            raise InvalidArgument(
                "name= is required when the source has no file name (bytes)", argument="name"
            )
        if opened.size is not None:
            _check_size(opened.size, max_size, None)
        parts: list[bytes] = []
        size = 0
        async for chunk in opened.chunks():
            size += len(chunk)
            _check_size(size, max_size, None)
            parts.append(chunk)
        values: dict[str, Any] = {
            "name": name,
            "datas": base64.b64encode(b"".join(parts)).decode("ascii"),
        }
        if res_model:
            values["res_model"] = res_model
            values["res_id"] = res_id or 0
        if mimetype:
            values["mimetype"] = mimetype
        new_id: int = await self._client.create(_MODEL, values)
        return new_id


def _check_size(size: int, max_size: int | None, attachment_id: int | None) -> None:
    if max_size is not None and size > max_size:
        what = f"attachment {attachment_id}" if attachment_id else "the file"
        raise AttachmentTooLarge(
            f"{what} is larger than the {max_size} bytes allowed ({size} bytes or more)",
            size=size,
            max_size=max_size,
            attachment_id=attachment_id,
        )


def _check_checksum(info: AttachmentInfo, sink: FileSink) -> None:
    if info.checksum and sink.sha1 != info.checksum.lower():
        raise ChecksumMismatch(
            f"attachment {info.id}: the {sink.size} bytes received have SHA-1 {sink.sha1}, "
            f"Odoo stored {info.checksum}",
            expected=info.checksum,
            actual=sink.sha1,
        )
