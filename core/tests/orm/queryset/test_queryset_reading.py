"""Reading: one call per query on every version, and every terminal method's answer."""

from __future__ import annotations

from datetime import datetime

import pytest
from orm_harness import Harness, MakeHarness

from zenoo_rpc.errors import DoesNotExist, MultipleObjectsReturned, UnknownFieldError
from zenoo_rpc.models import Ref
from zenoo_rpc.models.common import ResPartner, SaleOrder
from zenoo_rpc.protocols.base import ServerVersion
from zenoo_rpc.query import Avg, Count, Max, Min, Q, Sum


def read_method(version: int) -> str:
    return "search_read" if version < 17 else "web_search_read"


async def test_filter_all_is_one_call_with_the_declared_fields(harness: Harness) -> None:
    version = harness.emulator.version
    partners = await (
        harness.client.model(ResPartner)
        .filter(Q(name__ilike="a") | Q(email__ilike="a"))
        .order_by("name")
        .limit(50)
        .all()
    )
    assert harness.methods == [f"res.partner.{read_method(version)}"]
    call = harness.calls[0]
    expected = {
        name for name, f in ResPartner._fields.items() if not f.lazy and f.available_in(version)
    }
    if version < 17:
        assert set(call.kwargs["fields"]) == expected
    else:
        assert set(call.kwargs["specification"]) == expected
        assert call.kwargs["specification"]["country_id"] == {"fields": {"display_name": {}}}
    ids = await harness.client.search(
        "res.partner",
        ["|", ("name", "ilike", "a"), ("email", "ilike", "a")],
        order="name",
        limit=50,
    )
    assert [p.id for p in partners] == ids
    assert all(isinstance(p, ResPartner) for p in partners)
    assert all(p.country_id is None or isinstance(p.country_id.display_name, str) for p in partners)


async def test_terminal_methods(harness: Harness) -> None:
    client = harness.client
    companies = client.model(ResPartner).filter(is_company=True)
    ids = await client.search("res.partner", [("is_company", "=", True)])
    assert await companies.ids() == ids
    assert await companies.count() == len(ids)
    assert await companies.limit(2).count() == 2
    assert await companies.offset(len(ids) - 1).limit(5).count() == 1
    assert await companies.exists()
    assert not await companies.filter(name="no such company").exists()
    assert not await companies.limit(0).exists()
    first = await companies.order_by("-id").first()
    assert first is not None
    assert first.id == max(ids)
    assert await companies.filter(id=-1).first() is None
    one = await companies.get(name=first.name)
    assert one == first
    assert (await client.model(ResPartner).get(first.id)) == first
    with pytest.raises(DoesNotExist) as missing:
        await companies.get(name="no such company")
    assert missing.value.model == "res.partner"
    with pytest.raises(MultipleObjectsReturned):
        await companies.get()


async def test_values_and_values_list(harness: Harness) -> None:
    query = harness.client.model(ResPartner).filter(is_company=True).order_by("id")
    rows = await query.values("name", "country_id", "child_ids")
    raw = await harness.client.search_read(
        "res.partner", [("is_company", "=", True)], ["name", "country_id", "child_ids"], order="id"
    )
    assert [row["id"] for row in rows] == [row["id"] for row in raw]
    for row, original in zip(rows, raw, strict=True):
        assert set(row) == {"id", "name", "country_id", "child_ids"}
        assert row["name"] == original["name"]
        assert row["child_ids"] == original["child_ids"]
        country = row["country_id"]
        assert (country.id if isinstance(country, Ref) else country) == (
            original["country_id"][0] if original["country_id"] else None
        )
    names = await query.values_list("name", flat=True)
    assert names == [row["name"] for row in raw]
    pairs = await query.values_list("id", "name")
    assert pairs == [(row["id"], row["name"]) for row in raw]
    everything = await query.limit(1).values()
    assert "display_name" in everything[0]
    assert "image_1920" not in everything[0]


