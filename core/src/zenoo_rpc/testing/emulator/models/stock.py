"""Transfers (``stock.picking``): the deliveries and receipts ``stock`` and ``sale_stock`` make.

Trimmed to the picking itself: no moves, locations or operation types, so the
type's ``code`` is stored on the picking (Odoo relates it from
``picking_type_id.code``) and the state follows the buttons, not the moves.
Like Odoo, a picking has no ``active`` field: every transfer is always searched.
"""

from __future__ import annotations

from typing import Any, ClassVar

from zenoo_rpc.testing.emulator.exceptions import UserError
from zenoo_rpc.testing.emulator.orm import api, fields
from zenoo_rpc.testing.emulator.orm.crud import now

from .mail import MailThread

__all__ = ["PICKING_PREFIXES", "PICKING_STATES", "PICKING_TYPE_CODES", "StockPicking"]

PICKING_STATES = [
    ("draft", "Draft"),
    ("waiting", "Waiting Another Operation"),
    ("confirmed", "Waiting"),
    ("assigned", "Ready"),
    ("done", "Done"),
    ("cancel", "Cancelled"),
]
PICKING_TYPE_CODES = [
    ("incoming", "Receipt"),
    ("outgoing", "Delivery"),
    ("internal", "Internal Transfer"),
]
#: Reference prefix per operation type (the demo warehouse ``WH``'s sequences).
PICKING_PREFIXES = {"incoming": "WH/IN/", "outgoing": "WH/OUT/", "internal": "WH/INT/"}


class StockPicking(MailThread):
    _name: ClassVar[str] = "stock.picking"
    _description: ClassVar[str] = "Transfer"
    _order: ClassVar[str] = "scheduled_date asc, id desc"
    _company_rule: ClassVar[bool] = True

    name = fields.Char("Reference", default="/", copy=False, readonly=True)
    origin = fields.Char("Source Document", help="Reference of the document", copy=False)
    partner_id = fields.Many2one("res.partner", "Contact")
    state = fields.Selection(PICKING_STATES, "Status", default="draft", copy=False, readonly=True)
    scheduled_date = fields.Datetime("Scheduled Date", required=True, default=lambda model: now())
    date_done = fields.Datetime("Date of Transfer", copy=False, readonly=True)
    picking_type_code = fields.Selection(
        PICKING_TYPE_CODES, "Type of Operation", required=True, default="outgoing"
    )
    company_id = fields.Many2one("res.company", "Company", required=True, default=lambda model: 1)
    sale_id = fields.Many2one("sale.order", "Sales Order")
    user_id = fields.Many2one("res.users", "Responsible", default=lambda model: model.env.uid)

    def _prepare_create(self, vals: dict[str, Any]) -> dict[str, Any]:
        if vals.get("name", "/") in ("/", False, None):
            code = vals.get("picking_type_code") or "outgoing"
            codes = self._table.columns["picking_type_code"]
            number = sum(1 for rid in self._table if codes[rid] == code) + 1
            vals["name"] = f"{PICKING_PREFIXES.get(code, 'WH/')}{number:05d}"
        return vals

    def _set_state(self, allowed: tuple[str, ...], state: str, message: str) -> bool:
        self._check_access("write")
        ids = self._existing()
        states = self._values_for(self._fields["state"], ids)
        if any(current not in allowed for current in states):
            raise UserError(message)
        vals: dict[str, Any] = {"state": state}
        if state == "done":
            vals["date_done"] = now()
        return bool(self.browse(ids).write(vals))

    @api.records()
    def action_confirm(self) -> bool:
        return self._set_state(
            ("draft",), "confirmed", "Only draft transfers can be marked as to do."
        )

    @api.records()
    def action_assign(self) -> bool:
        return self._set_state(
            ("confirmed", "waiting", "assigned"),
            "assigned",
            "Nothing to check the availability for.",
        )

    @api.records()
    def button_validate(self) -> bool:
        return self._set_state(
            ("draft", "confirmed", "waiting", "assigned"),
            "done",
            "You cannot validate a transfer if no quantities are reserved or done.",
        )

    @api.records()
    def action_cancel(self) -> bool:
        return self._set_state(
            ("draft", "waiting", "confirmed", "assigned", "cancel"),
            "cancel",
            "You cannot cancel a transfer that is done.",
        )
