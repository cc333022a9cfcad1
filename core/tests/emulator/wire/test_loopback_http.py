"""The emulator served over loopback HTTP: real sockets, faults on the wire, concurrency."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest
from wire_helpers import ADMIN_KEY, jsonrpc_body, partner_count

from zenoo_rpc.testing.emulator.serve import serve_emulator_in_thread
from zenoo_rpc.testing.emulator.server import Emulator


async def test_json2_and_jsonrpc_over_http(http19: httpx.AsyncClient) -> None:
    response = await http19.post(
        "/json/2/res.partner/search_count",
        json={"domain": []},
        headers={"Authorization": f"Bearer {ADMIN_KEY}"},
    )
    assert response.status_code == 200
    assert isinstance(response.json(), int)
    assert response.headers["x-content-type-options"] == "nosniff"
    legacy = await http19.post("/jsonrpc", json=jsonrpc_body("common", "version", request_id=7))
    assert legacy.json()["id"] == 7
    version = await http19.get("/json/version")
    assert version.json() == {"version_info": [19, 0, 0, "final", 0, ""], "version": "19.0"}


async def test_many_concurrent_writers_lose_no_write(
    emulator19: Emulator, http19: httpx.AsyncClient
) -> None:
    before = partner_count(emulator19)

    async def write(n: int) -> int:
        response = await http19.post(
            "/json/2/res.partner/create",
            json={"vals_list": [{"name": f"Writer {n}"}]},
            headers={"Authorization": f"bearer {ADMIN_KEY}"},
        )
        assert response.status_code == 200, response.text
        return int(response.json()[0])

    ids = await asyncio.gather(*(write(n) for n in range(60)))
    assert len(set(ids)) == 60
    assert partner_count(emulator19) == before + 60


async def test_concurrent_writes_to_one_record_all_land(
    emulator19: Emulator, http19: httpx.AsyncClient
) -> None:
    created = await http19.post(
        "/json/2/res.partner/create",
        json={"vals_list": [{"name": "Shared"}]},
        headers={"Authorization": f"bearer {ADMIN_KEY}"},
    )
    record = created.json()[0]
    db = emulator19.databases["demo"]

    async def append(n: int) -> None:
        body = jsonrpc_body(
            "object",
            "execute_kw",
            "demo",
            2,
            "admin",
            "res.partner",
            "write",
            [[record], {"comment": f"writer {n}"}],
            {},
        )
        response = await http19.post("/jsonrpc", json=body)
        assert response.json()["result"] is True

    await asyncio.gather(*(append(n) for n in range(40)))
    rows = db.call(2, "res.partner", "read", [[record]], {"fields": ["comment"]})
    assert str(rows[0]["comment"]).startswith("writer")  # sanitised HTML may wrap it


async def test_dropped_connection_has_no_answer(
    emulator19: Emulator, http19: httpx.AsyncClient
) -> None:
    before = partner_count(emulator19)
    emulator19.faults.drop(after_call=True, method="create", times=1)
    with pytest.raises(httpx.RemoteProtocolError):
        await http19.post(
            "/json/2/res.partner/create",
            json={"vals_list": [{"name": "Ghost"}]},
            headers={"Authorization": f"bearer {ADMIN_KEY}"},
        )
    assert partner_count(emulator19) == before + 1
    ok = await http19.post("/jsonrpc", json=jsonrpc_body("common", "version"))
    assert ok.status_code == 200


async def test_truncated_body_over_http(emulator19: Emulator, http19: httpx.AsyncClient) -> None:
    emulator19.faults.truncate(path="/jsonrpc", times=1)
    response = await http19.post("/jsonrpc", json=jsonrpc_body("common", "version"))
    with pytest.raises(json.JSONDecodeError):
        response.json()


async def test_report_pdf_needs_a_session(emulator19: Emulator, http19: httpx.AsyncClient) -> None:
    denied = await http19.get("/report/pdf/sale.report_saleorder/1")
    assert denied.status_code == 303
    assert denied.headers["location"].startswith("/web/login?redirect=")
    login = await http19.post(
        "/web/session/authenticate",
        json={
            "jsonrpc": "2.0",
            "id": 1,
            "params": {"db": "demo", "login": "admin", "password": "admin"},
        },
    )
    assert "result" in login.json()
    db = emulator19.databases["demo"]
    ids = db.call(2, "sale.order", "search", [[]], {"limit": 2})
    assert len(ids) == 2  # the demo data has sale orders
    joined = ",".join(str(i) for i in ids)
    response = await http19.get(f"/report/pdf/sale.report_saleorder/{joined}")
    assert response.status_code == 200, response.text[:300]
    assert response.headers["content-type"] == "application/pdf"
    pdf = response.content
    assert pdf.startswith(b"%PDF-1.4")
    assert pdf.rstrip().endswith(b"%%EOF")
    assert pdf.count(b"/Type /Page ") == len(ids)
    name = db.call(2, "sale.order", "read", [[ids[0]]], {"fields": ["display_name"]})[0]
    assert str(name["display_name"]).encode("latin-1", "replace") in pdf


def test_threaded_server_for_sync_code() -> None:
    emulator = Emulator(version=18)
    with serve_emulator_in_thread(emulator) as url:
        response = httpx.post(f"{url}/jsonrpc", json=jsonrpc_body("common", "version"))
        assert response.json()["result"]["server_version"] == "18.0"
        assert emulator.base_url == url
    with pytest.raises(httpx.ConnectError):
        httpx.post(f"{url}/jsonrpc", json=jsonrpc_body("common", "version"), timeout=1)
