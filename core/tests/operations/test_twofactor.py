"""Two-factor logins: the web session's ``/web/login/totp`` step with a code from a callback."""

from __future__ import annotations

import time

import pytest
from ops_helpers import TRANSPORTS

from zenoo_rpc import ZenooClient
from zenoo_rpc.errors import AccessDenied, InvalidArgument, TwoFactorRequired
from zenoo_rpc.testing.emulator.server import Emulator
from zenoo_rpc.testing.emulator.totp import TIMESTEP, totp_code


@pytest.fixture
def secret(emulator: Emulator) -> str:
    """Admin's 2FA secret: 2FA is on for admin from now on."""
    return emulator.database().enable_totp("admin")


async def test_login_with_the_code(emulator: Emulator, secret: str) -> None:
    asked: list[str] = []

    def code() -> str:
        asked.append("code")
        return totp_code(secret)

    async with ZenooClient(emulator.memory_url, plugins=[]) as client:
        session = await client.login("demo", "admin", "admin", totp=code)
        assert (session.uid, client.protocol, asked) == (2, "web", ["code"])
        assert session.info["uid"] == 2
        assert await client.search_count("res.partner", []) > 0
    assert not any(s.pre_uid for s in emulator.sessions)  # the half-open session was finished


@pytest.mark.parametrize("transport", TRANSPORTS)
async def test_login_over_loopback_with_an_async_callback(
    server_url: str, secret: str, transport: str
) -> None:
    async def code() -> str:
        return totp_code(secret)

    async with ZenooClient(server_url, transport=transport, plugins=[]) as client:
        await client.login("demo", "admin", "admin", totp=code)
        assert await client.read("res.users", 2, ["login"]) == [{"id": 2, "login": "admin"}]


async def test_a_code_from_the_previous_step_is_accepted(emulator: Emulator, secret: str) -> None:
    async with ZenooClient(emulator.memory_url, plugins=[]) as client:
        await client.login(
            "demo", "admin", "admin", totp=lambda: totp_code(secret, time.time() - TIMESTEP)
        )
        assert client.uid == 2


async def test_without_a_callback(emulator: Emulator, secret: str) -> None:
    async with ZenooClient(emulator.memory_url, protocol="web", plugins=[]) as client:
        with pytest.raises(TwoFactorRequired, match="totp=") as info:
            await client.login("demo", "admin", "admin")
        assert isinstance(info.value, AccessDenied)
        assert not client.is_authenticated
    assert not any(s.pre_uid for s in emulator.sessions)  # the half-open session was ended


async def test_wrong_code(emulator: Emulator, secret: str) -> None:
    stale = totp_code(secret, time.time() - 10 * TIMESTEP)
    async with ZenooClient(emulator.memory_url, plugins=[]) as client:
        with pytest.raises(AccessDenied, match="Verification failed") as info:
            await client.login("demo", "admin", "admin", totp=lambda: stale)
        assert not isinstance(info.value, TwoFactorRequired)
        assert not client.is_authenticated
    assert not any(s.pre_uid for s in emulator.sessions)  # the half-open login was ended


async def test_wrong_password_never_asks_for_the_code(emulator: Emulator, secret: str) -> None:
    async with ZenooClient(emulator.memory_url, plugins=[]) as client:
        with pytest.raises(AccessDenied):
            await client.login("demo", "admin", "wrong", totp=pytest.fail)


@pytest.mark.parametrize("bad", [lambda: "", lambda: 123456, lambda: None])
async def test_callback_must_give_a_code(emulator: Emulator, secret: str, bad: object) -> None:
    async with ZenooClient(emulator.memory_url, plugins=[]) as client:
        with pytest.raises(InvalidArgument):
            await client.login("demo", "admin", "admin", totp=bad)  # type: ignore[arg-type]


async def test_rpc_refuses_the_password_of_a_2fa_user(emulator: Emulator, secret: str) -> None:
    async with ZenooClient(emulator.memory_url, protocol="jsonrpc", plugins=[]) as client:
        with pytest.raises(AccessDenied):
            await client.login("demo", "admin", "admin")


async def test_api_keys_skip_2fa(emulator: Emulator, secret: str) -> None:
    async with ZenooClient(emulator.memory_url, protocol="jsonrpc", plugins=[]) as client:
        key = await client_key(emulator)
        await client.login("demo", "admin", api_key=key)
        assert client.uid == 2


async def client_key(emulator: Emulator) -> str:
    return emulator.database().create_api_key(2, "2fa bypass")


async def test_a_new_login_after_expiry_asks_again(emulator: Emulator, secret: str) -> None:
    asked: list[str] = []

    def code() -> str:
        asked.append("code")
        return totp_code(secret)

    async with ZenooClient(emulator.memory_url, plugins=[]) as client:
        await client.login("demo", "admin", "admin", totp=code)
        emulator.expire_sessions()
        assert await client.search_count("res.partner", []) > 0
    assert asked == ["code", "code"]


async def test_users_without_2fa_are_not_asked(emulator: Emulator) -> None:
    async with ZenooClient(emulator.memory_url, plugins=[]) as client:
        await client.login("demo", "admin", "admin", totp=pytest.fail)
        assert client.protocol == "web"
