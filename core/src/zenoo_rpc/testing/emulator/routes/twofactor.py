"""``/web/login/totp``: the second step of a login with two-factor authentication (``auth_totp``).

GET shows the form (a CSRF token, the ``totp_token`` input) to a half-open
session (one whose password was checked by ``/web/session/authenticate``);
POST checks the code (RFC 6238, 30 s steps, one step of tolerance). A right
code finishes the login under a new session id and redirects (``303``) to the
web client; a wrong one shows the form again with Odoo's message. Without a
half-open session the route redirects to ``/web/login``, as Odoo does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from zenoo_rpc.testing.emulator import totp
from zenoo_rpc.testing.emulator.routes.http import WebRequest, escape, html_error_page
from zenoo_rpc.testing.emulator.routes.pages import home_path, html_page, parse_form, redirect
from zenoo_rpc.testing.emulator.sessions import LoginCooldown, WebSession
from zenoo_rpc.transports.base import HttpResponse

if TYPE_CHECKING:
    from zenoo_rpc.testing.emulator.server import Emulator

__all__ = ["TOTP_PATH", "WRONG_CODE", "totp_route"]

TOTP_PATH = "/web/login/totp"
WRONG_CODE = "Verification failed, please double-check the 6-digit code"
_BAD_FORMAT = "Invalid authentication code format."
_CSRF = "Session expired (invalid CSRF token)"


def totp_route(emulator: Emulator, request: WebRequest) -> HttpResponse:
    session = emulator.sessions.get(request.session_id)
    home = home_path(emulator.version)
    if session is not None and session.authenticated:
        return redirect(home)
    if session is None or session.pre_uid is None or session.db not in emulator.databases:
        return redirect("/web/login")
    if request.method not in ("GET", "HEAD", "POST"):
        return html_error_page(405, "The method is not allowed for the requested URL.")
    error: str | None = None
    form = parse_form(request)
    if request.method == "POST":
        if not session.check_csrf(form.get("csrf_token")):
            return html_error_page(400, escape(_CSRF))
        token = form.get("totp_token")
        if token:
            error = _check(emulator, session, token)
            if error is None:
                done = emulator.sessions.finalize(session)
                return redirect(form.get("redirect") or home, cookie=done.sid)
    return _form(session, error, form.get("redirect"))


def _check(emulator: Emulator, session: WebSession, token: str) -> str | None:
    """``None`` when ``token`` is the user's current code, else the message Odoo shows."""
    cooldown = emulator.login_cooldown
    if cooldown.blocked():
        return LoginCooldown.MESSAGE
    code = "".join(token.split())
    if not code.isdigit():
        return _BAD_FORMAT
    assert session.db is not None
    assert session.pre_uid is not None
    secret = emulator.databases[session.db].totp_secret(session.pre_uid)
    if secret and totp.verify_code(secret, code):
        cooldown.succeeded()
        return None
    cooldown.failed()
    return WRONG_CODE


def _form(session: WebSession, error: str | None, target: str) -> HttpResponse:
    body = (
        f'<form method="post" action="{TOTP_PATH}" class="oe_login_form">\n'
        f'<input type="hidden" name="csrf_token" value="{escape(session.csrf_token())}"/>\n'
        f'<input type="hidden" name="redirect" value="{escape(target)}"/>\n'
        '<label for="totp_token">Authentication Code (6 digits)</label>\n'
        '<input id="totp_token" name="totp_token" class="form-control mb-2" '
        'autocomplete="off" inputmode="numeric" required="required"/>\n'
        '<input type="checkbox" name="remember" id="switch-remember" value="1"/>\n'
        '<button type="submit" class="btn btn-primary">Log in</button>\n</form>'
    )
    return html_page("Two-factor Authentication | Odoo", body, error=error)
