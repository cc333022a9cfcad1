"""``Database``: one emulated Odoo database, the API the wire layer calls.

Every RPC goes through :meth:`Database.call` (legacy ``execute_kw``: ids first,
positional arguments) or :meth:`Database.call_named` (JSON-2: arguments by
name). Each call runs in a store transaction: it either completes, or raises
an :class:`~.exceptions.EmulatedError` and leaves the database untouched.
Record changes reach the bus only once the call has succeeded.

The API keys below are well-known test credentials, installed in every
emulated database; never use them anywhere else.
"""

from __future__ import annotations

import functools
import inspect
import pickle
import secrets
import threading
from collections.abc import Callable, Mapping
from typing import Any

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
#: login -> password of the seeded users that can log in.
DEFAULT_PASSWORDS: dict[str, str] = {login: pw for _, login, pw, *_ in USERS if pw}
INSTALLED_LANGS = ("en_US",)


@functools.cache
def _signature(func: Callable[..., Any]) -> inspect.Signature:
    """``inspect.signature`` of a model method: immutable, so computed once."""
    return inspect.signature(func)


class Database:
    """An emulated Odoo database of ``version`` (16-19) with ``size`` demo partners."""

    def __init__(
        self, name: str = "demo", *, version: int = 18, size: int = 10, seed: int = 0
    ) -> None:
        if not 16 <= version <= 19:
            raise ValueError(f"unsupported Odoo version {version} (16 to 19)")
        self.name = name
        self.version = version
        self.bus = Bus()
        self.registry = Registry(name, version, ALL_MODELS)
        build_demo(self.registry, size=size, seed=seed)
        self._api_keys: dict[str, tuple[int, str]] = {
            ADMIN_API_KEY: (ADMIN_UID, "zenoo test key"),
            DEMO2_API_KEY: (DEMO2_UID, "zenoo test key"),
        }
        self._lock = threading.RLock()

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

    # -- authentication -----------------------------------------------------------
    def _users(self) -> Table:
        return self.registry.store.tables["res.users"]

    def _active_user(self, uid: object) -> bool:
        users = self._users()
        return isinstance(uid, int) and users.exists(uid) and bool(users.get(uid, "active"))

    def _secret_ok(self, uid: int, secret: object) -> bool:
        if not self._active_user(uid) or not isinstance(secret, str) or not secret:
            return False
        password = self._users().get(uid, "password")
        if password and secrets.compare_digest(password, secret):
            return True
        owner = self._api_keys.get(secret)
        return owner is not None and owner[0] == uid

    def authenticate(self, login: str, secret: str) -> int | None:
        """The uid of ``login`` when ``secret`` is its password or one of its API keys."""
        with self._lock:
            users = self._users()
            for uid in users:
                if users.get(uid, "login") == login and self._secret_ok(uid, secret):
                    return uid
            return None

    def check_credentials(self, uid: int, secret: str) -> None:
        with self._lock:
            if not self._secret_ok(uid, secret):
                raise AccessDenied()

    def uid_for_api_key(self, key: str) -> int | None:
        with self._lock:
            owner = self._api_keys.get(key)
            return owner[0] if owner and self._active_user(owner[0]) else None

    def create_api_key(self, uid: int, name: str) -> str:
        with self._lock:
            if not self._active_user(uid):
                raise AccessDenied()
            key = secrets.token_hex(20)
            self._api_keys[key] = (uid, name)
            return key

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
