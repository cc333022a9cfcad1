"""Building queries: immutable, checked before anything is sent, compiled to Odoo's arguments."""

from __future__ import annotations

import pytest
from orm_harness import Harness

from zenoo_rpc.errors import DomainError, QueryError
from zenoo_rpc.models.common import ResPartner, SaleOrder
from zenoo_rpc.query import Q, QuerySet
from zenoo_rpc.query.ordering import order_terms
from zenoo_rpc.query.selection import default_fields, parse_prefetch, selected_fields


def test_order_by_terms() -> None:
    assert order_terms("-name", "id") == ("name desc", "id asc")
    assert order_terms("date_order DESC", "partner_id.name") == (
        "date_order desc",
        "partner_id.name asc",
    )
    assert order_terms("name asc nulls  last") == ("name asc nulls last",)
    for bad in ("name; drop table", "-name desc", "", "a,b", "name sideways"):
        with pytest.raises(QueryError):
            order_terms(bad)


async def test_building_sends_nothing_and_never_changes_the_query(harness18: Harness) -> None:
    base = harness18.client.model(ResPartner)
    narrowed = base.filter(is_company=True).order_by("-name").limit(5).offset(2)
    assert isinstance(narrowed, QuerySet)
    assert base.domain == []
    assert narrowed.domain == [("is_company", "=", True)]
    assert harness18.calls == []
    assert repr(narrowed) == (
        "<QuerySet res.partner domain=[('is_company', '=', True)] "
        "order='name desc' offset=2 limit=5>"
    )


async def test_filter_and_exclude_compile_to_one_prefix_domain(harness18: Harness) -> None:
    query = (
        harness18.client.model(ResPartner)
        .filter(Q(name__ilike="a") | Q(email__ilike="a"))
        .filter([("active", "=", True)], is_company=True)
        .exclude(country_id__code="BE")
    )
    assert query.domain == [
        "&",
        "&",
        "&",
        "|",
        ("name", "ilike", "a"),
        ("email", "ilike", "a"),
        ("active", "=", True),
        ("is_company", "=", True),
        "!",
        ("country_id.code", "=", "BE"),
    ]
    assert query.exclude() is query
    assert query.filter() is query


async def test_records_and_refs_filter_by_their_id(harness18: Harness) -> None:
    partner = await harness18.client.model(ResPartner).get(7)
    orders = harness18.client.model(SaleOrder).filter(partner_id=partner)
    assert orders.domain == [("partner_id", "=", 7)]
    got = await orders.all()
    assert got
    assert all(o.partner_id == partner for o in got)
    assert harness18.client.model(SaleOrder).filter(partner_id=got[0].partner_id).domain == [
        ("partner_id", "=", 7)
    ]


async def test_bad_arguments_raise_before_sending(harness18: Harness) -> None:
    query = harness18.client.model(ResPartner)
    with pytest.raises(QueryError):
        query.limit(-1)
    with pytest.raises(QueryError):
        query.limit(True)
    with pytest.raises(QueryError):
        query.offset(-3)
    with pytest.raises(QueryError):
        query.only("name", "bad name")
    with pytest.raises(QueryError):
        query.prefetch_related("order_line__")
    with pytest.raises(DomainError):
        query.filter([("name", "=")])
    with pytest.raises(QueryError, match="not a relational field"):
        await query.prefetch_related("name").all()
    with pytest.raises(QueryError, match="pages by id"):
        async for _ in query.order_by("name"):
            pass
    assert harness18.calls == []


def test_field_selection_rules() -> None:
    defaults = default_fields(ResPartner, 18)
    assert "image_1920" not in defaults
    assert "image_128" not in defaults
    assert "mobile" in defaults
    assert "mobile" not in default_fields(ResPartner, 19)
    assert "display_name" in defaults
    assert selected_fields(ResPartner, ("name", "name", "id"), (), {}, 18) == ["name"]
    assert "email" not in selected_fields(ResPartner, None, {"email"}, {}, 18)
    tree = parse_prefetch(["order_line__product_id", "order_line", "partner_id.country_id"])
    assert tree == {"order_line": {"product_id": {}}, "partner_id": {"country_id": {}}}
    assert selected_fields(SaleOrder, ("name",), (), tree, 18) == [
        "name",
        "order_line",
        "partner_id",
    ]
