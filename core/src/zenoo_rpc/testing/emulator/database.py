"""``Database``: one emulated Odoo database, the API the wire layer calls.

Every RPC goes through :meth:`Database.call` (legacy ``execute_kw``: ids first,
positional arguments) or :meth:`Database.call_named` (JSON-2: arguments by
name). Each call runs in a store transaction: it either completes, or raises
an :class:`~.exceptions.EmulatedError` and leaves the database untouched.
Record changes reach the bus only once the call has succeeded.

The API keys below are well-known test credentials, installed in every
emulated database; never use them anywhere else. API keys live in the
``res.users.apikeys`` table (as hashes), so keys generated over RPC, their
expiration and their removal are seen by every login. Users with two-factor
authentication (:meth:`Database.enable_totp`) log in interactively (web
session) with their password and a code, and over RPC with API keys only.

:meth:`Database.export_tables` / :meth:`Database.from_export` are the
emulator's own backup format: every table as JSON (what a ``pg_dump`` is to
Odoo), used by the database manager's backup and restore.
"""

from __future__ import annotations

import datetime as dt
import functools
import inspect
import pickle
import secrets
import threading
from collections.abc import Callable, Mapping
from typing import Any

from . import totp
from .bus import Bus
from .demo_data import USERS, build_demo
from .exceptions import (
    AccessDenied,
    AccessError,
    EmulatedError,
    ModelNotFound,
    PythonError,
    SignatureError,
    UnknownMethod,
    UserError,
)
from .models import ALL_MODELS
from .models.res_users_apikeys import INDEX_SIZE, key_digest, new_key
from .orm.api import RpcMethod, rpc_info
from .orm.model import ModelCore, to_plain
from .orm.registry import PRIVATE_NAMES, Environment, Registry
from .orm.storage import Table

__all__ = [
    "ADMIN_API_KEY",
    "ADMIN_UID",
    "DEFAULT_PASSWORDS",
    "DEMO2_API_KEY",
    "DEMO2_UID",
    "DEMO_UID",
    "INSTALLED_LANGS",
    "SUPERUSER_ID",
    "Database",
]

SUPERUSER_ID = 1
ADMIN_UID = 2
DEMO_UID = 4
DEMO2_UID = 5
#: Well-known API keys of the test users (admin, demo2). Test credentials only.
ADMIN_API_KEY = "zenoo-admin-0123456789abcdef"
DEMO2_API_KEY = "zenoo-demo2-0123456789abcdef"
#: Records only demo data has (Odoo's ``--without-demo`` databases have none).
_DEMO_MODELS = (
    "sale.order.line", "sale.order", "stock.picking", "product.product", "mail.message",
    "ir.attachment",
)  # fmt: skip
#: Users and partners up to these ids exist without demo data (admin, OdooBot, public).
_LAST_BASE_USER = 3
_LAST_BASE_PARTNER = 4
#: login -> password of the seeded users that can log in.
DEFAULT_PASSWORDS: dict[str, str] = {login: pw for _, login, pw, *_ in USERS if pw}
INSTALLED_LANGS = ("en_US",)


@functools.cache
def _signature(func: Callable[..., Any]) -> inspect.Signature:
    """``inspect.signature`` of a model method: immutable, so computed once."""
    return inspect.signature(func)


def _plain(value: Any) -> Any:
    """A stored value as JSON can carry it (tuples of ids become lists)."""
    return list(value) if isinstance(value, tuple) else value


def _stored(value: Any) -> Any:
    """A value of :meth:`Database.export_tables` as the table stores it."""
    return tuple(value) if isinstance(value, list) else value


