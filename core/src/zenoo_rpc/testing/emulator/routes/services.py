"""Odoo's RPC services (``common``, ``object``, ``db``), shared by ``/jsonrpc`` and XML-RPC.

Each service method is a Python function with Odoo's own parameter names, so a
call with the wrong number of arguments fails with the ``TypeError`` message
Odoo sends. ``common.login`` with a wrong password answers ``False``;
``object.execute_kw`` with a wrong password raises ``AccessDenied``; an
unknown database is PostgreSQL's "database ... does not exist".
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from zenoo_rpc.testing.emulator.exceptions import AccessDenied, PythonError
from zenoo_rpc.testing.emulator.routes import db_service
from zenoo_rpc.testing.emulator.routes.errors import unknown_database

if TYPE_CHECKING:
    from zenoo_rpc.testing.emulator.database import Database
    from zenoo_rpc.testing.emulator.server import Emulator

__all__ = ["dispatch_rpc", "log_legacy_rpc"]

_DEPRECATION = (
    "The /xmlrpc, /xmlrpc/2 and /jsonrpc endpoints are deprecated in Odoo 19 and scheduled "
    "for removal in Odoo 20. Please report the problem to the client making the request.\n"
    "Mute this logger: --log-handler odoo.addons.rpc.controllers.{kind}:ERROR\n"
    "https://www.odoo.com/documentation/latest/developer/reference/external_api.html"
    "#migrating-from-xml-rpc-json-rpc "
)


def log_legacy_rpc(emulator: Emulator, kind: str) -> None:
    """Odoo 19 logs a deprecation warning for every legacy RPC request (server side only)."""
    if emulator.version >= 19:
        logging.getLogger(f"odoo.addons.rpc.controllers.{kind}").warning(
            _DEPRECATION.format(kind=kind)
        )


def dispatch_rpc(emulator: Emulator, service: Any, method: Any, params: list[Any]) -> Any:
    """Run ``service.method(*params)`` as Odoo's ``dispatch_rpc`` does."""
    if service == "common":
        return _call(_COMMON, method, emulator, params)
    if service == "object":
        return _call(_OBJECT, method, emulator, params)
    if service == "db":
        return db_service.dispatch(emulator, str(method), params)
    raise PythonError("builtins.KeyError", str(service))


def _call(
    table: dict[str, Callable[..., Any]], method: Any, emulator: Emulator, params: list[Any]
) -> Any:
    func = table.get(str(method))
    if func is None:
        raise PythonError("builtins.Exception", f"Method not found: {method}")
    try:
        inspect.signature(func).bind(emulator, *params)
    except TypeError:
        try:  # fails before running: gives Python's own message, as Odoo reports it
            func(emulator, *params)
        except TypeError as exc:
            raise PythonError("builtins.TypeError", str(exc)) from None
    return func(emulator, *params)


def _database(emulator: Emulator, name: Any) -> Database:
    db = emulator.databases.get(str(name))
    if db is None:
        raise unknown_database(str(name))
    return db


# --------------------------------------------------------------------------- common


def exp_version(emulator: Emulator) -> dict[str, Any]:
    return emulator.version_dict()


def exp_about(emulator: Emulator, extended: bool = False) -> Any:
    info = "See http://openerp.com"
    return [info, emulator.server_version] if extended else info


def exp_login(emulator: Emulator, db: str, login: str, password: str) -> Any:
    return exp_authenticate(emulator, db, login, password, None)


def exp_authenticate(
    emulator: Emulator, db: str, login: str, password: str, user_agent_env: Any
) -> Any:
    uid = _database(emulator, db).authenticate(login, password)
    return uid if uid else False


_COMMON: dict[str, Callable[..., Any]] = {
    "version": exp_version,
    "about": exp_about,
    "login": exp_login,
    "authenticate": exp_authenticate,
}


# --------------------------------------------------------------------------- object


def execute_kw(
    emulator: Emulator,
    db: str,
    uid: int,
    password: str,
    model: str,
    method: str,
    args: Any = None,
    kw: Any = None,
) -> Any:
    database = _checked(emulator, db, uid, password)
    return database.call(int(uid), model, method, list(args or []), dict(kw or {}))


def execute(
    emulator: Emulator, db: str, uid: int, password: str, model: str, method: str, *args: Any
) -> Any:
    database = _checked(emulator, db, uid, password)
    return database.call(int(uid), model, method, list(args), {})


def _checked(emulator: Emulator, db: str, uid: Any, password: Any) -> Database:
    database = _database(emulator, db)
    try:
        uid = int(uid)
    except (TypeError, ValueError):
        raise AccessDenied() from None
    database.check_credentials(uid, str(password))
    return database


_OBJECT: dict[str, Callable[..., Any]] = {"execute_kw": execute_kw, "execute": execute}
