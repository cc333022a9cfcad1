"""The benchmark's workload, shared by the server and every client (stdlib only).

One ``search_read`` of 80 ``res.partner`` records with the fields a real app
asks for, about 50 KB of JSON, shaped like the Odoo 18 captures in
``shared/fixtures/odoo18`` (many2one as ``[id, name]``, ``false`` for empty
values, x2many as id lists, naive UTC datetimes as strings).
"""

from __future__ import annotations

import json
import random
from typing import Any

DB = "bench"
USER = "admin"
PASSWORD = "admin"
UID = 2
MODEL = "res.partner"
LIMIT = 80
FIELDS = [
    "id",
    "name",
    "display_name",
    "email",
    "phone",
    "is_company",
    "parent_id",
    "child_ids",
    "street",
    "city",
    "zip",
    "state_id",
    "country_id",
    "website",
    "vat",
    "lang",
    "function",
    "ref",
    "active",
    "category_id",
    "user_id",
    "company_id",
    "customer_rank",
    "comment",
    "write_date",
]

VERSION = {
    "server_version": "18.0",
    "server_version_info": [18, 0, 0, "final", 0, ""],
    "server_serie": "18.0",
    "protocol_version": 1,
}
CONTEXT = {"lang": "en_US", "tz": "Europe/Brussels", "uid": UID}

_FIRST = ["Azure", "Deco", "Gemini", "Ready", "Lumber", "Wood", "Acme", "Nova", "Blue", "Tiny"]
_LAST = ["Interior", "Addict", "Furniture", "Mat", "Inc", "Corner", "Works", "Systems", "Labs"]
_PEOPLE = ["Brandon Freeman", "Colleen Diaz", "Nicole Ford", "Oscar Morgan", "Jesse Brown"]
_CITIES = [
    ("Fremont", "94538"),
    ("Tracy", "95376"),
    ("Pleasant Hill", "94523"),
    ("Irvine", "92618"),
]
_STATES = [[13, "California (US)"], [27, "Nevada (US)"], [44, "Texas (US)"]]
_COMMENT = "<p>Prefers delivery before noon; invoices by email only, net 30 days.</p>"


def build_records(count: int = LIMIT, seed: int = 80) -> list[dict[str, Any]]:
    """``count`` partner records, the same on every run."""
    rng = random.Random(seed)
    records: list[dict[str, Any]] = []
    for index in range(count):
        pid = 7 + index * 3
        company = index % 3 == 0
        if company:
            name = f"{rng.choice(_FIRST)} {rng.choice(_LAST)} {index}"
            parent: Any = False
            display = name
        else:
            name = rng.choice(_PEOPLE)
            parent = [pid - 1, f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"]
            display = f"{parent[1]}, {name}"
        slug = name.lower().replace(" ", ".")
        city, zip_code = rng.choice(_CITIES)
        stamp = f"2026-11-{1 + index % 28:02d} {index % 24:02d}:{index % 60:02d}:0{index % 10}"
        records.append(
            {
                "id": pid,
                "name": name,
                "display_name": display,
                "email": f"{slug}{index}@example.com",
                "phone": f"+1 555-{rng.randrange(100, 999)}-{rng.randrange(1000, 9999)}",
                "is_company": company,
                "parent_id": parent,
                "child_ids": sorted(rng.sample(range(100, 400), 3)) if company else [],
                "street": f"{rng.randrange(1, 9999)} {rng.choice(_LAST)} Street",
                "city": city,
                "zip": zip_code,
                "state_id": rng.choice(_STATES),
                "country_id": [233, "United States"],
                "website": f"http://www.{slug}.example.com" if company else False,
                "vat": f"US{rng.randrange(10**8, 10**9)}" if company else False,
                "lang": "en_US",
                "function": False if company else "Purchase Manager",
                "ref": f"P{pid:05d}",
                "active": True,
                "category_id": sorted(rng.sample(range(1, 12), 2)),
                "user_id": [UID, "Mitchell Admin"] if index % 2 else False,
                "company_id": [1, "YourCompany"],
                "customer_rank": rng.randrange(0, 12),
                "comment": _COMMENT if index % 5 == 0 else False,
                "write_date": stamp,
            }
        )
    return records


def fields_get() -> dict[str, dict[str, Any]]:
    """A ``fields_get`` answer for :data:`FIELDS` (OdooRPC builds its model class from it)."""
    types = {
        "id": "integer",
        "is_company": "boolean",
        "active": "boolean",
        "parent_id": "many2one",
        "state_id": "many2one",
        "country_id": "many2one",
        "user_id": "many2one",
        "company_id": "many2one",
        "child_ids": "one2many",
        "category_id": "many2many",
        "customer_rank": "integer",
        "supplier_rank": "integer",
        "credit_limit": "float",
        "comment": "html",
        "create_date": "datetime",
        "write_date": "datetime",
        "company_type": "selection",
        "type": "selection",
    }
    relations = {
        "parent_id": "res.partner",
        "child_ids": "res.partner",
        "state_id": "res.country.state",
    }
    result: dict[str, dict[str, Any]] = {}
    for name in FIELDS:
        ftype = types.get(name, "char")
        spec: dict[str, Any] = {"type": ftype, "string": name.replace("_", " ").title()}
        if ftype in ("many2one", "one2many", "many2many"):
            spec["relation"] = relations.get(name, "res.partner.category")
        if ftype == "selection":
            spec["selection"] = [["contact", "Contact"], ["company", "Company"]]
        result[name] = spec
    return result


def records_json() -> bytes:
    """The records as Odoo's JSON encoder writes them (``", "`` and ``": "`` separators)."""
    return json.dumps(build_records()).encode()


if __name__ == "__main__":
    print(len(records_json()), "bytes for", LIMIT, "records")


def search_read_call(request_id: int) -> dict[str, Any]:
    """The JSON-RPC ``execute_kw`` envelope of the measured ``search_read`` (raw clients)."""
    kwargs = {"fields": FIELDS, "limit": LIMIT}
    return {
        "jsonrpc": "2.0",
        "method": "call",
        "id": request_id,
        "params": {
            "service": "object",
            "method": "execute_kw",
            "args": [DB, UID, PASSWORD, MODEL, "search_read", [[]], kwargs],
        },
    }
