"""The client over real sockets: the emulator served on a loopback port, both HTTP transports."""

from __future__ import annotations

import asyncio

import pytest

from zenoo_rpc import ZenooClient
from zenoo_rpc.errors import AccessDenied, ConnectError, OutcomeUnknownError
from zenoo_rpc.testing.emulator.database import ADMIN_API_KEY
from zenoo_rpc.testing.emulator.server import Emulator

TRANSPORTS = ["asyncio", "httpx"]


@pytest.mark.parametrize("transport", TRANSPORTS)
@pytest.mark.zenoo_emulator(version=19, size=50)
async def test_every_protocol_over_loopback(
    odoo_emulator: Emulator, odoo_server_url: str, transport: str
) -> None:
    for protocol, credentials in (
        ("json2", {"api_key": ADMIN_API_KEY}),
        ("web", {"password": "admin"}),
    ):
        async with ZenooClient(
            odoo_server_url, protocol=protocol, transport=transport, plugins=[]
        ) as client:
            await client.login("demo", "admin", **credentials)
            rows = await client.search_read("res.partner", [], ["name"], limit=80)
            assert len(rows) == await client.search_count("res.partner", []) > 50
            new = await client.create("res.partner", {"name": f"{protocol} over {transport}"})
            assert await client.read("res.partner", new, ["name"])


@pytest.mark.parametrize("transport", TRANSPORTS)
@pytest.mark.zenoo_emulator(version=19, size=10)
async def test_wrong_api_key_over_sockets_is_access_denied(
    odoo_emulator: Emulator, odoo_server_url: str, transport: str
) -> None:
    """Odoo 19's 401 carries ``WWW-Authenticate: Bearer `` (trailing space) and still arrives."""
    async with ZenooClient(
        odoo_server_url, protocol="json2", transport=transport, plugins=[]
    ) as client:
        with pytest.raises(AccessDenied) as info:
            await client.login("demo", "admin", api_key="not-a-key")
        assert info.value.status == 401


@pytest.mark.parametrize("transport", TRANSPORTS)
async def test_dropped_create_is_not_sent_twice_over_sockets(
    odoo_emulator: Emulator, odoo_server_url: str, transport: str
) -> None:
    async with ZenooClient(odoo_server_url, transport=transport, plugins=[]) as client:
        await client.login("demo", "admin", "admin")
        await client.search_count("res.partner", [])  # the connection is now reused
        odoo_emulator.faults.drop(after_call=True, method="create", times=1)
        with pytest.raises(OutcomeUnknownError):
            await client.create("res.partner", {"name": "Once over the wire"})
        assert await client.search_count("res.partner", [("name", "=", "Once over the wire")]) == 1


@pytest.mark.parametrize("transport", TRANSPORTS)
async def test_concurrent_calls_share_one_client(
    odoo_emulator: Emulator, odoo_server_url: str, transport: str
) -> None:
    async with ZenooClient(odoo_server_url, transport=transport, plugins=[]) as client:
        await client.login("demo", "admin", "admin")
        ids = await asyncio.gather(
            *(client.create("res.partner", {"name": f"Concurrent {i}"}) for i in range(40))
        )
        assert len(set(ids)) == 40
        assert await client.search_count("res.partner", [("name", "like", "Concurrent ")]) == 40


@pytest.mark.parametrize("transport", TRANSPORTS)
async def test_unreachable_server_is_a_connect_error(transport: str) -> None:
    async with ZenooClient(
        "http://127.0.0.1:9", transport=transport, plugins=[], retry={"max_attempts": 1}
    ) as client:
        with pytest.raises(ConnectError) as info:
            await client.version()
        assert info.value.request_sent is False


async def test_cancelled_write_does_not_leave_the_cache_stale(
    odoo_emulator: Emulator, odoo_server_url: str
) -> None:
    async with ZenooClient(odoo_server_url, plugins=[], cache=True) as client:
        await client.login("demo", "admin", "admin")
        partner = await client.create("res.partner", {"name": "Before"})
        assert (await client.read("res.partner", partner, ["name"]))[0]["name"] == "Before"
        odoo_emulator.faults.latency(0.2, method="write", times=1)
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(client.write("res.partner", partner, {"name": "After"}), 0.05)
        await asyncio.sleep(0.4)  # the server finishes the write it received
        assert (await client.read("res.partner", partner, ["name"]))[0]["name"] == "After"


async def test_an_injected_httpx_client_is_used_and_left_open(odoo_server_url: str) -> None:
    import httpx

    seen: list[str] = []

    async def record(request: httpx.Request) -> None:
        seen.append(request.url.path)

    async with httpx.AsyncClient(event_hooks={"request": [record]}) as http:
        async with ZenooClient(odoo_server_url, http_client=http, plugins=[]) as client:
            await client.login("demo", "admin", "admin")
            assert await client.search_count("res.partner", []) > 0
        assert not http.is_closed  # the caller's client, the caller closes it
    assert "/jsonrpc" in seen
