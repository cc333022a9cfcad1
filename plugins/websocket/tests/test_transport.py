"""The ``ws://`` transport: a client end to end, 500 calls on one websocket, drops, odd servers."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from websockets.asyncio.server import Server, ServerConnection, serve

from zenoo_rpc import ZenooClient
from zenoo_rpc.errors import (
    ConfigError,
    ConnectError,
    ConnectionLost,
    ConnectTimeout,
    OutcomeUnknownError,
    ProtocolError,
    ReadTimeout,
)
from zenoo_rpc.testing.emulator.database import ADMIN_API_KEY
from zenoo_rpc.testing.emulator.serve import serve_emulator_in_thread
from zenoo_rpc.testing.emulator.server import Emulator
from zenoo_rpc.transports.base import HttpRequest, TransportOptions
from zenoo_rpc_websocket import WebSocketTransport

JSON = {"Content-Type": "application/json"}


def ws_url(http_url: str) -> str:
    return http_url.replace("http://", "ws://", 1)


def version_request(request_id: int, timeout: float | None = None) -> HttpRequest:
    body = {"jsonrpc": "2.0", "method": "call", "id": request_id,
            "params": {"service": "common", "method": "version", "args": []}}  # fmt: skip
    return HttpRequest(
        path="/jsonrpc", headers=JSON, content=json.dumps(body).encode(), timeout=timeout
    )


async def until_in_flight(transport: WebSocketTransport, count: int) -> None:
    """Wait until ``count`` requests are on the wire (no fixed sleep: CI machines are slow)."""

    async def poll() -> None:
        while transport.in_flight < count:  # noqa: ASYNC110 - a counter, no event to wait on
            await asyncio.sleep(0.005)

    await asyncio.wait_for(poll(), 30)


# --------------------------------------------------------------------------- the client over ws://


def test_client_over_ws_end_to_end_against_a_threaded_server() -> None:
    emulator = Emulator(version=18, size=20)
    with serve_emulator_in_thread(emulator) as url:

        async def scenario() -> None:
            async with ZenooClient(ws_url(url), plugins=["websocket"]) as client:
                await client.login("demo", "admin", "admin")
                assert isinstance(client.transport, WebSocketTransport)
                assert client.protocol == "jsonrpc"  # auto: Odoo 18, over the websocket
                rows = await client.search_read("res.partner", [], ["name"], limit=80)
                assert len(rows) == await client.search_count("res.partner", []) >= 20
                new = await client.create("res.partner", {"name": "Over a websocket"})
                [row] = await client.read("res.partner", [new], ["name"])
                assert row["name"] == "Over a websocket"

        asyncio.run(scenario())
    assert emulator.database().call(2, "res.partner", "search_count",
                                    [[("name", "=", "Over a websocket")]], {}) == 1  # fmt: skip


@pytest.mark.zenoo_emulator(version=19, size=10)
async def test_json2_and_web_session_protocols_over_ws(odoo_server_url: str) -> None:
    cases: list[tuple[str, dict[str, Any]]] = [
        ("json2", {"api_key": ADMIN_API_KEY}),
        ("web", {"password": "admin"}),
    ]
    for protocol, secret in cases:
        async with ZenooClient(
            ws_url(odoo_server_url), protocol=protocol, plugins=["websocket"]
        ) as client:
            await client.login("demo", "admin", **secret)
            assert client.protocol == protocol
            assert await client.search_count("res.partner", [("id", "=", 1)]) == 1


async def test_without_the_plugin_ws_urls_name_what_is_installed(odoo_server_url: str) -> None:
    client = ZenooClient(ws_url(odoo_server_url), plugins=[])
    with pytest.raises(ConfigError, match=r"No transport for ws:// URLs") as info:
        await client.open()
    assert "http" in str(info.value)


@pytest.mark.zenoo_emulator(size=520)
async def test_500_concurrent_calls_over_one_websocket_each_get_their_own_answer(
    odoo_emulator: Emulator, odoo_server_url: str
) -> None:
    async with ZenooClient(ws_url(odoo_server_url), plugins=["websocket"]) as client:
        await client.login("demo", "admin", "admin")
        names = {
            row["id"]: row["name"]
            for row in await client.search_read("res.partner", [], ["name"], limit=500)
        }
        assert len(names) == 500
        transport = client.transport
        assert isinstance(transport, WebSocketTransport)
        odoo_emulator.faults.latency(0.05, path="/jsonrpc")  # every call overlaps the others
        peak = 0

        async def watch() -> None:
            nonlocal peak
            while True:
                peak = max(peak, transport.in_flight)
                await asyncio.sleep(0.005)

        async def read(record_id: int) -> tuple[int, list[dict[str, Any]]]:
            return record_id, await client.read("res.partner", [record_id], ["name"])

        watcher = asyncio.ensure_future(watch())
        try:
            answers = await asyncio.gather(*(read(record_id) for record_id in names))
        finally:
            watcher.cancel()
        assert len(answers) == 500
        for record_id, rows in answers:
            assert rows == [{"id": record_id, "name": names[record_id]}]
        assert peak > 100, "the calls did not overlap on the websocket"
        assert transport.connections == 1


# --------------------------------------------------------------------------- drops


async def test_a_dropped_websocket_fails_every_call_in_flight_then_reconnects(
    odoo_emulator: Emulator, odoo_server_url: str
) -> None:
    transport = WebSocketTransport(TransportOptions(base_url=ws_url(odoo_server_url)))
    try:
        assert (await transport.request(version_request(0))).status == 200
        # Far longer than the test: the drop, not the answer, ends these calls.
        odoo_emulator.faults.latency(5.0, method="version", times=3)
        odoo_emulator.faults.drop(method="about", times=1)
        slow = [asyncio.ensure_future(transport.request(version_request(n))) for n in (1, 2, 3)]
        await until_in_flight(transport, 3)
        about = HttpRequest(path="/jsonrpc", headers=JSON, content=json.dumps(
            {"jsonrpc": "2.0", "method": "call", "id": 4,
             "params": {"service": "common", "method": "about", "args": []}}).encode())  # fmt: skip
        with pytest.raises(ConnectionLost) as info:
            await transport.request(about)
        assert "1011" in str(info.value)
        for call in slow:
            with pytest.raises(ConnectionLost) as lost:
                await call
            assert lost.value.request_sent is True
        assert (await transport.request(version_request(5))).status == 200
        assert transport.connections == 2
    finally:
        await transport.aclose()


async def test_after_a_drop_reads_are_sent_again_and_a_write_never_is(
    odoo_emulator: Emulator, odoo_server_url: str
) -> None:
    retry = {"base_delay": 0.01, "circuit_breaker": {"enabled": False}}
    async with ZenooClient(ws_url(odoo_server_url), plugins=["websocket"], retry=retry) as client:
        await client.login("demo", "admin", "admin")
        before = await client.search_count("res.partner", [])
        transport = client.transport
        assert isinstance(transport, WebSocketTransport)
        # Far longer than the test: the drop, not the answer, ends these reads.
        odoo_emulator.faults.latency(5.0, method="search_count", times=5)
        odoo_emulator.faults.drop(after_call=True, method="create", times=1)
        reads = asyncio.gather(*(client.search_count("res.partner", []) for _ in range(5)))
        await until_in_flight(transport, 5)  # the five reads are on the wire
        with pytest.raises(OutcomeUnknownError) as info:
            await client.create("res.partner", {"name": "Created once"})
        assert isinstance(info.value.__cause__, ConnectionLost)
        assert await reads == [before + 1] * 5  # sent again on a new websocket, after the create
        assert await client.search_count("res.partner", [("name", "=", "Created once")]) == 1
        assert transport.connections == 2


async def test_the_retry_policy_resends_reads_after_a_drop(
    odoo_emulator: Emulator, odoo_server_url: str
) -> None:
    async with ZenooClient(ws_url(odoo_server_url), plugins=["websocket"]) as client:
        await client.login("demo", "admin", "admin")
        odoo_emulator.faults.drop(path="/jsonrpc", method="search_count", times=1)
        assert await client.search_count("res.partner", []) > 0


# --------------------------------------------------------------------------- the transport alone


async def test_aclose_fails_the_calls_in_flight(
    odoo_emulator: Emulator, odoo_server_url: str
) -> None:
    transport = WebSocketTransport(TransportOptions(base_url=ws_url(odoo_server_url)))
    odoo_emulator.faults.latency(5.0, path="/jsonrpc", times=3)
    calls = asyncio.gather(
        *(transport.request(version_request(n)) for n in range(3)), return_exceptions=True
    )
    await until_in_flight(transport, 3)
    await transport.aclose()
    outcomes = await calls
    assert all(isinstance(o, ConnectionLost) and o.request_sent for o in outcomes), outcomes
    with pytest.raises(ConnectError, match="closed"):
        await transport.request(version_request(9))


async def test_max_in_flight_bounds_the_calls_on_the_wire(
    odoo_emulator: Emulator, odoo_server_url: str
) -> None:
    transport = WebSocketTransport(
        TransportOptions(base_url=ws_url(odoo_server_url), settings={"max_in_flight": 2})
    )
    try:
        odoo_emulator.faults.latency(1.0, path="/jsonrpc", times=2)
        first = [asyncio.ensure_future(transport.request(version_request(n))) for n in range(2)]
        await until_in_flight(transport, 2)
        with pytest.raises(ConnectTimeout, match="2 calls already in flight") as info:
            await transport.request(version_request(3, timeout=0.1))
        assert info.value.request_sent is False
        assert [r.status for r in await asyncio.gather(*first)] == [200, 200]
        assert (await transport.request(version_request(4))).status == 200
    finally:
        await transport.aclose()


async def test_unknown_endpoint_is_a_connect_error(odoo_server_url: str) -> None:
    transport = WebSocketTransport(
        TransportOptions(base_url=ws_url(odoo_server_url), settings={"path": "/no/such/socket"})
    )
    with pytest.raises(ConnectError, match=r"refused the websocket .*/no/such/socket: HTTP 403"):
        await transport.request(version_request(1))
    await transport.aclose()


def test_bad_urls_and_settings_are_config_errors() -> None:
    with pytest.raises(ConfigError, match="not a ws:// or wss:// base URL"):
        WebSocketTransport(TransportOptions(base_url="http://127.0.0.1:8069"))
    with pytest.raises(ConfigError, match=r"max_in_flight") as info:
        WebSocketTransport(
            TransportOptions(base_url="ws://127.0.0.1:8069", settings={"max_in_flight": 0})
        )
    assert info.value.path == "$.plugins.websocket.max_in_flight"
    with pytest.raises(ConfigError, match="unknown field") as info:
        WebSocketTransport(TransportOptions(base_url="ws://127.0.0.1:8069", settings={"pth": "/"}))


def test_an_unreadable_ca_file_is_a_config_error_naming_it(tmp_path: Path) -> None:
    for bad in (tmp_path / "missing.pem", tmp_path):
        with pytest.raises(ConfigError, match="ca_file") as info:
            WebSocketTransport(
                TransportOptions(base_url="wss://127.0.0.1:8069", settings={"ca_file": str(bad)})
            )
        assert info.value.path == "$.plugins.websocket.ca_file"
    garbage = tmp_path / "garbage.pem"
    garbage.write_text("not a certificate")
    with pytest.raises(ConfigError, match="ca_file"):
        WebSocketTransport(
            TransportOptions(base_url="wss://127.0.0.1:8069", settings={"ca_file": str(garbage)})
        )


def test_url_keeps_prefix_and_drops_credentials() -> None:
    transport = WebSocketTransport(
        TransportOptions(base_url="wss://bot:secret@odoo.example.com/odoo/", verify_ssl=False)
    )
    assert transport.url == "wss://odoo.example.com:443/odoo/websocket/jsonrpc"
    assert "secret" not in repr(transport)


# --------------------------------------------------------------------------- odd servers


Script = Callable[[ServerConnection, dict[str, Any]], Awaitable[None]]


@pytest.fixture
async def scripted() -> AsyncIterator[Callable[[Script], Awaitable[str]]]:
    """A websocket server answering each request frame with ``script(ws, frame)``."""
    servers: list[Server] = []

    async def start(script: Script) -> str:
        async def handler(ws: ServerConnection) -> None:
            async for message in ws:
                await script(ws, json.loads(message))

        server = await serve(handler, "127.0.0.1", 0)
        servers.append(server)
        port = next(iter(server.sockets)).getsockname()[1]
        return f"ws://127.0.0.1:{port}"

    yield start
    for server in servers:
        server.close()
        await server.wait_closed()


async def test_answers_out_of_order_and_late_answers_reach_no_one(
    scripted: Callable[[Script], Awaitable[str]],
) -> None:
    held: list[dict[str, Any]] = []

    async def script(ws: ServerConnection, frame: dict[str, Any]) -> None:
        held.append(frame)
        if len(held) == 3:  # answer the three in reverse order, twice the first
            for seen in [*reversed(held), held[0]]:
                await ws.send(json.dumps({"id": seen["id"], "status": 200,
                                          "headers": [], "body": seen["body"]}))  # fmt: skip

    url = await scripted(script)
    transport = WebSocketTransport(TransportOptions(base_url=url))
    answers = await asyncio.gather(
        *(transport.request(HttpRequest(path="/x", content=b"%d" % n)) for n in range(3))
    )
    assert [a.content for a in answers] == [b"0", b"1", b"2"]
    assert transport.in_flight == 0
    await transport.aclose()


async def test_a_malformed_answer_fails_its_own_request_only(
    scripted: Callable[[Script], Awaitable[str]],
) -> None:
    async def script(ws: ServerConnection, frame: dict[str, Any]) -> None:
        if frame["body"] == "bad":
            await ws.send(json.dumps({"id": frame["id"], "status": "not a status"}))
        elif frame["body"] == "bad64":
            await ws.send(json.dumps({"id": frame["id"], "status": 200, "headers": [],
                                      "body": "%%%", "encoding": "base64"}))  # fmt: skip
        else:
            await ws.send(json.dumps({"id": frame["id"], "status": 200, "headers": [],
                                      "body": frame["body"]}))  # fmt: skip

    url = await scripted(script)
    transport = WebSocketTransport(TransportOptions(base_url=url))
    with pytest.raises(ProtocolError, match="malformed"):
        await transport.request(HttpRequest(path="/x", content=b"bad"))
    with pytest.raises(ProtocolError, match="base64"):
        await transport.request(HttpRequest(path="/x", content=b"bad64"))
    assert (await transport.request(HttpRequest(path="/x", content=b"fine"))).content == b"fine"
    assert transport.connections == 1
    await transport.aclose()


async def test_a_frame_that_answers_nothing_drops_the_connection(
    scripted: Callable[[Script], Awaitable[str]],
) -> None:
    async def script(ws: ServerConnection, frame: dict[str, Any]) -> None:
        if frame["body"] == "garbage":
            await ws.send("<html>not a frame</html>")
        else:
            await ws.send(json.dumps({"id": frame["id"], "status": 200, "headers": [],
                                      "body": frame["body"]}))  # fmt: skip

    url = await scripted(script)
    transport = WebSocketTransport(TransportOptions(base_url=url))
    with pytest.raises(ConnectionLost, match="1002"):
        await transport.request(HttpRequest(path="/x", content=b"garbage"))
    assert (await transport.request(HttpRequest(path="/x", content=b"next"))).content == b"next"
    assert transport.connections == 2
    await transport.aclose()


async def test_a_silent_server_is_a_read_timeout(
    scripted: Callable[[Script], Awaitable[str]],
) -> None:
    async def script(ws: ServerConnection, frame: dict[str, Any]) -> None:
        return None

    url = await scripted(script)
    transport = WebSocketTransport(TransportOptions(base_url=url, timeout=0.1))
    with pytest.raises(ReadTimeout) as info:
        await transport.request(HttpRequest(path="/x", content=b"anyone?"))
    assert info.value.request_sent is True
    assert transport.in_flight == 0
    await transport.aclose()


async def test_aclose_while_connecting_leaves_no_websocket_open() -> None:
    handshaking, release = asyncio.Event(), asyncio.Event()
    opened: list[ServerConnection] = []

    async def hold(connection: ServerConnection, request: Any) -> None:
        handshaking.set()
        await release.wait()  # the handshake finishes only after aclose()

    async def handler(ws: ServerConnection) -> None:
        opened.append(ws)
        await ws.wait_closed()

    async with serve(handler, "127.0.0.1", 0, process_request=hold) as server:
        port = next(iter(server.sockets)).getsockname()[1]
        transport = WebSocketTransport(TransportOptions(base_url=f"ws://127.0.0.1:{port}"))
        call = asyncio.ensure_future(transport.request(version_request(1)))
        await asyncio.wait_for(handshaking.wait(), 30)
        await transport.aclose()
        release.set()
        with pytest.raises(ConnectError, match="closed") as info:
            await asyncio.wait_for(call, 30)
        assert info.value.request_sent is False
        assert transport.in_flight == 0
        assert len(opened) == 1
        await asyncio.wait_for(opened[0].wait_closed(), 30)  # closed by the client
