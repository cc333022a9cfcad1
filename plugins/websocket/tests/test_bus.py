"""``BusListener`` against the emulator's real bus websocket on a loopback port."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest

from zenoo_rpc import Event, ZenooClient
from zenoo_rpc.errors import ConfigError
from zenoo_rpc.testing.emulator.database import ADMIN_API_KEY
from zenoo_rpc.testing.emulator.serve import serve_emulator
from zenoo_rpc.testing.emulator.server import Emulator
from zenoo_rpc_websocket import BusAuthenticationError, BusError, BusListener, Notification

FAST: dict[str, Any] = {"reconnect_base_delay": 0.02, "reconnect_max_delay": 0.1}


@pytest.fixture
async def other(odoo_server_url: str) -> AsyncIterator[ZenooClient]:
    """Another program: a second client over plain HTTP, logged in as demo2."""
    async with ZenooClient(odoo_server_url, plugins=[]) as client:
        await client.login("demo", "admin", "admin")
        yield client


@pytest.fixture
async def client(odoo_server_url: str) -> AsyncIterator[ZenooClient]:
    async with ZenooClient(odoo_server_url, plugins=["websocket"]) as client:
        await client.login("demo", "admin", "admin")
        yield client


async def take(bus: BusListener, count: int, timeout: float = 10.0) -> list[Notification]:
    """The next ``count`` notifications (fails the test if they do not come)."""

    async def collect() -> list[Notification]:
        return [await anext(bus) for _ in range(count)]

    return await asyncio.wait_for(collect(), timeout)


def bus_ids(emulator: Emulator, after: int) -> list[int]:
    """Ids of the notifications the emulated bus sent after ``after`` (partner channel)."""
    return [n["id"] for n in emulator.bus_for("demo").since(after, ["demo.res.partner"])]


# --------------------------------------------------------------------------- notifications


async def test_creates_and_writes_by_another_client_arrive(
    odoo_emulator: Emulator, client: ZenooClient, other: ZenooClient
) -> None:
    start = odoo_emulator.bus_for("demo").last_id
    async with BusListener(client, channels=["demo.res.partner"], last_id=start) as bus:
        await bus.wait_connected(5)
        first = await other.create("res.partner", {"name": "Pushed one"})
        second = await other.create("res.partner", {"name": "Pushed two"})
        await other.write("res.partner", [first], {"email": "one@example.com"})
        await other.create("res.partner.category", {"name": "Elsewhere"})
        notes = await take(bus, 3)
    assert [n.type for n in notes] == [
        "zenoo.record/create",
        "zenoo.record/create",
        "zenoo.record/write",
    ]
    changes = [n.record_change for n in notes]
    assert [c.ids for c in changes if c] == [(first,), (second,), (first,)]
    assert {c.model for c in changes if c} == {"res.partner"}
    assert changes[2] is not None
    assert changes[2].fields == ("email",)
    assert [n.id for n in notes] == bus_ids(odoo_emulator, start)  # not the category
    assert bus.last_id == notes[-1].id


async def test_a_server_side_disconnect_mid_burst_loses_none_and_repeats_none(
    odoo_emulator: Emulator, client: ZenooClient, other: ZenooClient
) -> None:
    server_bus = odoo_emulator.bus_for("demo")
    start = server_bus.last_id
    received: list[int] = []
    async with BusListener(client, channels=["demo.res.partner"], last_id=start, **FAST) as bus:
        await bus.wait_connected(5)

        async def burst() -> None:
            for n in range(60):
                await other.create("res.partner", {"name": f"Burst {n}"})
                if n in (20, 40):
                    server_bus.close_websockets(1012, "restarting")  # the server restarts
                    await asyncio.sleep(0.1)  # and the burst goes on while it is down

        async def consume() -> None:
            while len(received) < 60:
                received.append((await anext(bus)).id)

        await asyncio.wait_for(asyncio.gather(burst(), consume()), 30)
        assert bus.connections >= 3
    sent = bus_ids(odoo_emulator, start)
    assert len(sent) == 60
    assert received == sent  # every one, once, in order


async def test_events_reach_the_clients_listeners(
    odoo_emulator: Emulator, client: ZenooClient, other: ZenooClient
) -> None:
    events: list[Event] = []

    class PartnerEvents:
        async def on_bus_notification(self, event: Event) -> None:
            events.append(event)

        def on_bus_connected(self, event: Event) -> None:
            events.append(event)

    client.register_event_handler(PartnerEvents())
    start = odoo_emulator.bus_for("demo").last_id
    async with BusListener(client, channels=["demo.res.partner"], last_id=start) as bus:
        await bus.wait_connected(5)
        new_id = await other.create("res.partner", {"name": "Evented"})
        await take(bus, 1)
    connected, notified = events
    assert connected.name == "bus_connected"
    assert connected.data["channels"] == ["demo.res.partner"]
    assert "session_id" not in str(connected.data)
    assert notified.name == "bus_notification"
    assert notified.client is client
    assert notified.data["type"] == "zenoo.record/create"
    assert notified.data["payload"]["ids"] == [new_id]


async def test_handlers_by_type(
    odoo_emulator: Emulator, client: ZenooClient, other: ZenooClient
) -> None:
    seen: dict[str, list[int]] = {"created": [], "any": [], "failing": []}
    done = asyncio.Event()
    start = odoo_emulator.bus_for("demo").last_id
    bus = BusListener(client, channels=["demo.res.partner"], last_id=start, buffer_size=0)

    @bus.on("zenoo.record/create")
    async def created(note: Notification) -> None:
        seen["created"].append(note.id)

    @bus.on("zenoo.record/*")
    def failing(note: Notification) -> None:
        seen["failing"].append(note.id)
        raise RuntimeError("a broken handler does not stop the others")

    @bus.on()
    def anything(note: Notification) -> None:
        seen["any"].append(note.id)
        if len(seen["any"]) == 2:
            done.set()

    async with bus:
        await bus.wait_connected(5)
        new_id = await other.create("res.partner", {"name": "Handled"})
        await other.unlink("res.partner", [new_id])
        await asyncio.wait_for(done.wait(), 10)
        with pytest.raises(BusError, match="buffer_size=0"):
            await anext(bus)
    assert len(seen["created"]) == 1
    assert seen["any"] == seen["failing"] == bus_ids(odoo_emulator, start)


async def test_changing_channels_while_connected(
    odoo_emulator: Emulator, client: ZenooClient, other: ZenooClient
) -> None:
    start = odoo_emulator.bus_for("demo").last_id
    async with BusListener(client, channels=["demo.res.partner"], last_id=start) as bus:
        await bus.wait_connected(5)
        await bus.unsubscribe("demo.res.partner")
        await bus.subscribe("demo.res.partner.category")
        assert bus.channels == ("demo.res.partner.category",)
        first = await other.create("res.partner.category", {"name": "Listened"})
        [note] = await take(bus, 1)  # the new subscription is in force from now on
        await other.create("res.partner", {"name": "Not listened to"})
        second = await other.create("res.partner.category", {"name": "Listened again"})
        [after] = await take(bus, 1)
    changes = [n.record_change for n in (note, after)]
    assert [(c.model, c.ids) for c in changes if c] == [
        ("res.partner.category", (first,)),
        ("res.partner.category", (second,)),
    ]


async def test_a_slow_reader_slows_the_listener_down_and_loses_nothing(
    odoo_emulator: Emulator, client: ZenooClient, other: ZenooClient
) -> None:
    start = odoo_emulator.bus_for("demo").last_id
    async with BusListener(client, channels=["demo"], last_id=start, buffer_size=2) as bus:
        for n in range(12):
            await other.create("res.partner", {"name": f"Queued {n}"})
        got = []
        for _ in range(12):
            got.append((await take(bus, 1))[0].id)
            await asyncio.sleep(0.01)
    assert got == bus_ids(odoo_emulator, start)


async def test_iteration_ends_when_the_listener_stops(client: ZenooClient) -> None:
    bus = BusListener(client, channels=["demo.res.partner"])
    async with bus:
        await bus.wait_connected(5)
        reader = asyncio.ensure_future(anext(bus))
        await asyncio.sleep(0.05)
        await bus.stop()
        with pytest.raises(StopAsyncIteration):
            await reader
    with pytest.raises(BusError, match="stopped"):
        await bus.start()


# --------------------------------------------------------------------------- close codes


async def test_session_expiry_4001_logs_in_again_and_resumes(
    odoo_emulator: Emulator, client: ZenooClient, other: ZenooClient
) -> None:
    start = odoo_emulator.bus_for("demo").last_id
    async with BusListener(client, channels=["demo.res.partner"], last_id=start, **FAST) as bus:
        await bus.wait_connected(5)
        before = await other.create("res.partner", {"name": "Before expiry"})
        [first] = await take(bus, 1)
        odoo_emulator.expire_sessions()  # also the other client's: it logs in again by itself
        during = await other.create("res.partner", {"name": "While logged out"})
        [second] = await take(bus, 1)
        assert bus.logins == 2
        assert bus.connections == 2
    assert first.record_change
    assert first.record_change.ids == (before,)
    assert second.record_change
    assert second.record_change.ids == (during,)


async def test_a_refused_login_after_4001_ends_the_listener_with_a_typed_error(
    odoo_emulator: Emulator, client: ZenooClient, other: ZenooClient
) -> None:
    closed: list[Event] = []
    client.register_event_handler(lambda e: closed.append(e) if e.error else None)
    async with BusListener(client, channels=["demo.res.partner"], **FAST) as bus:
        await bus.wait_connected(5)
        await other.write("res.users", [2], {"password": "changed"})
        odoo_emulator.expire_sessions()
        with pytest.raises(BusAuthenticationError, match="cannot log in") as info:
            await take(bus, 1)
    assert bus.error is info.value
    assert "changed" not in str(info.value)
    assert "admin" not in repr(info.value.__cause__)
    [event] = closed
    assert event.name == "bus_disconnected"
    assert event.error is bus.error


async def test_wrong_password_fails_fast(odoo_server_url: str) -> None:
    bus = BusListener(
        odoo_server_url, database="demo", login="admin", password="wrong", channels=["demo"]
    )
    async with bus:
        with pytest.raises(BusAuthenticationError) as info:
            await bus.wait_connected(5)
    assert "wrong" not in str(info.value)
    assert bus.connections == 0


class UpgradableEmulator(Emulator):
    """An emulator whose bus worker version changes, as after an Odoo upgrade."""

    worker = "18.0-2"

    @property
    def websocket_worker_version(self) -> str:
        return self.worker


async def test_outdated_version_reads_the_version_again_and_reconnects() -> None:
    emulator = UpgradableEmulator(version=18, size=5)
    async with serve_emulator(emulator) as url, ZenooClient(url, plugins=[]) as other:
        await other.login("demo", "admin", "admin")
        start = emulator.bus_for("demo").last_id
        bus = BusListener(url, database="demo", login="admin", password="admin",
                          channels=["demo.res.partner"], last_id=start, **FAST)  # fmt: skip
        async with bus:
            await bus.wait_connected(5)
            emulator.worker = "18.0-3"
            emulator.bus_for("demo").close_websockets(1012)  # the upgraded server restarts
            new_id = await other.create("res.partner", {"name": "After the upgrade"})
            [note] = await take(bus, 1)
            assert bus.connections == 3  # old version, refused as outdated, new version
            assert bus.logins == 1  # the session was kept
    assert note.record_change
    assert note.record_change.ids == (new_id,)


async def test_try_later_1013_waits_then_reconnects(
    odoo_emulator: Emulator, client: ZenooClient, other: ZenooClient
) -> None:
    closes: list[dict[str, Any]] = []
    client.register_event_handler(
        lambda e: closes.append(dict(e.data)) if e.name == "bus_disconnected" else None
    )
    start = odoo_emulator.bus_for("demo").last_id
    async with BusListener(client, channels=["demo.res.partner"], last_id=start, **FAST) as bus:
        await bus.wait_connected(5)
        odoo_emulator.bus_for("demo").close_websockets(1013, "try again later")
        new_id = await other.create("res.partner", {"name": "Later"})
        [note] = await take(bus, 1)
    assert closes[0]["code"] == 1013
    assert closes[0]["reason"] == "try again later"
    assert closes[0]["retry_in"] > 0
    assert note.record_change
    assert note.record_change.ids == (new_id,)


# --------------------------------------------------------------------------- bad input


async def test_a_client_with_only_an_api_key_needs_a_password(odoo_server_url: str) -> None:
    async with ZenooClient(odoo_server_url, protocol="jsonrpc", plugins=[]) as client:
        await client.login("demo", "admin", api_key=ADMIN_API_KEY)
        with pytest.raises(ConfigError, match="needs a password"):
            await BusListener(client, channels=["demo"]).start()
        async with BusListener(client, password="admin", channels=["demo"]) as bus:
            await bus.wait_connected(5)


async def test_memory_urls_have_no_bus(zenoo_client: ZenooClient) -> None:
    with pytest.raises(ConfigError, match="memory://"):
        BusListener(zenoo_client)


def test_bad_arguments_are_config_errors() -> None:
    with pytest.raises(ConfigError, match="channel"):
        BusListener("http://127.0.0.1:8069", channels=["ok", ""])
    with pytest.raises(ConfigError, match="last_id"):
        BusListener("http://127.0.0.1:8069", last_id=-1)
    with pytest.raises(ConfigError, match="backoff"):
        BusListener("http://127.0.0.1:8069", reconnect_base_delay=5, reconnect_max_delay=1)
    with pytest.raises(ConfigError, match="database and a login"):
        asyncio.run(BusListener("http://127.0.0.1:8069").start())


async def test_not_started_listener_says_so() -> None:
    bus = BusListener("http://127.0.0.1:8069")
    with pytest.raises(BusError, match="not started"):
        await anext(bus)
    with pytest.raises(BusError, match="not started"):
        await bus.wait_connected(1)
