"""The web client's JSON routes: ``/web/session/*``, ``/web/dataset/call_kw``, versions.

They are Odoo ``type='json'`` routes: JSON-RPC envelopes whose errors are
HTTP 200, authenticated by the ``session_id`` cookie. Without a live session
a ``auth='user'`` route answers ``SessionExpiredException`` (code 100, id null).
A body that is not JSON is a ``JSONDecodeError`` error with id null. Successful
answers set the session cookie (creating an anonymous session when needed).
For a user with two-factor authentication, ``/web/session/authenticate``
answers ``{"uid": null}`` and a half-open session, as Odoo does.
:data:`WEB_HTTP_ROUTES` lists the ``type='http'`` routes of other modules
(database manager, 2FA form, ``/web/content``).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from zenoo_rpc.testing.emulator.exceptions import AccessDenied, AccessError, PythonError
from zenoo_rpc.testing.emulator.routes.content import content_route
from zenoo_rpc.testing.emulator.routes.database import database_route
from zenoo_rpc.testing.emulator.routes.errors import SessionExpired, jsonrpc_error, unknown_database
from zenoo_rpc.testing.emulator.routes.http import (
    WebRequest,
    inferred_type_error,
    json_response,
)
from zenoo_rpc.testing.emulator.routes.pages import home_path, redirect
from zenoo_rpc.testing.emulator.routes.session_info import session_info
from zenoo_rpc.testing.emulator.routes.twofactor import TOTP_PATH, totp_route
from zenoo_rpc.testing.emulator.sessions import LoginCooldown, WebSession
from zenoo_rpc.transports.base import HttpResponse

if TYPE_CHECKING:
    from zenoo_rpc.testing.emulator.server import Emulator

__all__ = ["WEB_HTTP_ROUTES", "WEB_JSON_ROUTES", "health_route", "version_route"]


class WebCall:
    """One call of a web JSON route: its params and the (mutable) session."""

    def __init__(self, emulator: Emulator, request: WebRequest, params: dict[str, Any]) -> None:
        self.emulator = emulator
        self.request = request
        self.params = params
        self.session: WebSession | None = emulator.sessions.get(request.session_id)
        #: The route changed the session (Odoo saves it and sends the cookie).
        self.touched = False
        #: The route logged a user in.
        self.logged_in = False

    @property
    def user(self) -> tuple[str, int]:
        """``(db, uid)`` of the logged-in session, or SessionExpired."""
        session = self.session
        if session is None or session.db is None or session.uid is None:
            raise SessionExpired()
        if session.db not in self.emulator.databases:
            raise SessionExpired()
        return session.db, session.uid


Handler = Callable[[WebCall], Any]


def web_json(
    pattern: str, handler: Handler, *, auth: str = "user"
) -> Callable[[Emulator, WebRequest], HttpResponse]:
    """Wrap ``handler`` in Odoo's JSON-RPC route dispatching (``pattern`` for error pages)."""

    def route(emulator: Emulator, request: WebRequest) -> HttpResponse:
        if not request.is_json:
            return inferred_type_error(pattern, "json")
        version = emulator.version
        try:
            body = json.loads(request.body)
        except ValueError as exc:
            error = PythonError("json.decoder.JSONDecodeError", str(exc))
            return json_response(jsonrpc_error(error, version, None), ok=False)
        request_id = body.get("id") if isinstance(body, dict) else None
        try:
            if not isinstance(body, dict):
                raise PythonError(
                    "builtins.AttributeError",
                    f"'{type(body).__name__}' object has no attribute 'get'",
                )
            params = body.get("params")
            call = WebCall(emulator, request, params if isinstance(params, dict) else {})
            if auth == "user":
                try:
                    _ = call.user
                except SessionExpired as exc:
                    return json_response(jsonrpc_error(exc, version, None), ok=False)
            result = handler(call)
        except Exception as exc:
            return json_response(jsonrpc_error(exc, version, request_id), ok=False)
        if call.session is None:
            call.session = emulator.sessions.new()
        response = {"jsonrpc": "2.0", "id": request_id, "result": result}
        session = call.session
        cookie = session.sid if session.dirty or call.touched else None
        session.dirty = call.logged_in  # the first call after a login sends it again
        return json_response(response, cookie=cookie)

    return route


