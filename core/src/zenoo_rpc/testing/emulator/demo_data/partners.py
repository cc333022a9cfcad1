"""Generated contacts: ``size`` partners, one company then four of its people, repeated."""

from __future__ import annotations

import random

from zenoo_rpc.testing.emulator.orm.registry import Registry

from .common import PLACEHOLDER_PNG, stamp

__all__ = ["build_partners"]

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


def build_partners(
    registry: Registry, rng: random.Random, size: int, category_ids: list[int]
) -> None:
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
            stamp(
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
