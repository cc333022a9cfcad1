"""Contacts: ``res.partner`` (companies and their people) and ``res.partner.category``."""

from __future__ import annotations

from typing import Any, ClassVar

from zenoo_rpc.testing.emulator.exceptions import ValidationError
from zenoo_rpc.testing.emulator.orm import fields
from zenoo_rpc.testing.emulator.orm.base import BaseModel

from .mail import MailThread
from .timezones import TZ_HELP, TZ_SELECTION

__all__ = ["ResPartner", "ResPartnerCategory"]

ADDRESS_TYPES = [
    ("contact", "Contact"),
    ("invoice", "Invoice Address"),
    ("delivery", "Delivery Address"),
    ("other", "Other Address"),
]
ADDRESS_TYPES_19 = [
    ("contact", "Contact"),
    ("invoice", "Invoice"),
    ("delivery", "Delivery"),
    ("other", "Other"),
]


def _default_lang(model: Any) -> str:
    lang = model.env.context.get("lang")
    return lang if lang == "en_US" else "en_US"


class ResPartnerCategory(BaseModel):
    _name: ClassVar[str] = "res.partner.category"
    _description: ClassVar[str] = "Partner Tags"
    _order: ClassVar[str] = "name, id"
    _parent_name: ClassVar[str | None] = "parent_id"

    name = fields.Char("Name", required=True)
    color = fields.Integer("Color", default=0)
    parent_id = fields.Many2one("res.partner.category", "Parent Category", ondelete="cascade")
    active = fields.Boolean("Active", default=True)


