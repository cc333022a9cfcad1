"""What the emulator answers for the operations, on the wire, as real Odoo does.

TOTP per RFC 6238, the 2FA login steps, the web database manager's form
posts and error pages, the legacy ``db`` service's dump and restore, API keys
as records with a hidden secret column, ``/web/content``.
"""

from __future__ import annotations

import base64
import json
from typing import Any
from urllib.parse import urlencode

import pytest
from ops_helpers import MASTER

from zenoo_rpc.protocols.html_page import HtmlPage
from zenoo_rpc.protocols.web import session_cookie
from zenoo_rpc.testing.emulator.database import ADMIN_API_KEY, Database
from zenoo_rpc.testing.emulator.exceptions import AccessError
from zenoo_rpc.testing.emulator.server import Emulator
from zenoo_rpc.testing.emulator.totp import hotp, totp_code, verify_code
from zenoo_rpc.transports.base import HttpRequest, HttpResponse

RFC_SECRET = base64.b32encode(b"12345678901234567890").decode()


def json_call(path: str, params: dict[str, Any], cookie: str | None = None) -> HttpRequest:
    headers = {"Content-Type": "application/json"}
    if cookie:
        headers["Cookie"] = f"session_id={cookie}"
    body = json.dumps({"jsonrpc": "2.0", "method": "call", "id": 1, "params": params})
    return HttpRequest(path=path, headers=headers, content=body.encode())


def form(path: str, fields: dict[str, str], cookie: str | None = None) -> HttpRequest:
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if cookie:
        headers["Cookie"] = f"session_id={cookie}"
    return HttpRequest(path=path, headers=headers, content=urlencode(fields).encode())


def result(response: HttpResponse) -> Any:
    return json.loads(response.content)


@pytest.mark.parametrize(
    ("moment", "code"),
    [
        (59, "94287082"),
        (1111111109, "07081804"),
        (1111111111, "14050471"),
        (1234567890, "89005924"),
        (2000000000, "69279037"),
        (20000000000, "65353130"),
    ],
)
def test_totp_matches_rfc_6238(moment: int, code: str) -> None:
    assert totp_code(RFC_SECRET, moment, digits=8) == code


def test_totp_window_is_one_step() -> None:
    now = 1_700_000_000.0
    assert verify_code(RFC_SECRET, totp_code(RFC_SECRET, now - 30), now)
    assert verify_code(RFC_SECRET, totp_code(RFC_SECRET, now + 30), now)
    assert not verify_code(RFC_SECRET, totp_code(RFC_SECRET, now - 60), now)
    assert not verify_code(RFC_SECRET, "12345", now)
    assert hotp(b"12345678901234567890", 0) == "755224"  # RFC 4226 appendix D


async def test_two_factor_login_steps(emulator: Emulator) -> None:
    secret = emulator.database().enable_totp("admin")
    credentials = {"db": "demo", "login": "admin", "password": "admin"}
    login = await emulator.handle(json_call("/web/session/authenticate", credentials))
    assert result(login)["result"] == {"uid": None}
    half = session_cookie(login)
    assert half
    expired = await emulator.handle(json_call("/web/session/get_session_info", {}, half))
    assert result(expired)["error"]["code"] == 100  # not logged in yet

    page = await emulator.handle(
        HttpRequest(method="GET", path="/web/login/totp", headers={"Cookie": f"session_id={half}"})
    )
    inputs = HtmlPage(page.content).inputs
    assert {"csrf_token", "totp_token", "redirect"} <= set(inputs)

    forged = await emulator.handle(
        form("/web/login/totp", {"csrf_token": "forged", "totp_token": "1"}, half)
    )
    assert forged.status == 400
    wrong = await emulator.handle(
        form("/web/login/totp", {"csrf_token": inputs["csrf_token"], "totp_token": "000000"}, half)
    )
    assert (wrong.status, HtmlPage(wrong.content).alerts) == (
        200,
        ["Verification failed, please double-check the 6-digit code"],
    )
    done = await emulator.handle(
        form(
            "/web/login/totp",
            {"csrf_token": inputs["csrf_token"], "totp_token": totp_code(secret)},
            half,
        )
    )
    assert (done.status, done.header("location")) == (303, "/odoo")
    finished = session_cookie(done)
    assert finished
    assert finished != half  # a new session id, as Odoo rotates it
    info = await emulator.handle(json_call("/web/session/get_session_info", {}, finished))
    assert result(info)["result"]["uid"] == 2


async def test_totp_form_without_a_half_open_session(emulator: Emulator) -> None:
    page = await emulator.handle(HttpRequest(method="GET", path="/web/login/totp"))
    assert (page.status, page.header("location")) == (303, "/web/login")


def test_interactive_logins_refuse_api_keys() -> None:
    db = Database(version=18, size=0)
    assert db.authenticate("admin", ADMIN_API_KEY) == 2
    assert db.authenticate("admin", ADMIN_API_KEY, interactive=True) is None
    db.enable_totp("admin")
    assert db.authenticate("admin", "admin") is None  # RPC: API keys only with 2FA
    assert db.authenticate("admin", "admin", interactive=True) == 2


