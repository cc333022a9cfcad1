"""Ready-made models of Odoo's common business objects, typed as Odoo 16-19 has them.

::

    from zenoo_rpc.models.common import ResPartner, SaleOrder

    orders = await client.model(SaleOrder).filter(state="sale").limit(50).all()
    for order in orders:
        print(order.name, order.partner_id.display_name, order.amount_total)

Each class declares the fields its module defines in every supported
version (``base`` for partners, users, companies, countries, currencies;
``product``, ``sale``, ``stock`` for the others), so a query reads a small,
known set of columns; fields that exist only in some versions say so
(``mobile`` is gone in Odoo 19, ``groups_id`` became ``group_ids``) and are
read only where they exist. As for models built from ``fields_get``, fields
that are computed on each read (``company_type``, ``country_code``...) and
the audit users are *lazy*: read with ``only(...)`` or ``record.fetch(...)``.
Need more fields? Subclass and declare them::

    class Partner(ResPartner):
        customer_rank = fields.IntegerField()     # from the account module

Importing this module registers nothing; :func:`register_common_models`
makes ``client.model("res.partner")`` use these classes.
"""

from __future__ import annotations

from typing import Literal

from zenoo_rpc.models import fields
from zenoo_rpc.models.base import OdooModel
from zenoo_rpc.models.registry import ModelRegistry, default_registry

__all__ = [
    "COMMON_MODELS",
    "AuditedModel",
    "ProductProduct",
    "ResCompany",
    "ResCountry",
    "ResCurrency",
    "ResGroups",
    "ResPartner",
    "ResPartnerCategory",
    "ResUsers",
    "SaleOrder",
    "SaleOrderLine",
    "StockPicking",
    "register_common_models",
]

SaleOrderState = Literal["draft", "sent", "sale", "cancel"]
PickingState = Literal["draft", "waiting", "confirmed", "assigned", "done", "cancel"]


class AuditedModel(OdooModel):
    """Who created and last changed a record, and when (every Odoo model has these).

    The dates are read by default; the users are lazy (each costs the server a
    display name per record, and few reads need them): ``only(...)`` or
    ``await record.fetch("create_uid")`` reads them.
    """

    __slots__ = ()

    create_uid = fields.Many2oneField["ResUsers"](
        "res.users", string="Created by", readonly=True, lazy=True
    )
    create_date = fields.DatetimeField(string="Created on", readonly=True)
    write_uid = fields.Many2oneField["ResUsers"](
        "res.users", string="Last Updated by", readonly=True, lazy=True
    )
    write_date = fields.DatetimeField(string="Last Updated on", readonly=True)


class ResCurrency(AuditedModel):
    """A currency (``res.currency``)."""

    __slots__ = ()

    class Meta:
        model_name = "res.currency"

    name = fields.CharField(string="Currency", required=True)
    symbol = fields.CharField(string="Symbol", required=True)
    rounding = fields.FloatField(string="Rounding Factor")
    decimal_places = fields.IntegerField(string="Decimal Places", readonly=True)
    position = fields.SelectionField[Literal["after", "before"]](string="Symbol Position")
    active = fields.BooleanField(string="Active")


class ResCountry(AuditedModel):
    """A country (``res.country``)."""

    __slots__ = ()

    class Meta:
        model_name = "res.country"

    name = fields.CharField(string="Country Name", required=True)
    code = fields.CharField(string="Country Code", max_length=2)
    phone_code = fields.IntegerField(string="Country Calling Code")
    currency_id = fields.Many2oneField["ResCurrency"]("res.currency", string="Currency")


class ResPartnerCategory(AuditedModel):
    """A partner tag (``res.partner.category``)."""

    __slots__ = ()

    class Meta:
        model_name = "res.partner.category"

    name = fields.CharField(string="Name", required=True)
    color = fields.IntegerField(string="Color")
    parent_id = fields.Many2oneField["ResPartnerCategory"](
        "res.partner.category", string="Parent Category"
    )
    active = fields.BooleanField(string="Active")


