"""Streaming with ``async for``: id-cursor pages, stable while records come and go."""

from __future__ import annotations

import weakref

import pytest
from orm_harness import Harness

from zenoo_rpc.errors import QueryError
from zenoo_rpc.models.common import ResPartner, SaleOrder


async def test_iterate_reads_every_record_once_page_by_page(harness: Harness) -> None:
    client = harness.client
    ids = await client.search("res.partner", [], order="id")
    harness.reset()
    seen = [partner.id async for partner in client.model(ResPartner).iterate(page_size=4)]
    assert seen == ids
    pages = -(-len(ids) // 4) + (1 if len(ids) % 4 == 0 else 0)
    assert len(harness.calls) == pages
    assert all(call.method.endswith("search_read") for call in harness.calls)


async def test_async_for_on_a_query_keeps_its_filter_limit_and_offset(harness18: Harness) -> None:
    client = harness18.client
    ids = await client.search("res.partner", [("is_company", "=", False)], order="id")
    query = client.model(ResPartner).filter(is_company=False)
    assert [p.id async for p in query] == ids
    assert [p.id async for p in query.offset(2).limit(5).iterate(page_size=2)] == ids[2:7]
    assert [p.id async for p in query.order_by("-id").iterate(page_size=3)] == ids[::-1]


async def test_records_inserted_or_deleted_during_the_loop(harness: Harness) -> None:
    client = harness.client
    before = await client.search("res.partner", [], order="id")
    doomed = before[-3:]  # not reached yet when they are deleted
    seen: list[int] = []
    created: list[int] = []
    async for partner in client.model(ResPartner).iterate(page_size=3):
        seen.append(partner.id)
        if len(seen) == 3:
            created = await client.create("res.partner", [{"name": "Late 1"}, {"name": "Late 2"}])
            await client.unlink("res.partner", doomed)
    assert len(seen) == len(set(seen))  # nothing twice
    assert set(before) - set(doomed) <= set(seen)  # nothing skipped
    assert not set(doomed) & set(seen)
    assert set(created) <= set(seen)  # higher ids: still ahead of the cursor


async def test_each_page_loads_its_prefetched_relations(harness: Harness) -> None:
    client = harness.client
    query = client.model(SaleOrder).prefetch_related("order_line")
    total = await query.count()
    harness.reset()
    names = [[line.name for line in order.order_line] async for order in query.iterate(page_size=2)]
    assert len(names) == total
    full_pages = -(-total // 2)
    pages = full_pages + (1 if total % 2 == 0 else 0)  # an exact multiple ends on an empty page
    reads = [m for m in harness.methods if m.split(".")[-1].endswith("search_read")]
    assert len(reads) == pages
    lines = harness.methods.count("sale.order.line.read")
    assert lines == (full_pages if harness.emulator.version < 17 else 0)  # 17+: nested


async def test_streaming_needs_an_id_order(harness18: Harness) -> None:
    query = harness18.client.model(ResPartner)
    with pytest.raises(QueryError, match="pages by id"):
        async for _ in query.order_by("name", "id"):
            pass
    with pytest.raises(QueryError, match="page_size"):
        async for _ in query.iterate(page_size=0):
            pass


async def test_records_let_go_are_freed_and_kept_ones_still_load_relations(
    harness: Harness,
) -> None:
    seen: list[weakref.ref[SaleOrder]] = []
    kept: list[SaleOrder] = []
    query = harness.client.model(SaleOrder).prefetch_related("order_line")
    async for order in query.iterate(page_size=4):
        seen.append(weakref.ref(order))
        if len(seen) % 3 == 0:
            kept.append(order)
    del order
    alive = [ref() for ref in seen if ref() is not None]
    assert alive == kept  # no page holds the records it handed out (no gc.collect needed)
    for order in kept:  # a page left behind keeps only the rows still in use: the kept
        # records', and the one the loop variable held when the loop moved on
        rows = [id(row) for row in order._page.rows]
        wanted = [id(o._raw) for o in kept if o._page is order._page]
        assert set(wanted) <= set(rows)
        assert len(rows) <= len(wanted) + 1
    assert all(order.order_line.loaded for order in kept)  # prefetched relations kept
    harness.reset()
    partners = [await order.partner_id.get() for order in kept if order.partner_id]
    pages = {id(order._page) for order in kept}
    assert len(harness.calls) == len(pages)  # still one read per page, among the kept records
    assert len(partners) == len(kept)