async def test_web_manager_answers(emulator: Emulator) -> None:
    wrong = await emulator.handle(
        form("/web/database/backup", {"master_pwd": "wrong", "name": "demo"})
    )
    assert wrong.status == 200
    assert HtmlPage(wrong.content).alerts == ["Database backup error: Access Denied"]
    backup = await emulator.handle(
        form("/web/database/backup", {"master_pwd": MASTER, "name": "demo", "backup_format": "zip"})
    )
    assert backup.status == 200
    assert backup.content_type == "application/octet-stream"
    assert backup.header("content-disposition").startswith("attachment; filename*=UTF-8''demo_")
    assert backup.content[:2] == b"PK"
    created = await emulator.handle(
        form(
            "/web/database/create",
            {
                "master_pwd": MASTER,
                "name": "fresh",
                "lang": "en_US",
                "password": "pw",
                "login": "boss",
                "phone": "",
            },
        )
    )
    assert (created.status, created.header("location")) == (303, "/odoo")
    info = await emulator.handle(
        json_call("/web/session/get_session_info", {}, session_cookie(created))
    )
    assert result(info)["result"]["username"] == "boss"  # the new admin is logged in
    assert emulator.database("fresh").authenticate("boss", "pw") == 2
    missing = await emulator.handle(
        form("/web/database/create", {"master_pwd": MASTER, "name": "x"})
    )
    assert missing.status == 500  # Odoo calls the route without its arguments: a TypeError


@pytest.mark.zenoo_emulator(database_manager=False)
async def test_web_manager_can_be_absent(emulator: Emulator) -> None:
    page = await emulator.handle(HttpRequest(method="GET", path="/web/database/manager"))
    assert page.status == 404


async def test_legacy_dump_and_restore(emulator: Emulator) -> None:
    dump = await emulator.handle(
        json_call("/jsonrpc", {"service": "db", "method": "dump", "args": [MASTER, "demo", "zip"]})
    )
    data = result(dump)["result"]
    restored = await emulator.handle(
        json_call(
            "/jsonrpc", {"service": "db", "method": "restore", "args": [MASTER, "back", data]}
        )
    )
    assert result(restored)["result"] is True
    assert (
        emulator.database("back").export_tables()["tables"]
        == (emulator.database("demo").export_tables()["tables"])
    )
    junk = await emulator.handle(
        json_call(
            "/jsonrpc",
            {"service": "db", "method": "restore", "args": [MASTER, "junk", "bm90IGEgYmFja3Vw"]},
        )
    )
    assert result(junk)["error"]["data"]["message"] == "Couldn't restore database"


@pytest.mark.zenoo_emulator(db_service=False)
async def test_db_service_can_be_gone(emulator: Emulator) -> None:
    answer = await emulator.handle(
        json_call("/jsonrpc", {"service": "db", "method": "list", "args": []})
    )
    assert result(answer)["error"]["data"]["name"] == "builtins.KeyError"


def test_export_keeps_ids_and_the_sequence() -> None:
    db = Database(version=17, size=5)
    partners = db.env(2)["res.partner"]
    doomed = partners.create({"name": "Deleted before the backup"}).ids[0]
    partners.browse([doomed]).unlink()
    copy = Database.from_export("copy", json.loads(json.dumps(db.export_tables())))
    assert copy.export_tables() == db.export_tables()
    new = copy.env(2)["res.partner"].create({"name": "After restore"}).ids[0]
    assert new == doomed + 1  # ids are never reused, as a sequence
    with pytest.raises(ValueError, match="export"):
        Database.from_export("x", {"tables": "nope"})


def test_api_key_secret_column_is_never_exposed() -> None:
    db = Database(version=19, size=0)
    fields = db.call(2, "res.users.apikeys", "fields_get", [], {})
    assert "key" not in fields
    assert "index" not in fields
    rows = db.call(2, "res.users.apikeys", "search_read", [[]], {})
    assert rows
    assert all("key" not in row and ADMIN_API_KEY not in json.dumps(row) for row in rows)
    with pytest.raises(AccessError):
        db.call(2, "res.users.apikeys", "create", [{"name": "x", "user_id": 2}], {})
    with pytest.raises(AccessError):
        db.call(2, "res.users.apikeys", "write", [[rows[0]["id"]], {"name": "y"}], {})


async def test_web_content(emulator: Emulator) -> None:
    db = emulator.database()
    private = db.call(
        2, "ir.attachment", "create", [{"name": "p.txt", "datas": "cHJpdmF0ZQ=="}], {}
    )
    public = db.call(
        2,
        "ir.attachment",
        "create",
        [{"name": "pub lic.txt", "datas": "cHVibGlj", "public": True}],
        {},
    )
    anonymous = await emulator.handle(HttpRequest(method="GET", path=f"/web/content/{private}"))
    assert anonymous.status == 404
    shared = await emulator.handle(
        HttpRequest(method="GET", path=f"/web/content/{public}?download=true")
    )
    assert (shared.status, shared.content) == (200, b"public")
    assert shared.header("content-disposition") == "attachment; filename*=UTF-8''pub%20lic.txt"
