"""Odoo 19's JSON-2 API: ``POST /json/2/<model>/<method>`` with a bearer API key.

The body is the method's named arguments (plus ``ids`` and ``context``); the
answer is the bare result, or an error status with the five-field body
``{name, message, arguments, context, debug}``. The database comes from the
``X-Odoo-Database`` header, else the session, else the only database; an
unknown one gets Odoo's HTML "No database is selected" page. A JSON body that
is not an object (a list, ``null``) is ignored, as in Odoo.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from zenoo_rpc.testing.emulator.exceptions import AccessDenied
from zenoo_rpc.testing.emulator.routes.errors import WerkzeugError, json2_error
from zenoo_rpc.testing.emulator.routes.http import (
    WebRequest,
    inferred_type_error,
    json_response,
    text_response,
)
from zenoo_rpc.transports.base import HttpResponse

if TYPE_CHECKING:
    from zenoo_rpc.testing.emulator.database import Database
    from zenoo_rpc.testing.emulator.server import Emulator

__all__ = ["bearer_user", "json2_route", "no_database_page", "select_database"]

_NO_DATABASE = (
    "<!DOCTYPE html>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n"
    "<p>No database is selected and the requested URL was not found in the server-wide "
    "controllers.</p>\n<p>Please verify the hostname, <a href=/web/login>login</a> and try "
    "again.</p>\n\n<!-- Alternatively, use the X-Odoo-Database header. -->\n"
)
_UNAUTHENTICATED = "User not authenticated, use an API Key with a Bearer Authorization header."


def no_database_page() -> HttpResponse:
    return text_response(_NO_DATABASE, status=404)


def select_database(emulator: Emulator, request: WebRequest) -> Database | None:
    """The database of a ``/json/2`` or ``/doc-bearer`` request, as Odoo's dbfilter picks it."""
    name = request.header("x-odoo-database")
    if not name:
        session = emulator.sessions.get(request.session_id)
        if session is not None and session.db:
            name = session.db
        elif len(emulator.databases) == 1:
            name = next(iter(emulator.databases))
    return emulator.databases.get(name) if name else None


def bearer_user(emulator: Emulator, request: WebRequest, db: Database) -> int:
    """The uid of the bearer API key (or of the session, for a browser), else raise."""
    scheme, _, key = request.header("authorization").strip().partition(" ")
    session = emulator.sessions.authenticated(request.session_id)
    if session is not None and session.db != db.name:
        session = None
    if scheme.lower() == "bearer" and key.strip():
        uid = db.uid_for_api_key(key.strip())
        if uid is None:
            raise WerkzeugError(401, "Invalid apikey")
        if session is not None and session.uid != uid:
            raise AccessDenied("Session user does not match the used apikey.")
        return uid
    if session is not None and session.uid is not None:
        if any(name.startswith("sec-fetch-") for name in request.headers):
            return session.uid
        raise WerkzeugError(401, 'Missing "Authorization" or Sec-headers for interactive usage.')
    raise WerkzeugError(401, _UNAUTHENTICATED)


def json2_route(emulator: Emulator, request: WebRequest) -> HttpResponse:
    db = select_database(emulator, request)
    if db is None:
        return no_database_page()
    version = emulator.version
    segments = request.path[len("/json/2") :].strip("/").split("/")
    if request.method != "POST" or len(segments) != 2 or not all(segments):
        return json2_error(
            WerkzeugError(404, "Did you mean POST /json/2/<model>/<method>?"), version
        )
    if not request.is_json and (request.body or request.header("content-type")):
        return inferred_type_error("/json/2/<__model__>/<__method__>", "json2", status=415)
    model, method = segments
    try:
        uid = bearer_user(emulator, request, db)
        params = _params(request.body)
        result = db.call_named(uid, model, method, params)
    except Exception as exc:
        return json2_error(exc, version)
    return json_response(result)


def _params(body: bytes) -> dict[str, Any]:
    if not body.strip():
        return {}
    try:
        value = json.loads(body)
    except ValueError as exc:
        raise WerkzeugError(400, f"could not parse the body as json: {exc}") from None
    return value if isinstance(value, dict) else {}
