"""The web-client session: ``/web/session/authenticate`` and ``/web/dataset/call_kw``.

What the browser speaks: a password login answers the user's
``session_info`` and sets a ``session_id`` cookie that every later call
sends. Needed for the bus websocket, PDF reports and 2FA logins; API keys do
not open web sessions. The cookie is parsed here (no cookie jar: one cookie,
one server) and is a secret like a password: never logged or shown.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

import msgspec

from zenoo_rpc.call import Call, ServiceCall
from zenoo_rpc.errors import (
    AccessDenied,
    ConfigError,
    NotAuthenticated,
    OdooServerError,
    ProtocolError,
)
from zenoo_rpc.protocols.base import Credentials, Protocol, ServerVersion, Session
from zenoo_rpc.protocols.envelope import (
    JSON_HEADERS,
    decode_jsonrpc_response,
    encode_jsonrpc_request,
)
from zenoo_rpc.protocols.jsonrpc import call_service, service_secrets
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


class WebSessionProtocol(Protocol):
    """Odoo's web session (cookie) protocol; logs in with a password.

    :param transport: the transport to send requests with.
    :param jsonrpc_path: where legacy service calls (``db.list``...) go.
    """

    name: ClassVar[str] = "web"

    def __init__(self, transport: Transport, *, jsonrpc_path: str = "/jsonrpc") -> None:
        super().__init__(transport)
        self.jsonrpc_path = jsonrpc_path
        self._db: str | None = None
        self._uid: int | None = None
        self._session_id = ""
        self._headers: Mapping[str, str] = JSON_HEADERS
        self._secrets: tuple[str, ...] = ()

    def __repr__(self) -> str:
        return f"WebSessionProtocol(db={self._db!r}, uid={self._uid!r})"

    def _set_session(self, session_id: str, extra_secrets: tuple[str, ...] = ()) -> None:
        self._session_id = session_id
        if session_id:
            self._headers = {**JSON_HEADERS, "Cookie": f"{COOKIE_NAME}={session_id}"}
            self._secrets = (session_id, *extra_secrets)
        else:
            self._headers = JSON_HEADERS
            self._secrets = extra_secrets

    async def _post(
        self,
        path: str,
        params: Any,
        *,
        timeout: float | None,
        label: str,
        result_type: Any = None,
        secrets: tuple[str, ...] = (),
        track_cookie: bool = True,
    ) -> tuple[Any, HttpResponse]:
        request_id, body = encode_jsonrpc_request(params)
        started = time.perf_counter()
        response = await self.transport.request(
            HttpRequest(path=path, headers=self._headers, content=body, timeout=timeout)
        )
        _log.debug(
            "web %s id=%d -> HTTP %d, %d bytes in %.1f ms",
            label,
            request_id,
            response.status,
            len(response.content),
            (time.perf_counter() - started) * 1000,
        )
        if track_cookie and self._uid is not None:
            rotated = session_cookie(response)
            if rotated is not None and rotated != self._session_id:
                self._set_session(rotated)
        result = decode_jsonrpc_response(
            response,
            path,
            request_id=request_id,
            result_type=result_type,
            db=self._db,
            secrets=(*self._secrets, *secrets),
        )
        return result, response

    async def authenticate(
        self, credentials: Credentials, *, timeout: float | None = None
    ) -> Session:
        """``/web/session/authenticate``; keeps the ``session_id`` cookie it sets.

        :raises ConfigError: for an API key (web sessions need the password).
        :raises AccessDenied: for a wrong login or password (or the login cooldown).
        :raises DatabaseNotFound: when the database does not exist.
        """
        if not credentials.password:
            raise ConfigError(
                "the web session protocol logs in with a password, not an API key; "
                "use protocol='json2' (Odoo 19+) or 'jsonrpc' with an API key"
            )
        password = credentials.password
        db, login = credentials.db, credentials.login
        self._uid = None
        self._set_session("")
        self._db = db
        info, response = await self._post(
            "/web/session/authenticate",
            {"db": db, "login": login, "password": password},
            timeout=timeout,
            label="/web/session/authenticate",
            secrets=(password,),
            track_cookie=False,
        )
        uid = info.get("uid") if isinstance(info, dict) else None
        if isinstance(uid, bool) or not isinstance(uid, int):
            raise AccessDenied(
                f"wrong login or password for {login} on {db}",
                name="odoo.exceptions.AccessDenied",
                status=response.status,
            )
        session_id = session_cookie(response)
        if not session_id:
            raise ProtocolError(
                "/web/session/authenticate: the login succeeded but no session_id cookie "
                "came back (a proxy dropping Set-Cookie?)",
                status=response.status,
                content_type=response.header("content-type") or None,
                url="/web/session/authenticate",
            )
        self._uid = uid
        self._set_session(session_id)
        return Session(
            db=info.get("db") or db,
            uid=uid,
            login=login,
            context=info.get("user_context") or {},
            server_version=_server_version(info),
            websocket_worker_version=info.get("websocket_worker_version"),
            session_id=session_id,
            info=info,
        )

    async def execute(self, call: Call) -> Any:
        """``/web/dataset/call_kw/<model>/<method>`` with the session cookie.

        :raises SessionExpired: when the server forgot the session (log in again).
        """
        if self._uid is None:
            raise NotAuthenticated("web session call before authenticate(): log in first")
        kwargs = call.kwargs
        if call.context:
            kwargs = {**kwargs, "context": call.context}
        params = CallKwParams(call.model, call.method, call.args, kwargs)
        result, _ = await self._post(
            f"/web/dataset/call_kw/{call.model}/{call.method}",
            params,
            timeout=call.timeout,
            label=f"{call.model}.{call.method}",
        )
        return result

    async def service(self, call: ServiceCall) -> Any:
        """A legacy service method, over ``/jsonrpc`` (the web routes have none)."""
        return await call_service(
            self.transport,
            call.service,
            call.method,
            call.args,
            path=self.jsonrpc_path,
            timeout=call.timeout,
            secrets=(*self._secrets, *service_secrets(call.service, call.method, call.args)),
        )

    async def version(self, *, timeout: float | None = None) -> ServerVersion:
        """``/web/webclient/version_info`` (no login needed, every Odoo version)."""
        version, _ = await self._post(
            "/web/webclient/version_info",
            {},
            timeout=timeout,
            label="/web/webclient/version_info",
            result_type=ServerVersion,
            track_cookie=False,
        )
        assert isinstance(version, ServerVersion)
        return version

    async def logout(self) -> None:
        """``/web/session/destroy``, then forget the cookie. Server errors are ignored."""
        try:
            if self._uid is not None and self._session_id:
                await self._post(
                    "/web/session/destroy",
                    {},
                    timeout=None,
                    label="/web/session/destroy",
                    track_cookie=False,
                )
        except (OdooServerError, ProtocolError) as exc:
            _log.debug("web session destroy failed: %s", exc)
        finally:
            self._uid = None
            self._db = None
            self._set_session("")


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
