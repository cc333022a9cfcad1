"""API keys (``res.users.apikeys``) and the identity check that guards making and removing them.

As in Odoo: a key is made by the ``res.users.apikeys.description`` wizard's
``make_key`` and removed by ``res.users.apikeys.remove``; both are guarded by
``@check_identity``, which answers a ``res.users.identitycheck`` window action
instead of running; writing the user's password on that wizard and calling
its ``run_check`` runs the guarded method, whose result ``run_check`` returns
(for ``make_key``: the "API Key Ready" action with the new key in
``context.default_key``). Keys are shown once: the table keeps their SHA-256
and an 8-character index (Odoo keeps a pbkdf2 hash), in a column no RPC can
read. Odoo 17 added expiration dates: a duration picked on the wizard, a
custom date, or none (a persistent key, for administrators only).

The emulator never remembers a passed identity check between calls (Odoo
does, for 10 minutes, in a browser session): every guarded call asks again.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import functools
import hashlib
import json
import secrets
from collections.abc import Callable
from typing import Any, ClassVar, TypeVar

from zenoo_rpc.testing.emulator.exceptions import AccessError, UserError, ValidationError
from zenoo_rpc.testing.emulator.orm import api, fields
from zenoo_rpc.testing.emulator.orm.base import BaseModel
from zenoo_rpc.testing.emulator.orm.crud import now

__all__ = [
    "INDEX_SIZE",
    "ResUsersApikeys",
    "ResUsersApikeysDescription",
    "ResUsersIdentitycheck",
    "check_identity",
    "key_digest",
    "new_key",
]

F = TypeVar("F", bound=Callable[..., Any])

#: Hex digits of a key kept in clear to find it (Odoo's ``INDEX_SIZE``).
INDEX_SIZE = 8
#: ``since`` of a column that no Odoo version shows: stored, never read, written or listed.
_HIDDEN = 1000
_IDENTITY_CHECKED: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "zenoo_emulator_identity_checked", default=False
)
_DURATIONS = [
    ("1", "1 Day"),
    ("7", "1 Week"),
    ("30", "1 Month"),
    ("90", "3 Months"),
    ("180", "6 Months"),
    ("365", "1 Year"),
    ("0", "Persistent Key"),
    ("-1", "Custom Date"),
]


def new_key() -> str:
    """A fresh key: 20 random bytes in hex, like Odoo's."""
    return secrets.token_hex(20)


def key_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None, microsecond=0)


def _is_system(model: BaseModel) -> bool:
    return model.env.is_superuser or "base.group_system" in model.env.user_groups


def check_identity(func: F) -> F:
    """Odoo's ``@check_identity``: run ``func`` only right after ``run_check`` passed.

    Otherwise create a ``res.users.identitycheck`` remembering the call and
    return the window action that asks for the password.
    """

    @functools.wraps(func)
    def guarded(self: BaseModel, *args: Any, **kwargs: Any) -> Any:
        if _IDENTITY_CHECKED.get():
            return func(self, *args, **kwargs)
        check = self.env["res.users.identitycheck"].sudo().create({})
        request = json.dumps([{}, self._name, list(self._ids), func.__name__])
        check._table.set(check.ids[0], "request", request)  # a column no RPC can write
        return {
            "type": "ir.actions.act_window",
            "res_model": "res.users.identitycheck",
            "res_id": check.ids[0],
            "name": "Security Control",
            "target": "new",
            "views": [[False, "form"]],
        }

    guarded.__check_identity__ = True  # type: ignore[attr-defined]
    return guarded  # type: ignore[return-value]


class ResUsersApikeys(BaseModel):
    _name: ClassVar[str] = "res.users.apikeys"
    _description: ClassVar[str] = "Users API Keys"

    name = fields.Char("Description", required=True, readonly=True)
    user_id = fields.Many2one("res.users", "User", required=True, readonly=True, ondelete="cascade")
    scope = fields.Char("Scope", readonly=True)
    expiration_date = fields.Datetime("Expiration Date", readonly=True, since=17)
    #: The key's SHA-256 and its first characters: Odoo's secret columns.
    key = fields.Char("Key", since=_HIDDEN)
    index = fields.Char("Index", since=_HIDDEN)

    def _check_access(self, operation: str) -> None:
        if operation != "read" and not self.env.is_superuser:
            raise AccessError(
                f"You are not allowed to {'modify' if operation == 'write' else operation} "
                f"'{self._description}' ({self._name}) records.\n\n"
                "No group currently allows this operation.\n\n"
                "Contact your administrator to request access if necessary."
            )
        super()._check_access(operation)

    def _rule_domain(self) -> list[Any]:
        if _is_system(self):
            return []
        return [("user_id", "=", self.env.uid)]

    def _generate(self, scope: str | None, name: str, expiration_date: str | None) -> str:
        key = new_key()
        self._table.insert(
            {
                "name": name,
                "user_id": self.env.uid,
                "scope": scope,
                "expiration_date": expiration_date,
                "key": key_digest(key),
                "index": key[:INDEX_SIZE],
                "create_date": now(),
                "create_uid": self.env.uid,
                "write_date": now(),
                "write_uid": self.env.uid,
            }
        )
        return key

    @api.records()
    @check_identity
    def remove(self) -> dict[str, Any]:
        return self._remove()

    def _remove(self) -> dict[str, Any]:
        ids = list(dict.fromkeys(self._ids))
        live = self._table.existing(ids)
        if len(live) != len(ids):
            raise self._missing_error([rid for rid in ids if rid not in live])
        if not live:
            return {"type": "ir.actions.act_window_close"}
        owners = {self._table.get(rid, "user_id") for rid in live}
        if not _is_system(self) and owners != {self.env.uid}:
            raise AccessError(
                "You can not remove API keys unless they're yours or you are a system user"
            )
        for rid in live:
            self._table.delete(rid)
        return {"type": "ir.actions.act_window_close"}


