"""Sales (``sale.order`` / ``sale.order.line``) with amounts computed from the lines.

Taxes are simplified to one 15 % rate on every line (the rate of Odoo's US
demo tax); amounts are rounded to cents like the company currency.
"""

from __future__ import annotations

from typing import Any, ClassVar

from zenoo_rpc.testing.emulator.exceptions import UserError
from zenoo_rpc.testing.emulator.orm import api, fields
from zenoo_rpc.testing.emulator.orm.base import BaseModel
from zenoo_rpc.testing.emulator.orm.crud import now

from .mail import MailThread

__all__ = ["TAX_RATE", "SaleOrder", "SaleOrderLine"]

TAX_RATE = 0.15
STATES = [
    ("draft", "Quotation"),
    ("sent", "Quotation Sent"),
    ("sale", "Sales Order"),
    ("cancel", "Cancelled"),
]


class SaleOrder(MailThread):
    _name: ClassVar[str] = "sale.order"
    _description: ClassVar[str] = "Sales Order"
    _order: ClassVar[str] = "date_order desc, id desc"
    _company_rule: ClassVar[bool] = True

    name = fields.Char("Order Reference", required=True, default="New", copy=False)
    partner_id = fields.Many2one("res.partner", "Customer", required=True, ondelete="restrict")
    state = fields.Selection(STATES, "Status", default="draft", copy=False)
    date_order = fields.Datetime("Order Date", required=True, default=lambda model: now())
    validity_date = fields.Date("Expiration")
    client_order_ref = fields.Char("Customer Reference")
    note = fields.Html("Terms and conditions")
    user_id = fields.Many2one("res.users", "Salesperson", default=lambda model: model.env.uid)
    company_id = fields.Many2one("res.company", "Company", required=True, default=lambda model: 1)
    currency_id = fields.Many2one("res.currency", "Currency", default=lambda model: 1)
    order_line = fields.One2many("sale.order.line", "order_id", "Order Lines", copy=True)
    amount_untaxed = fields.Monetary(
        "Untaxed Amount", compute="_compute_amounts", store=True, readonly=True
    )
    amount_tax = fields.Monetary("Taxes", compute="_compute_amounts_tax", store=True, readonly=True)
    amount_total = fields.Monetary(
        "Total", compute="_compute_amounts_total", store=True, readonly=True
    )

    def _line_sums(self, ids: list[int]) -> dict[int, tuple[float, float]]:
        index = self.env.store.inverse_index("sale.order.line", "order_id")
        lines = self.env.store.tables["sale.order.line"]
        subtotal, tax = lines.columns["price_subtotal"], lines.columns["price_tax"]
        out = {}
        for rid in ids:
            members = index.get(rid, ())
            out[rid] = (
                round(sum(subtotal[i] or 0.0 for i in members), 2),
                round(sum(tax[i] or 0.0 for i in members), 2),
            )
        return out

    def _compute_amounts(self, ids: list[int]) -> dict[int, Any]:
        return {rid: sums[0] for rid, sums in self._line_sums(ids).items()}

    def _compute_amounts_tax(self, ids: list[int]) -> dict[int, Any]:
        return {rid: sums[1] for rid, sums in self._line_sums(ids).items()}

    def _compute_amounts_total(self, ids: list[int]) -> dict[int, Any]:
        return {rid: round(sums[0] + sums[1], 2) for rid, sums in self._line_sums(ids).items()}

    def _prepare_create(self, vals: dict[str, Any]) -> dict[str, Any]:
        if vals.get("name", "New") in ("New", False, None):
            vals["name"] = f"S{len(self._table.alive):05d}"
        return vals

    def _copy_defaults(self, rid: int) -> dict[str, Any]:
        return {"name": "New"}

    @api.records()
    def action_confirm(self) -> bool:
        self._check_access("write")
        ids = self._existing()
        states = self._values_for(self._fields["state"], ids)
        if any(state not in ("draft", "sent") for state in states):
            raise UserError("Some orders are not in a state requiring confirmation.")
        index = self.env.store.inverse_index("sale.order.line", "order_id")
        if any(not index.get(rid) for rid in ids):
            raise UserError("You cannot confirm a sales order without any order line.")
        self.browse(ids).write({"state": "sale"})
        return True

    @api.records()
    def action_cancel(self) -> bool:
        return bool(self.write({"state": "cancel"}))

    @api.records()
    def action_draft(self) -> bool:
        return bool(self.write({"state": "draft"}))

    @api.records()
    def action_preview_sale_order(self) -> dict[str, Any]:
        """The customer preview button: an ``ir.actions.act_url`` to the portal page."""
        ids = self._existing()
        if len(ids) != 1:
            raise ValueError(f"Expected singleton: {self._name}{tuple(self._ids)!r}")
        return {"type": "ir.actions.act_url", "target": "self", "url": f"/my/orders/{ids[0]}"}


