"""The listener's parts on their own: backoff, duplicate filter, buffer, notifications, URLs."""

from __future__ import annotations

import asyncio
import random

import pytest

from zenoo_rpc.errors import ConfigError
from zenoo_rpc_websocket import Backoff, BusError, Notification, RecordChange
from zenoo_rpc_websocket.buffer import NotificationBuffer
from zenoo_rpc_websocket.bus_session import bus_url, http_base_url
from zenoo_rpc_websocket.notification import SeenIds


def test_backoff_doubles_up_to_the_cap_with_jitter_and_resets() -> None:
    backoff = Backoff(0.5, 8.0, random.Random(7))
    delays = [backoff.next_delay() for _ in range(8)]
    nominal = [0.5, 1.0, 2.0, 4.0, 8.0, 8.0, 8.0, 8.0]
    for delay, top in zip(delays, nominal, strict=True):
        assert top / 2 <= delay <= top
    assert len(set(delays)) == len(delays)  # jittered, not in lockstep
    assert backoff.attempts == 8
    backoff.reset()
    assert backoff.next_delay() <= 0.5
    assert backoff.next_delay(at_least=5.0) == 5.0
    assert Backoff(1.0, 2.0).next_delay(at_least=60) == 2.0  # never above the cap


@pytest.mark.parametrize(("base", "cap"), [(0, 1), (-1, 1), (2, 1)])
def test_backoff_refuses_bad_bounds(base: float, cap: float) -> None:
    with pytest.raises(ConfigError, match="backoff"):
        Backoff(base, cap)


def test_seen_ids_drop_repeats_even_out_of_order() -> None:
    seen = SeenIds(floor=10, size=4)
    assert not seen.add(10)
    assert not seen.add(3)
    assert [seen.add(i) for i in (12, 11, 14, 12, 13)] == [True, True, True, False, True]
    assert seen.add(15)  # 12 is forgotten now: the floor rises to it
    assert seen.floor == 12
    assert 12 in seen
    assert 13 in seen
    assert 16 not in seen
    assert not seen.add(12)


async def test_buffer_hands_out_in_order_waits_when_full_and_ends_with_the_error() -> None:
    buffer = NotificationBuffer(2)
    notes = [Notification(id=n, type="t") for n in range(1, 5)]
    producer = asyncio.ensure_future(_put_all(buffer, notes))
    await asyncio.sleep(0.01)
    assert len(buffer) == 2
    assert not producer.done()
    assert [await buffer.get() for _ in range(4)] == notes
    await producer
    failure = BusError("gone")
    buffer.finish(failure)
    buffer.finish()  # the first end wins
    with pytest.raises(BusError) as info:
        await buffer.get()
    assert info.value is failure
    await buffer.put(Notification(id=9, type="late"))  # ignored once finished
    assert len(buffer) == 0


async def _put_all(buffer: NotificationBuffer, notes: list[Notification]) -> None:
    for note in notes:
        await buffer.put(note)


def test_record_change_of_record_notifications_only() -> None:
    note = Notification(
        id=3,
        type="zenoo.record/write",
        payload={"model": "res.partner", "ids": [7, "x"], "fields": ["name", 1]},
    )
    assert note.record_change == RecordChange(
        model="res.partner", kind="write", ids=(7,), fields=("name",)
    )
    assert Notification(id=4, type="mail.record/insert", payload={}).record_change is None
    assert Notification(id=5, type="zenoo.record/create", payload=[]).record_change is None
    assert (
        Notification(id=6, type="zenoo.record/create", payload={"ids": [1]}).record_change is None
    )


@pytest.mark.parametrize(
    ("url", "http", "bus"),
    [
        ("http://127.0.0.1:8069", "http://127.0.0.1:8069", "ws://127.0.0.1:8069/websocket"),
        ("wss://u:p@odoo.example.com/o/", "https://odoo.example.com/o", "wss://odoo.example.com/o/websocket"),
        ("ws://[::1]:8072", "http://[::1]:8072", "ws://[::1]:8072/websocket"),
    ],
)  # fmt: skip
def test_urls(url: str, http: str, bus: str) -> None:
    assert http_base_url(url) == http
    assert bus_url(http, None) == bus
    assert bus_url(http, "18.0-2") == bus + "?version=18.0-2"


def test_no_bus_without_http() -> None:
    with pytest.raises(ValueError, match="memory://"):
        http_base_url("memory://demo")
