"""The fixed records of every demo database: currencies, countries, groups, the company,
the system users (OdooBot, Mitchell Admin, public, Marc Demo, ``demo2``) and their xmlids."""

from __future__ import annotations

from zenoo_rpc.testing.emulator.models.res_country_data import COUNTRIES
from zenoo_rpc.testing.emulator.orm.access import GROUPS
from zenoo_rpc.testing.emulator.orm.registry import Registry

from .common import PLACEHOLDER_PNG, stamp

__all__ = ["FIXED_PARTNERS", "USERS", "build_fixed"]

_ALL_GROUPS = tuple(group.xmlid for group in GROUPS if group.xmlid not in (
    "base.group_portal", "base.group_public"))  # fmt: skip

#: (uid, login, password, name, partner id, active, groups)
USERS: tuple[tuple[int, str, str | None, str, int, bool, tuple[str, ...]], ...] = (
    (1, "__system__", None, "OdooBot", 2, False, _ALL_GROUPS),
    (2, "admin", "admin", "Mitchell Admin", 3, True, _ALL_GROUPS),
    (3, "public", None, "Public user", 4, False, ("base.group_public",)),
    (
        4,
        "demo",
        "demo",
        "Marc Demo",
        5,
        True,
        ("base.group_user", "sales_team.group_sale_salesman"),
    ),
    (5, "demo2", "demo2", "Demo Two (limited)", 6, True, ("base.group_user",)),
)
FIXED_PARTNERS: tuple[tuple[str, int | None, bool, str | None], ...] = (
    ("YourCompany", None, True, "info@yourcompany.com"),
    ("OdooBot", None, False, "odoobot@example.com"),
    ("Mitchell Admin", 1, False, "admin@yourcompany.example.com"),
    ("Public user", None, False, None),
    ("Marc Demo", 1, False, "mark.brown23@example.com"),
    ("Demo Two (limited)", None, False, "demo2@example.com"),
)
_CATEGORIES = (
    "Vendor",
    "Prospect",
    "Employees",
    "Office Supplies",
    "Desk Manufacturers",
    "Services",
    "Consulting Services",
)


def build_fixed(registry: Registry) -> list[int]:
    """Insert the fixed records; the ids of the partner tags they include."""
    tables = registry.store.tables
    tables["res.currency"].insert(
        stamp(
            {
                "name": "USD",
                "symbol": "$",
                "position": "before",
                "rounding": 0.01,
                "decimal_places": 2,
                "active": True,
            }
        )
    )
    tables["res.currency"].insert(
        stamp(
            {
                "name": "EUR",
                "symbol": "€",
                "position": "after",
                "rounding": 0.01,
                "decimal_places": 2,
                "active": True,
            }
        )
    )
    countries = tables["res.country"]
    for rid, code, name in COUNTRIES:
        countries.insert(stamp({"code": code, "name": name}), rid)
    groups = tables["res.groups"]
    group_ids = {g.xmlid: groups.insert(stamp({"name": g.name, "xmlid": g.xmlid})) for g in GROUPS}
    tables["res.company"].insert(
        stamp(
            {
                "name": "YourCompany",
                "partner_id": 1,
                "currency_id": 1,
                "sequence": 0,
                "country_id": 233,
                "active": True,
                "email": "info@yourcompany.com",
            }
        )
    )
    partners = tables["res.partner"]
    for pos, (name, parent, is_company, email) in enumerate(FIXED_PARTNERS, start=1):
        active = pos not in (2, 4)
        complete = f"{FIXED_PARTNERS[parent - 1][0]}, {name}" if parent else name
        partners.insert(
            stamp(
                {
                    "name": name,
                    "complete_name": complete,
                    "parent_id": parent,
                    "is_company": is_company,
                    "email": email,
                    "active": active,
                    "type": "contact",
                    "lang": "en_US",
                    "country_id": 233 if pos in (1, 3) else None,
                    "company_id": 1 if pos == 1 else None,
                    "tz": "Europe/Brussels",
                    "image_1920": PLACEHOLDER_PNG if is_company else None,
                    "image_128": PLACEHOLDER_PNG if is_company else None,
                }
            )
        )
    users = tables["res.users"]
    group_column = "group_ids" if registry.version >= 19 else "groups_id"
    for uid, login, password, name, partner, active, xmlids in USERS:
        users.insert(
            stamp(
                {
                    "login": login,
                    "password": password,
                    "name": name,
                    "partner_id": partner,
                    "active": active,
                    "company_id": 1,
                    "company_ids": (1,),
                    "lang": "en_US",
                    "tz": "Europe/Brussels",
                    "email": FIXED_PARTNERS[partner - 1][3],
                    group_column: tuple(group_ids[x] for x in xmlids),
                }
            ),
            uid,
        )
    category_ids = [
        tables["res.partner.category"].insert(stamp({"name": name, "color": i, "active": True}))
        for i, name in enumerate(_CATEGORIES)
    ]
    add_xmlids(registry, group_ids)
    return category_ids


def add_xmlids(registry: Registry, group_ids: dict[str, int]) -> None:
    data = registry.store.tables["ir.model.data"]

    def add(xmlid: str, model: str, res_id: int) -> None:
        module, name = xmlid.split(".", 1)
        data.insert(
            stamp(
                {
                    "module": module,
                    "name": name,
                    "model": model,
                    "res_id": res_id,
                    "noupdate": False,
                }
            )
        )

    for xmlid, rid in group_ids.items():
        add(xmlid, "res.groups", rid)
    add("base.main_company", "res.company", 1)
    add("base.main_partner", "res.partner", 1)
    add("base.partner_root", "res.partner", 2)
    add("base.partner_admin", "res.partner", 3)
    add("base.user_root", "res.users", 1)
    add("base.user_admin", "res.users", 2)
    add("base.public_user", "res.users", 3)
    add("base.user_demo", "res.users", 4)
    add("base.USD", "res.currency", 1)
    add("base.EUR", "res.currency", 2)
    for rid, code, _name in COUNTRIES:
        add(f"base.{code.lower()}", "res.country", rid)
