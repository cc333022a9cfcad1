"""The web-client session: ``/web/session/authenticate`` and ``/web/dataset/call_kw``.

What the browser speaks: a password login answers the user's
``session_info`` and sets a ``session_id`` cookie that every later call
sends. Needed for the bus websocket, PDF reports and 2FA logins; API keys do
not open web sessions. The cookie is parsed here (no cookie jar: one cookie,
one server) and is a secret like a password: never logged or shown. Users
with two-factor authentication finish their login on ``/web/login/totp``
with a code a callback supplies (:mod:`~zenoo_rpc.protocols.second_factor`).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar
from urllib.parse import quote

import msgspec

from zenoo_rpc.call import Call
from zenoo_rpc.errors import (
    AccessDenied,
    ConfigError,
    NotAuthenticated,
    OdooServerError,
    ProtocolError,
    TwoFactorRequired,
)
from zenoo_rpc.protocols.base import Credentials, Protocol, ServerVersion, Session
from zenoo_rpc.protocols.envelope import (
    JSON_HEADERS,
    decode_jsonrpc_response,
    encode_jsonrpc_request,
)
from zenoo_rpc.protocols.second_factor import (
    TotpSource,
    complete_totp_login,
    end_half_open_login,
)
from zenoo_rpc.transports.base import HttpRequest, HttpResponse, Transport

__all__ = ["CallKwParams", "WebSessionProtocol", "session_cookie"]

_log = logging.getLogger(__name__)

COOKIE_NAME = "session_id"


class CallKwParams(msgspec.Struct):
    """``params`` of ``/web/dataset/call_kw/<model>/<method>``."""

    model: str
    method: str
    args: Sequence[Any]
    kwargs: Mapping[str, Any]


def session_cookie(response: HttpResponse) -> str | None:
    """The ``session_id`` a response sets: its value, ``""`` when it deletes it, ``None`` if unset.

    The last ``Set-Cookie`` wins (Odoo 19 sends it twice on login).
    """
    found: str | None = None
    for header in response.header_values("set-cookie"):
        name, _, rest = header.partition("=")
        if name.strip() != COOKIE_NAME:
            continue
        value, _, attributes = rest.partition(";")
        attributes = attributes.lower().replace(" ", "")
        expired = "max-age=0" in attributes or "1970" in attributes
        found = "" if expired else value.strip().strip('"')
    return found


class _Login:
    """A web session: swapped in whole by a successful login, never half-set."""

    __slots__ = ("db", "headers", "secrets", "session_id", "uid")

    def __init__(self, db: str, uid: int, session_id: str) -> None:
        self.db = db
        self.uid = uid
        self.session_id = session_id
        if session_id:
            self.headers: Mapping[str, str] = {
                **JSON_HEADERS,
                "Cookie": f"{COOKIE_NAME}={session_id}",
            }
            self.secrets: tuple[str, ...] = (session_id,)
        else:
            self.headers = JSON_HEADERS
            self.secrets = ()

    def __repr__(self) -> str:
        return f"<login db={self.db!r} uid={self.uid!r}>"


class WebSessionProtocol(Protocol):
    """Odoo's web session (cookie) protocol; logs in with a password.

    :param transport: the transport to send requests with.
    :param jsonrpc_path: where legacy service calls (``db.list``...) go.
    """

    name: ClassVar[str] = "web"

    def __init__(
        self,
        transport: Transport,
        *,
        jsonrpc_path: str = "/jsonrpc",
        second_factor: TotpSource | None = None,
    ) -> None:
        super().__init__(transport)
        self.jsonrpc_path = jsonrpc_path
        self._login: _Login | None = None
        #: Supplies the 2FA code when the server asks for one (see :meth:`authenticate`).
        self.second_factor = second_factor

    def cookie_headers(self) -> Mapping[str, str]:
        """``{"Cookie": "session_id=..."}`` for a request this session sends by itself.

        For routes outside the JSON-RPC envelope (``/report``, ``/web/content``).
        The value is a secret: never log it.

        :raises NotAuthenticated: when there is no session.
        """
        cookie = self.session_cookie
        if not cookie:
            raise NotAuthenticated("no web session: log in first")
        return {"Cookie": f"{COOKIE_NAME}={cookie}"}

    def adopt_cookie(self, response: HttpResponse) -> None:
        """Keep the ``session_id`` a response to :meth:`cookie_headers` rotated, if it did."""
        login = self._login
        if login is None:
            return
        rotated = session_cookie(response)
        if rotated and rotated != login.session_id:
            self._login = _Login(login.db, login.uid, rotated)

    @property
    def session_cookie(self) -> str | None:
        """The current ``session_id`` cookie, or ``None`` when not logged in.

        A SECRET, like the password: whoever holds it is logged in as this
        user. It is here for bus (websocket) clients and report downloads that
        must send it themselves; never log, show or store it.
        """
        login = self._login
        return login.session_id or None if login is not None else None

    async def _post(
        self,
        path: str,
        params: Any,
        *,
        login: _Login | None,
        timeout: float | None,
        label: str,
        result_type: Any = None,
        secrets: tuple[str, ...] = (),
        db: str | None = None,
        track_cookie: bool = True,
        call: Call | None = None,
    ) -> tuple[Any, HttpResponse]:
        """Send ``params`` as ``login`` (no cookie when ``None``).

        With ``track_cookie``, a cookie the server rotates replaces the
        session's, unless another login (or a logout) replaced that session
        while the request was in flight.
        """
        if call is not None:
            request_id, body = encode_jsonrpc_request(params, model=call.model, method=call.method)
        else:
            request_id, body = encode_jsonrpc_request(params, method=label)
        headers = login.headers if login is not None else JSON_HEADERS
        all_secrets = (*login.secrets, *secrets) if login is not None else secrets
        started = time.perf_counter()
        response = await self.transport.request(
            HttpRequest(path=path, headers=headers, content=body, timeout=timeout)
        )
        _log.debug(
            "web %s id=%d -> HTTP %d, %d bytes in %.1f ms",
            label,
            request_id,
            response.status,
            len(response.content),
            (time.perf_counter() - started) * 1000,
        )
        if track_cookie and login is not None:
            rotated = session_cookie(response)
            if rotated is not None and rotated != login.session_id:
                if rotated:
                    all_secrets = (*all_secrets, rotated)
                if self._login is login:
                    self._login = _Login(login.db, login.uid, rotated)
        result = decode_jsonrpc_response(
            response,
            path,
            request_id=request_id,
            result_type=result_type,
            db=db if db is not None else login.db if login is not None else None,
            secrets=all_secrets,
        )
        return result, response

    async def authenticate(
        self, credentials: Credentials, *, timeout: float | None = None
    ) -> Session:
        """``/web/session/authenticate``; keeps the ``session_id`` cookie it sets.

        The login is sent without the current cookie, and the new session
        replaces the current one only once the login succeeded: when it fails,
        calls go on in the previous session (if any) and the caller decides
        what to do.

        A user with two-factor authentication gets ``{"uid": null}`` and a
        half-open session: the code from :attr:`second_factor` finishes the
        login on ``/web/login/totp`` (:mod:`~zenoo_rpc.protocols.second_factor`).

        :raises ConfigError: for an API key (web sessions need the password).
        :raises AccessDenied: for a wrong login or password (or the login cooldown),
            or a wrong 2FA code.
        :raises TwoFactorRequired: when the user has 2FA and no
            :attr:`second_factor` is set.
        :raises DatabaseNotFound: when the database does not exist.
        """
        if not credentials.password:
            raise ConfigError(
                "the web session protocol logs in with a password, not an API key; "
                "use protocol='json2' (Odoo 19+) or 'jsonrpc' with an API key"
            )
        password = credentials.password
        db, login = credentials.db, credentials.login
        info, response = await self._post(
            "/web/session/authenticate",
            {"db": db, "login": login, "password": password},
            login=None,
            timeout=timeout,
            label="/web/session/authenticate",
            secrets=(password,),
            db=db,
            track_cookie=False,
        )
        uid = info.get("uid") if isinstance(info, dict) else None
        session_id = session_cookie(response)
        if uid is None and isinstance(info, dict) and "uid" in info and session_id:
            info, session_id = await self._second_step(db, login, session_id, timeout)
            uid = info.get("uid") if isinstance(info, dict) else None
        if isinstance(uid, bool) or not isinstance(uid, int):
            raise AccessDenied(
                f"wrong login or password for {login} on {db}",
                name="odoo.exceptions.AccessDenied",
                status=response.status,
            )
        if not session_id:
            raise ProtocolError(
                "/web/session/authenticate: the login succeeded but no session_id cookie "
                "came back (a proxy dropping Set-Cookie?)",
                status=response.status,
                content_type=response.header("content-type") or None,
                url="/web/session/authenticate",
            )
        self._login = _Login(db, uid, session_id)
        return Session(
            db=info.get("db") or db,
            uid=uid,
            login=login,
            context=info.get("user_context") or {},
            server_version=_server_version(info),
            websocket_worker_version=info.get("websocket_worker_version"),
            info=info,
        )

    async def _second_step(
        self, db: str, login: str, session_id: str, timeout: float | None
    ) -> tuple[Any, str]:
        """Finish a 2FA login; the user's ``session_info`` and the finished session's cookie."""
        who = f"{login} on {db}"
        if self.second_factor is None:
            await end_half_open_login(self.transport, session_id, timeout=timeout)
            raise TwoFactorRequired(
                f"{who} has two-factor authentication: pass totp= to login() (a callable "
                "returning the current 6-digit code), or log in with an API key over "
                "JSON-RPC / JSON-2, which skip 2FA",
                name="odoo.exceptions.AccessDenied",
            )
        try:
            session_id = await complete_totp_login(
                self.transport, session_id, self.second_factor, who=who, timeout=timeout
            )
        except Exception:
            await end_half_open_login(self.transport, session_id, timeout=timeout)
            raise
        info, response = await self._post(
            "/web/session/get_session_info",
            {},
            login=_Login(db, 0, session_id),
            timeout=timeout,
            label="/web/session/get_session_info",
            db=db,
            track_cookie=False,
        )
        return info, session_cookie(response) or session_id

    async def execute(self, call: Call) -> Any:
        """``/web/dataset/call_kw/<model>/<method>`` with the session cookie.

        :raises SessionExpired: when the server forgot the session (log in again).
        """
        login = self._login
        if login is None:
            raise NotAuthenticated("web session call before authenticate(): log in first")
        kwargs = call.kwargs
        if call.context:
            kwargs = {**kwargs, "context": call.context}
        params = CallKwParams(call.model, call.method, call.args, kwargs)
        result, _ = await self._post(
            f"/web/dataset/call_kw/{quote(call.model, safe='.')}/{quote(call.method, safe='.')}",
            params,
            login=login,
            timeout=call.timeout,
            label=f"{call.model}.{call.method}",
            call=call,
        )
        return result

    async def version(self, *, timeout: float | None = None) -> ServerVersion:
        """``/web/webclient/version_info`` (no login needed, every Odoo version)."""
        version, _ = await self._post(
            "/web/webclient/version_info",
            {},
            login=None,
            timeout=timeout,
            label="/web/webclient/version_info",
            result_type=ServerVersion,
            track_cookie=False,
        )
        assert isinstance(version, ServerVersion)
        return version

    async def logout(self) -> None:
        """Forget the session, then end it on the server with ``/web/session/destroy``.

        The local state is forgotten first, whatever happens next. Server and
        protocol errors of the destroy are ignored; a transport error is
        raised (the session then expires on the server by itself).
        """
        login, self._login = self._login, None
        if login is None or not login.session_id:
            return
        try:
            await self._post(
                "/web/session/destroy",
                {},
                login=login,
                timeout=None,
                label="/web/session/destroy",
                track_cookie=False,
            )
        except (OdooServerError, ProtocolError) as exc:
            _log.debug("web session destroy failed: %s", exc)


def _server_version(info: Mapping[str, Any]) -> ServerVersion | None:
    version = info.get("server_version")
    if not isinstance(version, str):
        return None
    version_info = info.get("server_version_info")
    return ServerVersion(
        server_version=version,
        server_version_info=tuple(version_info) if isinstance(version_info, list) else (),
        server_serie=str(info.get("server_serie") or ""),
    )
