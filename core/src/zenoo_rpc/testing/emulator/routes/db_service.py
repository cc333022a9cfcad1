"""Odoo's ``db`` service: list, create, duplicate, drop, rename, dump and restore databases.

As in Odoo, ``list``, ``list_lang``, ``db_exist`` and ``server_version`` are
open; every other method takes the master password first and answers
``AccessDenied`` when it is wrong. An unknown method is a ``KeyError``. With
``Emulator(db_service=False)`` the whole service is gone, as in Odoo 19.1+
(calling it is Odoo's ``KeyError`` for an unknown service).

Backups (:func:`dump_database`, :func:`restore_database`, shared with the web
database manager) hold the emulator's own serialization of its tables
(:meth:`~zenoo_rpc.testing.emulator.database.Database.export_tables`, JSON)
where Odoo puts a ``pg_dump``: a zip with ``dump.sql`` and Odoo's
``manifest.json`` (``backup_format="zip"``), or that dump alone in one file
(``"dump"``, Odoo's ``pg_dump --format=c``). A restore accepts what a backup
produced and nothing else ("Couldn't restore database"). ``copy`` and
``neutralize_database`` are accepted and change nothing (the emulator has no
database uuid, crons or mail servers).
"""

from __future__ import annotations

import base64
import binascii
import inspect
import io
import json
import zipfile
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from zenoo_rpc.testing.emulator.database import Database
from zenoo_rpc.testing.emulator.exceptions import AccessDenied, EmulatedError, PythonError
from zenoo_rpc.testing.emulator.routes.errors import unknown_database

if TYPE_CHECKING:
    from zenoo_rpc.testing.emulator.server import Emulator

__all__ = [
    "COUNTRIES",
    "DUMP_HEADER",
    "LANGUAGES",
    "DatabaseExists",
    "dispatch",
    "dump_database",
    "restore_database",
]

#: First line of a ``"dump"`` backup: the emulator's stand-in for ``pg_dump``'s ``PGDMP``.
DUMP_HEADER = b"-- zenoo-rpc emulator dump 1\n"
_RESTORE_FAILED = "Couldn't restore database"
_MODULES = ("base", "web", "mail", "contacts", "product", "sale", "stock", "auth_totp")

LANGUAGES: list[list[str]] = [
    ["sq_AL", "Albanian / Shqip"],
    ["ar_001", "Arabic / الْعَرَبيّة"],
    ["zh_CN", "Chinese (Simplified) / 简体中文"],
    ["nl_NL", "Dutch / Nederlands"],
    ["en_US", "English (US)"],
    ["en_GB", "English (UK)"],
    ["fr_FR", "French / Français"],
    ["de_DE", "German / Deutsch"],
    ["it_IT", "Italian / Italiano"],
    ["ja_JP", "Japanese / 日本語"],
    ["pt_BR", "Portuguese (BR) / Português (BR)"],
    ["es_ES", "Spanish / Español"],
    ["vi_VN", "Vietnamese / Tiếng Việt"],
]

COUNTRIES: list[list[str]] = [
    ["ar", "Argentina"],
    ["au", "Australia"],
    ["at", "Austria"],
    ["be", "Belgium"],
    ["br", "Brazil"],
    ["ca", "Canada"],
    ["cn", "China"],
    ["cw", "Curaçao"],
    ["dk", "Denmark"],
    ["fr", "France"],
    ["de", "Germany"],
    ["in", "India"],
    ["it", "Italy"],
    ["jp", "Japan"],
    ["li", "Liechtenstein"],
    ["lu", "Luxembourg"],
    ["mx", "Mexico"],
    ["me", "Montenegro"],
    ["nl", "Netherlands"],
    ["sm", "San Marino"],
    ["es", "Spain"],
    ["ch", "Switzerland"],
    ["gb", "United Kingdom"],
    ["us", "United States"],
    ["vn", "Vietnam"],
]


class DatabaseExists(EmulatedError):
    odoo_name = "odoo.service.db.DatabaseExists"


def dispatch(emulator: Emulator, method: str, params: list[Any]) -> Any:
    """Odoo's ``odoo.service.db.dispatch``."""
    if not emulator.db_service:
        raise PythonError("builtins.KeyError", "'db'")
    func = _OPEN.get(method)
    if func is None:
        func = _GUARDED.get(method)
        if func is None:
            raise PythonError("builtins.KeyError", f"Method not found: {method}")
        if not params or params[0] != emulator.master_password:
            raise AccessDenied()
        params = params[1:]
    try:
        inspect.signature(func).bind(emulator, *params)
    except TypeError:
        try:
            func(emulator, *params)
        except TypeError as exc:
            raise PythonError("builtins.TypeError", str(exc)) from None
    return func(emulator, *params)


def exp_list(emulator: Emulator, document: bool = False) -> list[str]:
    return sorted(emulator.databases)


def exp_db_exist(emulator: Emulator, db_name: str) -> bool:
    return db_name in emulator.databases


