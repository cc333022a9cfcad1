"""JSON-2 (Odoo 19+): ``POST /json/2/<model>/<method>`` with an API key.

Stateless: every request carries ``Authorization: bearer <api key>`` and
``X-Odoo-Database: <db>`` and a JSON object of named arguments (plus ``ids``
and ``context``); the answer is the bare result with HTTP 200, or an error
body ``{name, message, arguments, context, debug}`` with a status that says
what went wrong (401, 403, 404, 422, 500). Positional arguments are named by
:mod:`zenoo_rpc.protocols.signatures`, from a built-in table or from the
server's ``/doc-bearer/<model>.json`` (read once per model).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from typing import Any, ClassVar
from urllib.parse import quote

import msgspec

from zenoo_rpc.call import Call
from zenoo_rpc.errors import (
    ConfigError,
    DatabaseNotFound,
    MethodNotFound,
    NamedArgumentsRequired,
    NotAuthenticated,
    OdooServerError,
    PrivateMethodError,
    ProtocolError,
    redact,
)
from zenoo_rpc.protocols.base import Credentials, Protocol, ServerVersion, Session
from zenoo_rpc.protocols.envelope import encode_json
from zenoo_rpc.protocols.jsonrpc import call_service
from zenoo_rpc.protocols.server_errors import server_error, unexpected_body
from zenoo_rpc.protocols.signatures import (
    DocModel,
    MethodSignature,
    builtin_signature,
    is_single_create,
    json2_body,
    signatures_from_doc,
)
from zenoo_rpc.transports.base import HttpRequest, HttpResponse, Transport

__all__ = ["Json2ErrorBody", "Json2Protocol"]

_log = logging.getLogger(__name__)

_EXPECTED = "a JSON-2 answer"
_ANY_DECODER: msgspec.json.Decoder[Any] = msgspec.json.Decoder()
_DOC_DECODER = msgspec.json.Decoder(DocModel)


class Json2ErrorBody(msgspec.Struct):
    """The body of a JSON-2 error answer."""

    name: str = ""
    message: str = ""
    arguments: list[Any] = msgspec.field(default_factory=list)
    context: dict[str, Any] = msgspec.field(default_factory=dict)
    debug: str = ""


_ERROR_DECODER = msgspec.json.Decoder(Json2ErrorBody)


class _JsonVersion(msgspec.Struct):
    version: str
    version_info: tuple[Any, ...] = ()


_VERSION_DECODER = msgspec.json.Decoder(_JsonVersion)


class _Login:
    """The API key's state: swapped in whole by a successful login, never half-set."""

    __slots__ = ("db", "headers", "secrets", "signatures", "uid")

    def __init__(self, db: str, api_key: str) -> None:
        headers = {"Content-Type": "application/json", "Authorization": f"bearer {api_key}"}
        if db:
            headers["X-Odoo-Database"] = db
        self.db = db
        self.uid: int | None = None
        self.headers: Mapping[str, str] = headers
        self.secrets: tuple[str, ...] = (api_key,)
        #: Method signatures read from ``/doc-bearer/<model>.json``, by model.
        self.signatures: dict[str, dict[str, MethodSignature]] = {}

    def __repr__(self) -> str:
        return f"<login db={self.db!r} uid={self.uid!r}>"


def _quote(name: str) -> str:
    """A model or method name as one URL path segment (``res.partner`` stays as is)."""
    return quote(name, safe=".")


