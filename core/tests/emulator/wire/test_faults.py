"""Fault injection through the memory transport: each kind, matching, and counting."""

from __future__ import annotations

import json
import time

import pytest
from wire_helpers import execute_kw, json2_request, jsonrpc_request, partner_count

from zenoo_rpc.errors import ConnectionLost
from zenoo_rpc.testing.emulator.server import Emulator
from zenoo_rpc.testing.transport import MemoryTransport
from zenoo_rpc.transports.base import HttpRequest


def _create(name: str) -> HttpRequest:
    return execute_kw("demo", "res.partner", "create", [{"name": name}])


async def test_drop_before_the_call_loses_nothing(emulator18: Emulator) -> None:
    before = partner_count(emulator18)
    emulator18.faults.drop(method="create", times=1)
    with pytest.raises(ConnectionLost):
        await MemoryTransport(emulator18).request(_create("never"))
    assert partner_count(emulator18) == before


async def test_drop_after_the_call_keeps_the_write(emulator18: Emulator) -> None:
    before = partner_count(emulator18)
    fault = emulator18.faults.drop(after_call=True, model="res.partner", method="create")
    with pytest.raises(ConnectionLost):
        await MemoryTransport(emulator18).request(_create("written"))
    assert partner_count(emulator18) == before + 1
    assert fault.hits == 1


async def test_faults_match_the_odoo_method_only(emulator19: Emulator) -> None:
    emulator19.faults.drop(method="unlink")
    transport = MemoryTransport(emulator19)
    response = await transport.request(json2_request("res.partner", "search_count", {"domain": []}))
    assert response.status == 200
    with pytest.raises(ConnectionLost):
        await transport.request(json2_request("res.partner", "unlink", {"ids": [999999]}))


async def test_times_limits_the_fault(emulator18: Emulator) -> None:
    fault = emulator18.faults.bad_gateway(path="/jsonrpc", times=2)
    transport = MemoryTransport(emulator18)
    statuses = [
        (await transport.request(jsonrpc_request("common", "version"))).status for _ in range(3)
    ]
    assert statuses == [502, 502, 200]
    assert not fault.active


async def test_bad_gateway_is_a_proxy_html_page(emulator18: Emulator) -> None:
    emulator18.faults.bad_gateway()
    response = await MemoryTransport(emulator18).request(jsonrpc_request("common", "version"))
    assert response.status == 502
    assert response.content_type == "text/html"
    assert b"502 Bad Gateway" in response.content


async def test_truncated_body_is_not_json(emulator18: Emulator) -> None:
    emulator18.faults.truncate(times=1)
    response = await MemoryTransport(emulator18).request(jsonrpc_request("common", "version"))
    assert response.status == 200
    assert int(response.header("content-length")) == len(response.content)
    with pytest.raises(ValueError):
        json.loads(response.content)


async def test_latency_delays_the_answer(emulator18: Emulator) -> None:
    emulator18.faults.latency(0.2, path="/jsonrpc", times=1)
    start = time.monotonic()
    await MemoryTransport(emulator18).request(jsonrpc_request("common", "version"))
    assert time.monotonic() - start >= 0.2


async def test_forced_session_expiry(emulator18: Emulator) -> None:
    transport = MemoryTransport(emulator18)
    login = HttpRequest(
        path="/web/session/authenticate",
        headers={"Content-Type": "application/json"},
        content=json.dumps(
            {
                "jsonrpc": "2.0",
                "id": 1,
                "params": {"db": "demo", "login": "admin", "password": "admin"},
            }
        ).encode(),
    )
    cookie = (await transport.request(login)).header("set-cookie").split(";")[0]
    call = HttpRequest(
        path="/web/dataset/call_kw/res.partner/search_count",
        headers={"Content-Type": "application/json", "Cookie": cookie},
        content=json.dumps(
            {
                "jsonrpc": "2.0",
                "id": 2,
                "params": {
                    "model": "res.partner",
                    "method": "search_count",
                    "args": [[]],
                    "kwargs": {},
                },
            }
        ).encode(),
    )
    assert "result" in json.loads((await transport.request(call)).content)
    emulator18.faults.expire_sessions(times=1)
    error = json.loads((await transport.request(call)).content)["error"]
    assert error["code"] == 100
    assert error["data"]["name"] == "odoo.http.SessionExpiredException"


def test_unknown_fault_kind_is_refused(emulator18: Emulator) -> None:
    with pytest.raises(ValueError, match="unknown fault kind"):
        emulator18.faults.add("explode")  # type: ignore[arg-type]
