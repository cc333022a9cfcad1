"""``POST /xmlrpc/2/<service>`` (and ``/xmlrpc/<service>``): Odoo's XML-RPC endpoints.

Same services as ``/jsonrpc``. Answers are always HTTP 200 ``text/xml``;
errors are faults with Odoo's codes (1 generic with a traceback, 2 UserError
family, 3 AccessDenied, 4 AccessError). ``None`` cannot be marshalled, exactly
as in Odoo, so a method returning nothing is a fault.
"""

from __future__ import annotations

import xmlrpc.client
from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from zenoo_rpc.testing.emulator.exceptions import PythonError
from zenoo_rpc.testing.emulator.routes.errors import xmlrpc_fault
from zenoo_rpc.testing.emulator.routes.http import (
    WebRequest,
    html_error_page,
    json_default,
    text_response,
)
from zenoo_rpc.testing.emulator.routes.services import dispatch_rpc, log_legacy_rpc
from zenoo_rpc.transports.base import HttpResponse

if TYPE_CHECKING:
    from zenoo_rpc.testing.emulator.server import Emulator

__all__ = ["xmlrpc_route"]


def xmlrpc_route(emulator: Emulator, request: WebRequest) -> HttpResponse:
    service = request.path.rstrip("/").rsplit("/", 1)[-1]
    if request.method != "POST":
        return html_error_page(
            405, "The method is not allowed for the requested URL.", extra=[("Allow", "POST")]
        )
    log_legacy_rpc(emulator, "xmlrpc")
    try:
        try:
            params, method = xmlrpc.client.loads(request.body)
        except Exception as exc:  # ExpatError and friends, reported like any Python error
            cls = type(exc)
            raise PythonError(f"{cls.__module__}.{cls.__qualname__}", str(exc)) from None
        result = dispatch_rpc(emulator, service, method, list(params))
        payload = _marshal((_xmlrpc_value(result),))
    except Exception as exc:
        payload = _marshal(xmlrpc_fault(exc, emulator.version))
    return text_response(payload, status=200, content_type="text/xml; charset=utf-8", nosniff=True)


def _marshal(value: tuple[Any, ...] | xmlrpc.client.Fault) -> str:
    try:
        body = xmlrpc.client.Marshaller(allow_none=False).dumps(value)
    except (TypeError, OverflowError) as exc:
        cls = type(exc)
        error = PythonError(f"builtins.{cls.__qualname__}", str(exc))
        body = xmlrpc.client.Marshaller().dumps(xmlrpc_fault(error, 18))
    return f'<?xml version="1.0"?>\n<methodResponse>\n{body}\n</methodResponse>\n'


def _xmlrpc_value(value: Any) -> Any:
    """Odoo's marshaller: dates as strings, bytes as text, tuples and sets as arrays."""
    if isinstance(value, (date, bytes)):  # datetime is a date
        return json_default(value)
    if isinstance(value, Mapping):
        return {str(k): _xmlrpc_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_xmlrpc_value(v) for v in value]
    return value
