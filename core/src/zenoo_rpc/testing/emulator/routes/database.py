"""The web database manager: ``/web/database/*`` form posts, as Odoo 16-19.0 answer them.

Each action is a ``type='http'`` POST of form fields with the master password
(``master_pwd``); it runs the ``db`` service's function and answers a ``303``
redirect when it worked (to the manager, or to the web client after a
create, which also logs the new admin in), or the manager page (HTTP 200)
with the error in an ``alert-danger`` box: ``Database backup error: Access
Denied``. A backup answers the file itself; a restore posts it as
``multipart/form-data`` (``backup_file``). While the master password is still
Odoo's default ``admin``, the first master password given becomes the new
one, as in Odoo. ``/web/database/list`` is a JSON route (see
:mod:`~zenoo_rpc.testing.emulator.routes.web`).

``Emulator(database_manager=False)`` answers 404 for every route here, as a
proxy that blocks the manager does.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import TYPE_CHECKING
from urllib.parse import quote

from zenoo_rpc.testing.emulator.exceptions import AccessDenied, EmulatedError
from zenoo_rpc.testing.emulator.routes import db_service
from zenoo_rpc.testing.emulator.routes.http import WebRequest, escape, html_error_page
from zenoo_rpc.testing.emulator.routes.http import not_found_page as _not_found
from zenoo_rpc.testing.emulator.routes.pages import (
    FormData,
    home_path,
    html_page,
    parse_form,
    redirect,
)
from zenoo_rpc.transports.base import HttpResponse

if TYPE_CHECKING:
    from zenoo_rpc.testing.emulator.server import Emulator

__all__ = ["DBNAME_PATTERN", "database_route"]

DBNAME_PATTERN = re.compile(r"^[a-zA-Z0-9][a-zA-Z0-9_.-]+$")
_BAD_NAME = (
    "Houston, we have a database naming issue! Make sure you only use letters, numbers, "
    "underscores, hyphens, or dots in the database name, and you'll be golden."
)
_MANAGER = "/web/database/manager"
_INTERNAL_ERROR = (
    "The server encountered an internal error and was unable to complete your request. "
    "Either the server is overloaded or there is an error in the application."
)

Action = Callable[["Emulator", FormData], HttpResponse]


def database_route(emulator: Emulator, request: WebRequest) -> HttpResponse:
    if not emulator.database_manager:
        return _not_found()
    name = request.path[len("/web/database/") :].strip("/")
    if name in ("manager", "selector"):
        return manager_page(emulator)
    spec = _ACTIONS.get(name)
    if spec is None:
        return _not_found()
    action, required, label = spec
    if request.method != "POST":
        return html_error_page(405, "The method is not allowed for the requested URL.")
    form = parse_form(request)
    if form.missing(required):  # Odoo calls the route with missing arguments: a TypeError
        return html_error_page(500, _INTERNAL_ERROR)
    master = form.get("master_pwd")
    if name != "change_password" and emulator.master_password == "admin" and master:  # noqa: S105
        emulator.master_password = master  # Odoo's "insecure" default: the first one given wins
    try:
        return action(emulator, form)
    except EmulatedError as exc:
        return manager_page(emulator, error=f"{label}: {exc.message}")
    except KeyError as exc:  # post['login'], post['phone']
        return manager_page(emulator, error=f"{label}: {exc!s}")


def manager_page(emulator: Emulator, *, error: str | None = None) -> HttpResponse:
    """The manager: the databases and the forms (only what clients read of it)."""
    rows = "\n".join(
        f'<a href="/web?db={quote(name)}" class="d-block">{escape(name)}</a>'
        for name in sorted(emulator.databases)
    )
    body = (
        f'<div class="list-group o_database_list">\n{rows}\n</div>\n'
        '<form id="form_backup_db" action="/web/database/backup" method="post">'
        '<input type="password" name="master_pwd"/><input type="text" name="name"/>'
        '<select name="backup_format"><option value="zip">zip</option>'
        '<option value="dump">pg_dump custom format</option></select></form>'
    )
    return html_page("Odoo", body, error=error)


def _check_master(emulator: Emulator, form: FormData) -> None:
    if form.get("master_pwd") != emulator.master_password:
        raise AccessDenied()


def _check_name(name: str) -> None:
    if not DBNAME_PATTERN.match(name):
        raise EmulatedError(_BAD_NAME)


def _create(emulator: Emulator, form: FormData) -> HttpResponse:
    name = form.get("name")
    _check_name(name)
    login, phone = form.fields["login"], form.fields["phone"]
    _check_master(emulator, form)
    db_service.exp_create_database(
        emulator,
        name,
        bool(form.get("demo")),
        form.get("lang") or "en_US",
        form.get("password"),
        login,
        form.get("country_code") or None,
        phone,
    )
    uid = emulator.databases[name].authenticate(login, form.get("password"), interactive=True)
    session = emulator.sessions.new(name, uid, login) if uid else None
    return redirect(home_path(emulator.version), cookie=session.sid if session else None)


def _duplicate(emulator: Emulator, form: FormData) -> HttpResponse:
    _check_name(form.get("new_name"))
    _check_master(emulator, form)
    db_service.exp_duplicate_database(
        emulator, form.get("name"), form.get("new_name"), bool(form.get("neutralize_database"))
    )
    return redirect(_MANAGER)


def _drop(emulator: Emulator, form: FormData) -> HttpResponse:
    _check_master(emulator, form)
    db_service.exp_drop(emulator, form.get("name"))
    return redirect(_MANAGER)


def _backup(emulator: Emulator, form: FormData) -> HttpResponse:
    _check_master(emulator, form)
    name, backup_format = form.get("name"), form.get("backup_format") or "zip"
    data = db_service.dump_database(emulator, name, backup_format)
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d_%H-%M-%S")
    filename = f"{name}_{stamp}.{backup_format}"
    return HttpResponse(
        status=200,
        content=data,
        headers=[
            ("Content-Type", "application/octet-stream; charset=binary"),
            ("Content-Disposition", f"attachment; filename*=UTF-8''{quote(filename)}"),
            ("Content-Length", str(len(data))),
        ],
    )


def _restore(emulator: Emulator, form: FormData) -> HttpResponse:
    _check_master(emulator, form)
    upload = form.files.get("backup_file")
    data = upload.content if upload is not None else form.get("backup_file").encode()
    db_service.restore_database(
        emulator,
        form.get("name"),
        data,
        copy=form.get("copy", "false").lower() in ("1", "true", "t", "y", "yes", "on"),
        neutralize_database=bool(form.get("neutralize_database")),
    )
    return redirect(_MANAGER)


def _change_password(emulator: Emulator, form: FormData) -> HttpResponse:
    _check_master(emulator, form)
    db_service.exp_change_admin_password(emulator, form.get("master_pwd_new"))
    return redirect(_MANAGER)


#: action -> (handler, required form fields, Odoo's error prefix)
_ACTIONS: dict[str, tuple[Action, tuple[str, ...], str]] = {
    "create": (_create, ("master_pwd", "name", "lang", "password"), "Database creation error"),
    "duplicate": (
        _duplicate,
        ("master_pwd", "name", "new_name"),
        "Database duplication error",
    ),
    "drop": (_drop, ("master_pwd", "name"), "Database deletion error"),
    "backup": (_backup, ("master_pwd", "name"), "Database backup error"),
    "restore": (_restore, ("master_pwd", "backup_file", "name"), "Database restore error"),
    "change_password": (
        _change_password,
        ("master_pwd", "master_pwd_new"),
        "Master password update error",
    ),
}
