"""Access rights: which groups may read / write / create / delete which model.

A trimmed copy of the ``ir.model.access`` rows of an Odoo database with the
sale, stock and account apps installed: enough to reproduce the refusals the
fixtures captured for the restricted user ``demo2`` (only ``base.group_user``),
with the group names each version prints in its AccessError.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from zenoo_rpc.testing.emulator.exceptions import AccessError

__all__ = ["ACL", "GROUPS", "Group", "access_error", "allowed"]

Operation = str  # "read" | "write" | "create" | "unlink"
OPERATIONS = ("read", "write", "create", "unlink")
_VERBS = {"read": "access", "write": "modify", "create": "create", "unlink": "delete"}


@dataclass(frozen=True)
class Group:
    xmlid: str
    name: str
    #: Full name ("Category/Name") as Odoo 16-18 print it, then as 19 prints it.
    full_name_18: str
    full_name_19: str

    def full_name(self, version: int) -> str:
        return self.full_name_19 if version >= 19 else self.full_name_18


GROUPS: tuple[Group, ...] = (
    Group("base.group_user", "Internal User", "User types/Internal User", "Role / User"),
    Group("base.group_portal", "Portal", "User types/Portal", "Role / Portal"),
    Group("base.group_public", "Public", "User types/Public", "Role / Public"),
    Group("base.group_system", "Settings", "Administration/Settings", "Administration/Settings"),
    Group(
        "base.group_erp_manager", "Access Rights", "Administration/Access Rights", "Access Rights"
    ),
    Group(
        "base.group_partner_manager",
        "Contact Creation",
        "Extra Rights/Contact Creation",
        "Contact/Creation",
    ),
    Group(
        "sales_team.group_sale_salesman",
        "User: Own Documents Only",
        "Sales/User: Own Documents Only",
        "Sales/User: Own Documents Only",
    ),
    Group(
        "sales_team.group_sale_manager",
        "Administrator",
        "Sales/Administrator",
        "Sales/Administrator",
    ),
    Group("stock.group_stock_user", "User", "Inventory/User", "Inventory/User"),
    Group(
        "stock.group_stock_manager",
        "Administrator",
        "Inventory/Administrator",
        "Inventory/Administrator",
    ),
    Group(
        "account.group_account_invoice", "Invoicing", "Invoicing/Invoicing", "Accounting/Invoicing"
    ),
    Group(
        "account.group_account_readonly",
        "Show Accounting Features - Readonly",
        "Technical/Show Accounting Features - Readonly",
        "Show Accounting Features - Readonly",
    ),
    Group(
        "account.group_account_user",
        "Show Full Accounting Features",
        "Technical/Show Full Accounting Features",
        "Show Full Accounting Features",
    ),
)
GROUP_BY_XMLID = {group.xmlid: group for group in GROUPS}

_USER = ("base.group_user",)
_ADMIN = ("base.group_system", "base.group_erp_manager")
_SALE_READ = (
    "stock.group_stock_user", "account.group_account_invoice", "sales_team.group_sale_manager",
    "sales_team.group_sale_salesman", "account.group_account_readonly",
    "account.group_account_user", "base.group_portal",
)  # fmt: skip
_SALE_WRITE = ("sales_team.group_sale_salesman", "sales_team.group_sale_manager")
_STOCK_WRITE = ("stock.group_stock_user", "stock.group_stock_manager")
_STOCK_READ = (*_STOCK_WRITE, "sales_team.group_sale_salesman", "sales_team.group_sale_manager")
_PARTNER_WRITE = (
    "base.group_partner_manager", "stock.group_stock_manager", "sales_team.group_sale_manager",
)  # fmt: skip

#: model -> operation -> groups having that right. A model absent here is open
#: to internal users for every operation.
ACL: dict[str, dict[Operation, tuple[str, ...]]] = {
    "res.partner": {
        "read": (*_USER, "base.group_portal", "base.group_public"),
        "write": _PARTNER_WRITE,
        "create": _PARTNER_WRITE,
        "unlink": _PARTNER_WRITE,
    },
    "res.partner.category": {
        "read": _USER,
        "write": ("base.group_partner_manager",),
        "create": ("base.group_partner_manager",),
        "unlink": ("base.group_partner_manager",),
    },
    "res.users": {
        "read": _USER,
        "write": ("base.group_erp_manager",),
        "create": ("base.group_erp_manager",),
        "unlink": ("base.group_erp_manager",),
    },
    "res.groups": {
        "read": _USER,
        "write": ("base.group_erp_manager",),
        "create": ("base.group_erp_manager",),
        "unlink": ("base.group_erp_manager",),
    },
    "res.company": {
        "read": (*_USER, "base.group_portal", "base.group_public"),
        "write": ("base.group_erp_manager",),
        "create": ("base.group_erp_manager",),
        "unlink": ("base.group_erp_manager",),
    },
    "res.country": {
        "read": (*_USER, "base.group_portal", "base.group_public"),
        "write": ("base.group_system",),
        "create": ("base.group_system",),
        "unlink": ("base.group_system",),
    },
    "res.currency": {
        "read": _USER,
        "write": ("account.group_account_user",),
        "create": ("account.group_account_user",),
        "unlink": ("account.group_account_user",),
    },
    "product.product": {
        "read": _USER,
        "write": (*_SALE_WRITE, "stock.group_stock_manager"),
        "create": (*_SALE_WRITE, "stock.group_stock_manager"),
        "unlink": (*_SALE_WRITE, "stock.group_stock_manager"),
    },
    "sale.order": {
        "read": _SALE_READ,
        "write": _SALE_WRITE,
        "create": _SALE_WRITE,
        "unlink": ("sales_team.group_sale_manager",),
    },
    "sale.order.line": {
        "read": _SALE_READ,
        "write": _SALE_WRITE,
        "create": _SALE_WRITE,
        "unlink": _SALE_WRITE,
    },
    # no capture shows a refusal here: Odoo's stock rows, writes for Inventory users only
    "stock.picking": {
        "read": _STOCK_READ,
        "write": _STOCK_WRITE,
        "create": _STOCK_WRITE,
        "unlink": _STOCK_WRITE,
    },
    "ir.model.data": {"read": _USER, "write": _ADMIN, "create": _ADMIN, "unlink": _ADMIN},
}


def allowed(model: str, operation: Operation, groups: Iterable[str]) -> bool:
    """Whether a user holding ``groups`` may do ``operation`` on ``model``."""
    rights = ACL.get(model)
    if rights is None:
        return "base.group_user" in set(groups)
    return bool(set(rights.get(operation, ())) & set(groups))


def access_error(model: str, description: str, operation: Operation, version: int) -> AccessError:
    """The AccessError real Odoo raises, listing the groups that would be allowed."""
    rights = ACL.get(model, {}).get(operation, _USER)
    names = sorted(GROUP_BY_XMLID[xmlid].full_name(version) for xmlid in rights)
    lines = "\n".join(f"\t- {name}" for name in names)
    allowed_text = (
        f"This operation is allowed for the following groups:\n{lines}"
        if names
        else "No group currently allows this operation."
    )
    return AccessError(
        f"You are not allowed to {_VERBS[operation]} '{description}' ({model}) records.\n\n"
        f"{allowed_text}\n\nContact your administrator to request access if necessary."
    )
