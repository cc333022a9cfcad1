"""Version differences and protocol corners the captures do not cover one by one."""

from __future__ import annotations

import json
import logging
import xmlrpc.client
from typing import Any

import pytest
from wire_helpers import ADMIN_KEY, execute_kw, json2_request, jsonrpc_request

from zenoo_rpc.testing.__main__ import main
from zenoo_rpc.testing.emulator.server import Emulator
from zenoo_rpc.testing.transport import MemoryTransport
from zenoo_rpc.transports.base import HttpRequest, HttpResponse


async def _send(emulator: Emulator, request: HttpRequest) -> HttpResponse:
    return await MemoryTransport(emulator).request(request)


async def _rpc(emulator: Emulator, service: str, method: str, *args: Any) -> Any:
    return json.loads((await _send(emulator, jsonrpc_request(service, method, *args))).content)


@pytest.mark.parametrize(
    ("version", "code", "first_keys"),
    [(16, 200, ["name", "debug"]), (18, 200, ["name", "debug"]), (19, 0, ["name", "message"])],
)
async def test_jsonrpc_error_envelope_per_version(
    version: int, code: int, first_keys: list[str]
) -> None:
    emulator = Emulator(version=version, size=2)
    answer = await _rpc(
        emulator, "object", "execute_kw", "demo", 2, "bad", "res.partner", "search", [[]]
    )
    error = answer["error"]
    assert (error["code"], error["message"]) == (code, "Odoo Server Error")
    assert list(error["data"])[:2] == first_keys
    assert error["data"]["name"] == "odoo.exceptions.AccessDenied"


async def test_json2_and_version_routes_only_on_19(
    emulator18: Emulator, emulator19: Emulator
) -> None:
    search = json2_request("res.partner", "search_count", {"domain": []})
    old = await _send(emulator18, search)
    assert (old.status, old.content_type) == (404, "text/html")
    assert (await _send(emulator19, search)).status == 200
    for path in ("/json/version", "/web/version", "/doc-bearer/index.json"):
        assert (await _send(emulator18, HttpRequest(method="GET", path=path))).status == 404


async def test_legacy_rpc_logs_deprecation_on_19_only(
    emulator18: Emulator, emulator19: Emulator, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="odoo")
    await _send(emulator18, jsonrpc_request("common", "version"))
    assert not caplog.records
    await _send(emulator19, jsonrpc_request("common", "version"))
    xml = xmlrpc.client.dumps((), "version").encode()
    await _send(
        emulator19,
        HttpRequest(path="/xmlrpc/2/common", content=xml, headers={"Content-Type": "text/xml"}),
    )
    loggers = [r.name for r in caplog.records]
    assert loggers == ["odoo.addons.rpc.controllers.jsonrpc", "odoo.addons.rpc.controllers.xmlrpc"]
    assert all(r.levelno == logging.WARNING for r in caplog.records)
    assert (
        caplog.records[0]
        .getMessage()
        .startswith("The /xmlrpc, /xmlrpc/2 and /jsonrpc endpoints are deprecated in Odoo 19")
    )


async def test_db_service_with_master_password(emulator18: Emulator) -> None:
    assert (await _rpc(emulator18, "db", "list"))["result"] == ["demo"]
    denied = await _rpc(emulator18, "db", "create_database", "wrong", "other", True, "en_US")
    assert denied["error"]["data"]["name"] == "odoo.exceptions.AccessDenied"
    created = await _rpc(emulator18, "db", "create_database", "admin", "other", False, "en_US")
    assert created["result"] is True
    copied = await _rpc(emulator18, "db", "duplicate_database", "admin", "demo", "copy")
    assert copied["result"] is True
    assert (await _rpc(emulator18, "db", "list"))["result"] == ["copy", "demo", "other"]
    login = await _rpc(emulator18, "common", "login", "copy", "admin", "admin")
    assert login["result"] == 2
    assert (await _rpc(emulator18, "db", "drop", "admin", "copy"))["result"] is True
    assert (await _rpc(emulator18, "db", "db_exist", "copy"))["result"] is False
    unknown = await _rpc(emulator18, "db", "no_such", "admin")
    assert unknown["error"]["data"]["name"] == "builtins.KeyError"
    countries = await _rpc(emulator18, "db", "list_countries", "admin")
    assert all(isinstance(c, list) and len(c) == 2 for c in countries["result"])


