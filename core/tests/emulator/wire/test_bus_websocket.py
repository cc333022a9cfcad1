"""The bus websocket over a real loopback server: handshake rules, pushes, replay, closes."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import websockets
from websockets.asyncio.client import ClientConnection, connect
from wire_helpers import ADMIN_KEY

from zenoo_rpc.testing.emulator.server import Emulator


async def _login(http: httpx.AsyncClient) -> str:
    response = await http.post(
        "/web/session/authenticate",
        json={
            "jsonrpc": "2.0",
            "id": 1,
            "params": {"db": "demo", "login": "admin", "password": "admin"},
        },
    )
    assert response.status_code == 200
    info = response.json()["result"]
    assert info["websocket_worker_version"] == "19.0-2"
    return response.cookies["session_id"]


def _ws_url(server: str, version: str = "19.0-2", path: str = "/websocket") -> str:
    return server.replace("http://", "ws://") + f"{path}?version={version}"


@pytest.fixture
async def bus(server19: str, http19: httpx.AsyncClient) -> AsyncIterator[ClientConnection]:
    sid = await _login(http19)
    async with connect(
        _ws_url(server19),
        origin=server19,  # type: ignore[arg-type]
        additional_headers={"Cookie": f"session_id={sid}"},
    ) as ws:
        yield ws


async def _create(http: httpx.AsyncClient, name: str) -> int:
    response = await http.post(
        "/json/2/res.partner/create",
        json={"vals_list": [{"name": name}]},
        headers={"Authorization": f"bearer {ADMIN_KEY}"},
    )
    assert response.status_code == 200, response.text
    ids = response.json()
    return int(ids[0])


async def _frames(ws: ClientConnection, timeout: float = 2.0) -> list[dict[str, Any]]:
    notes = json.loads(await asyncio.wait_for(ws.recv(), timeout))
    assert isinstance(notes, list)
    return notes


async def _record_frames(ws: ClientConnection, timeout: float = 2.0) -> list[dict[str, Any]]:
    """Notifications about records, skipping any others the ORM may send."""
    while True:
        notes = [
            n
            for n in await _frames(ws, timeout)
            if n["message"]["type"].startswith("zenoo.record/")
        ]
        if notes:
            return notes


async def test_create_from_another_request_is_pushed(
    bus: ClientConnection, http19: httpx.AsyncClient
) -> None:
    await bus.send(
        json.dumps(
            {"event_name": "subscribe", "data": {"channels": ["demo.res.partner"], "last": 0}}
        )
    )
    await bus.send(json.dumps({"event_name": "update_presence", "data": {"inactivity_period": 0}}))
    await asyncio.sleep(0.1)
    new_id = await _create(http19, "Pushed")
    notes = await _record_frames(bus)
    assert {"id", "message"} <= set(notes[-1])
    assert notes[-1]["message"]["type"] == "zenoo.record/create"
    assert new_id in notes[-1]["message"]["payload"]["ids"]


async def test_subscribe_with_last_replays_what_came_after(
    emulator19: Emulator, bus: ClientConnection, http19: httpx.AsyncClient
) -> None:
    bus_log = emulator19.bus_for("demo")
    start = bus_log.last_id
    first = await _create(http19, "Before one")
    second = await _create(http19, "Before two")
    after_first = next(
        n["id"]
        for n in bus_log.since(start, ["demo"])
        if first in n["message"]["payload"].get("ids", [])
    )
    await bus.send(
        json.dumps({"event_name": "subscribe", "data": {"channels": ["demo"], "last": after_first}})
    )
    notes = await _record_frames(bus)
    replayed = [i for n in notes for i in n["message"]["payload"]["ids"]]
    assert second in replayed
    assert first not in replayed


async def test_session_expiry_closes_4001(emulator19: Emulator, bus: ClientConnection) -> None:
    await bus.send(json.dumps({"event_name": "subscribe", "data": {"channels": [], "last": 0}}))
    emulator19.expire_sessions()
    with pytest.raises(websockets.ConnectionClosed) as closed:
        await asyncio.wait_for(bus.recv(), 2)
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 4001


async def test_no_session_closes_4001(server19: str) -> None:
    async with connect(_ws_url(server19), origin=server19) as ws:  # type: ignore[arg-type]
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await asyncio.wait_for(ws.recv(), 2)
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 4001


async def test_outdated_version_closes_1000(server19: str, http19: httpx.AsyncClient) -> None:
    sid = await _login(http19)
    async with connect(
        _ws_url(server19, "18.0-1"),
        origin=server19,  # type: ignore[arg-type]
        additional_headers={"Cookie": f"session_id={sid}"},
    ) as ws:
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await asyncio.wait_for(ws.recv(), 2)
    assert closed.value.rcvd is not None
    assert (closed.value.rcvd.code, closed.value.rcvd.reason) == (1000, "OUTDATED_VERSION")


async def test_origin_is_required(server19: str) -> None:
    with pytest.raises(websockets.InvalidStatus) as refused:
        async with connect(_ws_url(server19)):
            pass
    assert refused.value.response.status_code == 400
    assert refused.value.response.headers["Content-Type"].startswith("text/html")


async def test_foreign_origin_is_accepted(server19: str, http19: httpx.AsyncClient) -> None:
    sid = await _login(http19)
    async with connect(
        _ws_url(server19),
        origin="http://evil.example:1234",  # type: ignore[arg-type]
        additional_headers={"Cookie": f"session_id={sid}"},
    ) as ws:
        assert ws.response is not None
        assert ws.response.status_code == 101
        headers = ws.response.headers
        assert "session_id=" in headers.get("Set-Cookie", "")
        assert headers["Access-Control-Allow-Origin"] == "*"
        assert headers["Access-Control-Allow-Methods"] == "GET, POST"


async def test_health(http19: httpx.AsyncClient) -> None:
    response = await http19.get("/websocket/health")
    assert response.json() == {"status": "pass"}
    assert response.headers["cache-control"] == "no-store"
