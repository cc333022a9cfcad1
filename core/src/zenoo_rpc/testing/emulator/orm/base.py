"""``BaseModel``: the class every emulated model derives from, with Odoo's magic fields.

Python reports argument errors with the function's qualified name, and real
Odoo's say ``BaseModel.search_count()``; the methods inherited from the
stacked layers are renamed accordingly so that the emulator's ``TypeError``
texts match the server's word for word.
"""

from __future__ import annotations

from typing import ClassVar

from . import fields
from .crud import CrudModel
from .model import ModelCore
from .onchange import OnchangeModel
from .read_group import GroupedModel
from .recordset import RecordsetCore
from .web_read import WebModel

__all__ = ["BaseModel"]


class BaseModel(OnchangeModel):
    """Every emulated model: ``id``, ``display_name`` and the log-access fields."""

    _name: ClassVar[str] = "base"

    id = fields.Integer("ID", readonly=True)
    #: Searchable as in Odoo (``_search_display_name``): the domain evaluator computes it.
    display_name = fields.Char(
        "Display Name",
        compute="_compute_display_name",
        store=False,
        search="_search_display_name",
    )
    create_uid = fields.Many2one("res.users", "Created by", readonly=True)
    create_date = fields.Datetime("Created on", readonly=True)
    write_uid = fields.Many2one("res.users", "Last Updated by", readonly=True)
    write_date = fields.Datetime("Last Updated on", readonly=True)


for _layer in (
    RecordsetCore, ModelCore, CrudModel, GroupedModel, WebModel, OnchangeModel, BaseModel,
):  # fmt: skip
    for _attr, _func in vars(_layer).items():
        if not _attr.startswith("__") and callable(_func) and hasattr(_func, "__qualname__"):
            _func.__qualname__ = f"BaseModel.{_attr}"
