"""A web session for the routes outside the RPC APIs: ``/report/...`` and ``/web/content/...``.

Those routes authenticate with the ``session_id`` cookie only. A client
logged in over the web protocol lends its own session (and logs in again,
once, when the server forgot it). Any other client logged in with a password
opens a short *side* session with the same credentials for the duration of
the operation and ends it afterwards: one more login per operation, nothing
left on the server (log in with ``protocol="web"`` to reuse one session for
many downloads). Odoo never opens a web session for an API key, so a client
that only has one gets :class:`~zenoo_rpc.errors.PasswordRequired`.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from zenoo_rpc.errors import NotAuthenticated, PasswordRequired, ZenooError
from zenoo_rpc.protocols.web import WebSessionProtocol
from zenoo_rpc.transports.base import HttpRequest, HttpResponse, HttpStream, open_stream

if TYPE_CHECKING:
    from zenoo_rpc.client import ZenooClient

__all__ = ["has_web_session", "is_login_redirect", "open_web_session", "web_get"]

_log = logging.getLogger(__name__)

_REDIRECTS = frozenset({301, 302, 303, 307, 308})


def has_web_session(client: ZenooClient) -> bool:
    """Whether the client itself is logged in over the web protocol."""
    protocol = client._state.protocol
    return isinstance(protocol, WebSessionProtocol) and bool(protocol.session_cookie)


def is_login_redirect(response: HttpResponse) -> bool:
    """A redirect to ``/web/login``: what Odoo answers a route that needs a session it lacks."""
    if response.status not in _REDIRECTS:
        return False
    return urlsplit(response.header("location")).path.rstrip("/") == "/web/login"


@contextlib.asynccontextmanager
async def open_web_session(
    client: ZenooClient, *, purpose: str
) -> AsyncIterator[WebSessionProtocol]:
    """The client's web session, or a side session for the block (see the module docstring).

    :param purpose: what needs it, for messages (``"downloading a report"``).
    :raises NotAuthenticated: before login.
    :raises PasswordRequired: when the client has an API key and no password.
    """
    protocol = client._state.protocol
    if isinstance(protocol, WebSessionProtocol) and protocol.session_cookie:
        yield protocol
        return
    credentials = client._state.credentials
    if credentials is None or client._state.session is None:
        raise NotAuthenticated(f"{purpose} needs a login: call `await client.login(...)` first")
    if not credentials.password:
        raise PasswordRequired(
            f"{purpose} needs a web session, which Odoo opens with a password, never with "
            "an API key: log in with the user's password (protocol='web' reuses one session)"
        )
    side = WebSessionProtocol(client.transport)
    await side.authenticate(credentials)
    try:
        yield side
    finally:
        try:
            await side.logout()
        except ZenooError as exc:
            _log.debug("ending the side web session failed: %s", exc)


async def _login_again(client: ZenooClient, session: WebSessionProtocol) -> None:
    """Log ``session`` in again after the server forgot it (once for concurrent callers)."""
    state = client._state
    credentials = state.credentials
    if credentials is None:
        raise NotAuthenticated("the web session ended and there are no credentials to log in again")
    if session is state.protocol:
        before = state.session
        async with state.auth_lock:
            if state.session is before:
                _log.info("web session expired on %s; logging in again", client.redacted_url)
                state.session = await session.authenticate(credentials)
        return
    await session.authenticate(credentials)


@contextlib.asynccontextmanager
async def web_get(
    client: ZenooClient, path: str, *, purpose: str, timeout: float | None = None
) -> AsyncIterator[HttpStream]:
    """``GET path`` in a web session; yields the response as it arrives.

    A redirect to the login page (the session expired) logs in again once and
    asks again: a GET changes nothing. A second one is yielded as it is.
    """
    async with open_web_session(client, purpose=purpose) as session:
        for attempt in (1, 2):
            request = HttpRequest(
                method="GET", path=path, headers=session.cookie_headers(), timeout=timeout
            )
            async with open_stream(session.transport, request) as stream:
                session.adopt_cookie(stream.head)
                if attempt == 2 or not is_login_redirect(stream.head):
                    yield stream
                    return
            await _login_again(client, session)
