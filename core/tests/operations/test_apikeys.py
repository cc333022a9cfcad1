"""API keys: generate through Odoo's identity check, log in with the key, list, revoke."""

from __future__ import annotations

import datetime as dt

import pytest

from zenoo_rpc import ZenooClient
from zenoo_rpc.errors import (
    AccessDenied,
    AccessError,
    InvalidArgument,
    MissingError,
    PasswordRequired,
    ValidationError,
)
from zenoo_rpc.events import Event
from zenoo_rpc.testing.emulator.database import ADMIN_API_KEY
from zenoo_rpc.testing.emulator.server import Emulator

V19 = pytest.mark.zenoo_emulator(version=19)


async def json2_login(emulator: Emulator, key: str, login: str = "admin") -> ZenooClient:
    client = ZenooClient(emulator.memory_url, protocol="json2", plugins=[])
    await client.login("demo", login, api_key=key)
    return client


@V19
async def test_generate_use_revoke(emulator: Emulator) -> None:
    """The key works over JSON-2 until it is revoked."""
    async with ZenooClient(emulator.memory_url, protocol="web", plugins=[]) as client:
        await client.login("demo", "admin", "admin")
        key = await client.api_keys.generate("ci pipeline")
        assert len(key) == 40
        keys = await client.api_keys.list()
        new = [info for info in keys if info.name == "ci pipeline"]
        assert len(new) == 1
        assert new[0].scope is None
        assert new[0].expiration_date is None  # admins may make persistent keys
        assert new[0].create_date is not None
        assert new[0].create_date.tzinfo is dt.timezone.utc

        with_key = await json2_login(emulator, key)
        async with with_key:
            assert with_key.uid == 2
            assert await with_key.search_count("res.partner", []) > 0

        await client.api_keys.revoke(new[0].id)
        assert "ci pipeline" not in [info.name for info in await client.api_keys.list()]
    refused = ZenooClient(emulator.memory_url, protocol="json2", plugins=[])
    async with refused:
        with pytest.raises(AccessDenied):
            await refused.login("demo", "admin", api_key=key)


@V19
async def test_expiration_date(emulator: Emulator) -> None:
    expires = dt.datetime.now(dt.timezone.utc).replace(microsecond=0) + dt.timedelta(hours=5)
    async with ZenooClient(emulator.memory_url, protocol="web", plugins=[]) as client:
        await client.login("demo", "demo2", "demo2")
        key = await client.api_keys.generate("short lived", expiration=expires)
        (info,) = [k for k in await client.api_keys.list() if k.name == "short lived"]
        assert info.expiration_date == expires
        with pytest.raises(ValidationError, match="expiration date"):
            await client.api_keys.generate("forever")  # only administrators may
    async with await json2_login(emulator, key, "demo2") as with_key:
        assert with_key.uid == 5


@V19
async def test_expired_key_is_refused(emulator: Emulator) -> None:
    yesterday = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=1)
    async with ZenooClient(emulator.memory_url, protocol="web", plugins=[]) as client:
        await client.login("demo", "admin", "admin")
        key = await client.api_keys.generate("already over", expiration=yesterday)
    refused = ZenooClient(emulator.memory_url, protocol="json2", plugins=[])
    async with refused:
        with pytest.raises(AccessDenied):
            await refused.login("demo", "admin", api_key=key)


@V19
async def test_identity_check_needs_the_password(emulator: Emulator) -> None:
    async with await json2_login(emulator, ADMIN_API_KEY) as client:
        with pytest.raises(PasswordRequired, match="password="):
            await client.api_keys.generate("from a key")
        with pytest.raises(AccessDenied, match="Incorrect Password"):
            await client.api_keys.generate("from a key", password="wrong")
        key = await client.api_keys.generate("from a key", password="admin")
    async with await json2_login(emulator, key):
        pass


@V19
async def test_new_key_never_reaches_events(emulator: Emulator) -> None:
    seen: list[str] = []

    def listener(event: Event) -> None:
        call = event.call
        seen.append(repr(event.result) + (repr((call.args, call.kwargs)) if call else ""))

    async with ZenooClient(emulator.memory_url, protocol="web", plugins=[]) as client:
        client.register_event_handler(listener)
        await client.login("demo", "admin", "admin")
        key = await client.api_keys.generate("secret one")
    assert seen
    assert not any(key in text or "'admin'" in text for text in seen)


@V19
async def test_revoke_errors(emulator: Emulator) -> None:
    async with ZenooClient(emulator.memory_url, protocol="web", plugins=[]) as client:
        await client.login("demo", "admin", "admin")
        with pytest.raises(MissingError):
            await client.api_keys.revoke(987654)
        with pytest.raises(InvalidArgument):
            await client.api_keys.revoke(0)
        with pytest.raises(InvalidArgument, match="scope"):
            await client.api_keys.generate("scoped", scope="rpc")
        with pytest.raises(InvalidArgument):
            await client.api_keys.generate("  ")


@V19
async def test_users_see_and_remove_only_their_keys(emulator: Emulator) -> None:
    async with ZenooClient(emulator.memory_url, protocol="web", plugins=[]) as admin:
        await admin.login("demo", "admin", "admin")
        admin_keys = await admin.api_keys.list()
    async with ZenooClient(emulator.memory_url, protocol="web", plugins=[]) as demo2:
        await demo2.login("demo", "demo2", "demo2")
        own = await demo2.api_keys.list()
        assert [info.name for info in own] == ["zenoo test key"]
        assert not {info.id for info in own} & {info.id for info in admin_keys}
        with pytest.raises(AccessError, match="unless they're yours"):
            await demo2.api_keys.revoke(admin_keys[0].id)


@pytest.mark.zenoo_emulator(version=16)
async def test_odoo_16_has_no_expiration(emulator: Emulator) -> None:
    async with ZenooClient(emulator.memory_url, protocol="jsonrpc", plugins=[]) as client:
        await client.login("demo", "admin", "admin")
        with pytest.raises(InvalidArgument, match="17"):
            await client.api_keys.generate("x", expiration=dt.date(2030, 1, 1))
        key = await client.api_keys.generate("sixteen")
        (info,) = [k for k in await client.api_keys.list() if k.name == "sixteen"]
        assert info.expiration_date is None
    async with ZenooClient(emulator.memory_url, protocol="jsonrpc", plugins=[]) as with_key:
        await with_key.login("demo", "admin", api_key=key)
        assert with_key.uid == 2


@pytest.mark.zenoo_emulator(version=18)
async def test_over_legacy_json_rpc(emulator: Emulator) -> None:
    async with ZenooClient(emulator.memory_url, protocol="jsonrpc", plugins=[]) as client:
        await client.login("demo", "admin", "admin")
        key = await client.api_keys.generate("over jsonrpc")
        (info,) = [k for k in await client.api_keys.list() if k.name == "over jsonrpc"]
        await client.api_keys.revoke(info.id)
    async with ZenooClient(emulator.memory_url, protocol="jsonrpc", plugins=[]) as with_key:
        with pytest.raises(AccessDenied):
            await with_key.login("demo", "admin", api_key=key)