class ResPartner(MailThread):
    _name: ClassVar[str] = "res.partner"
    _description: ClassVar[str] = "Contact"
    _order: ClassVar[str] = "complete_name ASC, id DESC"
    _rec_names_search: ClassVar[tuple[str, ...]] = ("complete_name", "email", "ref", "vat")
    _parent_name: ClassVar[str | None] = "parent_id"
    _company_rule: ClassVar[bool] = True

    name = fields.Char("Name")
    complete_name = fields.Char(
        "Complete Name",
        compute="_compute_complete_name",
        store=True,
        readonly=True,
        depends=("is_company", "name", "parent_id", "type"),
    )
    parent_id = fields.Many2one("res.partner", "Related Company")
    parent_name = fields.Char("Parent name", related="parent_id.name", store=False, readonly=True)
    child_ids = fields.One2many(
        "res.partner",
        "parent_id",
        "Contact",
        domain=[("active", "=", True)],
        context={"active_test": False},
    )
    ref = fields.Char("Reference")
    lang = fields.Selection(
        [("en_US", "English (US)")],
        "Language",
        default=_default_lang,
        help="All the emails and documents sent to this contact will be "
        "translated in this language.",
    )
    tz = fields.Selection(TZ_SELECTION, "Timezone", help=TZ_HELP)
    user_id = fields.Many2one(
        "res.users", "Salesperson", help="The internal user in charge of this contact."
    )
    vat = fields.Char(
        "Tax ID",
        help="The Tax Identification Number. Values here will be validated based on the country "
        "format. You can use '/' to indicate that the partner is not subject to tax.",
    )
    website = fields.Char("Website Link")
    comment = fields.Html("Notes")
    category_id = fields.Many2many("res.partner.category", "Tags")
    active = fields.Boolean("Active", default=True)
    function = fields.Char("Job Position")
    type = fields.Selection(
        ADDRESS_TYPES, "Address Type", default="contact", labels_19=ADDRESS_TYPES_19
    )
    street = fields.Char("Street")
    street2 = fields.Char("Street2")
    zip = fields.Char("Zip", change_default=True)
    city = fields.Char("City")
    country_id = fields.Many2one("res.country", "Country", ondelete="restrict")
    country_code = fields.Char(
        "Country Code",
        related="country_id.code",
        store=False,
        readonly=True,
        size=2,
        help="The ISO country code in two chars. \nYou can use this field for quick search.",
    )
    email = fields.Char("Email")
    phone = fields.Char("Phone")
    mobile = fields.Char("Mobile", until=18)
    is_company = fields.Boolean(
        "Is a Company",
        default=False,
        help="Check if the contact is a company, otherwise it is a person",
    )
    company_type = fields.Selection(
        [("person", "Individual"), ("company", "Company")],
        "Company Type",
        compute="_compute_company_type",
        store=False,
    )
    company_id = fields.Many2one("res.company", "Company")
    color = fields.Integer("Color Index", default=0)
    user_ids = fields.One2many("res.users", "partner_id", "Users")
    customer_rank = fields.Integer("Customer Rank", default=0)
    supplier_rank = fields.Integer("Supplier Rank", default=0)
    partner_latitude = fields.Float("Geo Latitude", digits=(10, 7), default=0.0)
    partner_longitude = fields.Float("Geo Longitude", digits=(10, 7), default=0.0)
    image_1920 = fields.Binary("Image")
    image_128 = fields.Binary(
        "Image 128",
        compute="_compute_image_128",
        store=True,
        readonly=True,
        depends=("image_1920",),
        related="image_1920",
    )
    sale_order_ids = fields.One2many("sale.order", "partner_id", "Sales Order")
    sale_order_count = fields.Integer(
        "Sale Order Count",
        compute="_compute_sale_order_count",
        store=False,
        groups="sales_team.group_sale_salesman",
    )
    properties = fields.Json("Properties", since=19)

    # -- computes -----------------------------------------------------------------
    def _compute_complete_name(self, ids: list[int]) -> dict[int, Any]:
        table = self._table
        names, parents = table.columns["name"], table.columns["parent_id"]
        companies, types = table.columns["is_company"], table.columns["type"]
        labels = dict(ADDRESS_TYPES_19 if self.env.version >= 19 else ADDRESS_TYPES)
        out: dict[int, Any] = {}
        for rid in ids:
            name = names[rid]
            parent = parents[rid]
            if parent is not None and table.exists(parent):
                if not name and types[rid] in ("invoice", "delivery", "other"):
                    name = labels[types[rid]]
                if not companies[rid]:
                    name = f"{names[parent] or ''}, {name or ''}"
            out[rid] = name or None
        return out

    def _compute_display_name(self, ids: list[int]) -> dict[int, Any]:
        col = self._table.columns["complete_name"]
        return {rid: col[rid] or "" for rid in ids}

    def _compute_company_type(self, ids: list[int]) -> dict[int, Any]:
        col = self._table.columns["is_company"]
        return {rid: "company" if col[rid] else "person" for rid in ids}

    def _compute_image_128(self, ids: list[int]) -> dict[int, Any]:
        col = self._table.columns["image_1920"]
        return {rid: col[rid] for rid in ids}

    def _compute_sale_order_count(self, ids: list[int]) -> dict[int, Any]:
        index = self.env.store.inverse_index("sale.order", "partner_id")
        return {rid: len(index.get(rid, ())) for rid in ids}

    # -- integrity ----------------------------------------------------------------
    def _on_written(self, ids: list[int], fnames: set[str], created: bool) -> None:
        if created or not fnames & {"name", "parent_id", "is_company", "type"}:
            return
        family = sorted(self._hierarchy(ids, down=True) - set(ids))
        if family:
            self._recompute(family, None)

    def _validate(self, ids: list[int], fnames: set[str]) -> None:
        table = self._table
        if "parent_id" in fnames:
            parents = table.columns["parent_id"]
            for rid in ids:
                seen, current = {rid}, parents[rid]
                while current is not None:
                    if current in seen:
                        raise ValidationError("You cannot create recursive Partner hierarchies.")
                    seen.add(current)
                    current = parents[current]
        names, types = table.columns["name"], table.columns["type"]
        for rid in ids:
            if types[rid] == "contact" and not names[rid]:
                raise ValidationError("The operation cannot be completed: Contacts require a name")

    def _copy_defaults(self, rid: int) -> dict[str, Any]:
        return {"name": f"{self._get(rid, 'name')} (copy)"}
