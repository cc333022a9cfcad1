"""The bus websocket's version rule across Odoo versions, and the test control that closes it."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest
import websockets
from websockets.asyncio.client import connect

from zenoo_rpc.testing.emulator.serve import serve_emulator
from zenoo_rpc.testing.emulator.server import Emulator


async def _session(http: httpx.AsyncClient) -> str:
    response = await http.post(
        "/web/session/authenticate",
        json={"jsonrpc": "2.0", "id": 1,
              "params": {"db": "demo", "login": "admin", "password": "admin"}},
    )  # fmt: skip
    return response.cookies["session_id"]


async def _subscribe_and_wait(url: str, sid: str, user_agent: str | None) -> None:
    subscribe = json.dumps({"event_name": "subscribe", "data": {"channels": [], "last": 0}})
    async with connect(
        url,
        origin=url.replace("ws://", "http://").split("/websocket")[0],  # type: ignore[arg-type]
        additional_headers={"Cookie": f"session_id={sid}"},
        user_agent_header=user_agent,
    ) as ws:
        await ws.send(subscribe)
        await asyncio.wait_for(ws.recv(), 30)


async def _close_code(url: str, sid: str, *, user_agent: str | None = "test") -> tuple[int, str]:
    """The code and reason the server closes a subscribed bus connection with."""
    with pytest.raises(websockets.ConnectionClosed) as closed:
        await _subscribe_and_wait(url, sid, user_agent)
    assert closed.value.rcvd is not None
    return closed.value.rcvd.code, closed.value.rcvd.reason


async def _close_until_done(
    emulator: Emulator, waiting: list[asyncio.Future[tuple[int, str]]], code: int, reason: str
) -> None:
    """Restart the bus until every connection closed: one still connecting misses a restart."""
    for _ in range(60):
        emulator.bus_for("demo").close_websockets(code, reason)
        done, _pending = await asyncio.wait(waiting, timeout=0.5)
        if len(done) == len(waiting):
            return


@pytest.mark.parametrize(
    ("version", "user_agent", "outdated"),
    [(18, "browser", True), (18, None, False), (17, "browser", True), (16, "browser", False)],
)
async def test_a_missing_worker_version_is_outdated_from_odoo_17(
    version: int, user_agent: str | None, outdated: bool
) -> None:
    emulator = Emulator(version=version, size=3)
    async with serve_emulator(emulator) as url, httpx.AsyncClient(base_url=url) as http:
        sid = await _session(http)
        ws_url = url.replace("http://", "ws://") + "/websocket"
        if outdated:
            assert await _close_code(ws_url, sid, user_agent=user_agent) == (
                1000,
                "OUTDATED_VERSION",
            )
        else:  # accepted: it stays open until the server closes it
            waiting = asyncio.ensure_future(_close_code(ws_url, sid, user_agent=user_agent))
            await _close_until_done(emulator, [waiting], 1001, "going away")
            assert await waiting == (1001, "going away")


async def test_close_websockets_closes_every_open_bus_connection(emulator19: Emulator) -> None:
    async with serve_emulator(emulator19) as url, httpx.AsyncClient(base_url=url) as http:
        sid = await _session(http)
        ws_url = (
            url.replace("http://", "ws://")
            + f"/websocket?version={emulator19.websocket_worker_version}"
        )
        waiting = [asyncio.ensure_future(_close_code(ws_url, sid)) for _ in range(3)]
        await _close_until_done(emulator19, waiting, 1013, "try again later")
        assert await asyncio.gather(*waiting) == [(1013, "try again later")] * 3
