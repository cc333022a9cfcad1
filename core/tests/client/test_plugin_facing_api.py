"""What plugins use of a client: ``credentials``, ``emit_event`` and ``invalidate_cache``."""

from __future__ import annotations

import pytest

from zenoo_rpc import Event, ZenooClient
from zenoo_rpc.errors import NotAuthenticated
from zenoo_rpc.events import EVENT_NAMES
from zenoo_rpc.testing.emulator.server import Emulator


async def test_credentials_of_the_current_login(odoo_emulator: Emulator) -> None:
    async with ZenooClient(odoo_emulator.memory_url, plugins=[]) as client:
        before_login = client.credentials
        assert before_login is None
        await client.login("demo", "admin", "admin")
        credentials = client.credentials
        assert credentials is not None
        assert (credentials.db, credentials.login, credentials.password) == (
            "demo",
            "admin",
            "admin",
        )
        assert repr(credentials) == "Credentials(db='demo', login='admin', password=***)"
        assert client.with_context(lang="fr_FR").credentials is credentials


async def test_emit_event_reaches_every_listener(odoo_emulator: Emulator) -> None:
    seen: list[Event] = []

    class Handler:
        def on_bus_notification(self, event: Event) -> None:
            seen.append(event)

    async with ZenooClient(odoo_emulator.memory_url, plugins=[]) as client:
        client.register_event_handler(Handler())
        client.register_event_handler(lambda event: seen.append(event))
        await client.emit_event("bus_notification", data={"id": 1, "type": "t", "payload": None})
        with pytest.raises(ValueError, match="unknown event 'bus_notifcation'"):
            await client.emit_event("bus_notifcation")  # type: ignore[arg-type]
    first, second = seen[:2]
    assert first is second
    assert first.client is client
    assert first.data["id"] == 1
    assert {"bus_connected", "bus_disconnected", "bus_notification"} <= set(EVENT_NAMES)


async def test_invalidate_cache_forgets_reads_changed_elsewhere(odoo_emulator: Emulator) -> None:
    database = odoo_emulator.database("demo")
    async with ZenooClient(odoo_emulator.memory_url, plugins=[], cache=True) as client:
        with pytest.raises(NotAuthenticated, match="database"):
            await client.invalidate_cache("res.partner")
        await client.login("demo", "admin", "admin")
        [before] = await client.read("res.partner", [1], ["name"])
        database.call(2, "res.partner", "write", [[1], {"name": "Changed elsewhere"}], {})
        assert await client.read("res.partner", [1], ["name"]) == [before]  # cached
        assert await client.invalidate_cache("res.partner") is True
        [after] = await client.read("res.partner", [1], ["name"])
        assert after["name"] == "Changed elsewhere"

        [order] = await client.search_read("sale.order", [], ["amount_total"], limit=1)
        lines = await client.search_read(
            "sale.order.line", [("order_id", "=", order["id"])], ["price_unit"]
        )
        database.call(2, "sale.order.line", "write", [[lines[0]["id"]], {"price_unit": 1e6}], {})
        assert await client.invalidate_cache("sale.order.line") is True  # and its orders
        [fresh] = await client.read("sale.order", [order["id"]], ["amount_total"])
        assert fresh["amount_total"] > order["amount_total"]


async def test_invalidate_cache_without_a_cache(odoo_emulator: Emulator) -> None:
    async with ZenooClient(odoo_emulator.memory_url, plugins=[], database="demo") as client:
        assert await client.invalidate_cache("res.partner") is False
