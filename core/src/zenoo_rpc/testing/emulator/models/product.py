"""Products (``product.product``), flattened: no template/variant split."""

from __future__ import annotations

from typing import ClassVar

from zenoo_rpc.testing.emulator.orm import fields
from zenoo_rpc.testing.emulator.orm.base import BaseModel

__all__ = ["ProductProduct"]


class ProductProduct(BaseModel):
    _name: ClassVar[str] = "product.product"
    _description: ClassVar[str] = "Product Variant"
    _order: ClassVar[str] = "default_code, name, id"
    _rec_names_search: ClassVar[tuple[str, ...]] = ("name", "default_code")
    _company_rule: ClassVar[bool] = True

    name = fields.Char("Name", required=True)
    default_code = fields.Char("Internal Reference")
    list_price = fields.Float("Sales Price", digits=(16, 2), default=1.0)
    standard_price = fields.Float("Cost", digits=(16, 2), default=0.0)
    type = fields.Selection(
        [("consu", "Goods"), ("service", "Service"), ("combo", "Combo")],
        "Product Type",
        default="consu",
    )
    sale_ok = fields.Boolean("Can be Sold", default=True)
    description_sale = fields.Text("Sales Description")
    company_id = fields.Many2one("res.company", "Company")
    active = fields.Boolean("Active", default=True)

    def _compute_display_name(self, ids: list[int]) -> dict[int, object]:
        codes, names = self._table.columns["default_code"], self._table.columns["name"]
        return {
            rid: f"[{codes[rid]}] {names[rid]}" if codes[rid] else names[rid] or "" for rid in ids
        }
