"""Bulk writes: chunks, bounded concurrency, progress, and failures accounted for."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from orm_harness import Harness

from zenoo_rpc.call import Call
from zenoo_rpc.errors import BulkOperationError, QueryError, ValidationError
from zenoo_rpc.models.common import ResPartner


def in_flight_probe(harness: Harness) -> dict[str, int]:
    """Count calls in flight at once (each call yields to the loop before it is sent)."""
    state = {"now": 0, "max": 0}

    async def probe(call: Call, call_next: Callable[[Call], Awaitable[Any]]) -> Any:
        state["now"] += 1
        state["max"] = max(state["max"], state["now"])
        try:
            await asyncio.sleep(0)
            return await call_next(call)
        finally:
            state["now"] -= 1

    harness.client.add_middleware(probe)
    return state


async def test_bulk_create_chunks_reports_progress_and_bounds_concurrency(
    harness: Harness,
) -> None:
    probe = in_flight_probe(harness)
    progress: list[tuple[int, int]] = []
    ids = await harness.client.model(ResPartner).bulk_create(
        [{"name": f"Bulk {i:02d}"} for i in range(23)],
        chunk_size=5,
        concurrency=2,
        progress=lambda done, total: progress.append((done, total)),
    )
    assert harness.methods == ["res.partner.create"] * 5
    assert [len(call.args[0]) for call in harness.calls] == [5, 5, 5, 5, 3]
    assert probe["max"] == 2
    assert sorted(done for done, _ in progress) == [5, 10, 15, 20, 23]
    assert {total for _, total in progress} == {23}
    names = {r["id"]: r["name"] for r in await harness.client.read("res.partner", ids, ["name"])}
    assert [names[i] for i in ids] == [f"Bulk {i:02d}" for i in range(23)]  # ids in order


async def test_an_async_progress_callback_is_awaited(harness18: Harness) -> None:
    seen: list[int] = []

    async def progress(done: int, total: int) -> None:
        await asyncio.sleep(0)
        seen.append(done)

    await harness18.client.model(ResPartner).bulk_create(
        [{"name": "A"}, {"name": "B"}, {"name": "C"}], chunk_size=2, progress=progress
    )
    assert sorted(seen) == [2, 3]


async def test_a_failed_chunk_stops_the_rest_and_accounts_for_all(harness18: Harness) -> None:
    vals = [{"name": f"Ok {i}"} for i in range(4)] + [{"name": None}] + [{"name": "After"}] * 5
    model = harness18.client.model(ResPartner)
    with pytest.raises(BulkOperationError) as caught:
        await model.bulk_create(vals, chunk_size=2, concurrency=1)
    error = caught.value
    assert error.failed_chunks == [2]
    assert error.skipped_chunks == [3, 4]
    assert isinstance(error.__cause__, ValidationError)
    assert isinstance(error.errors[0], ValidationError)
    created = await harness18.client.search("res.partner", [("name", "like", "Ok ")])
    assert sorted(error.done_ids) == sorted(created)
    assert len(created) == 4
    assert await model.filter(name="After").count() == 0  # nothing was sent after the failure
    assert "chunk 2 of 5 failed (ValidationError: " in str(error)
    assert "ValidationError: ValidationError" not in str(error)


async def test_bulk_update_with_values_and_with_assigned_records(harness: Harness) -> None:
    client = harness.client
    model = client.model(ResPartner)
    ids = await model.filter(is_company=False).ids()
    harness.reset()
    assert await model.bulk_update(ids, {"function": "Buyer"}, chunk_size=4) == len(ids)
    assert harness.methods == ["res.partner.write"] * -(-len(ids) // 4)
    assert await model.filter(function="Buyer").ids() == ids
    people = await model.filter(id__in=ids).order_by("id").all()
    for index, person in enumerate(people):
        person.function = "Even" if index % 2 == 0 else "Odd"
    harness.reset()
    written = await model.bulk_update(people, chunk_size=100)
    assert written == len(people)
    assert harness.methods == ["res.partner.write", "res.partner.write"]  # one per distinct change
    assert not any(person.is_dirty for person in people)
    rows = await client.read("res.partner", [p.id for p in people], ["function"])
    assert [r["function"] for r in rows] == [
        "Even" if i % 2 == 0 else "Odd" for i in range(len(rows))
    ]


async def test_bulk_delete(harness18: Harness) -> None:
    model = harness18.client.model(ResPartner)
    ids = await model.bulk_create([{"name": f"Tmp {i}"} for i in range(7)])
    progress: list[int] = []
    harness18.reset()
    deleted = await model.bulk_delete(ids, chunk_size=3, progress=lambda d, t: progress.append(d))
    assert deleted == 7
    assert harness18.methods == ["res.partner.unlink"] * 3
    assert sorted(progress) == [3, 6, 7]
    assert not await model.filter(id__in=ids).exists()


async def test_bulk_arguments_are_checked(harness18: Harness) -> None:
    model = harness18.client.model(ResPartner)
    with pytest.raises(QueryError, match="chunk_size"):
        await model.bulk_create([{"name": "x"}], chunk_size=0)
    with pytest.raises(QueryError, match="concurrency"):
        await model.bulk_create([{"name": "x"}], concurrency=0)
    with pytest.raises(QueryError, match="positive int"):
        await model.bulk_delete(["7"])
    with pytest.raises(QueryError, match="assigned fields"):
        await model.bulk_update([7])
    assert harness18.calls == []