def exp_list_lang(emulator: Emulator) -> list[list[str]]:
    return [list(pair) for pair in LANGUAGES]


def exp_server_version(emulator: Emulator) -> str:
    return emulator.server_version


def exp_list_countries(emulator: Emulator) -> list[list[str]]:
    return [list(pair) for pair in COUNTRIES]


def exp_create_database(
    emulator: Emulator,
    db_name: str,
    demo: bool,
    lang: str,
    user_password: str = "admin",  # noqa: S107 - Odoo's signature
    login: str = "admin",
    country_code: str | None = None,
    phone: str | None = None,
) -> bool:
    _must_not_exist(emulator, db_name)
    db = emulator.add_database(db_name, size=emulator.size if demo else 0, demo=bool(demo))
    db.set_admin(
        login=login, password=user_password, lang=lang, country_code=country_code, phone=phone
    )
    return True


def exp_duplicate_database(
    emulator: Emulator, db_original_name: str, db_name: str, neutralize_database: bool = False
) -> bool:
    original = emulator.databases.get(db_original_name)
    if original is None:
        raise unknown_database(db_original_name)
    _must_not_exist(emulator, db_name)
    emulator.databases[db_name] = original.copy(db_name)
    return True


def exp_drop(emulator: Emulator, db_name: str) -> bool:
    if db_name not in emulator.databases:
        return False
    del emulator.databases[db_name]
    emulator.sessions.expire_db(db_name)
    return True


def exp_rename(emulator: Emulator, old_name: str, new_name: str) -> bool:
    if old_name not in emulator.databases:
        raise unknown_database(old_name)
    _must_not_exist(emulator, new_name)
    emulator.databases[new_name] = emulator.databases.pop(old_name).copy(new_name)
    emulator.sessions.expire_db(old_name)
    return True


def exp_change_admin_password(emulator: Emulator, new_password: str) -> bool:
    emulator.master_password = new_password
    return True


def exp_dump(emulator: Emulator, db_name: str, format: str) -> str:
    return base64.b64encode(dump_database(emulator, db_name, format)).decode()


def exp_restore(emulator: Emulator, db_name: str, data: str, copy: bool = False) -> bool:
    try:
        raw = base64.b64decode(data, validate=False)
    except (binascii.Error, ValueError, TypeError):
        raise PythonError("builtins.Exception", _RESTORE_FAILED) from None
    restore_database(emulator, db_name, raw, copy=copy)
    return True


def dump_database(emulator: Emulator, db_name: str, backup_format: str = "zip") -> bytes:
    """A backup of ``db_name``: a zip (``dump.sql`` + ``manifest.json``) or the dump alone."""
    db = emulator.databases.get(db_name)
    if db is None:
        raise unknown_database(db_name)
    dump = json.dumps(db.export_tables(), separators=(",", ":")).encode()
    if backup_format != "zip":
        return DUMP_HEADER + dump
    manifest = {
        "odoo_dump": "1",
        "db_name": db_name,
        "version": emulator.server_version,
        "version_info": emulator.version_info,
        "major_version": emulator.server_version,
        "pg_version": "16.0",
        "modules": dict.fromkeys(_MODULES, f"{emulator.server_version}.1.0"),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("dump.sql", dump)
        archive.writestr("manifest.json", json.dumps(manifest, indent=4))
    return buffer.getvalue()


def restore_database(
    emulator: Emulator,
    db_name: str,
    data: bytes,
    *,
    copy: bool = False,
    neutralize_database: bool = False,
) -> None:
    """Create ``db_name`` from a :func:`dump_database` backup (Odoo's ``restore_db``)."""
    if db_name in emulator.databases:
        raise PythonError("builtins.Exception", "Database already exists")
    try:
        if zipfile.is_zipfile(io.BytesIO(data)):
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                dump = archive.read("dump.sql")
        elif data.startswith(DUMP_HEADER):
            dump = data[len(DUMP_HEADER) :]
        else:
            raise ValueError("not a backup")
        restored = Database.from_export(db_name, json.loads(dump))
    except (KeyError, ValueError, zipfile.BadZipFile):
        raise PythonError("builtins.Exception", _RESTORE_FAILED) from None
    if restored.version != emulator.version:
        raise PythonError("builtins.Exception", _RESTORE_FAILED)
    emulator.databases[db_name] = restored


def _must_not_exist(emulator: Emulator, name: str) -> None:
    if name in emulator.databases:
        raise DatabaseExists(f"Database {name} already exists")


_OPEN: dict[str, Callable[..., Any]] = {
    "list": exp_list,
    "db_exist": exp_db_exist,
    "list_lang": exp_list_lang,
    "server_version": exp_server_version,
}
_GUARDED: dict[str, Callable[..., Any]] = {
    "list_countries": exp_list_countries,
    "create_database": exp_create_database,
    "duplicate_database": exp_duplicate_database,
    "drop": exp_drop,
    "rename": exp_rename,
    "change_admin_password": exp_change_admin_password,
    "dump": exp_dump,
    "restore": exp_restore,
}
