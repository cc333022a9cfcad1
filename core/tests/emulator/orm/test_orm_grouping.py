"""read_group (lazy, multi, date:month), formatted_read_group (19) and the web readers."""

from __future__ import annotations

from collections import Counter
from typing import Any

from zenoo_rpc.testing.emulator.database import Database

ADMIN = 2


def test_read_group_lazy_counts_and_domains(db: Database) -> None:
    groups = db.call(
        ADMIN, "res.partner", "read_group", [[], ["country_id"], ["country_id"]], {"lazy": True}
    )
    rows = db.call(
        ADMIN, "res.partner", "search_read", [[]], {"fields": ["country_id"], "load": None}
    )
    expected = Counter(row["country_id"] for row in rows)
    assert {(g["country_id"] or [False])[0]: g["country_id_count"] for g in groups} == expected
    assert groups[-1]["country_id"] is False
    assert list(groups[0]) == ["country_id", "country_id_count", "__domain"]
    names = [g["country_id"][1] for g in groups if g["country_id"]]
    assert names == sorted(names)
    for group in groups:
        assert (
            db.call(ADMIN, "res.partner", "search_count", [group["__domain"]], {})
            == (group["country_id_count"])
        )


def test_read_group_multi_not_lazy(db: Database) -> None:
    groups = db.call(
        ADMIN,
        "res.partner",
        "read_group",
        [[("active", "=", True)], ["id:count", "customer_rank"], ["is_company", "country_id"]],
        {"lazy": False, "orderby": "is_company"},
    )
    assert [g["is_company"] for g in groups] == sorted(g["is_company"] for g in groups)
    first = groups[0]
    assert list(first)[:4] == ["is_company", "country_id", "__count", "id"]
    assert first["id"] == first["__count"]
    assert first["__domain"][:3] == ["&", "&", ["active", "=", True]]
    total = sum(g["customer_rank"] for g in groups)
    rows = db.call(ADMIN, "res.partner", "search_read", [[]], {"fields": ["customer_rank"]})
    assert total == sum(r["customer_rank"] for r in rows)
    lazy = db.call(ADMIN, "res.partner", "read_group", [[], [], ["is_company", "country_id"]], {})
    assert lazy[0]["__context"] == {"group_by": ["country_id"]}


def test_read_group_by_month_and_sum(db: Database) -> None:
    groups = db.call(
        ADMIN, "sale.order", "read_group", [[], ["amount_total:sum"], ["date_order:month"]], {}
    )
    orders = db.call(
        ADMIN, "sale.order", "search_read", [[]], {"fields": ["date_order", "amount_total"]}
    )
    per_month: Counter[str] = Counter(o["date_order"][:7] for o in orders)
    assert sum(g["date_order_count"] for g in groups) == len(orders)
    first = groups[0]
    month = first["__range"]["date_order:month"]["from"][:7]
    assert first["date_order_count"] == per_month[month]
    assert first["date_order:month"].endswith(month[:4])
    in_month = [o["amount_total"] for o in orders if o["date_order"].startswith(month)]
    assert first["amount_total"] == round(sum(in_month), 2)
    assert (
        db.call(ADMIN, "sale.order", "search_count", [first["__domain"]], {})
        == (first["date_order_count"])
    )


def test_formatted_read_group_19(make_db: Any) -> None:
    db = make_db(19, 30)
    groups = db.call_named(
        ADMIN,
        "sale.order",
        "formatted_read_group",
        {
            "domain": [],
            "groupby": ["state"],
            "aggregates": ["amount_total:sum", "__count"],
            "order": "state",
        },
    )
    assert [g["state"] for g in groups] == sorted(g["state"] for g in groups)
    first = groups[0]
    assert list(first) == ["state", "__extra_domain", "amount_total:sum", "__count"]
    assert first["__extra_domain"] == [["state", "=", first["state"]]]
    assert (
        db.call_named(ADMIN, "sale.order", "search_count", {"domain": first["__extra_domain"]})
        == first["__count"]
    )


def test_web_read_and_web_search_read(make_db: Any) -> None:
    db = make_db(19, 20)
    rows = db.call_named(
        ADMIN,
        "res.partner",
        "web_read",
        {
            "ids": [7],
            "specification": {
                "name": {},
                "country_id": {"fields": {"display_name": {}}},
                "parent_id": {},
                "child_ids": {"fields": {"name": {}}, "limit": 2},
            },
        },
    )
    assert rows[0]["id"] == 7
    assert rows[0]["name"] == "Azure Interior"
    assert set(rows[0]["country_id"]) == {"id", "display_name"}
    assert rows[0]["parent_id"] is False
    assert len(rows[0]["child_ids"]) == 2
    assert set(rows[0]["child_ids"][0]) == {"id", "name"}
    result = db.call_named(
        ADMIN,
        "res.partner",
        "web_search_read",
        {"domain": [("is_company", "=", True)], "specification": {"name": {}}, "limit": 2},
    )
    total = db.call_named(
        ADMIN, "res.partner", "search_count", {"domain": [("is_company", "=", True)]}
    )
    assert result["length"] == total > 2
    assert [set(r) for r in result["records"]] == [{"id", "name"}] * 2