class ResPartner(AuditedModel):
    """A contact: a company or a person (``res.partner``, fields of the ``base`` module)."""

    __slots__ = ()

    class Meta:
        model_name = "res.partner"

    name = fields.CharField(string="Name")
    complete_name = fields.CharField(string="Complete Name", readonly=True)
    ref = fields.CharField(string="Reference")
    lang = fields.SelectionField(string="Language")
    tz = fields.SelectionField(string="Timezone")
    user_id = fields.Many2oneField["ResUsers"]("res.users", string="Salesperson")
    vat = fields.CharField(string="Tax ID")
    website = fields.CharField(string="Website Link")
    comment = fields.HtmlField(string="Notes")
    category_id = fields.Many2manyField["ResPartnerCategory"]("res.partner.category", string="Tags")
    active = fields.BooleanField(string="Active")
    function = fields.CharField(string="Job Position")
    type = fields.SelectionField[Literal["contact", "invoice", "delivery", "other"]](
        string="Address Type"
    )
    street = fields.CharField(string="Street")
    street2 = fields.CharField(string="Street2")
    zip = fields.CharField(string="Zip")
    city = fields.CharField(string="City")
    country_id = fields.Many2oneField["ResCountry"]("res.country", string="Country")
    country_code = fields.CharField(string="Country Code", readonly=True, lazy=True)
    email = fields.CharField(string="Email")
    phone = fields.CharField(string="Phone")
    mobile = fields.CharField(string="Mobile", until=18)
    is_company = fields.BooleanField(string="Is a Company")
    company_type = fields.SelectionField[Literal["person", "company"]](
        string="Company Type", lazy=True
    )
    parent_id = fields.Many2oneField["ResPartner"]("res.partner", string="Related Company")
    parent_name = fields.CharField(string="Parent name", readonly=True, lazy=True)
    child_ids = fields.One2manyField["ResPartner"](
        "res.partner", inverse_name="parent_id", string="Contact"
    )
    company_id = fields.Many2oneField["ResCompany"]("res.company", string="Company")
    color = fields.IntegerField(string="Color Index")
    user_ids = fields.One2manyField["ResUsers"](
        "res.users", inverse_name="partner_id", string="Users"
    )
    partner_latitude = fields.FloatField(string="Geo Latitude", digits=(10, 7))
    partner_longitude = fields.FloatField(string="Geo Longitude", digits=(10, 7))
    image_1920 = fields.BinaryField(string="Image")
    image_128 = fields.BinaryField(string="Image 128", readonly=True)


class ResCompany(AuditedModel):
    """A company (``res.company``); its address lives on its ``partner_id``."""

    __slots__ = ()

    class Meta:
        model_name = "res.company"

    name = fields.CharField(string="Company Name", required=True)
    sequence = fields.IntegerField(string="Sequence")
    partner_id = fields.Many2oneField["ResPartner"]("res.partner", string="Partner", required=True)
    parent_id = fields.Many2oneField["ResCompany"]("res.company", string="Parent Company")
    child_ids = fields.One2manyField["ResCompany"](
        "res.company", inverse_name="parent_id", string="Branches"
    )
    currency_id = fields.Many2oneField["ResCurrency"](
        "res.currency", string="Currency", required=True
    )
    email = fields.CharField(string="Email")
    phone = fields.CharField(string="Phone")
    country_id = fields.Many2oneField["ResCountry"]("res.country", string="Country")
    active = fields.BooleanField(string="Active")


class ResGroups(AuditedModel):
    """An access group (``res.groups``)."""

    __slots__ = ()

    class Meta:
        model_name = "res.groups"

    name = fields.CharField(string="Name", required=True)
    comment = fields.TextField(string="Comment")


class ResUsers(AuditedModel):
    """A user (``res.users``); every user is also a partner (``partner_id``)."""

    __slots__ = ()

    class Meta:
        model_name = "res.users"

    name = fields.CharField(string="Name", required=True)
    login = fields.CharField(string="Login", required=True)
    partner_id = fields.Many2oneField["ResPartner"](
        "res.partner", string="Related Partner", required=True
    )
    email = fields.CharField(string="Email")
    signature = fields.HtmlField(string="Email Signature")
    active = fields.BooleanField(string="Active")
    lang = fields.SelectionField(string="Language")
    tz = fields.SelectionField(string="Timezone")
    company_id = fields.Many2oneField["ResCompany"]("res.company", string="Company", required=True)
    company_ids = fields.Many2manyField["ResCompany"]("res.company", string="Companies")
    groups_id = fields.Many2manyField["ResGroups"]("res.groups", string="Groups", until=18)
    group_ids = fields.Many2manyField["ResGroups"]("res.groups", string="Groups", since=19)
    share = fields.BooleanField(string="Share User", readonly=True, lazy=True)


