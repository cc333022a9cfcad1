"""The registry of one database: its model classes, its tables, and who is calling.

:class:`Registry` is what gets pickled for backups (model classes travel by
reference); :class:`Environment` is the per-call view (user, context, sudo)
that recordsets carry, like Odoo's ``env``.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from zenoo_rpc.testing.emulator.exceptions import AccessError

from .api import rpc_info
from .storage import Store, Table

if TYPE_CHECKING:
    from .model import ModelCore

__all__ = ["SUPERUSER_ID", "Environment", "Registry"]

SUPERUSER_ID = 1
#: Methods Odoo 19 marks ``@api.private``: refused like ``_``-prefixed names.
PRIVATE_NAMES = frozenset(
    {"browse", "sudo", "with_user", "with_context", "with_env", "with_company", "ensure_one",
     "filtered", "filtered_domain", "mapped", "sorted", "invalidate_recordset", "flush_model",
     "new", "env", "ids"}
)  # fmt: skip


class Registry:
    """Model classes available in ``version`` and the store holding their rows."""

    def __init__(self, dbname: str, version: int, classes: Iterable[type[ModelCore]]) -> None:
        self.dbname = dbname
        self.version = version
        self.models: dict[str, type[ModelCore]] = {
            cls._name: cls for cls in classes if cls._since <= version
        }
        self.store = Store()
        for name, cls in self.models.items():
            empties = {
                fname: field.empty()
                for fname, field in cls._fields.items()
                if field.column and fname != "id"
            }
            self.store.add_table(Table(name, empties))
        #: Bus messages of the running call, sent once it succeeds: record changes
        #: ``("record", model, kind, ids, fields)`` and ``("send", channel, type, payload)``.
        self.pending: list[tuple[Any, ...]] = []
        self._methods: dict[str, dict[str, Callable[..., Any]]] = {}

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state["pending"] = []
        state["_methods"] = {}
        return state

    def rpc_methods(self, model: str) -> dict[str, Callable[..., Any]]:
        """Public method name -> function, for the methods ``version`` has."""
        cached = self._methods.get(model)
        if cached is not None:
            return cached
        cls = self.models[model]
        table: dict[str, Callable[..., Any]] = {}
        for attr in dir(cls):
            func = getattr(cls, attr, None)
            info = rpc_info(func)
            if info is not None and info.available(self.version):
                table[info.name or attr] = func  # type: ignore[assignment]
        self._methods[model] = table
        return table

    def signatures(self, model: str) -> dict[str, inspect.Signature]:
        """Signatures without ``self``, as JSON-2 binds named arguments to them."""
        out = {}
        for name, func in sorted(self.rpc_methods(model).items()):
            sig = inspect.signature(func)
            params = list(sig.parameters.values())[1:]
            out[name] = sig.replace(parameters=params)
        return out

    def notify(self, model: str, kind: str, ids: Iterable[int], fields: Iterable[str] = ()) -> None:
        self.pending.append(("record", model, kind, list(ids), set(fields)))

    def send(self, channel: str, type_: str, payload: Any) -> None:
        """A bus message on ``<db>.<channel>`` once the call succeeds."""
        self.pending.append(("send", channel, type_, payload))


class Environment:
    """The user, context and privileges a recordset operates with."""

    def __init__(
        self,
        registry: Registry,
        uid: int,
        context: Mapping[str, Any] | None = None,
        su: bool = False,
    ) -> None:
        self.registry = registry
        self.uid = uid
        self.context: dict[str, Any] = dict(context or {})
        self.su = su

    @property
    def version(self) -> int:
        return self.registry.version

    @property
    def store(self) -> Store:
        return self.registry.store

    def __getitem__(self, model: str) -> ModelCore:
        return self.registry.models[model](self, ())

    def __contains__(self, model: str) -> bool:
        return model in self.registry.models

    def with_context(self, **values: Any) -> Environment:
        return Environment(self.registry, self.uid, {**self.context, **values}, self.su)

    def sudo(self) -> Environment:
        return Environment(self.registry, self.uid, self.context, True)

    @property
    def is_superuser(self) -> bool:
        return self.su or self.uid == SUPERUSER_ID

    @property
    def user_groups(self) -> frozenset[str]:
        """xmlids of the user's groups (``res.users.groups_id`` -> ``res.groups.xmlid``)."""
        users = self.store.tables["res.users"]
        groups = self.store.tables["res.groups"]
        if not users.exists(self.uid):
            return frozenset()
        column = "group_ids" if self.version >= 19 else "groups_id"
        ids = users.get(self.uid, column) or ()
        return frozenset(groups.get(gid, "xmlid") for gid in ids if groups.exists(gid))

    def company_ids(self) -> list[int]:
        """Companies whose records the user sees: ``allowed_company_ids`` or all of theirs."""
        users = self.store.tables["res.users"]
        own = list(users.get(self.uid, "company_ids") or ()) if users.exists(self.uid) else []
        wanted = self.context.get("allowed_company_ids")
        if not wanted:
            return own
        if not isinstance(wanted, (list, tuple)):
            wanted = [wanted]
        if not self.is_superuser and any(cid not in own for cid in wanted):
            raise AccessError("Access to unauthorized or invalid companies.")
        return [int(cid) for cid in wanted]