async def test_web_login_cooldown_spares_jsonrpc(emulator18: Emulator) -> None:
    def web_login(password: str) -> HttpRequest:
        return HttpRequest(
            path="/web/session/authenticate",
            headers={"Content-Type": "application/json"},
            content=json.dumps(
                {
                    "jsonrpc": "2.0",
                    "id": 1,
                    "params": {"db": "demo", "login": "admin", "password": password},
                }
            ).encode(),
        )

    for n in range(10):
        failed = json.loads((await _send(emulator18, web_login(f"wrong-{n}"))).content)
        assert failed["error"]["data"]["message"] == "Access Denied"
    blocked = json.loads((await _send(emulator18, web_login("admin"))).content)
    assert blocked["error"]["data"]["message"].startswith("Too many login failures")
    assert (await _rpc(emulator18, "common", "login", "demo", "admin", "admin"))["result"] == 2
    emulator18.login_cooldown.reset()
    assert "result" in json.loads((await _send(emulator18, web_login("admin"))).content)


async def test_xmlrpc_fault_codes(emulator18: Emulator) -> None:
    async def call(*params: Any) -> Any:
        body = xmlrpc.client.dumps(params, "execute_kw").encode()
        response = await _send(emulator18, HttpRequest(path="/xmlrpc/2/object", content=body))
        assert response.content.startswith(b'<?xml version="1.0"?>\n<methodResponse>\n')
        return xmlrpc.client.loads(response.content)[0][0]

    with pytest.raises(xmlrpc.client.Fault) as denied:
        await call("demo", 2, "bad", "res.partner", "search", [[]])
    assert denied.value.faultCode == 3
    with pytest.raises(xmlrpc.client.Fault) as missing:
        await call("demo", 2, "admin", "res.partner", "no_such_method", [[]])
    assert missing.value.faultCode == 1
    assert missing.value.faultString.startswith("Traceback (most recent call last):\n")
    assert isinstance(await call("demo", 2, "admin", "res.partner", "search", [[]]), list)
    get = await _send(emulator18, HttpRequest(method="GET", path="/xmlrpc/2/object"))
    assert get.status == 405


async def test_doc_bearer(emulator19: Emulator) -> None:
    def get(path: str, key: str | None = ADMIN_KEY) -> HttpRequest:
        headers = {"Authorization": f"bearer {key}"} if key else {}
        return HttpRequest(method="GET", path=path, headers=headers)

    refused = await _send(emulator19, get("/doc-bearer/res.partner.json", None))
    assert refused.status == 401
    assert json.loads(refused.content)["name"] == "werkzeug.exceptions.Unauthorized"
    index = json.loads((await _send(emulator19, get("/doc-bearer/index.json"))).content)
    assert set(index) == {"modules", "models"}
    partner = next(m for m in index["models"] if m["model"] == "res.partner")
    assert set(partner) == {"model", "name", "fields", "methods"}
    assert "search_read" in partner["methods"]
    doc = json.loads((await _send(emulator19, get("/doc-bearer/res.partner.json"))).content)
    assert {"model", "name", "doc", "fields", "methods"} <= set(doc)
    assert doc["fields"]["name"]["module"]
    assert "domain" in doc["methods"]["search_count"]["parameters"]
    unknown = await _send(emulator19, get("/doc-bearer/no.such.json"))
    assert unknown.status == 404