class ResUsersApikeysDescription(BaseModel):
    _name: ClassVar[str] = "res.users.apikeys.description"
    _description: ClassVar[str] = "API Key Description"

    name = fields.Char("Description", required=True)
    #: Defaults to 1 day (set on create: a field default would reach Odoo 16 too).
    duration = fields.Selection(_DURATIONS, "Duration", since=17)
    expiration_date = fields.Datetime("Expiration Date", since=17)

    def _prepare_create(self, vals: dict[str, Any]) -> dict[str, Any]:
        if self.env.version < 17:
            return vals
        duration = str(vals.get("duration") or "1")
        vals["duration"] = duration
        if duration == "-1":
            expiration = vals.get("expiration_date")
            if not expiration:
                raise ValidationError("The API key must have an expiration date")
        elif duration == "0":
            if not _is_system(self):
                raise ValidationError("The API key must have an expiration date")
            vals["expiration_date"] = False
        elif duration.isdigit():
            day = _utcnow().date() + dt.timedelta(days=int(duration))
            vals["expiration_date"] = f"{day.isoformat()} 00:00:00"
        if vals.get("expiration_date") and not _is_system(self):
            limit = _utcnow() + dt.timedelta(days=1)
            expiration = self._fields["expiration_date"].to_storage(vals["expiration_date"])
            if expiration > limit.isoformat(sep=" ", timespec="seconds"):
                raise ValidationError("You cannot exceed 1.0 days.")
        return vals

    @api.records()
    @check_identity
    def make_key(self) -> dict[str, Any]:
        if "base.group_user" not in self.env.user_groups and not self.env.is_superuser:
            raise AccessError("Only internal users can create API keys")
        ids = self._existing()
        if len(ids) != 1:
            raise ValueError(f"Expected singleton: {self._name}{tuple(self._ids)!r}")
        name = self._table.get(ids[0], "name")
        expiration = self._table.get(ids[0], "expiration_date")
        keys = self.env["res.users.apikeys"]
        assert isinstance(keys, ResUsersApikeys)
        key = keys._generate(None, name, expiration)
        self._table.delete(ids[0])
        return {
            "type": "ir.actions.act_window",
            "res_model": "res.users.apikeys.show",
            "name": "API Key Ready",
            "views": [[False, "form"]],
            "target": "new",
            "context": {"default_key": key},
        }


class ResUsersIdentitycheck(BaseModel):
    _name: ClassVar[str] = "res.users.identitycheck"
    _description: ClassVar[str] = "Password Check Wizard"

    request = fields.Char("Request", readonly=True, since=_HIDDEN)
    password = fields.Char("Password", write_only=True)
    auth_method = fields.Selection([("password", "Password")], "Authentication Method", since=18)

    def _prepare_create(self, vals: dict[str, Any]) -> dict[str, Any]:
        if self.env.version >= 18:
            vals.setdefault("auth_method", "password")
        return vals

    @api.records()
    def run_check(self) -> Any:
        ids = self._existing()
        if len(ids) != 1:
            raise ValueError(f"Expected singleton: {self._name}{tuple(self._ids)!r}")
        table = self._table
        rid = ids[0]
        creator = table.get(rid, "create_uid")
        if creator != self.env.uid and not self.env.is_superuser:
            raise AccessError("You can only check your own identity.")
        password = table.get(rid, "password")
        table.set(rid, "password", None)
        users = self.env.store.tables["res.users"]
        expected = users.get(creator, "password") if users.exists(creator) else None
        if not (password and expected and secrets.compare_digest(str(password), expected)):
            raise UserError(
                "Incorrect Password, try again or click on Forgot Password to reset your password."
            )
        _context, model, record_ids, method = json.loads(table.get(rid, "request"))
        target = getattr(self.env[model].browse(record_ids), method)
        if not getattr(target, "__check_identity__", False):
            raise AccessError(f"{model}.{method} does not need an identity check")
        token = _IDENTITY_CHECKED.set(True)
        try:
            return target()
        finally:
            _IDENTITY_CHECKED.reset(token)
