"""What Odoo's ``type='http'`` routes answer: redirects, HTML pages, and posted forms.

Werkzeug's redirect (a ``303`` with a small HTML body, as Odoo's
``request.redirect`` sends), pages shaped like Odoo's (an ``alert-danger``
box for errors, hidden inputs for the CSRF token), and the fields and files
of a posted form (``application/x-www-form-urlencoded`` or
``multipart/form-data``).
"""

from __future__ import annotations

import email.parser
import email.policy
from collections.abc import Sequence
from urllib.parse import parse_qsl

from zenoo_rpc.testing.emulator.routes.http import (
    HTML_CT,
    WebRequest,
    escape,
    session_cookie,
    text_response,
)
from zenoo_rpc.transports.base import HttpResponse

__all__ = ["FormData", "UploadedFile", "home_path", "html_page", "parse_form", "redirect"]


def home_path(version: int) -> str:
    """Where Odoo sends a user after logging in: ``/web``, ``/odoo`` from 18 on."""
    return "/odoo" if version >= 18 else "/web"


def redirect(location: str, *, cookie: str | None = None, status: int = 303) -> HttpResponse:
    """Werkzeug's redirect answer (``request.redirect`` in Odoo), optionally setting a cookie."""
    target = escape(location)
    body = (
        "<!doctype html>\n<html lang=en>\n<title>Redirecting...</title>\n"
        "<h1>Redirecting...</h1>\n<p>You should be redirected automatically to the target URL: "
        f'<a href="{target}">{target}</a>. If not, click the link.\n'
    )
    extra = [("Location", location)]
    if cookie is not None:
        extra.append(("Set-Cookie", session_cookie(cookie)))
    return text_response(body, status=status, extra=extra)


def html_page(
    title: str,
    body: str,
    *,
    error: str | None = None,
    status: int = 200,
    cookie: str | None = None,
) -> HttpResponse:
    """An Odoo page: ``body`` (HTML) under an ``alert-danger`` box showing ``error`` (text)."""
    alert = f'<div class="alert alert-danger" role="alert">{escape(error)}</div>\n' if error else ""
    text = (
        '<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8"/>\n'
        f"<title>{escape(title)}</title>\n</head>\n<body>\n{alert}{body}\n</body>\n</html>\n"
    )
    extra = [("Set-Cookie", session_cookie(cookie))] if cookie is not None else []
    return text_response(text, status=status, content_type=HTML_CT, extra=extra)


class UploadedFile:
    """One file of a ``multipart/form-data`` post."""

    def __init__(self, filename: str, content: bytes) -> None:
        self.filename = filename
        self.content = content


class FormData:
    """The fields (text) and files of a posted form."""

    def __init__(self, fields: dict[str, str], files: dict[str, UploadedFile]) -> None:
        self.fields = fields
        self.files = files

    def get(self, name: str, default: str = "") -> str:
        return self.fields.get(name, default)

    def missing(self, names: Sequence[str]) -> list[str]:
        return [name for name in names if name not in self.fields and name not in self.files]


def parse_form(request: WebRequest) -> FormData:
    """The form a request posts (query-string fields count too, as in Werkzeug's ``values``)."""
    fields = dict(request.query)
    files: dict[str, UploadedFile] = {}
    mime = request.mimetype
    if mime == "application/x-www-form-urlencoded":
        fields.update(parse_qsl(request.body.decode("utf-8", "replace"), keep_blank_values=True))
    elif mime == "multipart/form-data":
        head = f"Content-Type: {request.header('content-type')}\r\n\r\n".encode("latin-1")
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + request.body)
        if message.is_multipart():
            for part in message.iter_parts():
                name = part.get_param("name", header="content-disposition")
                if not isinstance(name, str):
                    continue
                payload = part.get_payload(decode=True)
                content = payload if isinstance(payload, bytes) else b""
                filename = part.get_filename()
                if filename is not None:
                    files[name] = UploadedFile(filename, content)
                else:
                    fields[name] = content.decode("utf-8", "replace")
    return FormData(fields, files)
