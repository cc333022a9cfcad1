"""``protocol="auto"``, the deprecation warning, version and database listing."""

from __future__ import annotations

import pytest

from zenoo_rpc import Event, ZenooClient
from zenoo_rpc.errors import AccessError, ReadTimeout
from zenoo_rpc.testing.emulator.database import ADMIN_API_KEY, DEMO2_API_KEY
from zenoo_rpc.testing.emulator.server import Emulator


@pytest.mark.zenoo_emulator(version=19)
async def test_auto_picks_json2_on_19_with_an_api_key(odoo_emulator: Emulator) -> None:
    events: list[Event] = []
    async with ZenooClient(odoo_emulator.memory_url, plugins=[]) as client:
        client.register_event_handler(events.append)
        await client.login("demo", "admin", api_key=ADMIN_API_KEY)
        assert client.protocol == "json2"
    chosen = [e for e in events if e.name == "protocol_selected"]
    assert chosen[0].data["protocol"] == "json2"
    assert "API key" in chosen[0].data["reason"]


@pytest.mark.zenoo_emulator(version=19)
async def test_auto_falls_back_to_legacy_rpc_with_a_deprecation_warning(
    odoo_emulator: Emulator,
) -> None:
    async with ZenooClient(odoo_emulator.memory_url, plugins=[]) as client:
        with pytest.warns(DeprecationWarning, match="JSON-2"):
            await client.login("demo", "admin", "admin")
        assert client.protocol == "jsonrpc"


@pytest.mark.zenoo_emulator(version=18)
async def test_auto_uses_jsonrpc_before_19_even_with_a_key(odoo_emulator: Emulator) -> None:
    async with ZenooClient(odoo_emulator.memory_url, plugins=[]) as client:
        await client.login("demo", "admin", api_key=ADMIN_API_KEY)
        assert client.protocol == "jsonrpc"
        assert client.server_version is not None
        assert client.server_version.major == 18


@pytest.mark.zenoo_emulator(version=17)
async def test_version_and_databases_need_no_login(odoo_emulator: Emulator) -> None:
    async with ZenooClient(odoo_emulator.memory_url, plugins=[]) as client:
        version = await client.version()
        assert version.major == 17
        assert "demo" in await client.list_databases()
        assert (await client.call_method("common", "version"))["server_version"].startswith("17")


@pytest.mark.zenoo_emulator(version=19)
async def test_restricted_user_gets_access_error_over_json2(odoo_emulator: Emulator) -> None:
    async with ZenooClient(odoo_emulator.memory_url, plugins=[]) as client:
        await client.login("demo", "demo2", api_key=DEMO2_API_KEY)
        assert await client.search_count("res.partner", []) > 0
        with pytest.raises(AccessError) as info:
            await client.create("res.partner", {"name": "Not allowed"})
        assert info.value.status == 403


async def test_per_call_timeout(odoo_emulator: Emulator) -> None:
    async with ZenooClient(odoo_emulator.memory_url, plugins=[], timeout=5.0) as client:
        await client.login("demo", "admin", "admin")
        odoo_emulator.faults.latency(1.0, method="search_count", times=5)
        with pytest.raises(ReadTimeout):
            await client.search_count("res.partner", [], timeout=0.05)
        odoo_emulator.faults.clear()
        assert await client.search_count("res.partner", [], timeout=1.0) > 0


async def test_config_file_and_env_drive_the_client(
    odoo_emulator: Emulator, tmp_path: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "zenoo.toml").write_text(  # type: ignore[operator]
        f'url = "{odoo_emulator.memory_url}"\ndatabase = "demo"\nusername = "admin"\n'
        'password = {env = "TEST_ODOO_PASSWORD"}\nplugins = []\n'
    )
    monkeypatch.chdir(tmp_path)  # type: ignore[arg-type]
    monkeypatch.setenv("TEST_ODOO_PASSWORD", "admin")
    async with ZenooClient() as client:
        session = await client.login()
        assert session.uid == 2


async def test_from_config_provider(odoo_emulator: Emulator) -> None:
    class DatabaseConfigProvider:
        """The seed's provider: configuration kept somewhere the client cannot read itself."""

        async def load_config(self) -> dict[str, object]:
            return {
                "url": odoo_emulator.memory_url,
                "database": "demo",
                "username": "admin",
                "password": "admin",
                "plugins": [],
            }

    client = await ZenooClient.from_config_provider(DatabaseConfigProvider())
    async with client:
        session = await client.login()
        assert session.uid == 2


@pytest.mark.zenoo_emulator(version=19)
async def test_zenoo_client_on_odoo_19_uses_json2_without_deprecation_warning(
    zenoo_client: ZenooClient,
) -> None:
    """filterwarnings=error is on: a legacy-RPC login would fail this test at setup."""
    assert zenoo_client.protocol == "json2"
    assert await zenoo_client.search_count("res.partner", []) > 0
