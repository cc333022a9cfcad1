"""Companies and currencies (``res.company``, ``res.currency``)."""

from __future__ import annotations

from typing import Any, ClassVar

from zenoo_rpc.testing.emulator.orm import fields
from zenoo_rpc.testing.emulator.orm.base import BaseModel

__all__ = ["ResCompany", "ResCurrency"]


class ResCurrency(BaseModel):
    _name: ClassVar[str] = "res.currency"
    _description: ClassVar[str] = "Currency"
    _order: ClassVar[str] = "active desc, name"

    name = fields.Char("Currency", required=True)
    symbol = fields.Char("Symbol", required=True)
    rounding = fields.Float("Rounding Factor", default=0.01)
    decimal_places = fields.Integer("Decimal Places", default=2)
    position = fields.Selection(
        [("after", "After Amount"), ("before", "Before Amount")], "Symbol Position", default="after"
    )
    active = fields.Boolean("Active", default=True)


class ResCompany(BaseModel):
    """A company; creating one creates its partner, like Odoo's ``_inherits``."""

    _name: ClassVar[str] = "res.company"
    _description: ClassVar[str] = "Companies"
    _order: ClassVar[str] = "sequence, name"
    _parent_name: ClassVar[str | None] = "parent_id"

    name = fields.Char("Company Name", required=True)
    sequence = fields.Integer("Sequence", default=10)
    partner_id = fields.Many2one("res.partner", "Partner", required=True, ondelete="restrict")
    parent_id = fields.Many2one("res.company", "Parent Company")
    child_ids = fields.One2many("res.company", "parent_id", "Branches")
    currency_id = fields.Many2one(
        "res.currency", "Currency", required=True, default=lambda model: 1
    )
    email = fields.Char("Email")
    phone = fields.Char("Phone")
    country_id = fields.Many2one("res.country", "Country")
    active = fields.Boolean("Active", default=True)

    def _prepare_create(self, vals: dict[str, Any]) -> dict[str, Any]:
        if not vals.get("partner_id"):
            partner = (
                self.env["res.partner"]
                .sudo()
                .create({"name": vals.get("name"), "is_company": True, "email": vals.get("email")})
            )
            vals["partner_id"] = partner.ids[0]
        return vals
