"""``POST /jsonrpc``: Odoo's legacy JSON-RPC endpoint (``service`` / ``method`` / ``args``).

Errors are HTTP 200 with a JSON-RPC ``error``; only a body that is not JSON
(400 "Invalid JSON data"), JSON that is not an object (400 "Invalid JSON-RPC
data") or a request that is not JSON at all (400 HTML page) fail at the HTTP
level. On Odoo 19 every request logs a deprecation warning on the server.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from zenoo_rpc.testing.emulator.exceptions import PythonError
from zenoo_rpc.testing.emulator.routes.errors import jsonrpc_error
from zenoo_rpc.testing.emulator.routes.http import (
    WebRequest,
    inferred_type_error,
    json_response,
    text_response,
)
from zenoo_rpc.testing.emulator.routes.services import dispatch_rpc, log_legacy_rpc
from zenoo_rpc.transports.base import HttpResponse

if TYPE_CHECKING:
    from zenoo_rpc.testing.emulator.server import Emulator

__all__ = ["jsonrpc_route"]


class RPC:
    """Odoo's controller signature, so missing or extra params fail with Odoo's message."""

    def jsonrpc(self, service: Any, method: Any, args: Any) -> tuple[Any, Any, Any]:
        return service, method, args


def jsonrpc_route(emulator: Emulator, request: WebRequest) -> HttpResponse:
    if request.method != "POST" or not request.is_json:
        return inferred_type_error("/jsonrpc", "json")
    log_legacy_rpc(emulator, "jsonrpc")
    try:
        body = json.loads(request.body)
    except ValueError:
        return text_response("Invalid JSON data", status=400, nosniff=True)
    if not isinstance(body, dict):
        return text_response("Invalid JSON-RPC data", status=400, nosniff=True)
    request_id = body.get("id")
    params = body.get("params")
    try:
        try:
            service, method, args = RPC().jsonrpc(**(params if isinstance(params, dict) else {}))
        except TypeError as exc:
            raise PythonError("builtins.TypeError", str(exc)) from None
        result = dispatch_rpc(emulator, service, method, list(args or []))
    except Exception as exc:  # every error is answered, as Odoo does
        return json_response(jsonrpc_error(exc, emulator.version, request_id), ok=False)
    return json_response({"jsonrpc": "2.0", "id": request_id, "result": result})
