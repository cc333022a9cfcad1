"""The protocol contract: how a :class:`~zenoo_rpc.call.Call` becomes a request and back.

Three protocols implement it (``json2``, ``jsonrpc``, ``web``); the client
talks to all of them through this one interface, so everything above it
(middleware, cache, retry, models) is protocol-blind. A protocol owns its
encoding, its authentication state (uid and password, API key, or session
cookie) and the mapping of the server's error shapes to
:mod:`zenoo_rpc.errors`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from typing import Any, ClassVar

import msgspec

from zenoo_rpc.call import Call, ServiceCall
from zenoo_rpc.transports.base import Transport

__all__ = ["Credentials", "Protocol", "ServerVersion", "Session"]


class Credentials(msgspec.Struct, frozen=True, kw_only=True):
    """What a login needs. Exactly one of ``password`` / ``api_key`` is set.

    The repr never shows the secret.
    """

    db: str
    login: str
    password: str | None = None
    api_key: str | None = None

    @property
    def secret(self) -> str:
        return self.api_key or self.password or ""

    def __repr__(self) -> str:
        kind = "api_key" if self.api_key else "password"
        return f"Credentials(db={self.db!r}, login={self.login!r}, {kind}=***)"

    def __rich_repr__(self) -> list[tuple[str, Any]]:
        """What ``rich`` shows (msgspec's own would show the secret)."""
        kind = "api_key" if self.api_key else "password"
        return [("db", self.db), ("login", self.login), (kind, "***")]


class ServerVersion(msgspec.Struct, frozen=True, kw_only=True):
    """The server's version as ``/web/webclient/version_info`` or ``common.version`` tell it."""

    server_version: str
    server_version_info: tuple[Any, ...] = ()
    server_serie: str = ""
    protocol_version: int = 1

    @property
    def major(self) -> int:
        """The major version (16, 17, 18, 19...); saas-17.2 gives 17."""
        info = self.server_version_info
        if info and isinstance(info[0], int):
            return info[0]
        text = self.server_serie or self.server_version
        digits = "".join(ch if ch.isdigit() or ch == "." else " " for ch in text).split()
        return int(float(digits[0])) if digits else 0


class Session(msgspec.Struct, kw_only=True):
    """The result of a login: who we are on which database, and the user's context.

    Holds no secret: the web protocol keeps its session cookie to itself
    (:attr:`~zenoo_rpc.protocols.web.WebSessionProtocol.session_cookie`).
    """

    db: str
    uid: int
    login: str
    context: Mapping[str, Any] = msgspec.field(default_factory=dict)
    server_version: ServerVersion | None = None
    #: ``websocket_worker_version`` from the web session's ``session_info`` (bus clients need it).
    websocket_worker_version: str | None = None
    #: Anything else the login answered (``session_info`` of the web session).
    info: Mapping[str, Any] = msgspec.field(default_factory=dict)

    def __repr__(self) -> str:
        return f"Session(db={self.db!r}, uid={self.uid}, login={self.login!r})"

    def __rich_repr__(self) -> list[tuple[str, Any]]:
        """What ``rich`` shows: who, not the context or ``session_info``."""
        return [("db", self.db), ("uid", self.uid), ("login", self.login)]


class Protocol(ABC):
    """One way of speaking to Odoo. One instance per client."""

    #: Name used in config and logs: ``json2``, ``jsonrpc`` or ``web``.
    name: ClassVar[str]

    def __init__(self, transport: Transport) -> None:
        self.transport = transport
        #: The current login (a protocol-specific value with ``db`` and ``uid``),
        #: replaced as a whole so a failed re-login never leaves half a state.
        self._login: Any = None

    def __repr__(self) -> str:
        login = self._login
        db, uid = (login.db, login.uid) if login is not None else (None, None)
        return f"{type(self).__name__}(db={db!r}, uid={uid!r})"

    @abstractmethod
    async def authenticate(
        self, credentials: Credentials, *, timeout: float | None = None
    ) -> Session:
        """Log in; raise :class:`~zenoo_rpc.errors.AccessDenied` on wrong credentials.

        Keeps what later calls need (uid and secret, API key, session cookie).
        The returned session has ``context`` filled from ``context_get`` (or
        ``user_context`` of the web session).
        """

    @abstractmethod
    async def execute(self, call: Call) -> Any:
        """Run ``call`` on the server as the authenticated user and return its result.

        ``call.context`` is sent as the call's context. Server errors raise
        :class:`~zenoo_rpc.errors.OdooServerError` subclasses; transport errors
        propagate unchanged.
        """

    #: Where legacy service calls (``db.list``, ``common.version``...) are sent.
    jsonrpc_path: str = "/jsonrpc"

    async def service(self, call: ServiceCall) -> Any:
        """Run a legacy service method (``common``, ``db``); needs no login.

        Every protocol sends them over ``/jsonrpc``, which every server up to
        21 keeps; JSON-2 and the web routes have no services of their own.
        """
        from zenoo_rpc.protocols.jsonrpc import call_service, service_secrets

        login = self._login
        return await call_service(
            self.transport,
            call.service,
            call.method,
            call.args,
            path=self.jsonrpc_path,
            timeout=call.timeout,
            secrets=(
                *(login.secrets if login is not None else ()),
                *service_secrets(call.service, call.method, call.args),
            ),
        )

    async def version(self, *, timeout: float | None = None) -> ServerVersion:
        """The server's version, without logging in."""
        raise NotImplementedError

    async def logout(self) -> None:  # noqa: B027 - optional: most protocols hold no session
        """Forget the authentication state (and end the web session)."""