class Json2Protocol(Protocol):
    """Odoo 19's JSON-2 API; logs in with an API key only.

    :param transport: the transport to send requests with.
    :param jsonrpc_path: where legacy service calls (``db.list``...) go.
    """

    name: ClassVar[str] = "json2"

    def __init__(self, transport: Transport, *, jsonrpc_path: str = "/jsonrpc") -> None:
        super().__init__(transport)
        self.jsonrpc_path = jsonrpc_path
        self._login: _Login | None = None

    # ------------------------------------------------------------------ wire

    async def _send(
        self,
        method: str,
        path: str,
        body: bytes,
        *,
        timeout: float | None,
        label: str,
        login: _Login,
    ) -> HttpResponse:
        started = time.perf_counter()
        response = await self.transport.request(
            HttpRequest(
                method=method, path=path, headers=login.headers, content=body, timeout=timeout
            )
        )
        _log.debug(
            "json2 %s %s -> HTTP %d, %d bytes in %.1f ms",
            method,
            label,
            response.status,
            len(response.content),
            (time.perf_counter() - started) * 1000,
        )
        return response

    def _decode(self, response: HttpResponse, path: str, login: _Login) -> Any:
        """The result of a JSON-2 answer, or the exception it stands for."""
        is_json = "json" in response.content_type
        if response.status == 200 and is_json:
            try:
                return _ANY_DECODER.decode(response.content)
            except msgspec.DecodeError as exc:
                raise unexpected_body(
                    response, path, _EXPECTED, secrets=login.secrets, reason=str(exc)
                ) from None
        raise self._error(response, path, is_json, login)

    def _error(self, response: HttpResponse, path: str, is_json: bool, login: _Login) -> Exception:
        if is_json and response.status != 200:
            try:
                error = _ERROR_DECODER.decode(response.content)
            except (msgspec.DecodeError, msgspec.ValidationError):
                error = None
            if error is not None and error.name:
                return server_error(
                    error.name,
                    error.message,
                    arguments=error.arguments,
                    status=response.status,
                    debug=error.debug,
                    context=error.context,
                    db=login.db,
                    secrets=login.secrets,
                )
        if response.status == 404 and b"No database is selected" in response.content:
            exc = DatabaseNotFound(
                redact(
                    "No database is selected and the requested URL was not found.", login.secrets
                ),
                name="werkzeug.exceptions.NotFound",
                status=404,
            )
            exc.db = login.db or ""
            return exc
        return unexpected_body(response, path, _EXPECTED, secrets=login.secrets)

    # ------------------------------------------------------------------ login

    async def authenticate(
        self, credentials: Credentials, *, timeout: float | None = None
    ) -> Session:
        """Check the API key with ``res.users.context_get``, which also gives the uid.

        The new API key replaces the current one only once the check succeeded:
        when it fails, calls go on with the previous key (if any) and the
        caller decides what to do.

        :raises ConfigError: for a password (JSON-2 needs an API key).
        :raises AccessDenied: for a wrong or revoked API key (HTTP 401).
        :raises DatabaseNotFound: when the database does not exist.
        """
        api_key = credentials.api_key
        if not api_key:
            raise ConfigError(
                "JSON-2 logs in with an API key, not a password: create one in Odoo "
                "(Preferences > Account Security > New API Key) and pass api_key=..., "
                "or use protocol='jsonrpc' or 'web' with the password"
            )
        new = _Login(credentials.db, api_key)
        context = await self._execute(
            Call(model="res.users", method="context_get", timeout=timeout), new
        )
        uid = context.get("uid") if isinstance(context, dict) else None
        if isinstance(uid, bool) or not isinstance(uid, int):
            raise ProtocolError(
                "JSON-2 res.users/context_get answered no uid: cannot tell who the API key is",
                status=200,
                content_type="application/json",
                url="/json/2/res.users/context_get",
            )
        new.uid = uid
        old = self._login
        if old is not None and old.db == new.db:
            new.signatures = old.signatures  # same database, same models
        self._login = new
        return Session(db=credentials.db, uid=uid, login=credentials.login, context=context)

    # ------------------------------------------------------------------ calls

    async def execute(self, call: Call) -> Any:
        """``POST /json/2/<model>/<method>`` with named arguments."""
        login = self._login
        if login is None:
            raise NotAuthenticated("JSON-2 call before authenticate(): log in first")
        return await self._execute(call, login)

    async def _execute(self, call: Call, login: _Login) -> Any:
        signature = builtin_signature(call.method)
        if signature is None and call.args:
            signature = await self._doc_signature(call, login)
        path = f"/json/2/{_quote(call.model)}/{_quote(call.method)}"
        body = encode_json(json2_body(call, signature), model=call.model, method=call.method)
        response = await self._send(
            "POST",
            path,
            body,
            timeout=call.timeout,
            label=f"{call.model}.{call.method}",
            login=login,
        )
        result = self._decode(response, path, login)
        if is_single_create(call) and isinstance(result, list) and len(result) == 1:
            return result[0]
        return result

    async def _doc_signature(self, call: Call, login: _Login) -> MethodSignature:
        """The signature of a method outside the built-in table, from ``/doc-bearer``."""
        signatures = login.signatures.get(call.model)
        path = f"/doc-bearer/{_quote(call.model)}.json"
        if signatures is None:
            # Refuse arguments JSON cannot carry before sending anything.
            encode_json(
                (call.args, call.kwargs, call.context), model=call.model, method=call.method
            )
            response = await self._send(
                "GET", path, b"", timeout=call.timeout, label=path, login=login
            )
            try:
                if response.status == 200 and "json" in response.content_type:
                    try:
                        doc = _DOC_DECODER.decode(response.content)
                    except (msgspec.DecodeError, msgspec.ValidationError) as exc:
                        raise unexpected_body(
                            response,
                            path,
                            "the model's documentation",
                            reason=str(exc),
                            secrets=login.secrets,
                        ) from None
                else:
                    raise self._error(response, path, "json" in response.content_type, login)
            except (OdooServerError, ProtocolError) as exc:
                raise NamedArgumentsRequired(
                    f"JSON-2 needs named arguments: {call.model}.{call.method} is not in the "
                    f"built-in table and {path} could not be read ({exc}); pass its arguments "
                    "by name (kwargs) instead of positionally",
                    model=call.model,
                    method=call.method,
                ) from exc
            signatures = login.signatures[call.model] = signatures_from_doc(doc)
        signature = signatures.get(call.method)
        if signature is None:
            # The model's own documentation lists every public method: answer as
            # the server would, without sending a call that cannot work.
            if call.method.startswith("_"):
                raise PrivateMethodError(
                    f"Private methods (such as '{call.model}.{call.method}') cannot be called "
                    "remotely.",
                    name="odoo.exceptions.AccessError",
                    status=403,
                )
            raise MethodNotFound(
                f"The method '{call.model}.{call.method}' does not exist",
                name="werkzeug.exceptions.NotFound",
                status=404,
            )
        return signature

    async def version(self, *, timeout: float | None = None) -> ServerVersion:
        """``GET /json/version`` (Odoo 19+), else ``common.version`` over ``/jsonrpc``."""
        path = "/json/version"
        started = time.perf_counter()
        response = await self.transport.request(
            HttpRequest(method="GET", path=path, timeout=timeout)
        )
        _log.debug(
            "json2 GET %s -> HTTP %d in %.1f ms",
            path,
            response.status,
            (time.perf_counter() - started) * 1000,
        )
        if response.status == 404:
            legacy: ServerVersion = await call_service(
                self.transport,
                "common",
                "version",
                [],
                path=self.jsonrpc_path,
                timeout=timeout,
                result_type=ServerVersion,
            )
            return legacy
        if response.status != 200 or "json" not in response.content_type:
            raise unexpected_body(response, path, "the server version")
        try:
            answer = _VERSION_DECODER.decode(response.content)
        except (msgspec.DecodeError, msgspec.ValidationError) as exc:
            raise unexpected_body(response, path, "the server version", reason=str(exc)) from None
        info = answer.version_info
        serie = answer.version
        if len(info) >= 2 and isinstance(info[0], int) and isinstance(info[1], int):
            serie = f"{info[0]}.{info[1]}"
        return ServerVersion(
            server_version=answer.version, server_version_info=info, server_serie=serie
        )

    async def logout(self) -> None:
        """Forget the API key (JSON-2 has no server-side session)."""
        self._login = None
