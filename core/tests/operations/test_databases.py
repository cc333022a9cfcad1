"""The database manager: ``/web/database/*`` (streamed backups and restores) and the legacy
``db`` service it falls back to."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from ops_helpers import MASTER, TRANSPORTS, leftovers

from zenoo_rpc import ZenooClient
from zenoo_rpc.errors import (
    AccessDenied,
    ConfigError,
    DatabaseExists,
    DatabaseManagerError,
    DatabaseNotFound,
    InvalidArgument,
)
from zenoo_rpc.operations import DatabaseManager
from zenoo_rpc.testing.emulator.server import Emulator

PARTNER_FIELDS = ["name", "email", "is_company", "parent_id", "category_id", "country_id"]


async def partners(url: str, db: str, password: str = "admin", **options: Any) -> list[Any]:  # noqa: S107
    """Every partner of ``db``, read by its admin."""
    async with ZenooClient(url, plugins=[], **options) as client:
        await client.login(db, "admin", password)
        return await client.search_read(
            "res.partner", [("active", "in", [True, False])], PARTNER_FIELDS, order="id"
        )


async def test_create_backup_restore_gives_the_same_records(
    client: ZenooClient, emulator: Emulator, tmp_path: Path
) -> None:
    dbm = client.databases
    await dbm.create("shop", admin_password="shop-pw", demo=True, master_password=MASTER)
    assert "shop" in await dbm.list()
    async with ZenooClient(emulator.memory_url, plugins=[]) as admin:
        await admin.login("shop", "admin", "shop-pw")
        await admin.create("res.partner", {"name": "Only in shop", "email": "x@shop.test"})
    original = await partners(emulator.memory_url, "shop", "shop-pw")

    backup = tmp_path / "shop.zip"
    written = await dbm.backup("shop", backup, master_password=MASTER)
    assert written == backup.stat().st_size > 0
    await dbm.restore("shop-copy", backup, copy=True, master_password=MASTER)

    assert await partners(emulator.memory_url, "shop-copy", "shop-pw") == original
    assert any(row["name"] == "Only in shop" for row in original)
    assert leftovers(tmp_path) == ["shop.zip"]


async def test_backup_is_a_zip_with_odoo_manifest(client: ZenooClient, emulator: Emulator) -> None:
    sink = io.BytesIO()
    await client.databases.backup("demo", sink, master_password=MASTER)
    with zipfile.ZipFile(sink) as archive:
        assert sorted(archive.namelist()) == ["dump.sql", "manifest.json"]
        manifest = json.loads(archive.read("manifest.json"))
    assert manifest["odoo_dump"] == "1"
    assert manifest["db_name"] == "demo"
    assert manifest["version"] == emulator.server_version
    assert manifest["major_version"] == emulator.server_version
    assert manifest["version_info"][0] == emulator.version
    assert "base" in manifest["modules"]
    assert manifest["pg_version"]


async def test_dump_format_round_trip(client: ZenooClient, emulator: Emulator) -> None:
    sink = io.BytesIO()
    await client.databases.backup("demo", sink, backup_format="dump", master_password=MASTER)
    assert not zipfile.is_zipfile(io.BytesIO(sink.getvalue()))
    sink.seek(0)
    await client.databases.restore("demo-dump", sink, master_password=MASTER)
    assert await partners(emulator.memory_url, "demo-dump") == await partners(
        emulator.memory_url, "demo"
    )


@pytest.mark.parametrize("transport", TRANSPORTS)
async def test_streamed_backup_and_restore_over_loopback(
    emulator: Emulator, server_url: str, transport: str, tmp_path: Path
) -> None:
    backup = tmp_path / "demo.zip"
    async with DatabaseManager(server_url, master_password=MASTER, transport=transport) as dbm:
        await dbm.backup("demo", backup)
        await dbm.restore("demo-restored", backup)
        assert sorted(await dbm.list()) == ["demo", "demo-restored"]
    original = await partners(server_url, "demo", transport=transport)
    assert await partners(server_url, "demo-restored", transport=transport) == original


async def test_duplicate_and_drop(client: ZenooClient, emulator: Emulator) -> None:
    dbm = client.databases
    await dbm.duplicate("demo", "demo-twin", neutralize=True, master_password=MASTER)
    assert await dbm.exists("demo-twin")
    assert await partners(emulator.memory_url, "demo-twin") == await partners(
        emulator.memory_url, "demo"
    )
    await dbm.drop("demo-twin", master_password=MASTER)
    assert not await dbm.exists("demo-twin")
    with pytest.raises(DatabaseNotFound):
        await dbm.drop("demo-twin", master_password=MASTER)


async def test_wrong_master_password(client: ZenooClient, tmp_path: Path) -> None:
    dbm = client.databases
    with pytest.raises(AccessDenied, match="Access Denied"):
        await dbm.create("nope", admin_password="x", master_password="wrong")
    with pytest.raises(AccessDenied):
        await dbm.backup("demo", tmp_path / "demo.zip", master_password="wrong")
    with pytest.raises(AccessDenied):
        await dbm.drop("demo", master_password="wrong")
    assert await dbm.list() == ["demo"]
    assert leftovers(tmp_path) == []


async def test_errors_the_server_reports(client: ZenooClient) -> None:
    dbm = client.databases
    with pytest.raises(DatabaseExists):
        await dbm.create("demo", admin_password="x", master_password=MASTER)
    with pytest.raises(DatabaseExists):
        await dbm.duplicate("demo", "demo", master_password=MASTER)
    with pytest.raises(DatabaseNotFound):
        await dbm.duplicate("ghost", "ghost-copy", master_password=MASTER)
    with pytest.raises(DatabaseNotFound):
        await dbm.backup("ghost", io.BytesIO(), master_password=MASTER)
    with pytest.raises(DatabaseManagerError, match="Couldn't restore database"):
        await dbm.restore("junk", b"not a backup at all", master_password=MASTER)
    sink = io.BytesIO()
    await dbm.backup("demo", sink, master_password=MASTER)
    with pytest.raises(DatabaseExists):
        await dbm.restore("demo", sink.getvalue(), master_password=MASTER)


@pytest.mark.parametrize(
    ("name", "argument"),
    [("", "name"), ("-starts-badly", "name"), ("has space", "name"), ("a/b", "name")],
)
async def test_invalid_names_send_nothing(
    client: ZenooClient, emulator: Emulator, name: str, argument: str
) -> None:
    fault = emulator.faults.latency(0, path="/web/database/*")
    with pytest.raises(InvalidArgument) as info:
        await client.databases.create(name, admin_password="x", master_password=MASTER)
    assert info.value.argument == argument
    assert fault.hits == 0


async def test_master_password_sources(emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> None:
    async with ZenooClient(emulator.memory_url, plugins=[]) as client:
        with pytest.raises(ConfigError, match="master password"):
            await client.databases.drop("demo")
    monkeypatch.setenv("ZENOO_MASTER_PASSWORD", MASTER)
    async with ZenooClient(emulator.memory_url, plugins=[]) as client:
        assert "ZENOO" not in repr(client.config.master_password)
        await client.databases.duplicate("demo", "from-env")
    async with DatabaseManager(emulator.memory_url, master_password="wrong") as dbm:
        with pytest.raises(AccessDenied):
            await dbm.drop("from-env")
        await dbm.drop("from-env", master_password=MASTER)  # the argument wins


async def test_change_master_password(emulator: Emulator) -> None:
    async with DatabaseManager(emulator.memory_url, master_password=MASTER) as dbm:
        await dbm.change_master_password("brand-new")
        assert emulator.master_password == "brand-new"
        await dbm.duplicate("demo", "after-change")  # the manager follows the change
        with pytest.raises(AccessDenied):
            await dbm.drop("after-change", master_password=MASTER)


async def test_restore_from_a_stream_of_unknown_size(client: ZenooClient) -> None:
    class Pipe:
        def __init__(self, data: bytes) -> None:
            self._buffer = io.BytesIO(data)

        def read(self, size: int = -1) -> bytes:
            return self._buffer.read(size)

    sink = io.BytesIO()
    await client.databases.backup("demo", sink, master_password=MASTER)
    await client.databases.restore("piped", Pipe(sink.getvalue()), master_password=MASTER)  # type: ignore[arg-type]
    assert await client.databases.exists("piped")


@pytest.mark.zenoo_emulator(database_manager=False)
async def test_legacy_db_service_when_the_web_manager_is_missing(
    client: ZenooClient, emulator: Emulator, tmp_path: Path
) -> None:
    web = emulator.faults.latency(0, path="/web/database/*")
    legacy = emulator.faults.latency(0, path="/jsonrpc")
    dbm = client.databases
    await dbm.create("legacy", admin_password="pw", master_password=MASTER)
    await dbm.backup("legacy", tmp_path / "legacy.zip", master_password=MASTER)
    await dbm.restore("legacy-back", tmp_path / "legacy.zip", master_password=MASTER)
    assert sorted(await dbm.list()) == ["demo", "legacy", "legacy-back"]
    assert await partners(emulator.memory_url, "legacy-back", "pw") == await partners(
        emulator.memory_url, "legacy", "pw"
    )
    await dbm.duplicate("legacy", "legacy-twin", master_password=MASTER)
    await dbm.drop("legacy-twin", master_password=MASTER)
    with pytest.raises(DatabaseNotFound):
        await dbm.drop("legacy-twin", master_password=MASTER)
    with pytest.raises(AccessDenied):
        await dbm.drop("legacy", master_password="wrong")
    with pytest.raises(DatabaseExists):
        await dbm.create("legacy", admin_password="pw", master_password=MASTER)
    assert web.hits == 1  # asked once whether the web manager is there
    assert legacy.hits > 8
    assert "legacy" in repr(dbm)


@pytest.mark.zenoo_emulator(database_manager=False, db_service=False)
async def test_neither_manager_nor_legacy_service(client: ZenooClient) -> None:
    with pytest.raises(DatabaseManagerError, match="neither"):
        await client.databases.duplicate("demo", "copy", master_password=MASTER)


@pytest.mark.zenoo_emulator(master_password="admin")
async def test_a_default_master_password_is_replaced_by_the_first_one_given(
    emulator: Emulator,
) -> None:
    async with DatabaseManager(emulator.memory_url) as dbm:
        await dbm.duplicate("demo", "claimed", master_password="first-given")
        assert emulator.master_password == "first-given"
        with pytest.raises(AccessDenied):
            await dbm.drop("claimed", master_password="admin")


async def test_standalone_manager_rejects_client_and_url(client: ZenooClient) -> None:
    with pytest.raises(InvalidArgument):
        DatabaseManager("http://127.0.0.1:1", client=client)
    manager = DatabaseManager.for_client(client, master_password=MASTER)
    await manager.aclose()  # a borrowed client stays open
    assert await client.search_count("res.partner", []) > 0


@pytest.mark.parametrize("demo", [True, False])
async def test_create_with_or_without_demo_data(
    client: ZenooClient, emulator: Emulator, demo: bool
) -> None:
    await client.databases.create(
        "fresh", admin_password="pw", admin_login="boss", demo=demo, master_password=MASTER
    )
    async with ZenooClient(emulator.memory_url, plugins=[]) as admin:
        await admin.login("fresh", "boss", "pw")
        orders = await admin.search_count("sale.order", [])
        users = await admin.search_read("res.users", [], ["login"], order="id")
    assert bool(orders) is demo
    assert ("demo2" in [user["login"] for user in users]) is demo