class ProductProduct(AuditedModel):
    """A product variant (``product.product``)."""

    __slots__ = ()

    class Meta:
        model_name = "product.product"

    name = fields.CharField(string="Name", required=True)
    default_code = fields.CharField(string="Internal Reference")
    list_price = fields.FloatField(string="Sales Price")
    standard_price = fields.FloatField(string="Cost")
    type = fields.SelectionField(string="Product Type")
    sale_ok = fields.BooleanField(string="Can be Sold")
    description_sale = fields.TextField(string="Sales Description")
    company_id = fields.Many2oneField["ResCompany"]("res.company", string="Company")
    active = fields.BooleanField(string="Active")


class SaleOrder(AuditedModel):
    """A quotation or sales order (``sale.order``)."""

    __slots__ = ()

    class Meta:
        model_name = "sale.order"

    name = fields.CharField(string="Order Reference", required=True)
    partner_id = fields.Many2oneField["ResPartner"]("res.partner", string="Customer", required=True)
    state = fields.SelectionField[SaleOrderState](string="Status")
    date_order = fields.DatetimeField(string="Order Date", required=True)
    validity_date = fields.DateField(string="Expiration")
    client_order_ref = fields.CharField(string="Customer Reference")
    note = fields.HtmlField(string="Terms and conditions")
    user_id = fields.Many2oneField["ResUsers"]("res.users", string="Salesperson")
    company_id = fields.Many2oneField["ResCompany"]("res.company", string="Company", required=True)
    currency_id = fields.Many2oneField["ResCurrency"]("res.currency", string="Currency")
    order_line = fields.One2manyField["SaleOrderLine"](
        "sale.order.line", inverse_name="order_id", string="Order Lines"
    )
    amount_untaxed = fields.MonetaryField(string="Untaxed Amount", readonly=True)
    amount_tax = fields.MonetaryField(string="Taxes", readonly=True)
    amount_total = fields.MonetaryField(string="Total", readonly=True)


class SaleOrderLine(AuditedModel):
    """A line of a sales order (``sale.order.line``)."""

    __slots__ = ()

    class Meta:
        model_name = "sale.order.line"

    order_id = fields.Many2oneField["SaleOrder"](
        "sale.order", string="Order Reference", required=True
    )
    sequence = fields.IntegerField(string="Sequence")
    product_id = fields.Many2oneField["ProductProduct"]("product.product", string="Product")
    name = fields.TextField(string="Description", required=True)
    product_uom_qty = fields.FloatField(string="Quantity")
    price_unit = fields.FloatField(string="Unit Price")
    discount = fields.FloatField(string="Discount (%)")
    price_subtotal = fields.MonetaryField(string="Subtotal", readonly=True)
    price_tax = fields.FloatField(string="Total Tax", readonly=True)
    price_total = fields.MonetaryField(string="Total", readonly=True)
    currency_id = fields.Many2oneField["ResCurrency"](
        "res.currency", string="Currency", readonly=True
    )
    state = fields.SelectionField[SaleOrderState](string="Order Status", readonly=True)


class StockPicking(AuditedModel):
    """A transfer: a delivery, a receipt or an internal move (``stock.picking``)."""

    __slots__ = ()

    class Meta:
        model_name = "stock.picking"

    name = fields.CharField(string="Reference")
    origin = fields.CharField(string="Source Document")
    partner_id = fields.Many2oneField["ResPartner"]("res.partner", string="Contact")
    state = fields.SelectionField[PickingState](string="Status", readonly=True)
    scheduled_date = fields.DatetimeField(string="Scheduled Date", required=True)
    date_done = fields.DatetimeField(string="Date of Transfer", readonly=True)
    picking_type_code = fields.SelectionField[Literal["incoming", "outgoing", "internal"]](
        string="Type of Operation"
    )
    company_id = fields.Many2oneField["ResCompany"]("res.company", string="Company", required=True)
    sale_id = fields.Many2oneField["SaleOrder"]("sale.order", string="Sales Order")
    user_id = fields.Many2oneField["ResUsers"]("res.users", string="Responsible")


#: Every model of this module, for :func:`register_common_models`.
COMMON_MODELS: tuple[type[OdooModel], ...] = (
    ResCurrency,
    ResCountry,
    ResPartnerCategory,
    ResPartner,
    ResCompany,
    ResGroups,
    ResUsers,
    ProductProduct,
    SaleOrder,
    SaleOrderLine,
    StockPicking,
)


def register_common_models(registry: ModelRegistry | None = None) -> None:
    """Register every model of this module (in ``registry``, or the default registry)."""
    target = registry if registry is not None else default_registry
    for model in COMMON_MODELS:
        target.register(model._odoo_model_name, model)
