"""The second step of a web login for users with two-factor authentication (Odoo's ``auth_totp``).

With 2FA on, ``/web/session/authenticate`` checks the password, answers
``{"uid": null}`` and leaves a half-open session (Odoo's ``pre_uid``) in the
cookie. The browser then shows ``/web/login/totp``: a form with a CSRF token;
posting the 6-digit code there finishes the login (a ``303`` redirect and a
new ``session_id`` cookie) or shows the form again with the error. This
module does the same: fetch the form, ask the caller's callback for the code,
post it, and return the finished session's cookie.

API keys never reach this step: JSON-RPC and JSON-2 logins with an API key
bypass 2FA by Odoo's design (and refuse the password of a 2FA user).
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Awaitable, Callable
from urllib.parse import urlencode, urlsplit

from zenoo_rpc.errors import AccessDenied, InvalidArgument, ProtocolError, ZenooError
from zenoo_rpc.protocols.html_page import HtmlPage
from zenoo_rpc.protocols.server_errors import unexpected_body
from zenoo_rpc.transports.base import HttpRequest, HttpResponse, Transport

__all__ = [
    "TOTP_FORM_PATH",
    "TotpSource",
    "complete_totp_login",
    "end_half_open_login",
    "read_code",
]

_log = logging.getLogger(__name__)

#: Where Odoo's ``auth_totp`` asks for the code.
TOTP_FORM_PATH = "/web/login/totp"

#: Supplies the current code: a function returning it, or a coroutine function.
TotpSource = Callable[[], "str | Awaitable[str]"]

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_FORM_HEADERS = {"Content-Type": "application/x-www-form-urlencoded"}


async def read_code(source: TotpSource) -> str:
    """Call ``source`` (awaiting it when needed) and return the code it gave, without spaces.

    :raises InvalidArgument: when it gives anything but a non-empty string.
    """
    code: object = source()
    if inspect.isawaitable(code):
        code = await code
    if not isinstance(code, str) or not code.strip():
        raise InvalidArgument(
            "the totp callback must return the current code as a non-empty str, "
            f"not {type(code).__name__}",
            argument="totp",
        )
    return "".join(code.split())


async def complete_totp_login(
    transport: Transport,
    session_id: str,
    source: TotpSource,
    *,
    who: str,
    timeout: float | None = None,
) -> str:
    """Finish a half-open login with the code from ``source``; return the new session id.

    :param session_id: the cookie ``/web/session/authenticate`` set.
    :param who: ``"<login> on <db>"`` for messages.
    :raises AccessDenied: for a wrong code (with the server's message), or
        when the server forgot the half-open login.
    :raises ProtocolError: when the server does not answer like ``auth_totp``.
    """
    secrets: tuple[str, ...] = (session_id,)
    form = await transport.request(
        HttpRequest(method="GET", path=TOTP_FORM_PATH, headers=_cookie(session_id), timeout=timeout)
    )
    session_id = _rotated(form, session_id)
    if form.status in _REDIRECTS:
        raise _login_lost(form, who)
    page = _html_page(form, secrets)
    csrf = page.inputs.get("csrf_token")
    if not csrf or "totp_token" not in page.inputs:
        raise unexpected_body(
            form, TOTP_FORM_PATH, "the two-factor form (csrf_token and totp_token)", secrets=secrets
        )
    code = await read_code(source)
    fields = {"csrf_token": csrf, "redirect": page.inputs.get("redirect", ""), "totp_token": code}
    answer = await transport.request(
        HttpRequest(
            method="POST",
            path=TOTP_FORM_PATH,
            headers={**_FORM_HEADERS, **_cookie(session_id)},
            content=urlencode(fields).encode(),
            timeout=timeout,
        )
    )
    session_id = _rotated(answer, session_id)
    secrets = (*secrets, session_id, code)
    if answer.status in _REDIRECTS:
        if _is_login_page(answer.header("location")):
            raise _login_lost(answer, who)
        return session_id
    if answer.status == 200 and answer.content_type == "text/html":
        message = HtmlPage(answer.content).message()
        raise AccessDenied(
            message or f"the two-factor code for {who} was refused",
            name="odoo.exceptions.AccessDenied",
            status=answer.status,
        )
    raise unexpected_body(answer, TOTP_FORM_PATH, "a redirect after the code", secrets=secrets)


async def end_half_open_login(
    transport: Transport, session_id: str, *, timeout: float | None = None
) -> None:
    """Forget a half-open login on the server (``GET /web/session/logout``); errors are ignored.

    ``/web/session/destroy`` would not do: it needs a finished login.
    """
    try:
        await transport.request(
            HttpRequest(
                method="GET",
                path="/web/session/logout",
                headers=_cookie(session_id),
                timeout=timeout,
            )
        )
    except ZenooError as exc:
        _log.debug("ending a half-open 2FA login failed: %s", exc)


def _cookie(session_id: str) -> dict[str, str]:
    return {"Cookie": f"session_id={session_id}"}


def _rotated(response: HttpResponse, session_id: str) -> str:
    from zenoo_rpc.protocols.web import session_cookie

    rotated = session_cookie(response)
    return rotated or session_id


def _is_login_page(location: str) -> bool:
    return urlsplit(location).path.rstrip("/") == "/web/login"


def _html_page(response: HttpResponse, secrets: tuple[str, ...]) -> HtmlPage:
    if response.status != 200 or response.content_type != "text/html":
        raise unexpected_body(response, TOTP_FORM_PATH, "the two-factor form", secrets=secrets)
    return HtmlPage(response.content)


def _login_lost(response: HttpResponse, who: str) -> Exception:
    location = response.header("location")
    if _is_login_page(location):
        return AccessDenied(
            f"the server forgot the half-done login of {who} before the two-factor step",
            name="odoo.exceptions.AccessDenied",
            status=response.status,
        )
    return ProtocolError(
        f"{TOTP_FORM_PATH}: redirected to {location!r} instead of asking for the code of {who}",
        status=response.status,
        url=TOTP_FORM_PATH,
    )
