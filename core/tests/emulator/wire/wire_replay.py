"""Real Odoo captures, rewritten to run against an emulator.

A capture names the capture server's databases (``zenoo`` / ``zenoo19``), the
uid of its restricted user (8 on 18, 7 on 19), records it created a moment
before (ids 48-52) and scrubbed secrets (``<api-key>``, ``<session>``).
:func:`prepare` turns one into a request the emulator can answer the same way:
its database, its demo2 uid, fresh records (or just-deleted ones) in place of
those ids, real API keys and a live session cookie.
"""

from __future__ import annotations

import contextlib
import json
import xmlrpc.client
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from zenoo_rpc.testing.emulator import database as database_module
from zenoo_rpc.testing.emulator.server import Emulator
from zenoo_rpc.transports.base import HttpRequest

__all__ = ["CAPTURES", "SKIPPED", "Case", "load_cases", "prepare"]

CAPTURES = Path(__file__).parents[2] / "captures"

#: Captures that are not replayed here, and why.
SKIPPED = {
    "setup_create_user_demo2": "capture setup: the emulator ships demo2 already",
    "setup_find_demo2": "capture setup: looks demo2 up before creating it",
    "setup_find_group_user": "capture setup: ir.model.data lookup for the user creation",
    "legacy_rpc_deprecation_warning_log": "a server log, not an exchange: "
    "test_legacy_rpc_logs_deprecation checks it",
    "websocket_prefork_gevent_port_8172": "prefork/gevent server layout (no such thing here)",
    "websocket_prefork_http_port_8169": "prefork HTTP worker refusing websockets",
    "websocket_threaded": "websocket exchange: test_bus_websocket.py replays it over loopback",
    "websocket_threaded_8079": "websocket exchange: test_bus_websocket.py replays it",
    "websocket_threaded_8079_foreign_origin": "websocket exchange: test_bus_websocket.py",
    "websocket_threaded_8079_no_origin": "websocket handshake: test_bus_websocket.py",
    "websocket_threaded_8079_no_origin_raw": "websocket handshake: test_bus_websocket.py",
}

#: Cases about records the capture had just created: ``{captured id: fresh record}``.
FRESH_IDS = {
    "jsonrpc_write_res_partner": [48],
    "jsonrpc_read_res_partner_after_write": [48],
    "jsonrpc_unlink_res_partner": [48, 49, 50],
    "json2_write_res_partner": [50],
    "json2_read_after_write": [50],
    "json2_read_res_partner": [50, 51, 52],
    "json2_read_no_fields": [50],
    "json2_web_read_spec": [50],
    "json2_unlink_res_partner": [50, 51, 52],
    "json2_error_validation_recursive_parent": [50],
}
#: Cases about records the capture had just deleted.
DELETED_IDS = {
    "error_missing_write_deleted_id": [48],
    "missing_read_deleted_id_returns_empty": [48],
    "web_call_kw_error_missing_write": [48],
    "xmlrpc_error_missing_write_deleted_id": [48],
    "xmlrpc_missing_read_deleted_id_returns_empty": [48],
    "json2_error_missing_unlink_deleted": [50],
    "json2_error_missing_write_deleted": [50],
    "json2_read_deleted_id_returns_empty": [50],
}
#: Cases whose login cooldown the capture had provoked with 10 wrong passwords.
COOLDOWN = {"error_web_login_cooldown_right_password", "error_web_login_cooldown_wrong_password"}
#: Cases that were the first request of their session after the login (Odoo sends
#: the cookie again then, not on later requests).
FIRST_AFTER_LOGIN = {"web_call_kw_search_read_res_partner", "web_call_kw_search_read"}
CAPTURE_DATABASES = {"zenoo", "zenoo19"}
CAPTURE_DEMO2_UIDS = {18: 8, 19: 7}


@dataclass
class Case:
    name: str
    version: int
    capture: dict[str, Any]

    @property
    def request(self) -> dict[str, Any]:
        return dict(self.capture["request"])

    @property
    def response(self) -> dict[str, Any]:
        return dict(self.capture["response"])

    @property
    def uses_demo2(self) -> bool:
        text = (self.name + " " + str(self.capture.get("description", ""))).lower()
        return "demo2" in text