def _authenticate(call: WebCall) -> Any:
    emulator, params = call.emulator, call.params
    db_name = str(params.get("db", ""))
    db = emulator.databases.get(db_name)
    if db is None:
        if emulator.version >= 19:
            raise AccessError("Database not found.")
        raise unknown_database(db_name)
    cooldown: LoginCooldown = emulator.login_cooldown
    if cooldown.blocked():
        raise AccessDenied(LoginCooldown.MESSAGE)
    login = str(params.get("login", ""))
    uid = db.authenticate(login, str(params.get("password", "")), interactive=True)
    if not uid:
        cooldown.failed()
        raise AccessDenied()
    cooldown.succeeded()
    if call.session is not None:  # Odoo rotates the session id on login
        emulator.sessions.destroy(call.session.sid)
    if db.totp_secret(uid):
        # auth_totp: the password was right, the code is due on /web/login/totp
        call.session = emulator.sessions.new(db_name, None, login)
        call.session.pre_uid = uid
        return {"uid": None}
    call.session = emulator.sessions.new(db_name, uid, login)
    call.logged_in = True
    return session_info(emulator, db_name, uid)


def _get_session_info(call: WebCall) -> Any:
    db_name, uid = call.user
    call.touched = True  # Odoo touches the session here
    return session_info(call.emulator, db_name, uid)


def _destroy(call: WebCall) -> Any:
    if call.session is not None:
        call.emulator.sessions.destroy(call.session.sid)
    call.session = call.emulator.sessions.new()
    return None


def _call_kw(call: WebCall) -> Any:
    db_name, uid = call.user
    params = call.params
    args = params.get("args") or []
    kwargs = params.get("kwargs") or {}
    database = call.emulator.databases[db_name]
    return database.call(
        uid, str(params.get("model", "")), str(params.get("method", "")), list(args), dict(kwargs)
    )


def _version_info(call: WebCall) -> Any:
    return call.emulator.version_dict()


def _database_list(call: WebCall) -> Any:
    return sorted(call.emulator.databases)


#: ``(path prefix or exact path, route)``; a prefix ends with ``/``.
WEB_JSON_ROUTES: list[tuple[str, Callable[[Emulator, WebRequest], HttpResponse]]] = [
    (
        "/web/session/authenticate",
        web_json("/web/session/authenticate", _authenticate, auth="none"),
    ),
    ("/web/session/get_session_info", web_json("/web/session/get_session_info", _get_session_info)),
    ("/web/session/destroy", web_json("/web/session/destroy", _destroy)),
    ("/web/dataset/call_kw", web_json("/web/dataset/call_kw", _call_kw)),
    ("/web/dataset/call_kw/", web_json("/web/dataset/call_kw/<path:path>", _call_kw)),
    (
        "/web/webclient/version_info",
        web_json("/web/webclient/version_info", _version_info, auth="none"),
    ),
    ("/web/database/list", web_json("/web/database/list", _database_list, auth="none")),
]


def logout_route(emulator: Emulator, request: WebRequest) -> HttpResponse:
    """``/web/session/logout`` (``auth='none'``): forget the session, even a half-open one."""
    if request.session_id:
        emulator.sessions.destroy(request.session_id)
    return redirect(request.query.get("redirect") or home_path(emulator.version))


#: The ``type='http'`` routes (pages, forms, files): ``(path prefix or exact path, route)``.
WEB_HTTP_ROUTES: list[tuple[str, Callable[[Emulator, WebRequest], HttpResponse]]] = [
    ("/web/database/", database_route),
    (TOTP_PATH, totp_route),
    ("/web/session/logout", logout_route),
    ("/web/content/", content_route),
]


def version_route(emulator: Emulator, request: WebRequest) -> HttpResponse:
    """``GET /json/version`` and ``/web/version`` (Odoo 19's rpc module)."""
    session = emulator.sessions.get(request.session_id) or emulator.sessions.new()
    body = {"version_info": emulator.version_info, "version": emulator.server_version}
    return json_response(body, cookie=session.sid)


def health_route(emulator: Emulator, request: WebRequest) -> HttpResponse:
    """``GET /websocket/health``: the bus's liveness probe."""
    body = b'{"status": "pass"}'
    return HttpResponse(
        status=200,
        content=body,
        headers=[
            ("Content-Type", "application/json"),
            ("Cache-Control", "no-store"),
            ("Content-Length", str(len(body))),
            ("X-Content-Type-Options", "nosniff"),
        ],
    )
