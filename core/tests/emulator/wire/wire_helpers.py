"""Request builders shared by the wire tests."""

from __future__ import annotations

import json
from typing import Any

from zenoo_rpc.testing.emulator import database as database_module
from zenoo_rpc.testing.emulator.server import Emulator
from zenoo_rpc.transports.base import HttpRequest

ADMIN_KEY = database_module.ADMIN_API_KEY
DEMO2_KEY = database_module.DEMO2_API_KEY


def jsonrpc_body(service: str, method: str, *args: Any, request_id: int = 1) -> dict[str, Any]:
    return {
        "jsonrpc": "2.0",
        "method": "call",
        "id": request_id,
        "params": {"service": service, "method": method, "args": list(args)},
    }


def jsonrpc_request(service: str, method: str, *args: Any) -> HttpRequest:
    return HttpRequest(
        path="/jsonrpc",
        headers={"Content-Type": "application/json"},
        content=json.dumps(jsonrpc_body(service, method, *args)).encode(),
    )


def json2_request(model: str, method: str, body: Any, key: str = ADMIN_KEY) -> HttpRequest:
    return HttpRequest(
        path=f"/json/2/{model}/{method}",
        headers={"Content-Type": "application/json", "Authorization": f"bearer {key}"},
        content=json.dumps(body).encode(),
    )


def execute_kw(
    db: str, model: str, method: str, args: list[Any], kwargs: dict[str, Any] | None = None
) -> HttpRequest:
    return jsonrpc_request(
        "object", "execute_kw", db, 2, "admin", model, method, args, kwargs or {}
    )


def partner_count(emulator: Emulator, db: str = "demo") -> int:
    count = emulator.databases[db].call(2, "res.partner", "search_count", [[]], {})
    assert isinstance(count, int)
    return count