def load_cases() -> list[Case]:
    cases = []
    for folder, version in (("odoo18", 18), ("odoo19", 19)):
        for path in sorted((CAPTURES / folder).glob("*.json")):
            if path.name.startswith("_"):
                continue
            capture = json.loads(path.read_text())
            cases.append(Case(path.stem, version, capture))
    return cases


def _login(
    emulator: Emulator, db: str, login: str, password: str, *, first_use: bool = False
) -> tuple[int, str]:
    """Log in; unless ``first_use``, as if the session had already served a request."""
    database = emulator.databases[db]
    uid = database.authenticate(login, password)
    assert uid, f"{login} cannot log in to the emulator"
    session = emulator.sessions.new(db, uid, login)
    session.dirty = first_use
    return uid, session.sid


def _records(emulator: Emulator, db: str, count: int, *, delete: bool) -> list[int]:
    database = emulator.databases[db]
    ids = [
        database.call(2, "res.partner", "create", [{"name": f"Replay {n}", "is_company": True}], {})
        for n in range(count)
    ]
    if delete:
        database.call(2, "res.partner", "unlink", [ids], {})
    return ids


def _substitute(value: Any, mapping: dict[Any, Any]) -> Any:
    if isinstance(value, list):
        return [_substitute(v, mapping) for v in value]
    if isinstance(value, dict):
        return {k: _substitute(v, mapping) for k, v in value.items()}
    if isinstance(value, str):
        return mapping.get(value, value)
    if isinstance(value, int) and not isinstance(value, bool):
        return mapping.get(value, value)
    return value


def prepare(case: Case, emulator: Emulator) -> HttpRequest:
    """The capture's request, rewritten for ``emulator`` (whose state it may prepare)."""
    db = next(iter(emulator.databases))
    request = case.request
    demo2_uid, _ = _login(emulator, db, "demo2", "demo2")
    admin_key = database_module.ADMIN_API_KEY
    demo2_key = database_module.DEMO2_API_KEY
    mapping: dict[Any, Any] = dict.fromkeys(CAPTURE_DATABASES, db)
    mapping["masteradmin"] = emulator.master_password
    captured = FRESH_IDS.get(case.name) or DELETED_IDS.get(case.name)
    if captured:
        fresh = _records(emulator, db, len(captured), delete=case.name in DELETED_IDS)
        mapping.update(zip(captured, fresh, strict=True))
    if case.name in COOLDOWN:
        for _ in range(emulator.login_cooldown.attempts):
            emulator.login_cooldown.failed()
    key = demo2_key if case.uses_demo2 and "admin_with" not in case.name else admin_key
    if case.name != "json2_error_bad_key":
        mapping["<api-key>"] = key
    headers = dict(request.get("headers") or {})
    if "Authorization" in headers:
        headers["Authorization"] = (
            headers["Authorization"].replace("<api-key>", key)
            if case.name != "json2_error_bad_key"
            else headers["Authorization"]
        )
    if "admin_with_demo2_key" in case.name:
        headers["Authorization"] = f"bearer {demo2_key}"
    if "Cookie" in headers:
        _, sid = _login(emulator, db, "admin", "admin", first_use=case.name in FIRST_AFTER_LOGIN)
        headers["Cookie"] = headers["Cookie"].replace("<session>", sid)
    if "X-Odoo-Database" in headers:
        headers["X-Odoo-Database"] = mapping.get(
            headers["X-Odoo-Database"], headers["X-Odoo-Database"]
        )
    body = request.get("body") or ""
    capture_uid = CAPTURE_DEMO2_UIDS[case.version]
    if request.get("json") is not None:
        payload = _substitute(request["json"], mapping)
        args = payload.get("params", {}).get("args") if isinstance(payload, dict) else None
        if isinstance(args, list) and len(args) > 1 and args[1] == capture_uid:
            args[1] = demo2_uid
        body = json.dumps(payload)
    elif case.capture.get("protocol") == "xmlrpc" or request["path"].startswith("/xmlrpc"):
        with contextlib.suppress(Exception):  # malformed on purpose: replay as captured
            params, method = xmlrpc.client.loads(body)
            values = _substitute(list(params), mapping)
            if len(values) > 1 and values[1] == capture_uid:
                values[1] = demo2_uid
            body = xmlrpc.client.dumps(tuple(values), method)
    return HttpRequest(
        method=request["method"], path=request["path"], headers=headers, content=body.encode()
    )
