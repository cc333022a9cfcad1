"""``GET /web/content/<id>[/<filename>]``: an attachment's bytes, as Odoo's ``ir.binary`` does.

Read as the session's user (public attachments without a session); anything
that cannot be read (no such record, no access, not logged in) is a plain
404, as in Odoo. ``?download=true`` asks for ``Content-Disposition:
attachment``. URL attachments redirect to their URL.
"""

from __future__ import annotations

import base64
import binascii
from typing import TYPE_CHECKING
from urllib.parse import quote

from zenoo_rpc.testing.emulator.database import SUPERUSER_ID
from zenoo_rpc.testing.emulator.exceptions import EmulatedError
from zenoo_rpc.testing.emulator.routes.http import WebRequest, not_found_page
from zenoo_rpc.testing.emulator.routes.pages import redirect
from zenoo_rpc.transports.base import HttpResponse

if TYPE_CHECKING:
    from zenoo_rpc.testing.emulator.server import Emulator

__all__ = ["content_route"]

_FIELDS = ["name", "datas", "mimetype", "checksum", "type", "url", "public"]


def content_route(emulator: Emulator, request: WebRequest) -> HttpResponse:
    if request.method not in ("GET", "HEAD"):
        return not_found_page()
    head, _, _filename = request.path[len("/web/content/") :].partition("/")
    if not head.isdigit():
        return not_found_page()
    attachment_id = int(head)
    session = emulator.sessions.authenticated(request.session_id)
    if session is not None and session.db in emulator.databases and session.uid is not None:
        db, uid, public_only = emulator.databases[session.db], session.uid, False
    elif len(emulator.databases) == 1:
        db, uid, public_only = emulator.database(), SUPERUSER_ID, True
    else:
        return not_found_page()
    try:
        rows = db.call(uid, "ir.attachment", "read", [[attachment_id]], {"fields": _FIELDS})
    except EmulatedError:
        return not_found_page()
    if not rows or (public_only and not rows[0].get("public")):
        return not_found_page()
    row = rows[0]
    if row.get("type") == "url":
        return redirect(str(row.get("url") or "/"), status=301)
    try:
        data = base64.b64decode(row.get("datas") or b"", validate=False)
    except (binascii.Error, ValueError):
        data = b""
    disposition = "attachment" if request.query.get("download") in ("true", "1") else "inline"
    name = str(row.get("name") or f"attachment-{attachment_id}")
    headers = [
        ("Content-Type", str(row.get("mimetype") or "application/octet-stream")),
        ("Content-Length", str(len(data))),
        ("Content-Disposition", f"{disposition}; filename*=UTF-8''{quote(name, safe='')}"),
        ("X-Content-Type-Options", "nosniff"),
        ("Cache-Control", "no-cache"),
    ]
    checksum = row.get("checksum")
    if checksum:
        headers.append(("ETag", f'"{checksum}"'))
    content = b"" if request.method == "HEAD" else data
    return HttpResponse(status=200, headers=headers, content=content)
