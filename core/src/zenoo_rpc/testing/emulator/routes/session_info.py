"""The ``session_info`` dict ``/web/session/authenticate`` and ``get_session_info`` return.

Real Odoo fills it from many modules (mail's ``storeData``, the web client's
view icons...). The emulator sends the same keys, per version, with values
from the emulated user where they mean something (uid, name, login, partner,
companies, context) and Odoo's defaults elsewhere.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from zenoo_rpc.testing.emulator.server import Emulator

__all__ = ["session_info"]

_VIEW_INFO = {
    "list": ("List", "oi oi-view-list", True),
    "form": ("Form", "fa fa-address-card", False),
    "graph": ("Graph", "fa fa-area-chart", True),
    "pivot": ("Pivot", "oi oi-view-pivot", True),
    "calendar": ("Calendar", "fa fa-calendar", True),
    "kanban": ("Kanban", "oi oi-view-kanban", True),
    "search": ("Search", "oi oi-search", True),
    "activity": ("Activity", "fa fa-clock-o", True),
}


def session_info(emulator: Emulator, db_name: str, uid: int) -> dict[str, Any]:
    """``ir.http.session_info()`` of ``uid`` in ``db_name`` for the emulated version."""
    db = emulator.databases[db_name]
    user = db.user_info(uid)
    context = db.context_get(uid)
    version = emulator.version
    is_admin = bool(user.get("is_admin", uid == 2))
    partner_id = user.get("partner_id", 3)
    if isinstance(partner_id, (list, tuple)):
        partner_id = partner_id[0]
    name = user.get("name", "Mitchell Admin")
    write_date = user.get("partner_write_date") or user.get("write_date") or "2024-01-01 00:00:00"
    settings: dict[str, Any] = {"id": uid - 1 if uid > 1 else 1}
    if version >= 19:
        settings["embedded_actions_config_ids"] = {}
    settings.update(
        {
            "is_discuss_sidebar_category_channel_open": True,
            "is_discuss_sidebar_category_chat_open": True,
            "push_to_talk_key": False,
            "use_push_to_talk": False,
            "voice_active_duration": 200,
            "channel_notifications": False,
        }
    )
    if version >= 19:
        settings.update({"user_id": {"id": uid}, "volumes": [["ADD", []]]})
    else:
        settings.update({"user_id": {"id": uid}, "mute_until_dt": False, "volumes": [["ADD", []]]})
    info: dict[str, Any] = {
        "uid": uid,
        "is_system": bool(user.get("is_system", is_admin)),
        "is_admin": is_admin,
        "is_public": False,
        "is_internal_user": bool(user.get("is_internal_user", True)),
        "user_context": context,
        "db": db_name,
    }
    if version >= 19:
        info["registry_hash"] = hashlib.sha256(f"{db_name}:{version}".encode()).hexdigest()
    info["user_settings"] = settings
    info.update(
        {
            "server_version": emulator.server_version,
            "server_version_info": emulator.version_info,
            "support_url": "https://www.odoo.com/buy",
            "name": name,
            "username": user.get("login", user.get("username", "admin")),
        }
    )
    if version >= 19:
        info["quick_login"] = True
    info.update(
        {
            "partner_write_date": write_date,
            "partner_display_name": user.get("partner_display_name", name),
            "partner_id": partner_id,
            "web.base.url": emulator.base_url,
            "active_ids_limit": 20000,
            "profile_session": None,
            "profile_collectors": None,
            "profile_params": None,
            "max_file_upload_size": 134217728,
            "home_action_id": False,
        }
    )
    if version < 19:
        info["cache_hashes"] = {"translations": _hash(db_name, "t"), "load_menus": _hash(db_name)}
    currency: dict[str, Any] = {"symbol": "$", "position": "before", "digits": [69, 2]}
    if version >= 19:
        currency = {"name": "USD", **currency}
    info.update(
        {
            "currencies": {"1": currency},
            "bundle_params": {"lang": context.get("lang", "en_US")},
            "test_mode": False,
            "view_info": {
                key: {"display_name": label, "icon": icon, "multi_record": multi}
                for key, (label, icon, multi) in _VIEW_INFO.items()
            },
        }
    )
    if version >= 19:
        info["groups"] = {"base.group_allow_export": True}
    info["user_companies"] = _companies(user, version)
    info["show_effect"] = True
    if version < 19:
        info["display_switch_company_menu"] = len(info["user_companies"]["allowed_companies"]) > 1
    info.update(
        {
            "max_time_between_keys_in_ms": 150,
            "websocket_worker_version": emulator.websocket_worker_version,
            "tour_enabled": False,
            "current_tour": None,
            "storeData": _store(uid, partner_id, name, write_date, is_admin, settings, version),
        }
    )
    if version < 19:
        info["odoobot_initialized"] = False
    info.update({"iap_company_enrich": True, "can_insert_in_spreadsheet": False})
    return info


def _hash(*parts: str) -> str:
    return hashlib.sha256(":".join(parts).encode()).hexdigest()


def _companies(user: dict[str, Any], version: int) -> dict[str, Any]:
    current = user.get("company_id", 1)
    if isinstance(current, (list, tuple)):
        current = current[0]
    raw: Any = (
        user.get("companies") or user.get("company_ids") or [[1, "My Company (San Francisco)"]]
    )
    if isinstance(raw, dict):
        raw = list(raw.values())
    allowed: dict[str, Any] = {}
    for index, company in enumerate(raw):
        if isinstance(company, dict):
            cid, cname = company.get("id", index + 1), company.get("name", "")
        elif isinstance(company, (list, tuple)):
            cid, cname = company[0], company[1] if len(company) > 1 else ""
        else:
            cid, cname = company, f"Company {company}"
        sequence = company.get("sequence") if isinstance(company, dict) else None
        entry: dict[str, Any] = {
            "id": cid,
            "name": cname,
            "sequence": sequence if isinstance(sequence, int) else 10 if index else 0,
            "child_ids": [],
            "parent_id": False,
        }
        if version >= 19:
            entry["currency_id"] = 1
        allowed[str(cid)] = entry
    return {
        "current_company": current,
        "allowed_companies": allowed,
        "disallowed_ancestor_companies": {},
    }


def _store(
    uid: int,
    partner_id: int,
    name: str,
    write_date: str,
    is_admin: bool,
    settings: dict[str, Any],
    version: int,
) -> dict[str, Any]:
    """mail's ``storeData``: the web client's discuss bootstrap (shape only)."""
    if version >= 19:
        return {
            "Store": {
                "action_discuss_id": 125,
                "channel_types_with_seen_infos": ["chat", "group"],
                "hasCannedResponses": True,
                "hasGifPickerFeature": False,
                "hasLinkPreviewFeature": True,
                "hasMessageTranslationFeature": False,
                "internalUserGroupId": 1,
                "mt_comment": 1,
                "mt_note": 2,
                "odoobot": 2,
                "self_partner": partner_id,
                "settings": settings,
            },
            "res.partner": [
                {
                    "active": False,
                    "avatar_128_access_token": _hash("bot"),
                    "email": "odoobot@example.com",
                    "id": 2,
                    "im_status": "bot",
                    "im_status_access_token": _hash("bot", "s"),
                    "is_company": False,
                    "main_user_id": 1,
                    "name": "OdooBot",
                    "write_date": write_date,
                },
                {
                    "active": True,
                    "avatar_128_access_token": _hash(str(partner_id)),
                    "id": partner_id,
                    "im_status": "offline",
                    "im_status_access_token": _hash(str(partner_id), "s"),
                    "main_user_id": uid,
                    "name": name,
                    "write_date": write_date,
                },
            ],
            "res.users": [
                {"id": 1, "share": False},
                {
                    "id": uid,
                    "is_admin": is_admin,
                    "notification_type": "email",
                    "share": False,
                    "signature": ["markup", f"<div>{name}</div>"],
                },
            ],
        }
    return {
        "Store": {
            "action_discuss_id": 126,
            "channel_types_with_seen_infos": ["chat", "group"],
            "hasGifPickerFeature": False,
            "hasLinkPreviewFeature": True,
            "hasMessageTranslationFeature": False,
            "internalUserGroupId": 1,
            "mt_comment_id": 1,
            "odoobot": {"id": 2, "type": "partner"},
            "self": {"id": partner_id, "type": "partner"},
            "settings": settings,
        },
        "res.partner": [
            {
                "active": False,
                "email": "odoobot@example.com",
                "id": 2,
                "im_status": "bot",
                "isInternalUser": True,
                "is_company": False,
                "name": "OdooBot",
                "userId": 1,
                "write_date": write_date,
            },
            {
                "active": True,
                "id": partner_id,
                "isAdmin": is_admin,
                "isInternalUser": True,
                "name": name,
                "notification_preference": "email",
                "userId": uid,
                "write_date": write_date,
            },
        ],
    }
