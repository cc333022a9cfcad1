"""The plugin selected by name and configured from zenoo.toml: transport, bus at login, cache."""

from __future__ import annotations

import asyncio
import logging
import re
from pathlib import Path

import pytest

from zenoo_rpc import Event, ZenooClient
from zenoo_rpc.errors import ConfigError, PluginError
from zenoo_rpc.testing.emulator.database import ADMIN_API_KEY
from zenoo_rpc.testing.emulator.server import Emulator
from zenoo_rpc_websocket import (
    BusError,
    BusListener,
    WebSocketTransport,
    bus_of,
    start_bus,
    stop_bus,
)
from zenoo_rpc_websocket.settings import parse_settings


def write_config(tmp_path: Path, url: str, table: str) -> Path:
    path = tmp_path / "zenoo.toml"
    path.write_text(
        f'url = "{url}"\ndatabase = "demo"\nusername = "admin"\npassword = "admin"\n\n'
        f'[plugins]\nenabled = ["websocket"]\n\n[plugins.websocket]\n{table}\n',
        encoding="utf-8",
    )
    return path


class Recorder:
    """An event handler keeping the ``bus_notification`` events, with a way to wait for them."""

    def __init__(self) -> None:
        self.events: list[Event] = []
        self.arrived = asyncio.Event()

    def on_bus_notification(self, event: Event) -> None:
        self.events.append(event)
        self.arrived.set()

    async def next(self) -> Event:
        while not self.events:
            self.arrived.clear()
            await asyncio.wait_for(self.arrived.wait(), 10)
        return self.events.pop(0)


def test_the_plugin_is_selected_by_name() -> None:
    client = ZenooClient("ws://127.0.0.1:8069", plugins=["websocket"])
    assert "websocket" in client.plugins.plugin_names()
    spec = client.plugins.transports()["websocket"]
    assert spec.schemes == ("ws", "wss")
    (row,) = [r for r in client.plugins.describe() if r["name"] == "websocket"]
    assert row["distribution"] == "zenoo-rpc-websocket"
    assert row["hooks"] == ["zenoo_event", "zenoo_middleware", "zenoo_register_transports"]


async def test_zenoo_toml_configures_the_transport(tmp_path: Path, odoo_server_url: str) -> None:
    path = write_config(
        tmp_path,
        odoo_server_url.replace("http://", "ws://"),
        "max_in_flight = 3\nping_interval = 5",
    )
    async with ZenooClient(config_file=str(path)) as client:
        await client.login()
        transport = client.transport
        assert isinstance(transport, WebSocketTransport)
        assert transport.settings.max_in_flight == 3
        assert transport.settings.ping_interval == 5
        assert await client.search_count("res.partner", []) > 0


async def test_zenoo_toml_starts_the_bus_at_login_and_stops_it_at_close(
    tmp_path: Path, odoo_emulator: Emulator, odoo_server_url: str
) -> None:
    path = write_config(
        tmp_path, odoo_server_url, 'channels = ["demo.res.partner"]\nreconnect_max_delay = 1'
    )
    recorder = Recorder()
    async with (
        ZenooClient(config_file=str(path)) as client,
        ZenooClient(odoo_server_url, plugins=[]) as other,
    ):
        client.register_event_handler(recorder)
        assert bus_of(client) is None
        await client.login()
        bus = bus_of(client)
        assert isinstance(bus, BusListener)
        assert bus_of(client.with_context(lang="fr_FR")) is bus  # views share it
        await bus.wait_connected(5)
        await other.login("demo", "admin", "admin")
        new_id = await other.create("res.partner", {"name": "Seen by the configured bus"})
        event = await recorder.next()
        assert event.data["type"] == "zenoo.record/create"
        assert event.data["payload"]["ids"] == [new_id]
    assert bus_of(client) is None
    assert bus.error is None
    assert not bus.connected
    with pytest.raises(BusError, match="buffer_size=0"):  # auto-started: events and handlers
        await anext(bus)


async def test_the_bus_password_for_clients_with_an_api_key(
    tmp_path: Path, odoo_server_url: str
) -> None:
    path = tmp_path / "zenoo.toml"
    path.write_text(
        f'url = "{odoo_server_url}"\nprotocol = "jsonrpc"\n\n[plugins]\nenabled = ["websocket"]\n'
        '\n[plugins.websocket]\nchannels = ["demo"]\npassword = { env = "BUS_PASSWORD" }\n',
        encoding="utf-8",
    )
    with pytest.MonkeyPatch.context() as env:
        env.setenv("BUS_PASSWORD", "admin")
        client = ZenooClient(config_file=str(path))
    async with client:
        await client.login("demo", "admin", api_key=ADMIN_API_KEY)
        bus = bus_of(client)
        assert bus is not None
        await bus.wait_connected(5)
        assert bus.logins == 1