class SaleOrderLine(BaseModel):
    _name: ClassVar[str] = "sale.order.line"
    _description: ClassVar[str] = "Sales Order Line"
    _order: ClassVar[str] = "order_id, sequence, id"

    order_id = fields.Many2one("sale.order", "Order Reference", required=True, ondelete="cascade")
    sequence = fields.Integer("Sequence", default=10)
    product_id = fields.Many2one("product.product", "Product", ondelete="restrict")
    name = fields.Text("Description", required=True)
    product_uom_qty = fields.Float("Quantity", digits=(16, 2), default=1.0)
    price_unit = fields.Float("Unit Price", digits=(16, 2), default=0.0)
    discount = fields.Float("Discount (%)", digits=(16, 2), default=0.0)
    price_subtotal = fields.Monetary(
        "Subtotal",
        compute="_compute_subtotal",
        store=True,
        readonly=True,
        depends=("product_uom_qty", "price_unit", "discount"),
    )
    price_tax = fields.Monetary(
        "Total Tax",
        compute="_compute_tax",
        store=True,
        readonly=True,
        depends=("product_uom_qty", "price_unit", "discount"),
    )
    price_total = fields.Monetary(
        "Total",
        compute="_compute_total",
        store=True,
        readonly=True,
        depends=("product_uom_qty", "price_unit", "discount"),
    )
    currency_id = fields.Many2one(
        "res.currency", "Currency", related="order_id.currency_id", store=False, readonly=True
    )
    state = fields.Selection(
        STATES, "Order Status", related="order_id.state", store=False, readonly=True
    )

    def _subtotals(self, ids: list[int]) -> dict[int, float]:
        cols = self._table.columns
        qty, price, discount = cols["product_uom_qty"], cols["price_unit"], cols["discount"]
        return {
            rid: round(
                (qty[rid] or 0.0) * (price[rid] or 0.0) * (1 - (discount[rid] or 0.0) / 100), 2
            )
            for rid in ids
        }

    def _compute_subtotal(self, ids: list[int]) -> dict[int, Any]:
        return dict(self._subtotals(ids))

    def _compute_tax(self, ids: list[int]) -> dict[int, Any]:
        return {rid: round(value * TAX_RATE, 2) for rid, value in self._subtotals(ids).items()}

    def _compute_total(self, ids: list[int]) -> dict[int, Any]:
        return {
            rid: round(value * (1 + TAX_RATE), 2) for rid, value in self._subtotals(ids).items()
        }

    def _prepare_create(self, vals: dict[str, Any]) -> dict[str, Any]:
        product = vals.get("product_id")
        if product:
            products = self.env.store.tables["product.product"]
            if products.exists(product):
                vals.setdefault("name", products.get(product, "name"))
                if "price_unit" not in vals or vals["price_unit"] in (0, 0.0, None):
                    vals["price_unit"] = products.get(product, "list_price")
        return vals

    def _onchange_values(self, values: dict[str, Any], changed: set[str]) -> dict[str, Any]:
        """A product sets the description and unit price; the amounts follow the line."""
        out: dict[str, Any] = {}
        product = values.get("product_id")
        products = self.env.store.tables["product.product"]
        if "product_id" in changed and isinstance(product, int) and products.exists(product):
            name = self.env["product.product"].sudo()._display_names([product])[product]
            description = products.get(product, "description_sale")
            out["name"] = f"{name}\n{description}" if description else name
            out["price_unit"] = products.get(product, "list_price") or 0.0
        if changed & {"product_id", "product_uom_qty", "price_unit", "discount"}:
            line = {**values, **out}
            subtotal = round(
                float(line.get("product_uom_qty") or 0.0)
                * float(line.get("price_unit") or 0.0)
                * (1 - float(line.get("discount") or 0.0) / 100),
                2,
            )
            out["price_subtotal"] = subtotal
            out["price_tax"] = round(subtotal * TAX_RATE, 2)
            out["price_total"] = round(subtotal * (1 + TAX_RATE), 2)
        return out

    def _orders_of(self, ids: list[int]) -> list[int]:
        col = self._table.columns["order_id"]
        return sorted({col[rid] for rid in ids if col[rid] is not None})

    def _on_written(self, ids: list[int], fnames: set[str], created: bool) -> None:
        self._refresh_orders(self._orders_of(ids))

    def _refresh_orders(self, order_ids: list[int]) -> None:
        orders = self.env["sale.order"]
        alive = [rid for rid in order_ids if orders._table.exists(rid)]
        if alive:
            assert isinstance(orders, BaseModel)
            orders._recompute(alive, None)

    @api.records()
    def unlink(self) -> bool:
        order_ids = self._orders_of([rid for rid in self._ids if self._table.exists(rid)])
        result = super().unlink()
        self._refresh_orders(order_ids)
        return result
