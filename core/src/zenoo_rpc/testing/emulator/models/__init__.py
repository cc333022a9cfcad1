"""The emulated Odoo models (what the ``base``, ``contacts``, ``product``, ``sale`` and
``stock`` and ``mail`` apps define, trimmed to the fields clients use)."""

from __future__ import annotations

from zenoo_rpc.testing.emulator.orm.model import ModelCore

from .ir_attachment import IrAttachment
from .ir_model_data import IrModelData
from .mail import MailMessage
from .product import ProductProduct
from .res_company import ResCompany, ResCurrency
from .res_country import ResCountry
from .res_partner import ResPartner, ResPartnerCategory
from .res_users import ResGroups, ResUsers
from .res_users_apikeys import ResUsersApikeys, ResUsersApikeysDescription, ResUsersIdentitycheck
from .sale import SaleOrder, SaleOrderLine
from .stock import StockPicking

__all__ = ["ALL_MODELS"]

#: Every model class a database registers (``_since`` filters them per version).
ALL_MODELS: tuple[type[ModelCore], ...] = (
    ResCurrency, ResCountry, ResCompany, ResPartnerCategory, ResPartner, ResGroups, ResUsers,
    ProductProduct, SaleOrder, SaleOrderLine, StockPicking, IrAttachment, MailMessage, IrModelData,
    ResUsersApikeys, ResUsersApikeysDescription, ResUsersIdentitycheck,
)  # fmt: skip
