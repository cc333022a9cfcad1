"""Deterministic demo data: the records of a fresh Odoo demo database, scaled by ``size``.

Rows are written straight into the tables (no ORM round trip per record) so
that ``size=100_000`` partners build in a few seconds. The fixed part mirrors
a real database: company "YourCompany", OdooBot (uid 1, archived),
Mitchell Admin (uid 2), the public user, Marc Demo and the restricted
``demo2``; ``size`` adds generated companies and their contacts.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from .models.res_country_data import COUNTRIES
from .orm.access import GROUPS
from .orm.registry import Registry

__all__ = ["DEMO_EPOCH", "PLACEHOLDER_PNG", "USERS", "build_demo"]

#: Creation time of every seeded record (demo data must not depend on the clock).
DEMO_EPOCH = "2025-01-01 08:00:00"
#: A 1x1 PNG: every seeded company shares this one string, so images cost nothing.
PLACEHOLDER_PNG = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQ"
    "AAAABJRU5ErkJggg=="
)
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
_FIXED_PARTNERS: tuple[tuple[str, int | None, bool, str | None], ...] = (
    ("YourCompany", None, True, "info@yourcompany.com"),
    ("OdooBot", None, False, "odoobot@example.com"),
    ("Mitchell Admin", 1, False, "admin@yourcompany.example.com"),
    ("Public user", None, False, None),
    ("Marc Demo", 1, False, "mark.brown23@example.com"),
    ("Demo Two (limited)", None, False, "demo2@example.com"),
)
_COMPANY_NAMES = (
    "Azure Interior", "Deco Addict", "Gemini Furniture", "Ready Mat", "Wood Corner",
    "Lumber Inc", "Acme Corporation", "Jackson Group", "The Jackson Group", "Bluewave Design",
)  # fmt: skip
_ADJECTIVES = (
    "Blue",
    "Swift",
    "Golden",
    "Silent",
    "Bright",
    "Urban",
    "Polar",
    "Royal",
    "Green",
    "Iron",
    "Crystal",
    "Solar",
)
_NOUNS = (
    "Works",
    "Studio",
    "Furniture",
    "Supplies",
    "Logistics",
    "Interiors",
    "Labs",
    "Trading",
    "Systems",
    "Foods",
    "Textiles",
    "Partners",
)
_FIRST = (
    "Brandon",
    "Colleen",
    "Nicole",
    "Addison",
    "Douglas",
    "Floyd",
    "Billy",
    "Edwin",
    "Jesse",
    "Oscar",
    "Lorraine",
    "Theodore",
    "Kim",
    "Toni",
    "Ayaan",
    "Élodie",
    "José",
    "Zoë",
    "Mark",
    "Soren",
)
_LAST = (
    "Freeman",
    "Diaz",
    "Ford",
    "Olson",
    "Fletcher",
    "Steward",
    "Fox",
    "Hansen",
    "Brown",
    "Jimenez",
    "Rhodes",
    "Gardner",
    "Ross",
    "Smith",
    "Parker",
    "Müller",
    "Dubois",
    "García",
    "Khan",
    "Novak",
)
_COUNTRY_POOL = (233,) * 12 + (20, 20, 75, 75, 203, 128, 139, 57, None)
_CITIES = (
    "Fremont",
    "San Francisco",
    "Tracy",
    "Chicago",
    "Brussels",
    "Paris",
    "Vaduz",
    "San Marino",
    "Podgorica",
    "Berlin",
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
_PRODUCTS = (
    ("FURN_0001", "Office Chair", 70.0), ("FURN_0002", "Office Desk", 450.0),
    ("FURN_0003", "Drawer", 110.5), ("FURN_0004", "Large Cabinet", 320.0),
    ("FURN_0005", "Storage Box", 15.8), ("FURN_0006", "Corner Desk Right Sit", 147.0),
    ("FURN_0007", "Large Desk", 1799.0), ("FURN_0008", "Desk Combination", 450.0),
    ("FURN_0009", "Pedal Bin", 47.0), ("FURN_0010", "Cable Management Box", 100.0),
    ("FURN_0011", "Conference Chair", 33.0), ("FURN_0012", "Acoustic Bloc Screens", 295.0),
    ("FURN_0013", "Three-Seat Sofa", 1500.0), ("FURN_0014", "Flipover", 1950.0),
    ("FURN_0015", "Monitor Stand", 3.19), ("FURN_0016", "Whiteboard Pen", 1.2),
    ("SERV_0001", "Virtual Home Staging", 38.25), ("SERV_0002", "Customized Service", 50.0),
    ("E-COM01", "Warranty", 20.0), ("E-COM02", "Archived Lamp", 12.0),
)  # fmt: skip


def _base(values: dict[str, Any], uid: int = 1) -> dict[str, Any]:
    return {
        "create_date": DEMO_EPOCH,
        "write_date": DEMO_EPOCH,
        "create_uid": uid,
        "write_uid": uid,
        **values,
    }


def build_demo(registry: Registry, *, size: int = 10, seed: int = 0) -> None:
    """Fill an empty registry with the fixed records plus ``size`` generated partners."""
    rng = random.Random(seed)
    tables = registry.store.tables
    tables["res.currency"].insert(
        _base(
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
        _base(
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
        countries.insert(_base({"code": code, "name": name}), rid)
    groups = tables["res.groups"]
    group_ids = {g.xmlid: groups.insert(_base({"name": g.name, "xmlid": g.xmlid})) for g in GROUPS}
    tables["res.company"].insert(
        _base(
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
    for pos, (name, parent, is_company, email) in enumerate(_FIXED_PARTNERS, start=1):
        active = pos not in (2, 4)
        complete = f"{_FIXED_PARTNERS[parent - 1][0]}, {name}" if parent else name
        partners.insert(
            _base(
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
            _base(
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
                    "email": _FIXED_PARTNERS[partner - 1][3],
                    group_column: tuple(group_ids[x] for x in xmlids),
                }
            ),
            uid,
        )
    category_ids = [
        tables["res.partner.category"].insert(_base({"name": name, "color": i, "active": True}))
        for i, name in enumerate(_CATEGORIES)
    ]
    _partners(registry, rng, size, category_ids)
    _products_and_sales(registry, rng, size)
    _xmlids(registry, group_ids)


def _partners(registry: Registry, rng: random.Random, size: int, category_ids: list[int]) -> None:
    partners = registry.store.tables["res.partner"]
    company_id, company_name, number = None, "", 0
    for index in range(size):
        is_company = index % 5 == 0
        country = rng.choice(_COUNTRY_POOL)
        if is_company:
            number += 1
            name = (
                _COMPANY_NAMES[number - 1]
                if number <= len(_COMPANY_NAMES)
                else f"{rng.choice(_ADJECTIVES)} {rng.choice(_NOUNS)} {number}"
            )
            parent, complete = None, name
            email = f"info{number}@{name.lower().replace(' ', '-')}.example.com"
        else:
            name = f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"
            parent, complete = company_id, f"{company_name}, {name}"
            email = f"{name.lower().replace(' ', '.')}{index}@example.com"
        rid = partners.insert(
            _base(
                {
                    "name": name,
                    "complete_name": complete,
                    "parent_id": parent,
                    "is_company": is_company,
                    "email": email if index % 7 else None,
                    "phone": f"+1 555 {index:06d}" if index % 3 else None,
                    "country_id": country,
                    "city": rng.choice(_CITIES) if country else None,
                    "street": f"{rng.randint(1, 9999)} Main Street",
                    "zip": f"{rng.randint(1000, 99999)}",
                    "type": "contact",
                    "lang": "en_US",
                    "active": index % 23 != 22,
                    "customer_rank": rng.choice((0, 0, 1, 2, 5)),
                    "supplier_rank": rng.choice((0, 0, 1)),
                    "category_id": tuple(sorted(rng.sample(category_ids, rng.randint(0, 2)))),
                    "image_1920": PLACEHOLDER_PNG if is_company else None,
                    "image_128": PLACEHOLDER_PNG if is_company else None,
                    "partner_latitude": 0.0,
                    "partner_longitude": 0.0,
                    "color": 0,
                },
                uid=2,
            )
        )
        if is_company:
            company_id, company_name = rid, name


def _products_and_sales(registry: Registry, rng: random.Random, size: int) -> None:
    tables = registry.store.tables
    products = tables["product.product"]
    product_ids = [
        products.insert(
            _base(
                {
                    "default_code": code,
                    "name": name,
                    "list_price": price,
                    "standard_price": price / 2,
                    "type": "service" if code.startswith("SERV") else "consu",
                    "sale_ok": True,
                    "active": code != "E-COM02",
                }
            )
        )
        for code, name, price in _PRODUCTS
    ]
    orders, lines = tables["sale.order"], tables["sale.order.line"]
    first_partner = len(_FIXED_PARTNERS) + 1
    customers = [first_partner + i for i in range(0, size, 5)] or [1]
    start = dt.datetime(2024, 1, 3, 9, 0, 0)
    for number in range(1, min(max(size // 2, 5), 2000) + 1):
        state = rng.choice(("draft", "draft", "sent", "sale", "sale", "sale", "cancel"))
        when = start + dt.timedelta(days=rng.randint(0, 540), minutes=rng.randint(0, 600))
        order = orders.insert(
            _base(
                {
                    "name": f"S{number:05d}",
                    "partner_id": rng.choice(customers),
                    "state": state,
                    "date_order": when.isoformat(sep=" "),
                    "user_id": rng.choice((2, 4)),
                    "company_id": 1,
                    "currency_id": 1,
                },
                uid=2,
            )
        )
        untaxed = tax = 0.0
        for sequence in range(rng.randint(1, 4)):
            product = rng.choice(product_ids[:-1])
            qty = float(rng.randint(1, 10))
            price = products.get(product, "list_price")
            subtotal = round(qty * price, 2)
            line_tax = round(subtotal * 0.15, 2)
            lines.insert(
                _base(
                    {
                        "order_id": order,
                        "sequence": 10 + sequence,
                        "product_id": product,
                        "name": products.get(product, "name"),
                        "product_uom_qty": qty,
                        "price_unit": price,
                        "discount": 0.0,
                        "price_subtotal": subtotal,
                        "price_tax": line_tax,
                        "price_total": round(subtotal + line_tax, 2),
                    },
                    uid=2,
                )
            )
            untaxed, tax = untaxed + subtotal, tax + line_tax
        orders.set(order, "amount_untaxed", round(untaxed, 2))
        orders.set(order, "amount_tax", round(tax, 2))
        orders.set(order, "amount_total", round(untaxed + tax, 2))


def _xmlids(registry: Registry, group_ids: dict[str, int]) -> None:
    data = registry.store.tables["ir.model.data"]

    def add(xmlid: str, model: str, res_id: int) -> None:
        module, name = xmlid.split(".", 1)
        data.insert(
            _base(
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
