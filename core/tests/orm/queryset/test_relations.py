"""Relations without N+1: a constant number of calls per page, counted on every version."""

from __future__ import annotations

import asyncio

import pytest
from orm_harness import Harness, MakeHarness

from zenoo_rpc.errors import DoesNotExist, FieldNotLoaded
from zenoo_rpc.models import OdooModel, fields
from zenoo_rpc.models.common import ProductProduct, ResPartner, SaleOrder, SaleOrderLine


@pytest.mark.parametrize("version", [16, 17, 18, 19])
async def test_fifty_orders_with_partner_and_line_product_names(
    make_harness: MakeHarness, version: int
) -> None:
    async with make_harness(version, size=100) as harness:
        client = harness.client
        orders = await (
            client.model(SaleOrder).prefetch_related("order_line__product_id").limit(50).all()
        )
        report = [
            (
                order.name,
                order.partner_id.display_name if order.partner_id else None,
                [
                    line.product_id.record.display_name
                    for line in order.order_line
                    if line.product_id
                ],
            )
            for order in orders
        ]
        assert len(orders) == 50
        expected_calls = (
            ["sale.order.search_read", "sale.order.line.read", "product.product.read"]
            if version < 17
            else ["sale.order.web_search_read"]
        )
        assert harness.methods == expected_calls
        # the same answer the plain API gives, call by call
        raw = await client.search_read(
            "sale.order", [], ["name", "partner_id", "order_line"], limit=50
        )
        lines = {
            line["id"]: line
            for line in await client.read(
                "sale.order.line", [i for o in raw for i in o["order_line"]], ["product_id"]
            )
        }
        assert report == [
            (
                o["name"],
                o["partner_id"][1],
                [lines[i]["product_id"][1] for i in o["order_line"] if lines[i]["product_id"]],
            )
            for o in raw
        ]
        assert all(isinstance(line, SaleOrderLine) for o in orders for line in o.order_line)
        assert all(
            isinstance(line.product_id.record, ProductProduct)
            for o in orders
            for line in o.order_line
            if line.product_id
        )


async def test_many2one_loads_once_for_the_whole_page(harness: Harness) -> None:
    orders = await harness.client.model(SaleOrder).limit(20).all()
    harness.reset()
    partners = [await order.partner_id.get() for order in orders if order.partner_id]
    assert harness.methods == ["res.partner.read"]
    assert all(isinstance(p, ResPartner) for p in partners)
    assert [p.id for p in partners] == [o.partner_id.id for o in orders if o.partner_id]
    assert all(o.partner_id is None or o.partner_id.loaded for o in orders)


async def test_concurrent_gets_share_one_read(harness18: Harness) -> None:
    orders = await harness18.client.model(SaleOrder).limit(10).all()
    harness18.reset()
    loaded = await asyncio.gather(*(o.partner_id.get() for o in orders if o.partner_id))
    assert harness18.methods == ["res.partner.read"]
    assert len(loaded) == len(orders)


async def test_x2many_loads_once_per_field_per_page(harness: Harness) -> None:
    companies = await harness.client.model(ResPartner).filter(is_company=True).all()
    harness.reset()
    children = {c.id: await c.child_ids.all() for c in companies}
    tags = [await c.category_id.all() for c in companies]
    assert harness.methods == ["res.partner.read", "res.partner.category.read"]
    for company in companies:
        assert [child.id for child in children[company.id]] == company.child_ids.ids
        assert list(company.child_ids) == children[company.id]  # loaded: iterable
    assert len(tags) == len(companies)


async def test_prefetch_related_on_every_version_is_a_constant_number_of_calls(
    harness: Harness,
) -> None:
    partners = await (
        harness.client.model(ResPartner)
        .filter(is_company=True)
        .prefetch_related("child_ids__country_id", "country_id")
        .all()
    )
    expected = (
        [
            "res.partner.search_read",
            "res.partner.read",
            "res.country.read",
            "res.country.read",
        ]
        if harness.emulator.version < 17
        else ["res.partner.web_search_read"]
    )
    assert harness.methods == expected
    harness.reset()
    for partner in partners:
        for child in partner.child_ids:
            assert child.country_id is None or child.country_id.record.code
        assert partner.country_id is None or partner.country_id.record.name
    assert harness.calls == []


async def test_relation_errors_name_the_way_to_load(harness18: Harness) -> None:
    order = await harness18.client.model(SaleOrder).filter(order_line__ne=False).first()
    assert order is not None
    with pytest.raises(FieldNotLoaded, match=r"await record\.order_line\.all\(\)"):
        next(iter(order.order_line))
    assert order.partner_id is not None
    with pytest.raises(FieldNotLoaded, match=r"prefetch_related"):
        _ = order.partner_id.record
    assert harness18.methods == ["sale.order.web_search_read"]


async def test_a_deleted_related_record_raises_does_not_exist(harness18: Harness) -> None:
    client = harness18.client
    partner = await client.model(ResPartner).create(name="Short Lived")
    child = await client.model(ResPartner).create(name="Child", parent_id=partner.id)
    assert child.parent_id is not None
    await client.unlink("res.partner", [partner.id])
    with pytest.raises(DoesNotExist):
        await child.parent_id.get()


class Line(OdooModel):
    class Meta:
        model_name = "sale.order.line"

    name = fields.TextField()
    product_id = fields.Many2oneField("product.product")


class Order(OdooModel):
    class Meta:
        model_name = "sale.order"

    name = fields.CharField()
    order_line = fields.One2manyField["Line"]("sale.order.line", inverse_name="order_id")


async def test_untyped_relations_use_generic_classes_and_typed_ones_their_class(
    harness18: Harness,
) -> None:
    orders = await harness18.client.model(Order).prefetch_related("order_line__product_id").all()
    lines = [line for order in orders for line in order.order_line]
    assert lines
    assert all(type(line) is Line for line in lines)
    product = lines[0].product_id
    assert product is not None
    assert type(product.record).__name__ == "ProductProduct"
    assert product.record._odoo_model_name == "product.product"
    assert type(product.record) is not ProductProduct  # generic: nobody registered it
