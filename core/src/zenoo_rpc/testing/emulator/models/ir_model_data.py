"""External identifiers (``ir.model.data``): ``base.group_user`` -> ``res.groups`` id."""

from __future__ import annotations

from typing import Any, ClassVar

from zenoo_rpc.testing.emulator.orm import fields
from zenoo_rpc.testing.emulator.orm.base import BaseModel

__all__ = ["IrModelData"]


class IrModelData(BaseModel):
    _name: ClassVar[str] = "ir.model.data"
    _description: ClassVar[str] = "Model Data"
    _order: ClassVar[str] = "module, model, name"

    name = fields.Char("External Identifier", required=True)
    complete_name = fields.Char("Complete ID", compute="_compute_complete_name", store=False)
    module = fields.Char("Module", required=True, default="")
    model = fields.Char("Model Name", required=True)
    res_id = fields.Integer("Record ID")
    noupdate = fields.Boolean("Non Updatable", default=False)

    def _compute_complete_name(self, ids: list[int]) -> dict[int, Any]:
        modules, names = self._table.columns["module"], self._table.columns["name"]
        return {rid: f"{modules[rid]}.{names[rid]}" for rid in ids}
