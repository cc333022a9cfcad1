"""Writes: create, save only what changed, commands, refresh, delete, and no stale reads after."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from orm_harness import Harness, MakeHarness

from zenoo_rpc.errors import DoesNotExist, FieldValueError, ValidationError
from zenoo_rpc.models import Command
from zenoo_rpc.models.common import ResPartner, SaleOrder, SaleOrderLine


def writes(harness: Harness) -> list[tuple[str, Any]]:
    return [
        (call.method, call.args[1] if call.method == "write" else call.args[0])
        for call in harness.calls
        if call.method in ("create", "write", "unlink")
    ]


async def test_save_writes_only_the_assigned_fields(harness: Harness) -> None:
    partner = await harness.client.model(ResPartner).get(7)
    harness.reset()
    await partner.save()
    assert harness.calls == []  # nothing assigned: no call
    partner.email = "sales@azure.example.com"
    partner.phone = partner.phone  # the same value: not a change
    await partner.save()
    assert writes(harness) == [("write", {"email": "sales@azure.example.com"})]
    assert [call.args[0] for call in harness.calls] == [[7]]
    assert not partner.is_dirty
    harness.reset()
    await partner.save()
    assert harness.calls == []
    fresh = await harness.client.model(ResPartner).get(7)
    assert fresh.email == "sales@azure.example.com"


async def test_update_assigns_checks_and_saves(harness18: Harness) -> None:
    partner = await harness18.client.model(ResPartner).get(7)
    harness18.reset()
    await partner.update(name="Azure Interior SA", country_id=None)
    assert writes(harness18) == [("write", {"name": "Azure Interior SA", "country_id": False})]
    assert partner.name == "Azure Interior SA"
    assert partner.country_id is None
    with pytest.raises(FieldValueError, match="read-only"):
        await partner.update(complete_name="x")
    assert len(harness18.calls) == 1


async def test_create_returns_the_typed_record(harness: Harness) -> None:
    client = harness.client
    harness.reset()
    partner = await client.model(ResPartner).create(name="New Co", is_company=True)
    assert isinstance(partner, ResPartner)
    assert (partner.name, partner.is_company, partner.display_name) == ("New Co", True, "New Co")
    assert harness.methods == ["res.partner.create", "res.partner.read"]
    harness.reset()
    many = await client.model(ResPartner).create([{"name": f"P{i}"} for i in range(3)])
    assert [p.name for p in many] == ["P0", "P1", "P2"]
    assert harness.methods == ["res.partner.create", "res.partner.read"]


async def test_x2many_commands_write_and_read_back(harness: Harness) -> None:
    client = harness.client
    order = await client.model(SaleOrder).filter(order_line__ne=False).first()
    assert order is not None
    before = list(order.order_line.ids)
    product = await client.search("product.product", [], limit=1)
    harness.reset()
    await order.update(
        order_line=[
            Command.create({"product_id": product[0], "product_uom_qty": 2}),
            Command.delete(before[0]),
        ]
    )
    assert harness.methods == ["sale.order.write", "sale.order.read"]  # new line ids read back
    after = order.order_line.ids
    assert before[0] not in after
    assert len(after) == len(before)
    lines = await order.order_line.all()
    assert any(line.product_uom_qty == 2 for line in lines)
    assert all(isinstance(line, SaleOrderLine) for line in lines)


async def test_refresh_reads_again_and_drops_assignments(harness18: Harness) -> None:
    client = harness18.client
    partner = await client.model(ResPartner).get(7)
    await client.write("res.partner", [7], {"city": "Brussels"})
    partner.email = "unsaved@example.com"
    assert partner.city != "Brussels"
    await partner.refresh()
    assert partner.city == "Brussels"
    assert partner.email != "unsaved@example.com"
    assert not partner.is_dirty


async def test_delete_and_fetch(harness18: Harness) -> None:
    client = harness18.client
    partner = await client.model(ResPartner).create(name="Temp", image_1920=b"\x89PNG")
    with pytest.raises(AttributeError):
        _ = partner.image_1920  # lazy: not read by create's read-back either
    await partner.fetch("image_1920")
    assert partner.image_1920 == b"\x89PNG"
    await partner.delete()
    with pytest.raises(DoesNotExist):
        await client.model(ResPartner).get(partner.id)
    with pytest.raises(DoesNotExist):
        await partner.refresh()


async def test_queryset_update_and_delete_act_on_the_matched_records(harness: Harness) -> None:
    client = harness.client
    ids = await client.model(ResPartner).filter(complete_name__ilike="azure").ids()
    harness.reset()
    written = (
        await client.model(ResPartner)
        .filter(complete_name__ilike="azure")
        .update(comment="<p>x</p>")
    )
    assert written == len(ids) > 1
    assert harness.methods == ["res.partner.search", "res.partner.write"]
    assert harness.calls[1].args[0] == ids
    created = await client.model(ResPartner).create([{"name": "Gone 1"}, {"name": "Gone 2"}])
    assert await client.model(ResPartner).filter(name__like="Gone").delete() == 2
    assert not await client.model(ResPartner).filter(id__in=[p.id for p in created]).exists()
    assert await client.model(ResPartner).filter(name="nobody at all").update(ref="x") == 0


async def test_related_records_are_read_again_after_a_model_layer_write(harness18: Harness) -> None:
    client = harness18.client
    orders = await client.model(SaleOrder).limit(5).all()
    ref = orders[0].partner_id
    assert ref is not None
    partner = await ref.get()
    await partner.update(name="Renamed Customer")
    harness18.reset()
    again = await ref.get()
    assert again.name == "Renamed Customer"
    assert harness18.methods == ["res.partner.read"]


WritePath = Callable[[Harness], Awaitable[None]]


async def _save(h: Harness) -> None:
    partner = await h.client.model(ResPartner).get(7)
    partner.city = "Ghent"
    await partner.save()


async def _record_update(h: Harness) -> None:
    partner = await h.client.model(ResPartner).get(7)
    await partner.update(city="Ghent")


async def _query_update(h: Harness) -> None:
    await h.client.model(ResPartner).filter(id=7).update(city="Ghent")


async def _bulk_update(h: Harness) -> None:
    await h.client.model(ResPartner).bulk_update([7], {"city": "Ghent"})


async def _bulk_update_records(h: Harness) -> None:
    partner = await h.client.model(ResPartner).get(7)
    partner.city = "Ghent"
    await h.client.model(ResPartner).bulk_update([partner])


@pytest.mark.parametrize(
    "write", [_save, _record_update, _query_update, _bulk_update, _bulk_update_records]
)
async def test_a_read_after_a_write_is_never_stale_with_the_cache_on(
    make_harness: MakeHarness, write: WritePath
) -> None:
    async with make_harness(18, cache=True) as harness:
        query = harness.client.model(ResPartner).filter(id=7).only("city")
        assert (await query.all())[0].city != "Ghent"
        harness.reset()
        assert (await query.all())[0].city != "Ghent"
        assert harness.calls == []  # answered by the cache
        await write(harness)
        assert (await query.all())[0].city == "Ghent"


async def test_creates_and_deletes_are_seen_at_once_with_the_cache_on(
    make_harness: MakeHarness,
) -> None:
    async with make_harness(18, cache=True) as harness:
        model = harness.client.model(ResPartner)
        named = model.filter(name__like="Cache Probe")
        assert await named.count() == 0
        created = await model.create(name="Cache Probe 1")
        assert await named.count() == 1
        ids = await model.bulk_create([{"name": "Cache Probe 2"}, {"name": "Cache Probe 3"}])
        assert await named.count() == 3
        await created.delete()
        assert await named.count() == 2
        await model.bulk_delete(ids[:1])
        assert await named.count() == 1
        await named.delete()
        assert await named.count() == 0


async def test_a_failed_save_keeps_the_assignments(harness18: Harness) -> None:
    partner = await harness18.client.model(ResPartner).get(7)
    partner.name = None  # a contact needs a name: the server refuses it
    partner.city = "Liège"
    with pytest.raises(ValidationError):
        await partner.save()
    assert partner.dirty_fields == {"name", "city"}
    partner.name = "Azure Interior"
    await partner.save()
    assert not partner.is_dirty
    assert (await harness18.client.model(ResPartner).get(7)).city == "Liège"