class Database:
    """An emulated Odoo database of ``version`` (16-19) with ``size`` demo partners.

    ``demo=False`` is a database created without demo data: the company, the
    admin, OdooBot and the public user only (currencies, countries and groups
    are data, not demo, in Odoo too).
    """

    def __init__(
        self,
        name: str = "demo",
        *,
        version: int = 18,
        size: int = 10,
        seed: int = 0,
        demo: bool = True,
    ) -> None:
        if not 16 <= version <= 19:
            raise ValueError(f"unsupported Odoo version {version} (16 to 19)")
        self.name = name
        self.version = version
        self.bus = Bus()
        self.registry = Registry(name, version, ALL_MODELS)
        build_demo(self.registry, size=size, seed=seed)
        self._lock = threading.RLock()
        for uid, key in ((ADMIN_UID, ADMIN_API_KEY), (DEMO2_UID, DEMO2_API_KEY)):
            self._insert_api_key(uid, "zenoo test key", key)
        if not demo:
            self._remove_demo()

    def _remove_demo(self) -> None:
        """Delete what only demo data has: business records, the demo users and their keys."""
        tables = self.registry.store.tables
        for model in _DEMO_MODELS:
            for rid in list(tables[model]):
                tables[model].delete(rid)
        demo_users = [uid for uid in tables["res.users"] if uid > _LAST_BASE_USER]
        demo_partners = [rid for rid in tables["res.partner"] if rid > _LAST_BASE_PARTNER]
        for uid in demo_users:
            tables["res.users"].delete(uid)
        for rid in demo_partners:
            tables["res.partner"].delete(rid)
        keys = tables["res.users.apikeys"]
        for rid in list(keys):
            if keys.get(rid, "user_id") in demo_users:
                keys.delete(rid)
        gone = {("res.users", uid) for uid in demo_users}
        gone |= {("res.partner", rid) for rid in demo_partners}
        xmlids = tables["ir.model.data"]
        for rid in list(xmlids):
            if (xmlids.get(rid, "model"), xmlids.get(rid, "res_id")) in gone:
                xmlids.delete(rid)

    # -- persistence --------------------------------------------------------------
    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        del state["bus"], state["_lock"]
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self.bus = Bus()
        self._lock = threading.RLock()

    def dump(self) -> bytes:
        """The whole database as bytes (a backup); the bus history is not kept."""
        with self._lock:
            return pickle.dumps(self, protocol=pickle.HIGHEST_PROTOCOL)

    @classmethod
    def load(cls, data: bytes, name: str | None = None) -> Database:
        """Restore a :meth:`dump` (only ever load bytes this process produced)."""
        db = pickle.loads(data)  # noqa: S301 - our own backups only
        if not isinstance(db, cls):
            raise TypeError("not a dumped Database")
        if name is not None:
            db.name = name
            db.registry.dbname = name
        return db

    def copy(self, new_name: str) -> Database:
        """A deep copy under another name (``db.duplicate_database``)."""
        return Database.load(self.dump(), new_name)

    def export_tables(self) -> dict[str, Any]:
        """Every table as plain JSON data: ``{"version", "tables": {model: {"ids", "columns"}}}``.

        The emulator's ``dump.sql``: live rows only, ids kept, one list of values
        per column (tuples become lists); :meth:`from_export` reads it back.
        """
        with self._lock:
            tables: dict[str, Any] = {}
            for model, table in self.registry.store.tables.items():
                ids = list(table)
                tables[model] = {
                    "ids": ids,
                    "next_id": len(table.alive),
                    "columns": {
                        column: [_plain(values[rid]) for rid in ids]
                        for column, values in table.columns.items()
                    },
                }
            return {"version": self.version, "tables": tables}

    @classmethod
    def from_export(cls, name: str, data: Any) -> Database:
        """A database holding the tables of :meth:`export_tables` output.

        :raises ValueError: when ``data`` is not such an export, or is one of
            another Odoo version.
        """
        if not isinstance(data, dict) or not isinstance(data.get("tables"), dict):
            raise ValueError("not an emulator database export")
        version = data.get("version")
        if not isinstance(version, int):
            raise ValueError("the export does not say its Odoo version")
        db = cls.__new__(cls)
        db.name = name
        db.version = version
        db.bus = Bus()
        db._lock = threading.RLock()
        db.registry = Registry(name, version, ALL_MODELS)
        store = db.registry.store
        for model, payload in data["tables"].items():
            table = store.tables.get(model)
            if table is None or not isinstance(payload, dict):
                raise ValueError(f"unknown table {model!r} in the export")
            ids, columns = payload.get("ids"), payload.get("columns")
            if not isinstance(ids, list) or not isinstance(columns, dict):
                raise ValueError(f"table {model!r}: ids and columns expected")
            unknown = set(columns) - set(table.columns)
            if unknown:
                raise ValueError(f"table {model!r}: unknown columns {sorted(unknown)}")
            for pos, rid in enumerate(ids):
                table.insert({col: _stored(values[pos]) for col, values in columns.items()}, rid)
            while len(table.alive) < int(payload.get("next_id", 0)):
                table.alive.append(0)
                for column, values in table.columns.items():
                    values.append(table.empties[column])
        return db

    def set_admin(
        self,
        *,
        login: str = "admin",
        password: str = "admin",  # noqa: S107 - Odoo's default, for a test server
        lang: str = "en_US",
        country_code: str | None = None,
        phone: str | None = None,
    ) -> None:
        """What creating a database sets: the admin's login, password and language,
        the company's country and phone."""
        with self._lock:
            tables = self.registry.store.tables
            users = tables["res.users"]
            users.set(ADMIN_UID, "login", login)
            users.set(ADMIN_UID, "password", password)
            users.set(ADMIN_UID, "lang", lang if lang in INSTALLED_LANGS else "en_US")
            company = tables["res.company"]
            if phone and "phone" in company.columns:
                company.set(1, "phone", phone)
            if country_code:
                countries = tables["res.country"]
                for rid in countries:
                    if str(countries.get(rid, "code")).lower() == country_code.lower():
                        company.set(1, "country_id", rid)
                        break

    # -- authentication -----------------------------------------------------------
    def _users(self) -> Table:
        return self.registry.store.tables["res.users"]

    def _active_user(self, uid: object) -> bool:
        users = self._users()
        return isinstance(uid, int) and users.exists(uid) and bool(users.get(uid, "active"))

    def _secret_ok(self, uid: int, secret: object, *, interactive: bool = False) -> bool:
        """Odoo's ``_check_credentials``: a password, or (not interactive) an API key.

        A user with 2FA may not use a password over RPC (``_rpc_api_keys_only``);
        an interactive (browser) login never takes an API key.
        """
        if not self._active_user(uid) or not isinstance(secret, str) or not secret:
            return False
        users = self._users()
        password = users.get(uid, "password")
        if password and secrets.compare_digest(password, secret):
            return interactive or not users.get(uid, "totp_secret")
        return not interactive and self._api_key_owner(secret) == uid

    def authenticate(self, login: str, secret: str, *, interactive: bool = False) -> int | None:
        """The uid of ``login`` when ``secret`` is its password or one of its API keys.

        ``interactive`` (a web login) accepts the password only, 2FA or not.
        """
        with self._lock:
            users = self._users()
            for uid in users:
                if users.get(uid, "login") == login and self._secret_ok(
                    uid, secret, interactive=interactive
                ):
                    return uid
            return None

    def check_credentials(self, uid: int, secret: str) -> None:
        with self._lock:
            if not self._secret_ok(uid, secret):
                raise AccessDenied()

    def _api_keys(self) -> Table:
        return self.registry.store.tables["res.users.apikeys"]

    def _api_key_owner(self, key: str) -> int | None:
        """The user of API key ``key`` if it exists and has not expired."""
        table = self._api_keys()
        index, digest = key[:INDEX_SIZE], key_digest(key)
        stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S")
        for rid in table:
            if table.get(rid, "index") != index or table.get(rid, "key") != digest:
                continue
            expiration = table.get(rid, "expiration_date")
            if expiration and expiration < stamp:
                return None
            owner: int = table.get(rid, "user_id")
            return owner
        return None

    def _insert_api_key(self, uid: int, name: str, key: str) -> None:
        stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S")
        self._api_keys().insert(
            {
                "name": name,
                "user_id": uid,
                "key": key_digest(key),
                "index": key[:INDEX_SIZE],
                "create_date": stamp,
                "write_date": stamp,
                "create_uid": uid,
                "write_uid": uid,
            }
        )

    def uid_for_api_key(self, key: str) -> int | None:
        with self._lock:
            owner = self._api_key_owner(key)
            return owner if owner is not None and self._active_user(owner) else None

    def create_api_key(self, uid: int, name: str) -> str:
        with self._lock:
            if not self._active_user(uid):
                raise AccessDenied()
            key = new_key()
            self._insert_api_key(uid, name, key)
            return key

    # -- two-factor authentication ----------------------------------------------------
    def enable_totp(self, login: str, secret: str | None = None) -> str:
        """Turn 2FA on for ``login`` (what Odoo's TOTP wizard does); returns the base32 secret.

        Then web logins need the code (:func:`~zenoo_rpc.testing.emulator.totp.totp_code`)
        and RPC logins an API key.
        """
        secret = secret or totp.new_secret()
        with self._lock:
            self._users().set(self._uid_of(login), "totp_secret", secret)
        return secret

    def disable_totp(self, login: str) -> None:
        with self._lock:
            self._users().set(self._uid_of(login), "totp_secret", None)

    def totp_secret(self, uid: int) -> str | None:
        """The 2FA secret of ``uid``, ``None`` when 2FA is off."""
        with self._lock:
            users = self._users()
            secret = users.get(uid, "totp_secret") if users.exists(uid) else None
            return str(secret) if secret else None

    def _uid_of(self, login: str) -> int:
        users = self._users()
        for uid in users:
            if users.get(uid, "login") == login:
                return uid
        raise KeyError(f"no user with login {login!r} in database {self.name!r}")

    # -- calling methods ----------------------------------------------------------
    def env(self, uid: int, context: Mapping[str, Any] | None = None) -> Environment:
        """An environment for direct ORM use (tests, wire-layer helpers)."""
        return Environment(self.registry, uid, context)

    def _resolve(self, model: str, method: str) -> tuple[Callable[..., Any], RpcMethod]:
        if model not in self.registry.models:
            raise ModelNotFound(model)
        if method.startswith("_") or (self.version >= 19 and method in PRIVATE_NAMES):
            shown = f"'{model}.{method}'" if self.version >= 19 else method
            raise AccessError(f"Private methods (such as {shown}) cannot be called remotely.")
        func = self.registry.rpc_methods(model).get(method)
        info = rpc_info(func)
        if func is None or info is None:
            raise UnknownMethod(model, method)
        return func, info

    def _environment(self, uid: int, context: Any) -> Environment:
        context = dict(context) if isinstance(context, Mapping) else {}
        lang = context.get("lang")
        if self.version >= 19 and lang and lang not in INSTALLED_LANGS:
            raise UserError(f"Invalid language code: {lang}")
        return Environment(self.registry, uid, context)

    def _run(self, work: Callable[[], Any], fresh: bool = False) -> Any:
        """Run ``work`` atomically; Python errors become ``PythonError`` like Odoo's.

        The result is made plain (a copy) unless ``work`` promises a ``fresh`` one.
        """
        store = self.registry.store
        self.registry.pending = []
        store.begin()
        try:
            result = work()
            if not fresh:
                result = to_plain(result)
        except EmulatedError:
            store.rollback()
            raise
        except Exception as exc:  # Odoo reports any Python exception by class name
            store.rollback()
            raise PythonError(f"builtins.{type(exc).__name__}", str(exc)) from exc
        store.commit()
        for entry in self.registry.pending:
            if entry[0] == "record":
                _, model, kind, ids, fields = entry
                self.bus.notify_records(self.name, model, kind, ids, fields)
            else:
                _, channel, type_, payload = entry
                self.bus.send(f"{self.name}.{channel}", type_, payload)
        self.registry.pending = []
        return result

    def call(
        self, uid: int, model: str, method: str, args: list[Any], kwargs: dict[str, Any]
    ) -> Any:
        """``execute_kw``: record methods take their ids as ``args[0]``."""
        with self._lock:
            func, info = self._resolve(model, method)
            kwargs = dict(kwargs or {})
            env = self._environment(uid, kwargs.pop("context", None))
            args = list(args or [])
            ids: list[Any] = []
            if info.kind == "records":
                if not args:
                    raise PythonError("builtins.IndexError", "list index out of range")
                first = args.pop(0)
                ids = [first] if isinstance(first, int) else list(first or [])
            records = env[model].browse(ids)
            try:
                _signature(func).bind(records, *args, **kwargs)
            except TypeError:
                try:
                    func(records, *args, **kwargs)  # fails while binding: Python's own text
                except TypeError as exc:
                    raise SignatureError(str(exc)) from None
            single = info.kind == "create" and bool(args) and isinstance(args[0], Mapping)

            def work() -> Any:
                result = func(records, *args, **kwargs)
                if isinstance(result, ModelCore) and (
                    single or (method == "copy" and len(result) == 1)
                ):
                    return result.ids[0] if result.ids else False
                return result

            return self._run(work, info.fresh)

    def call_named(self, uid: int, model: str, method: str, params: dict[str, Any]) -> Any:
        """JSON-2: ``params`` holds ``ids``, ``context`` and the arguments by name."""
        with self._lock:
            func, info = self._resolve(model, method)
            params = dict(params or {})
            ids = params.pop("ids", None)
            env = self._environment(uid, params.pop("context", None))
            if ids and info.kind != "records":
                raise SignatureError(f"cannot call {model}.{method} with ids")
            if isinstance(ids, int):
                ids = [ids]
            records = env[model].browse(list(ids or []))
            try:
                _signature(func).bind(records, **params)
            except TypeError as exc:
                raise SignatureError(str(exc)) from None
            return self._run(lambda: func(records, **params), info.fresh)

    # -- introspection ------------------------------------------------------------
    def method_signatures(self, model: str) -> dict[str, inspect.Signature]:
        """Public methods of ``model`` and their signatures (without ``self``)."""
        if model not in self.registry.models:
            raise ModelNotFound(model)
        return self.registry.signatures(model)

    def model_names(self) -> list[str]:
        return sorted(self.registry.models)

    def model_description(self, model: str) -> str:
        if model not in self.registry.models:
            raise ModelNotFound(model)
        return self.registry.models[model]._description

    def context_get(self, uid: int) -> dict[str, Any]:
        with self._lock:
            result: dict[str, Any] = self.env(uid)["res.users"].context_get()  # type: ignore[attr-defined]
            return result

    def user_info(self, uid: int) -> dict[str, Any]:
        """What ``/web/session/get_session_info`` needs about ``uid``."""
        with self._lock:
            env = Environment(self.registry, uid, su=True)
            users = self._users()
            if not users.exists(uid):
                raise AccessDenied()
            partner_id = users.get(uid, "partner_id")
            partners = env["res.partner"]
            groups = env.user_groups
            company_ids = list(users.get(uid, "company_ids") or ())
            companies = env["res.company"]
            return {
                "uid": uid,
                "name": users.get(uid, "name"),
                "login": users.get(uid, "login"),
                "username": users.get(uid, "login"),
                "partner_id": partner_id,
                "partner_display_name": partners._display_names([partner_id])[partner_id],
                "partner_write_date": partners._table.get(partner_id, "write_date"),
                "is_admin": "base.group_erp_manager" in groups or uid == SUPERUSER_ID,
                "is_system": "base.group_system" in groups or uid == SUPERUSER_ID,
                "is_internal_user": "base.group_user" in groups,
                "is_public": "base.group_public" in groups,
                "groups": sorted(groups),
                "company_id": users.get(uid, "company_id"),
                "company_ids": company_ids,
                "companies": {
                    cid: {
                        "id": cid,
                        "name": name,
                        "sequence": companies._get(cid, "sequence"),
                        "child_ids": [],
                        "parent_id": False,
                    }
                    for cid, name in companies._display_names(company_ids).items()
                },
                "user_context": self.context_get(uid),
                "tz": users.get(uid, "tz"),
                "lang": users.get(uid, "lang"),
            }
