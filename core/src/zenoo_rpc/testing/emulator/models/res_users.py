"""Users and groups (``res.users``, ``res.groups``), passwords included.

Passwords live in a write-only column: ``read`` answers ``""`` as Odoo does.
Odoo 19 renamed ``groups_id`` to ``group_ids``; each version shows its name.
``auth_totp`` adds ``totp_secret`` (write-only, base32) and ``totp_enabled``;
the API keys of a user are ``api_key_ids`` (``res.users.apikeys``).
"""

from __future__ import annotations

from typing import Any, ClassVar

from zenoo_rpc.testing.emulator.exceptions import UserError, ValidationError
from zenoo_rpc.testing.emulator.orm import api, fields
from zenoo_rpc.testing.emulator.orm.access import GROUP_BY_XMLID
from zenoo_rpc.testing.emulator.orm.base import BaseModel
from zenoo_rpc.testing.emulator.orm.crud import CrudModel

from .timezones import TZ_HELP, TZ_SELECTION

__all__ = ["SELF_WRITEABLE", "ResGroups", "ResUsers"]

#: Fields a user may change on their own record without the Access Rights group.
SELF_WRITEABLE = frozenset({"lang", "tz", "email", "signature", "password", "name"})


class ResGroups(BaseModel):
    _name: ClassVar[str] = "res.groups"
    _description: ClassVar[str] = "Access Groups"
    _order: ClassVar[str] = "name"
    _rec_name: ClassVar[str | None] = "full_name"

    name = fields.Char("Name", required=True)
    xmlid = fields.Char("External ID", readonly=True)
    full_name = fields.Char("Group Name", compute="_compute_full_name", store=False)
    comment = fields.Text("Comment")

    def _compute_full_name(self, ids: list[int]) -> dict[int, Any]:
        xmlids, names = self._table.columns["xmlid"], self._table.columns["name"]
        out: dict[int, Any] = {}
        for rid in ids:
            group = GROUP_BY_XMLID.get(xmlids[rid] or "")
            out[rid] = group.full_name(self.env.version) if group else names[rid]
        return out


class ResUsers(BaseModel):
    _name: ClassVar[str] = "res.users"
    _description: ClassVar[str] = "User"
    _order: ClassVar[str] = "name, login"

    name = fields.Char("Name", required=True)
    login = fields.Char("Login", required=True, help="Used to log into the system")
    password = fields.Char("Password", write_only=True, copy=False)
    partner_id = fields.Many2one(
        "res.partner", "Related Partner", required=True, ondelete="restrict"
    )
    email = fields.Char("Email")
    signature = fields.Html("Email Signature")
    active = fields.Boolean("Active", default=True)
    lang = fields.Selection([("en_US", "English (US)")], "Language", default="en_US")
    tz = fields.Selection(TZ_SELECTION, "Timezone", default="Europe/Brussels", help=TZ_HELP)
    company_id = fields.Many2one(
        "res.company", "Company", required=True, ondelete="restrict", default=lambda model: 1
    )
    company_ids = fields.Many2many("res.company", "Companies", default=lambda model: [1])
    groups_id = fields.Many2many("res.groups", "Groups", until=18)
    group_ids = fields.Many2many("res.groups", "Groups", since=19)
    share = fields.Boolean("Share User", compute="_compute_share", store=False)
    totp_secret = fields.Char("Totp Secret", write_only=True, copy=False)
    totp_enabled = fields.Boolean(
        "Two-factor authentication", compute="_compute_totp_enabled", store=False
    )
    api_key_ids = fields.One2many("res.users.apikeys", "user_id", "API Keys")

    def _compute_totp_enabled(self, ids: list[int]) -> dict[int, Any]:
        secrets = self._table.columns["totp_secret"]
        return {rid: bool(secrets[rid]) for rid in ids}

    def _groups_field(self) -> str:
        return "group_ids" if self.env.version >= 19 else "groups_id"

    def _compute_share(self, ids: list[int]) -> dict[int, Any]:
        groups = self.env.store.tables["res.groups"]
        col = self._table.columns[self._groups_field()]
        out: dict[int, Any] = {}
        for rid in ids:
            xmlids = {groups.get(g, "xmlid") for g in col[rid] or () if groups.exists(g)}
            out[rid] = "base.group_user" not in xmlids
        return out

    def _prepare_create(self, vals: dict[str, Any]) -> dict[str, Any]:
        if not vals.get("partner_id"):
            partner = (
                self.env["res.partner"]
                .sudo()
                .create(
                    {
                        "name": vals.get("name") or vals.get("login"),
                        "email": vals.get("email"),
                        "company_id": vals.get("company_id") or False,
                    }
                )
            )
            vals["partner_id"] = partner.ids[0]
        return vals

    def _validate(self, ids: list[int], fnames: set[str]) -> None:
        if "login" not in fnames:
            return
        logins = self._table.columns["login"]
        seen: dict[str, int] = {}
        for rid in self._table:
            login = logins[rid]
            if login in seen:
                raise ValidationError("You can not have two users with the same login!")
            seen[login] = rid

    def _check_unlink(self, ids: list[int]) -> None:
        if 2 in ids or 1 in ids:
            raise UserError(
                "You cannot delete the admin user because it is utilized in various places "
                "(such as security configurations,...). Instead, archive it."
            )

    @api.records()
    def write(self, vals: Any) -> bool:
        own = (
            self._ids == (self.env.uid,)
            and isinstance(vals, dict)
            and set(vals) <= (SELF_WRITEABLE)
        )
        target = self.sudo() if own else self
        result = bool(CrudModel.write(target, vals))
        if isinstance(vals, dict) and {"name", "email"} & set(vals):
            partner_vals = {k: vals[k] for k in ("name", "email") if k in vals}
            partner_ids = [target._get(rid, "partner_id") for rid in target._existing()]
            self.env["res.partner"].sudo().browse(partner_ids).write(partner_vals)
        return result

    @api.model()
    def context_get(self) -> dict[str, Any]:
        uid = self.env.uid
        table = self._table
        if not table.exists(uid):
            return {"lang": "en_US", "tz": "Europe/Brussels", "uid": uid}
        return {
            "lang": table.get(uid, "lang") or "en_US",
            "tz": table.get(uid, "tz") or False,
            "uid": uid,
        }
