"""The HTTP side of the emulated Odoo: parsed requests and the answers Werkzeug would send.

Every route gets a :class:`WebRequest` (headers case-insensitive, cookies and
query parsed once) and builds its answer with the helpers here, so the bytes
match what real Odoo sends: ``application/json; charset=utf-8`` with
``X-Content-Type-Options: nosniff`` on successful JSON answers (Odoo adds it
only there), Werkzeug's HTML error pages, and the ``session_id`` cookie.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from email.utils import formatdate
from html import escape as _html_escape
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from zenoo_rpc.transports.base import HttpRequest, HttpResponse

__all__ = [
    "HTML_CT",
    "JSON_CT",
    "SESSION_MAX_AGE",
    "WebRequest",
    "escape",
    "html_error_page",
    "inferred_type_error",
    "json_default",
    "json_response",
    "not_found_page",
    "session_cookie",
    "text_response",
]

JSON_CT = "application/json; charset=utf-8"
HTML_CT = "text/html; charset=utf-8"
#: Odoo keeps a web session a week and says so in every ``Set-Cookie``.
SESSION_MAX_AGE = 604800

Headers = list[tuple[str, str]]


class WebRequest:
    """An :class:`HttpRequest` as routes read it."""

    def __init__(self, request: HttpRequest) -> None:
        self.raw = request
        self.method = request.method.upper()
        parts = urlsplit(request.path)
        self.path = unquote(parts.path) or "/"
        self.query = dict(parse_qsl(parts.query))
        self.headers = {key.lower(): value for key, value in request.headers.items()}
        self.body = request.content
        self.cookies: dict[str, str] = {}
        for item in self.headers.get("cookie", "").split(";"):
            name, sep, value = item.strip().partition("=")
            if sep:
                self.cookies.setdefault(name, value)

    def header(self, name: str, default: str = "") -> str:
        return self.headers.get(name.lower(), default)

    @property
    def mimetype(self) -> str:
        return self.header("content-type").split(";", 1)[0].strip().lower()

    @property
    def is_json(self) -> bool:
        """Werkzeug's idea of a JSON request (what Odoo's ``type='json'`` routes require)."""
        mime = self.mimetype
        return mime in ("application/json", "application/json-rpc") or mime.endswith("+json")

    @property
    def session_id(self) -> str | None:
        return self.cookies.get("session_id") or None


def escape(text: str) -> str:
    """HTML-escape as Werkzeug (markupsafe) does: ``'`` becomes ``&#39;``."""
    return _html_escape(text).replace("&#x27;", "&#39;")


def json_default(value: Any) -> Any:
    """Odoo's ``json_default``: dates as ``YYYY-MM-DD[ HH:MM:SS]``, bytes as text, sets as lists."""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, bytes):
        return value.decode()
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    if isinstance(value, Mapping):
        return dict(value)
    return str(value)


def json_response(
    value: Any,
    *,
    status: int = 200,
    ok: bool | None = None,
    cookie: str | None = None,
    extra: Sequence[tuple[str, str]] = (),
) -> HttpResponse:
    """A JSON answer; ``ok`` (default: status 200) adds the ``nosniff`` header Odoo sends."""
    body = json.dumps(value, default=json_default).encode()
    headers: Headers = [("Content-Length", str(len(body))), ("Content-Type", JSON_CT)]
    headers.extend(extra)
    if cookie is not None:
        headers.append(("Set-Cookie", session_cookie(cookie)))
    if ok if ok is not None else status == 200:
        headers.append(("X-Content-Type-Options", "nosniff"))
    return HttpResponse(status=status, headers=headers, content=body)


def text_response(
    text: str,
    *,
    status: int,
    content_type: str = HTML_CT,
    nosniff: bool = False,
    extra: Sequence[tuple[str, str]] = (),
) -> HttpResponse:
    body = text.encode()
    headers: Headers = [("Content-Type", content_type), ("Content-Length", str(len(body)))]
    headers.extend(extra)
    if nosniff:
        headers.append(("X-Content-Type-Options", "nosniff"))
    return HttpResponse(status=status, headers=headers, content=body)


def html_error_page(
    status: int, description: str, *, extra: Sequence[tuple[str, str]] = ()
) -> HttpResponse:
    """Werkzeug's HTML error page (``description`` is HTML, escape it first)."""
    phrase = HTTPStatus(status).phrase
    text = (
        f"<!doctype html>\n<html lang=en>\n<title>{status} {phrase}</title>\n"
        f"<h1>{phrase}</h1>\n<p>{description}</p>\n"
    )
    return text_response(text, status=status, extra=extra)


def inferred_type_error(path: str, route_type: str, status: int = 400) -> HttpResponse:
    """The page Odoo sends when a request does not fit the route's type (GET / not JSON)."""
    description = (
        f"Request inferred type is compatible with {escape(str(['http']))} "
        f"but {escape(repr(path))} is type={escape(repr(route_type))}."
    )
    if status == 415:
        description += "<br><br>Please verify the Content-Type request header and try again."
    extra: Headers = [("Accept", "application/json")] if status == 415 else []
    return html_error_page(status, description, extra=extra)


def not_found_page() -> HttpResponse:
    return html_error_page(
        404,
        "The requested URL was not found on the server. If you entered the URL manually "
        "please check your spelling and try again.",
    )


def session_cookie(session_id: str) -> str:
    expires = formatdate(time.time() + SESSION_MAX_AGE, usegmt=True)
    return (
        f"session_id={session_id}; Expires={expires}; Max-Age={SESSION_MAX_AGE}; HttpOnly; Path=/"
    )
