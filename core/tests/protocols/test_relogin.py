"""A login swaps the protocol's state in whole, only once it succeeded.

While a re-login is on the wire, calls go on as the previous login; when it
fails, the previous login stays (the caller decides what to do). Each test
drives a protocol with a scripted transport whose answers depend on the
credentials the request carries, so it shows which login a request used.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from zenoo_rpc import errors
from zenoo_rpc.call import Call
from zenoo_rpc.protocols import Credentials, Json2Protocol, JsonRpcProtocol, WebSessionProtocol
from zenoo_rpc.transports.base import HttpRequest, HttpResponse

Handler = Callable[[HttpRequest], Awaitable[HttpResponse]]
SEARCH = Call(model="res.partner", method="search_count", args=([],))
JSON = [("Content-Type", "application/json")]


class ScriptedTransport:
    """A transport that answers with ``handler`` and records every request."""

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.requests: list[HttpRequest] = []

    async def request(self, request: HttpRequest) -> HttpResponse:
        self.requests.append(request)
        return await self.handler(request)

    async def aclose(self) -> None:
        pass


def rpc_result(
    request: HttpRequest, result: Any, headers: list[tuple[str, str]] = JSON
) -> HttpResponse:
    sent = json.loads(request.content)
    body = {"jsonrpc": "2.0", "id": sent["id"], "result": result}
    return HttpResponse(status=200, headers=headers, content=json.dumps(body).encode())


def rpc_error(request: HttpRequest, name: str, message: str, code: int = 200) -> HttpResponse:
    sent = json.loads(request.content)
    body = {
        "jsonrpc": "2.0",
        "id": sent["id"],
        "error": {
            "code": code,
            "message": "Odoo Server Error",
            "data": {"name": name, "message": message},
        },
    }
    return HttpResponse(status=200, headers=JSON, content=json.dumps(body).encode())


# --------------------------------------------------------------------------- JSON-RPC

#: secret -> uid; any other secret is refused by common.authenticate.
JSONRPC_USERS = {"old-SECRET": 2, "new-SECRET": 7, "broken-SECRET": 9}


def jsonrpc_server(gate: asyncio.Event | None = None) -> ScriptedTransport:
    """``context_get`` of ``broken-SECRET`` fails; of ``new-SECRET`` waits for ``gate``."""

    async def handler(request: HttpRequest) -> HttpResponse:
        params = json.loads(request.content)["params"]
        args = params["args"]
        if params["method"] == "authenticate":
            return rpc_result(request, JSONRPC_USERS.get(args[2], False))
        _, uid, secret, model, method = args[:5]
        if (model, method) == ("res.users", "context_get"):
            if secret == "broken-SECRET":
                return rpc_error(request, "odoo.exceptions.AccessError", "no context for you")
            if secret == "new-SECRET" and gate is not None:
                await gate.wait()
            return rpc_result(request, {"uid": uid, "lang": "en_US"})
        return rpc_result(request, {"uid": uid, "secret": secret})

    return ScriptedTransport(handler)


def jsonrpc_credentials(secret: str) -> Credentials:
    return Credentials(db="zenoo", login="admin", password=secret)


@pytest.mark.parametrize("secret", ["broken-SECRET", "refused-SECRET"])
async def test_jsonrpc_failed_relogin_keeps_the_previous_login(secret: str) -> None:
    protocol = JsonRpcProtocol(jsonrpc_server())
    await protocol.authenticate(jsonrpc_credentials("old-SECRET"))
    with pytest.raises(errors.OdooServerError):
        await protocol.authenticate(jsonrpc_credentials(secret))
    assert await protocol.execute(SEARCH) == {"uid": 2, "secret": "old-SECRET"}
    assert repr(protocol) == "JsonRpcProtocol(db='zenoo', uid=2)"


async def test_jsonrpc_failed_first_login_leaves_no_state() -> None:
    protocol = JsonRpcProtocol(jsonrpc_server())
    with pytest.raises(errors.AccessError):
        await protocol.authenticate(jsonrpc_credentials("broken-SECRET"))
    with pytest.raises(errors.NotAuthenticated):
        await protocol.execute(SEARCH)


async def test_jsonrpc_calls_during_a_relogin_use_the_previous_login() -> None:
    gate = asyncio.Event()
    protocol = JsonRpcProtocol(jsonrpc_server(gate))
    await protocol.authenticate(jsonrpc_credentials("old-SECRET"))
    relogin = asyncio.create_task(protocol.authenticate(jsonrpc_credentials("new-SECRET")))
    await asyncio.sleep(0.01)  # common.authenticate answered, context_get is waiting
    assert not relogin.done()
    assert await protocol.execute(SEARCH) == {"uid": 2, "secret": "old-SECRET"}
    gate.set()
    session = await relogin
    assert session.uid == 7
    assert await protocol.execute(SEARCH) == {"uid": 7, "secret": "new-SECRET"}


async def test_jsonrpc_cancelled_relogin_keeps_the_previous_login() -> None:
    gate = asyncio.Event()
    protocol = JsonRpcProtocol(jsonrpc_server(gate))
    await protocol.authenticate(jsonrpc_credentials("old-SECRET"))
    relogin = asyncio.create_task(protocol.authenticate(jsonrpc_credentials("new-SECRET")))
    await asyncio.sleep(0.01)
    relogin.cancel()
    with pytest.raises(asyncio.CancelledError):
        await relogin
    assert await protocol.execute(SEARCH) == {"uid": 2, "secret": "old-SECRET"}


# --------------------------------------------------------------------------- JSON-2

#: API key -> uid; other keys are answered 401.
JSON2_KEYS = {"old-SECRET-key": 2, "new-SECRET-key": 7}


def json2_server(gate: asyncio.Event | None = None) -> ScriptedTransport:
    """``context_get`` of ``new-SECRET-key`` waits for ``gate``; ``nouid-SECRET-key`` has no uid."""

    async def handler(request: HttpRequest) -> HttpResponse:
        key = request.headers["Authorization"].split(" ", 1)[1]
        if key == "nouid-SECRET-key":
            return HttpResponse(status=200, headers=JSON, content=b'{"lang": "en_US"}')
        if key not in JSON2_KEYS:
            body = {
                "name": "werkzeug.exceptions.Unauthorized",
                "message": "Invalid apikey",
                "arguments": ["Invalid apikey", 401],
                "context": {},
                "debug": "",
            }
            return HttpResponse(status=401, headers=JSON, content=json.dumps(body).encode())
        uid = JSON2_KEYS[key]
        if request.path == "/json/2/res.users/context_get":
            if key == "new-SECRET-key" and gate is not None:
                await gate.wait()
            return HttpResponse(status=200, headers=JSON, content=json.dumps({"uid": uid}).encode())
        return HttpResponse(status=200, headers=JSON, content=json.dumps({"key": key}).encode())

    return ScriptedTransport(handler)


def json2_credentials(key: str) -> Credentials:
    return Credentials(db="zenoo19", login="admin", api_key=key)


@pytest.mark.parametrize(
    ("key", "raised"),
    [("bad-SECRET-key", errors.AccessDenied), ("nouid-SECRET-key", errors.ProtocolError)],
)
async def test_json2_failed_relogin_keeps_the_previous_key(
    key: str, raised: type[Exception]
) -> None:
    protocol = Json2Protocol(json2_server())
    await protocol.authenticate(json2_credentials("old-SECRET-key"))
    with pytest.raises(raised) as info:
        await protocol.authenticate(json2_credentials(key))
    if isinstance(info.value, errors.ProtocolError):
        assert info.value.status == 200
    assert await protocol.execute(SEARCH) == {"key": "old-SECRET-key"}
    assert repr(protocol) == "Json2Protocol(db='zenoo19', uid=2)"


async def test_json2_failed_first_login_leaves_no_state() -> None:
    protocol = Json2Protocol(json2_server())
    with pytest.raises(errors.AccessDenied):
        await protocol.authenticate(json2_credentials("bad-SECRET-key"))
    with pytest.raises(errors.NotAuthenticated):
        await protocol.execute(SEARCH)


async def test_json2_calls_during_a_relogin_use_the_previous_key() -> None:
    gate = asyncio.Event()
    protocol = Json2Protocol(json2_server(gate))
    await protocol.authenticate(json2_credentials("old-SECRET-key"))
    relogin = asyncio.create_task(protocol.authenticate(json2_credentials("new-SECRET-key")))
    await asyncio.sleep(0.01)
    assert not relogin.done()
    assert await protocol.execute(SEARCH) == {"key": "old-SECRET-key"}
    gate.set()
    assert (await relogin).uid == 7
    assert await protocol.execute(SEARCH) == {"key": "new-SECRET-key"}


# --------------------------------------------------------------------------- web session

WEB_PASSWORDS = {"old-SECRET": (2, "sid-old-SECRET"), "new-SECRET": (7, "sid-new-SECRET")}


def web_server(gate: asyncio.Event | None = None) -> ScriptedTransport:
    """Login of ``new-SECRET`` waits for ``gate``; ``nocookie-SECRET`` logs in without a cookie."""

    async def handler(request: HttpRequest) -> HttpResponse:
        cookie = request.headers.get("Cookie", "")
        if request.path == "/web/session/authenticate":
            assert not cookie, "a login must not send the current session cookie"
            password = json.loads(request.content)["params"]["password"]
            if password == "nocookie-SECRET":
                return rpc_result(request, {"uid": 3, "db": "zenoo"})
            if password not in WEB_PASSWORDS:
                return rpc_error(request, "odoo.exceptions.AccessDenied", "Access Denied")
            if password == "new-SECRET" and gate is not None:
                await gate.wait()
            uid, sid = WEB_PASSWORDS[password]
            headers = [*JSON, ("Set-Cookie", f"session_id={sid}; Path=/; HttpOnly")]
            return rpc_result(request, {"uid": uid, "db": "zenoo"}, headers)
        if request.path == "/web/session/destroy":
            if gate is not None:
                await gate.wait()
            return rpc_result(request, None)
        return rpc_result(request, {"cookie": cookie})

    return ScriptedTransport(handler)


def web_credentials(password: str) -> Credentials:
    return Credentials(db="zenoo", login="admin", password=password)


@pytest.mark.parametrize(
    ("password", "raised"),
    [("wrong-SECRET", errors.AccessDenied), ("nocookie-SECRET", errors.ProtocolError)],
)
async def test_web_failed_relogin_keeps_the_previous_session(
    password: str, raised: type[Exception]
) -> None:
    protocol = WebSessionProtocol(web_server())
    await protocol.authenticate(web_credentials("old-SECRET"))
    with pytest.raises(raised):
        await protocol.authenticate(web_credentials(password))
    assert await protocol.execute(SEARCH) == {"cookie": "session_id=sid-old-SECRET"}
    assert protocol.session_cookie == "sid-old-SECRET"
    assert repr(protocol) == "WebSessionProtocol(db='zenoo', uid=2)"


async def test_web_calls_during_a_relogin_use_the_previous_session() -> None:
    gate = asyncio.Event()
    protocol = WebSessionProtocol(web_server(gate))
    await protocol.authenticate(web_credentials("old-SECRET"))
    relogin = asyncio.create_task(protocol.authenticate(web_credentials("new-SECRET")))
    await asyncio.sleep(0.01)
    assert not relogin.done()
    assert await protocol.execute(SEARCH) == {"cookie": "session_id=sid-old-SECRET"}
    gate.set()
    assert (await relogin).uid == 7
    assert await protocol.execute(SEARCH) == {"cookie": "session_id=sid-new-SECRET"}
    assert protocol.session_cookie == "sid-new-SECRET"


async def test_web_cookie_rotated_by_a_call_of_a_replaced_session_is_ignored() -> None:
    """A late answer of the old session must not bring its cookie back after a re-login."""
    release = asyncio.Event()

    async def handler(request: HttpRequest) -> HttpResponse:
        if request.path == "/web/session/authenticate":
            password = json.loads(request.content)["params"]["password"]
            uid, sid = WEB_PASSWORDS[password]
            headers = [*JSON, ("Set-Cookie", f"session_id={sid}; Path=/")]
            return rpc_result(request, {"uid": uid, "db": "zenoo"}, headers)
        if request.headers.get("Cookie") == "session_id=sid-old-SECRET":
            await release.wait()
            headers = [*JSON, ("Set-Cookie", "session_id=sid-rotated-SECRET; Path=/")]
            return rpc_result(request, 1, headers)
        return rpc_result(request, {"cookie": request.headers.get("Cookie")})

    protocol = WebSessionProtocol(ScriptedTransport(handler))
    await protocol.authenticate(web_credentials("old-SECRET"))
    slow = asyncio.create_task(protocol.execute(SEARCH))
    await asyncio.sleep(0.01)
    await protocol.authenticate(web_credentials("new-SECRET"))
    release.set()
    assert await slow == 1
    assert protocol.session_cookie == "sid-new-SECRET"
    assert await protocol.execute(SEARCH) == {"cookie": "session_id=sid-new-SECRET"}


async def test_web_logout_forgets_the_session_before_destroying_it() -> None:
    gate = asyncio.Event()
    protocol = WebSessionProtocol(web_server(gate))
    await protocol.authenticate(web_credentials("old-SECRET"))
    logout = asyncio.create_task(protocol.logout())
    await asyncio.sleep(0.01)  # /web/session/destroy is on the wire
    assert not logout.done()
    assert protocol.session_cookie is None
    with pytest.raises(errors.NotAuthenticated):
        await protocol.execute(SEARCH)
    gate.set()
    await logout


@pytest.mark.parametrize(
    "failure",
    [
        errors.ConnectionLost("connection reset", url="/web/session/destroy"),
        asyncio.CancelledError(),
    ],
    ids=["transport-error", "cancelled"],
)
async def test_web_logout_that_fails_still_forgets_the_session(failure: BaseException) -> None:
    async def handler(request: HttpRequest) -> HttpResponse:
        if request.path == "/web/session/authenticate":
            headers = [*JSON, ("Set-Cookie", "session_id=sid-old-SECRET; Path=/")]
            return rpc_result(request, {"uid": 2, "db": "zenoo"}, headers)
        raise failure

    transport = ScriptedTransport(handler)
    protocol = WebSessionProtocol(transport)
    await protocol.authenticate(web_credentials("old-SECRET"))
    with pytest.raises(type(failure)):
        await protocol.logout()
    assert transport.requests[-1].path == "/web/session/destroy"
    assert protocol.session_cookie is None
    assert "sid-old-SECRET" not in str(vars(protocol))
    with pytest.raises(errors.NotAuthenticated):
        await protocol.execute(SEARCH)