async def test_autostart_off_and_start_bus_on_demand(
    tmp_path: Path, odoo_emulator: Emulator, odoo_server_url: str
) -> None:
    path = write_config(tmp_path, odoo_server_url, 'channels = ["demo"]\nautostart = false')
    async with ZenooClient(config_file=str(path)) as client:
        await client.login()
        assert bus_of(client) is None
        start = odoo_emulator.bus_for("demo").last_id
        bus = await start_bus(client, channels=["demo.res.partner"], last_id=start, buffer_size=5)
        assert bus_of(client) is bus
        assert bus.channels == ("demo.res.partner",)
        await client.create("res.partner", {"name": "Mine too"})  # the bus tells about own changes
        note = await asyncio.wait_for(anext(bus), 10)
        assert note.type == "zenoo.record/create"
        await stop_bus(client)
        await stop_bus(client)
        assert bus_of(client) is None


async def test_record_changes_invalidate_the_cache(
    odoo_emulator: Emulator, odoo_server_url: str
) -> None:
    async with (
        ZenooClient(odoo_server_url, plugins=["websocket"], cache=True) as client,
        ZenooClient(odoo_server_url, plugins=[]) as other,
    ):
        await client.login("demo", "admin", "admin")
        await other.login("demo", "admin", "admin")
        start = odoo_emulator.bus_for("demo").last_id
        bus = BusListener(client, channels=["demo.res.partner"], last_id=start,
                          invalidate_cache=True, buffer_size=0)  # fmt: skip
        written = asyncio.Event()
        bus.on("zenoo.record/write")(lambda note: written.set())
        async with bus:
            await bus.wait_connected(5)
            [before] = await client.read("res.partner", [1], ["name"])
            await other.write("res.partner", [1], {"name": "Renamed elsewhere"})
            [cached] = await client.read("res.partner", [1], ["name"])
            assert cached == before  # the cache cannot know yet
            await asyncio.wait_for(written.wait(), 10)  # invalidated before handlers run
            [fresh] = await client.read("res.partner", [1], ["name"])
        assert fresh["name"] == "Renamed elsewhere"


@pytest.mark.parametrize(
    ("table", "path", "message"),
    [
        ("reconnect_max_delay = -1", "$.plugins.websocket.reconnect_max_delay", ">= 0|> 0"),
        ('chanels = ["demo"]', "$.plugins.websocket", "unknown field `chanels`"),
        ("reconnect_base_delay = 9\nreconnect_max_delay = 1", "$.plugins.websocket", "below"),
    ],
)
def test_bad_settings_fail_the_client_creation(
    tmp_path: Path, table: str, path: str, message: str
) -> None:
    config = write_config(tmp_path, "http://127.0.0.1:8069", table)
    with pytest.raises(PluginError, match="websocket") as info:
        ZenooClient(config_file=str(config))
    cause = info.value.__cause__
    assert isinstance(cause, ConfigError)
    assert cause.path == path
    assert re.search(message, str(cause))


def test_settings_keep_the_password_secret() -> None:
    settings, password = parse_settings({"channels": ["a"], "password": "s3cret"})
    assert settings.channels == ("a",)
    assert password is not None
    assert password.get_secret_value() == "s3cret"
    assert "s3cret" not in repr(password) + repr(settings)


async def test_wire_debug_logs_show_no_secret(
    caplog: pytest.LogCaptureFixture, odoo_server_url: str
) -> None:
    caplog.set_level(logging.DEBUG, logger="zenoo_rpc_websocket.wire")
    ws_url = odoo_server_url.replace("http://", "ws://")
    async with ZenooClient(ws_url, protocol="web", plugins=["websocket"]) as client:
        await client.login("demo", "admin", "admin")
        async with BusListener(client, channels=["demo"]) as bus:
            await bus.wait_connected(5)
    lines = [record.getMessage() for record in caplog.records]
    assert any("Cookie: session_id=***" in line for line in lines)
    assert any(line.startswith("> TEXT [") for line in lines)
    assert not any("admin" in line for line in lines)
    assert not any("session_id=" in line and "***" not in line for line in lines)
