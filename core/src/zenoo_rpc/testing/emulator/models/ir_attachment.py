"""Files (``ir.attachment``): base64 ``datas`` with size, checksum and mimetype derived."""

from __future__ import annotations

import base64
import binascii
import hashlib
import mimetypes
from typing import Any, ClassVar

from zenoo_rpc.testing.emulator.orm import fields
from zenoo_rpc.testing.emulator.orm.base import BaseModel

__all__ = ["IrAttachment"]


def _decoded(value: str | None) -> bytes:
    if not value:
        return b""
    try:
        return base64.b64decode(value, validate=False)
    except (binascii.Error, ValueError):
        return b""


class IrAttachment(BaseModel):
    _name: ClassVar[str] = "ir.attachment"
    _description: ClassVar[str] = "Attachment"
    _order: ClassVar[str] = "id desc"
    _company_rule: ClassVar[bool] = True

    name = fields.Char("Name", required=True)
    description = fields.Text("Description")
    res_model = fields.Char("Resource Model", readonly=True)
    res_field = fields.Char("Resource Field", readonly=True)
    res_id = fields.Integer("Resource ID", readonly=True, default=0)
    company_id = fields.Many2one("res.company", "Company")
    type = fields.Selection(
        [("url", "URL"), ("binary", "File")], "Type", default="binary", required=True
    )
    url = fields.Char("Url")
    public = fields.Boolean("Is public document", default=False)
    datas = fields.Binary("File Content (base64)", attachment=False)
    mimetype = fields.Char(
        "Mime Type", compute="_compute_mimetype", store=True, depends=("name", "datas")
    )
    file_size = fields.Integer(
        "File Size", compute="_compute_file_size", store=True, readonly=True, depends=("datas",)
    )
    checksum = fields.Char(
        "Checksum/SHA1", compute="_compute_checksum", store=True, readonly=True, depends=("datas",)
    )

    def _compute_file_size(self, ids: list[int]) -> dict[int, Any]:
        col = self._table.columns["datas"]
        return {rid: len(_decoded(col[rid])) for rid in ids}

    def _compute_checksum(self, ids: list[int]) -> dict[int, Any]:
        col = self._table.columns["datas"]
        return {
            rid: hashlib.sha1(_decoded(col[rid])).hexdigest() if col[rid] else None  # noqa: S324
            for rid in ids
        }

    def _compute_mimetype(self, ids: list[int]) -> dict[int, Any]:
        names, current = self._table.columns["name"], self._table.columns["mimetype"]
        out: dict[int, Any] = {}
        for rid in ids:
            guessed = mimetypes.guess_type(names[rid] or "")[0]
            out[rid] = current[rid] or guessed or "application/octet-stream"
        return out
