"""``/websocket/jsonrpc``: HTTP requests as frames, answered concurrently and by id."""

from __future__ import annotations

import asyncio
import base64
import json

import pytest
import websockets
from websockets.asyncio.client import connect
from wire_helpers import ADMIN_KEY, jsonrpc_body

from zenoo_rpc.testing.emulator.server import Emulator


def _url(server: str) -> str:
    return server.replace("http://", "ws://") + "/websocket/jsonrpc"


async def test_many_concurrent_requests_answered_by_id(emulator19: Emulator, server19: str) -> None:
    emulator19.faults.latency(0.2, path="/json/2/*", times=1)  # the first one answers last
    async with connect(_url(server19)) as ws:
        await ws.send(
            json.dumps(
                {
                    "id": 0,
                    "path": "/json/2/res.partner/search_count",
                    "headers": {
                        "Content-Type": "application/json",
                        "Authorization": f"bearer {ADMIN_KEY}",
                    },
                    "body": json.dumps({"domain": []}),
                }
            )
        )
        for n in range(1, 50):
            body = json.dumps(jsonrpc_body("common", "version", request_id=n))
            await ws.send(
                json.dumps(
                    {
                        "id": n,
                        "path": "/jsonrpc",
                        "body": body,
                        "headers": {"Content-Type": "application/json"},
                    }
                )
            )
        replies = [json.loads(await asyncio.wait_for(ws.recv(), 5)) for _ in range(50)]
    assert sorted(r["id"] for r in replies) == list(range(50))
    assert replies[-1]["id"] == 0
    for reply in replies:
        assert reply["status"] == 200
        assert ["Content-Type", "application/json; charset=utf-8"] in reply["headers"]
        if reply["id"]:
            assert json.loads(reply["body"])["id"] == reply["id"]


async def test_session_cookie_and_binary_bodies(emulator19: Emulator, server19: str) -> None:
    db = emulator19.databases["demo"]
    orders = db.call(2, "sale.order", "search", [[]], {"limit": 1})
    login = json.dumps(
        {"jsonrpc": "2.0", "id": 1, "params": {"db": "demo", "login": "admin", "password": "admin"}}
    )
    async with connect(_url(server19)) as ws:
        await ws.send(
            json.dumps(
                {
                    "id": 1,
                    "path": "/web/session/authenticate",
                    "body": login,
                    "headers": {"Content-Type": "application/json"},
                }
            )
        )
        reply = json.loads(await ws.recv())
        cookie = next(v for k, v in reply["headers"] if k == "Set-Cookie").split(";")[0]
        await ws.send(
            json.dumps(
                {
                    "id": 2,
                    "method": "GET",
                    "headers": {"Cookie": cookie},
                    "path": f"/report/pdf/sale.report_saleorder/{orders[0]}",
                }
            )
        )
        pdf = json.loads(await ws.recv())
        await ws.send(json.dumps({"id": 3}))
        invalid = json.loads(await ws.recv())
    assert pdf["status"] == 200
    assert pdf["encoding"] == "base64"
    assert base64.b64decode(pdf["body"]).startswith(b"%PDF-")
    assert invalid["status"] == 400


async def test_dropped_connection_closes_the_socket(emulator19: Emulator, server19: str) -> None:
    emulator19.faults.drop(path="/jsonrpc", times=1)
    async with connect(_url(server19)) as ws:
        body = json.dumps(jsonrpc_body("common", "version"))
        await ws.send(
            json.dumps(
                {
                    "id": 1,
                    "path": "/jsonrpc",
                    "body": body,
                    "headers": {"Content-Type": "application/json"},
                }
            )
        )
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await asyncio.wait_for(ws.recv(), 2)
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 1011
