"""How the emulated Odoo reports an error on each protocol.

The ORM raises :class:`~zenoo_rpc.testing.emulator.exceptions.EmulatedError`;
the wire adds the errors only the HTTP layer knows (Werkzeug's HTTP errors of
JSON-2, the expired web session) and renders all of them the way real Odoo
does: the JSON-RPC ``error`` member (code 200 up to Odoo 18, 0 from 19, and
``data`` keys in each version's order), the JSON-2 five-field body with its
status, and the XML-RPC fault code and string. Tracebacks are short and made
up; clients must never depend on their text.
"""

from __future__ import annotations

import xmlrpc.client
from http import HTTPStatus
from typing import Any

from zenoo_rpc.testing.emulator.exceptions import (
    AccessDenied,
    EmulatedError,
    ModelNotFound,
    PythonError,
    SignatureError,
    UnknownMethod,
)
from zenoo_rpc.testing.emulator.routes.http import json_response
from zenoo_rpc.transports.base import HttpResponse

__all__ = [
    "ErrorInfo",
    "SessionExpired",
    "WerkzeugError",
    "error_info",
    "json2_error",
    "jsonrpc_error",
    "unknown_database",
    "xmlrpc_fault",
]

_FRAMES = (
    '  File "/opt/odoo/odoo/http.py", line 2307, in _serve_db\n'
    "    return service_model.retrying(serve_func, env=self.env)\n"
    '  File "/opt/odoo/odoo/service/model.py", line 184, in retrying\n'
    "    result = func()\n"
    '  File "/opt/odoo/odoo/http.py", line 2354, in _serve_ir_http\n'
    "    response = self.dispatcher.dispatch(rule.endpoint, args)\n"
)


class WerkzeugError(EmulatedError):
    """An HTTP error raised by Werkzeug in Odoo (JSON-2's 400 / 401 / 404 / 422...)."""

    def __init__(self, status: int, message: str) -> None:
        self.status = status
        super().__init__(message, message, status)

    @property
    def name(self) -> str:
        return "werkzeug.exceptions." + HTTPStatus(self.status).phrase.replace(" ", "")


class SessionExpired(EmulatedError):
    """``odoo.http.SessionExpiredException``: a session route called without a live session."""

    odoo_name = "odoo.http.SessionExpiredException"
    json2_status = 401

    def __init__(self) -> None:
        super().__init__("Session expired")


class ErrorInfo:
    """What every protocol reports about an error."""

    def __init__(
        self, name: str, message: str, arguments: list[Any], status: int, debug: str, fault: int
    ) -> None:
        self.name = name
        self.message = message
        self.arguments = arguments
        self.status = status
        self.debug = debug
        self.fault = fault


def _last_line(name: str, message: str) -> str:
    short = name.removeprefix("builtins.")
    return f"{short}: {message}" if message else short


def error_info(exc: BaseException, version: int, *, json2: bool = False) -> ErrorInfo:
    """Name, message, arguments, JSON-2 status, traceback and XML-RPC fault code of ``exc``.

    With ``json2`` the ORM's errors for an unknown model / method or wrong
    arguments become the Werkzeug errors JSON-2 answers with.
    """
    if json2:
        if isinstance(exc, ModelNotFound):
            exc = WerkzeugError(404, f"the model '{exc.model}' does not exist")
        elif isinstance(exc, UnknownMethod):
            exc = WerkzeugError(404, f"The method '{exc.model}.{exc.method}' does not exist")
        elif isinstance(exc, SignatureError):
            exc = WerkzeugError(422, exc.message)
    if isinstance(exc, EmulatedError):
        name, message, arguments = exc.name, exc.message, list(exc.arguments)
        status = exc.status if isinstance(exc, WerkzeugError) else exc.json2_status
        fault = exc.xmlrpc_fault
    else:
        cls = type(exc)
        name = f"{cls.__module__}.{cls.__qualname__}"
        arguments = list(exc.args)
        message = "\n".join(str(arg) for arg in exc.args)
        status, fault = 500, 1
    if isinstance(exc, WerkzeugError):
        last = f"{name}: {exc.status} {HTTPStatus(exc.status).phrase}: {message}"
    else:
        last = _last_line(name, message)
    if isinstance(exc, AccessDenied) and version >= 19:
        # Odoo 19 drops the traceback of AccessDenied: only the exception line remains.
        debug = last + "\n"
    else:
        debug = "Traceback (most recent call last):\n" + _FRAMES + last
    return ErrorInfo(name, message, arguments, status, debug, fault)


def jsonrpc_error(exc: BaseException, version: int, request_id: Any) -> dict[str, Any]:
    """The JSON-RPC 2.0 error envelope Odoo answers with (always HTTP 200)."""
    info = error_info(exc, version)
    if version >= 19:
        data = {
            "name": info.name,
            "message": info.message,
            "arguments": info.arguments,
            "context": {},
            "debug": info.debug,
        }
    else:
        data = {
            "name": info.name,
            "debug": info.debug,
            "message": info.message,
            "arguments": info.arguments,
            "context": {},
        }
    if isinstance(exc, SessionExpired):
        code, message = 100, "Odoo Session Expired"
    else:
        code, message = (0 if version >= 19 else 200), "Odoo Server Error"
    return {
        "jsonrpc": "2.0",
        "id": request_id,
        "error": {"code": code, "message": message, "data": data},
    }


def json2_error(exc: BaseException, version: int) -> HttpResponse:
    """A JSON-2 error: its status and ``{name, message, arguments, context, debug}``."""
    info = error_info(exc, version, json2=True)
    body = {
        "name": info.name,
        "message": info.message,
        "arguments": info.arguments,
        "context": {},
        "debug": info.debug,
    }
    extra = [("WWW-Authenticate", "Bearer ")] if info.status == 401 else []
    return json_response(body, status=info.status, extra=extra)


def xmlrpc_fault(exc: BaseException, version: int) -> xmlrpc.client.Fault:
    """Odoo's fault: 2 UserError family, 3 AccessDenied, 4 AccessError with the message,
    1 with the traceback for anything else."""
    info = error_info(exc, version)
    if info.fault == 1:
        return xmlrpc.client.Fault(
            1,
            "Traceback (most recent call last):\n" + _FRAMES + _last_line(info.name, info.message),
        )
    return xmlrpc.client.Fault(info.fault, info.message)


def unknown_database(name: str) -> PythonError:
    """What PostgreSQL answers Odoo when the database does not exist."""
    message = (
        f'connection to server at "127.0.0.1", port 5432 failed: FATAL:  database "{name}" '
        "does not exist\n"
    )
    return PythonError("psycopg2.OperationalError", message)