async def test_call_kw_and_session_lifecycle(emulator18: Emulator) -> None:
    def web(path: str, params: dict[str, Any], cookie: str = "") -> HttpRequest:
        headers = {"Content-Type": "application/json"}
        if cookie:
            headers["Cookie"] = cookie
        return HttpRequest(
            path=path,
            headers=headers,
            content=json.dumps({"jsonrpc": "2.0", "id": 5, "params": params}).encode(),
        )

    login = await _send(
        emulator18,
        web("/web/session/authenticate", {"db": "demo", "login": "admin", "password": "admin"}),
    )
    cookie = login.header("set-cookie").split(";")[0]
    info = json.loads(
        (await _send(emulator18, web("/web/session/get_session_info", {}, cookie))).content
    )
    assert info["result"]["uid"] == 2
    assert info["result"]["server_version_info"][0] == 18
    call = web(
        "/web/dataset/call_kw",
        {"model": "res.partner", "method": "search_count", "args": [[]], "kwargs": {}},
        cookie,
    )
    assert isinstance(json.loads((await _send(emulator18, call)).content)["result"], int)
    await _send(emulator18, web("/web/session/destroy", {}, cookie))
    expired = json.loads((await _send(emulator18, call)).content)
    assert expired["error"]["code"] == 100
    assert expired["id"] is None


async def test_execute_and_wrong_arity(emulator18: Emulator) -> None:
    response = await _send(emulator18, execute_kw("demo", "res.partner", "search_count", [[]]))
    assert isinstance(json.loads(response.content)["result"], int)
    short = await _rpc(emulator18, "common", "login", "demo", "admin")
    assert short["error"]["data"]["name"] == "builtins.TypeError"
    assert "password" in short["error"]["data"]["message"]
    unknown_db = await _rpc(emulator18, "common", "login", "nope", "admin", "admin")
    assert unknown_db["error"]["data"]["name"] == "psycopg2.OperationalError"


def test_main_parses_its_options(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    for option in ("--host", "--port", "--version", "--size", "--database"):
        assert option in out
    with pytest.raises(SystemExit):
        main(["--version", "15"])


@pytest.mark.parametrize("version", [16, 17, 18, 19])
async def test_every_version_serves_web_and_legacy_rpc(version: int) -> None:
    emulator = Emulator(version=version, size=3)
    versions = await _rpc(emulator, "common", "version")
    assert versions["result"]["server_version_info"][0] == version
    login = await _send(
        emulator,
        HttpRequest(
            path="/web/session/authenticate",
            headers={"Content-Type": "application/json"},
            content=json.dumps(
                {
                    "jsonrpc": "2.0",
                    "id": 1,
                    "params": {"db": "demo", "login": "admin", "password": "admin"},
                }
            ).encode(),
        ),
    )
    info = json.loads(login.content)["result"]
    assert info["server_version"] == f"{version}.0"
    assert info["websocket_worker_version"] == emulator.websocket_worker_version
    rows = await _rpc(
        emulator,
        "object",
        "execute_kw",
        "demo",
        2,
        "admin",
        "res.partner",
        "search_read",
        [[]],
        {"fields": ["name"], "limit": 2},
    )
    assert [set(row) for row in rows["result"]] == [{"id", "name"}] * 2
    json2 = await _send(emulator, json2_request("res.partner", "search_count", {"domain": []}))
    assert json2.status == (200 if version >= 19 else 404)


def test_describe_call_reads_every_protocol() -> None:
    from zenoo_rpc.testing.emulator.faults import describe_call
    from zenoo_rpc.testing.emulator.routes.http import WebRequest

    xml = xmlrpc.client.dumps(("demo", 2, "pw", "res.partner", "write", [[1], {}]), "execute_kw")
    call_kw = json.dumps({"params": {"model": "sale.order", "method": "action_confirm"}})
    cases = [
        (HttpRequest(path="/json/2/res.partner/create"), ("res.partner", "create")),
        (HttpRequest(path="/xmlrpc/2/object", content=xml.encode()), ("res.partner", "write")),
        (
            HttpRequest(path="/web/dataset/call_kw", content=call_kw.encode()),
            ("sale.order", "action_confirm"),
        ),
        (jsonrpc_request("common", "login", "demo", "a", "b"), ("", "login")),
        (HttpRequest(path="/jsonrpc", content=b"{oops"), ("", "")),
    ]
    for request, expected in cases:
        assert describe_call(WebRequest(request)) == expected
