"""Legacy JSON-RPC: ``POST /jsonrpc`` with the ``common``, ``object`` and ``db`` services.

Every Odoo up to 21 answers it (19 logs a deprecation warning on the server,
removal is announced for 22). Each model call is
``object.execute_kw(db, uid, secret, model, method, args, kwargs)``: the
password or API key travels with every call, so it lives in the protocol
instance and nowhere else (never in a repr, message or log line).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from typing import Any, ClassVar

from zenoo_rpc.call import Call
from zenoo_rpc.errors import AccessDenied, ConfigError, NotAuthenticated
from zenoo_rpc.protocols.base import Credentials, Protocol, ServerVersion, Session
from zenoo_rpc.protocols.envelope import (
    JSON_HEADERS,
    ServiceParams,
    decode_jsonrpc_response,
    encode_jsonrpc_request,
)
from zenoo_rpc.transports.base import HttpRequest, Transport

__all__ = ["JsonRpcProtocol", "call_service", "service_secrets"]

_log = logging.getLogger(__name__)

#: ``db`` service methods whose first argument is NOT the master password.
_DB_PUBLIC = frozenset({"list", "server_version", "list_lang", "db_exist"})


def service_secrets(service: str, method: str, args: Sequence[Any]) -> tuple[str, ...]:
    """The arguments of a service call that are passwords, to keep out of messages and logs."""
    index: int | None = None
    if service == "object" or (service == "common" and method in {"login", "authenticate"}):
        index = 2
    elif service == "db" and method not in _DB_PUBLIC:
        index = 0
    if index is not None and len(args) > index and isinstance(args[index], str):
        return (args[index],)
    return ()


async def call_service(
    transport: Transport,
    service: str,
    method: str,
    args: Sequence[Any],
    *,
    path: str = "/jsonrpc",
    timeout: float | None = None,
    result_type: Any = None,
    db: str | None = None,
    secrets: Sequence[str] = (),
    label: str = "",
    call: Call | None = None,
) -> Any:
    """``service.method(*args)`` over ``/jsonrpc``; the result or the mapped exception.

    Used by every protocol for the legacy services (``db.list``,
    ``common.version``...). ``label`` names the call in the DEBUG log line
    (defaults to ``service.method``); ``secrets`` are scrubbed from errors;
    ``call`` is the model call this request carries (``object.execute_kw``),
    named in an :class:`~zenoo_rpc.errors.ArgumentEncodingError`.
    """
    if call is not None:
        request_id, body = encode_jsonrpc_request(
            ServiceParams(service, method, args), model=call.model, method=call.method
        )
    else:
        request_id, body = encode_jsonrpc_request(
            ServiceParams(service, method, args), model=service, method=method
        )
    started = time.perf_counter()
    response = await transport.request(
        HttpRequest(path=path, headers=JSON_HEADERS, content=body, timeout=timeout)
    )
    _log.debug(
        "jsonrpc %s %s id=%d -> HTTP %d, %d bytes in %.1f ms",
        path,
        label or f"{service}.{method}",
        request_id,
        response.status,
        len(response.content),
        (time.perf_counter() - started) * 1000,
    )
    return decode_jsonrpc_response(
        response,
        path,
        request_id=request_id,
        result_type=result_type,
        db=db,
        secrets=secrets,
    )


class _Login:
    """Who calls are made as: swapped in whole by a successful login, never half-set."""

    __slots__ = ("db", "secret", "secrets", "uid")

    def __init__(self, db: str, uid: int, secret: str) -> None:
        self.db = db
        self.uid = uid
        self.secret = secret
        self.secrets: tuple[str, ...] = (secret,)

    def __repr__(self) -> str:
        return f"<login db={self.db!r} uid={self.uid!r}>"


class JsonRpcProtocol(Protocol):
    """Odoo's legacy JSON-RPC (``/jsonrpc``), with a password or an API key.

    :param transport: the transport to send requests with.
    :param path: where the JSON-RPC endpoint lives (``/jsonrpc``).
    """

    name: ClassVar[str] = "jsonrpc"

    def __init__(self, transport: Transport, *, path: str = "/jsonrpc") -> None:
        super().__init__(transport)
        self.path = self.jsonrpc_path = path
        self._login: _Login | None = None

    async def authenticate(
        self, credentials: Credentials, *, timeout: float | None = None
    ) -> Session:
        """``common.authenticate`` then ``res.users.context_get`` for the user's context.

        The new login replaces the current one only once both succeeded: when
        either fails, calls go on as the previous login (if any) and the caller
        decides what to do.

        :raises AccessDenied: when Odoo answers ``false`` (wrong login, password
            or API key).
        :raises DatabaseNotFound: when the database does not exist.
        """
        secret = credentials.secret
        if not secret:
            raise ConfigError("JSON-RPC needs a password or an API key to log in")
        db, login = credentials.db, credentials.login
        uid = await call_service(
            self.transport,
            "common",
            "authenticate",
            [db, login, secret, {}],
            path=self.path,
            timeout=timeout,
            db=db,
            secrets=(secret,),
        )
        if isinstance(uid, bool) or not isinstance(uid, int):
            raise AccessDenied(
                f"wrong login or password/API key for {login} on {db}",
                name="odoo.exceptions.AccessDenied",
                status=200,
            )
        new = _Login(db, uid, secret)
        context = await self._execute(
            Call(model="res.users", method="context_get", timeout=timeout), new
        )
        self._login = new
        return Session(db=db, uid=uid, login=login, context=context or {})

    async def execute(self, call: Call) -> Any:
        """``object.execute_kw(db, uid, secret, model, method, args[, kwargs])``."""
        login = self._login
        if login is None:
            raise NotAuthenticated("JSON-RPC call before authenticate(): log in first")
        return await self._execute(call, login)

    async def _execute(self, call: Call, login: _Login) -> Any:
        kwargs = call.kwargs
        if call.context:
            kwargs = {**kwargs, "context": call.context}
        elif not isinstance(kwargs, dict):
            kwargs = dict(kwargs)
        args: list[Any] = [login.db, login.uid, login.secret, call.model, call.method, call.args]
        if kwargs:
            args.append(kwargs)
        return await call_service(
            self.transport,
            "object",
            "execute_kw",
            args,
            path=self.path,
            timeout=call.timeout,
            db=login.db,
            secrets=login.secrets,
            label=f"{call.model}.{call.method}",
            call=call,
        )

    async def version(self, *, timeout: float | None = None) -> ServerVersion:
        """``common.version``."""
        version: ServerVersion = await call_service(
            self.transport,
            "common",
            "version",
            [],
            path=self.path,
            timeout=timeout,
            result_type=ServerVersion,
        )
        return version

    async def logout(self) -> None:
        """Forget the uid and the secret (JSON-RPC has no server-side session)."""
        self._login = None