async def test_only_and_defer_change_what_is_read(harness18: Harness) -> None:
    client = harness18.client
    partner = await client.model(ResPartner).only("name", "image_1920").get(7)
    assert set(harness18.calls[0].kwargs["specification"]) == {"name", "image_1920"}
    assert partner.image_1920 is None or isinstance(partner.image_1920, bytes)
    with pytest.raises(AttributeError, match="was not read"):
        _ = partner.email
    deferred = await client.model(ResPartner).defer("comment", "email").get(7)
    assert "comment" not in harness18.calls[-1].kwargs["specification"]
    with pytest.raises(AttributeError):
        _ = deferred.comment
    with pytest.raises(UnknownFieldError) as caught:
        await client.model(ResPartner).only("name", "no_such_field").all()
    assert caught.value.fields == ["no_such_field"]
    assert "declared on" not in str(caught.value)


async def test_with_context_reaches_the_calls_and_stays_with_the_records(
    harness18: Harness,
) -> None:
    client = harness18.client
    archived = await client.model(ResPartner).create(name="Archived Co", active=False)
    visible = await client.model(ResPartner).filter(name="Archived Co").all()
    assert visible == []
    query = client.model(ResPartner).with_context(active_test=False).filter(name="Archived Co")
    found = await query.all()
    assert found == [archived]
    assert harness18.calls[-1].context["active_test"] is False
    assert found[0].client.context["active_test"] is False  # for its relations and methods


async def test_aggregates_and_groups(harness: Harness) -> None:
    client = harness.client
    orders = await client.search_read("sale.order", [], ["amount_total", "partner_id"])
    totals = await client.model(SaleOrder).aggregate(
        total=Sum("amount_total"),
        orders=Count(),
        biggest=Max("amount_total"),
        smallest=Min("amount_total"),
        mean=Avg("amount_total"),
    )
    amounts = [o["amount_total"] for o in orders]
    assert totals["orders"] == len(orders)
    assert totals["total"] == pytest.approx(sum(amounts))
    assert (totals["biggest"], totals["smallest"]) == (max(amounts), min(amounts))
    assert totals["mean"] == pytest.approx(sum(amounts) / len(amounts))
    nothing = (
        await client.model(SaleOrder).filter(id=-1).aggregate(total=Sum("amount_total"), n=Count())
    )
    assert nothing == {"total": None, "n": 0} or nothing == {"total": 0, "n": 0}
    groups = (
        await client.model(SaleOrder)
        .group_by("partner_id")
        .aggregate(total=Sum("amount_total"), n=Count())
    )
    by_partner: dict[int, list[float]] = {}
    for order in orders:
        by_partner.setdefault(order["partner_id"][0], []).append(order["amount_total"])
    assert {g["partner_id"].id: g["n"] for g in groups} == {
        pid: len(a) for pid, a in by_partner.items()
    }
    harness.reset()
    partner = await groups[0]["partner_id"].get()
    for group in groups[1:]:
        await group["partner_id"].get()
    assert harness.methods == ["res.partner.read"]  # every group's partner in one read
    assert partner.id == groups[0]["partner_id"].id
    monthly = await client.model(SaleOrder).group_by("date_order:month").aggregate(n=Count())
    assert sum(group["n"] for group in monthly) == len(orders)
    assert all(isinstance(group["date_order:month"], str) for group in monthly)


async def test_a_server_without_web_search_read_is_read_with_search_read(
    make_harness: MakeHarness,
) -> None:
    async with make_harness(16) as harness:
        claimed = ServerVersion(server_version="17.0", server_version_info=(17, 0, 0, "final", 0))
        harness.client.server_version = claimed  # says 17, answers like 16
        first = await harness.client.model(ResPartner).limit(3).all()
        again = await harness.client.model(ResPartner).limit(3).all()
        assert first == again
        assert len(first) == 3
        assert harness.methods == [
            "res.partner.web_search_read",
            "res.partner.search_read",
            "res.partner.search_read",
        ]


async def test_datetimes_read_as_aware_utc(harness: Harness) -> None:
    order = await harness.client.model(SaleOrder).order_by("id").first()
    assert order is not None
    assert isinstance(order.date_order, datetime)
    assert order.date_order.tzinfo is not None
    [raw] = await harness.client.read("sale.order", [order.id], ["date_order"])
    assert order.date_order.strftime("%Y-%m-%d %H:%M:%S") == raw["date_order"]
