"""WebSessionProtocol against replayed ``/web/session`` and ``/web/dataset/call_kw`` captures."""

from __future__ import annotations

import msgspec
import pytest
from replay_transport import (
    API_KEY,
    PASSWORD,
    SESSION_ID,
    ReplayTransport,
    capture,
    load_capture,
    synthetic,
)

from zenoo_rpc import errors
from zenoo_rpc.call import Call, ServiceCall
from zenoo_rpc.protocols import Credentials, WebSessionProtocol
from zenoo_rpc.protocols.web import session_cookie
from zenoo_rpc.transports.base import HttpResponse


def credentials(version: int = 18) -> Credentials:
    return Credentials(db="zenoo" if version == 18 else "zenoo19", login="admin", password=PASSWORD)


async def logged_in(
    *exchanges: object, version: int = 18
) -> tuple[WebSessionProtocol, ReplayTransport]:
    transport = ReplayTransport(capture(f"odoo{version}/web_session_authenticate"))
    protocol = WebSessionProtocol(transport)
    await protocol.authenticate(credentials(version))
    transport.add(*exchanges)  # type: ignore[arg-type]
    return protocol, transport


def call_from_capture(name: str) -> Call:
    params = load_capture(name)["request"]["json"]["params"]
    kwargs = dict(params["kwargs"])
    context = kwargs.pop("context", {})
    return Call(
        model=params["model"],
        method=params["method"],
        args=tuple(params["args"]),
        kwargs=kwargs,
        context=context,
    )


@pytest.mark.parametrize("version", [18, 19])
async def test_authenticate_keeps_the_cookie_and_session_info(version: int) -> None:
    transport = ReplayTransport(capture(f"odoo{version}/web_session_authenticate"))
    protocol = WebSessionProtocol(transport)
    session = await protocol.authenticate(credentials(version))
    info = load_capture(f"odoo{version}/web_session_authenticate")["response"]["json"]["result"]
    assert session.uid == 2
    assert session.db == info["db"]
    assert session.context == {"lang": "en_US", "tz": "Europe/Brussels", "uid": 2}
    assert session.websocket_worker_version == f"{version}.0-2"
    assert protocol.session_cookie == SESSION_ID
    assert "session_id" not in msgspec.structs.asdict(session)
    assert session.info["partner_id"] == 3
    assert session.server_version is not None
    assert session.server_version.major == version
    for text in (repr(session), repr(protocol)):
        assert SESSION_ID not in text
        assert PASSWORD not in text
    transport.assert_done()


@pytest.mark.parametrize(
    "name",
    [
        "odoo18/web_call_kw_search_read_res_partner",
        "odoo18/web_call_kw_read_group_res_partner",
        "odoo19/web_call_kw_search_read",
    ],
)
async def test_call_kw(name: str) -> None:
    protocol, transport = await logged_in(capture(name), version=int(name[4:6]))
    result = await protocol.execute(call_from_capture(name))
    assert result == load_capture(name)["response"]["json"]["result"]
    assert transport.requests[-1].headers["Cookie"] == f"session_id={SESSION_ID}"
    transport.assert_done()


WEB_ERRORS: dict[str, type[Exception]] = {
    "odoo18/web_call_kw_error_access_private": errors.PrivateMethodError,
    "odoo18/web_call_kw_error_missing_write": errors.MissingError,
    "odoo18/web_call_kw_method_not_found": errors.MethodNotFound,
}


@pytest.mark.parametrize(("name", "cls"), WEB_ERRORS.items(), ids=list(WEB_ERRORS))
async def test_call_kw_errors(name: str, cls: type[Exception]) -> None:
    protocol, _ = await logged_in(capture(name))
    with pytest.raises(errors.OdooServerError) as info:
        await protocol.execute(call_from_capture(name))
    data = load_capture(name)["response"]["json"]["error"]["data"]
    assert type(info.value) is cls
    assert (info.value.name, info.value.message, info.value.status) == (
        data["name"],
        data["message"],
        200,
    )
    assert info.value.debug not in str(info.value)


async def test_expired_session_raises_session_expired() -> None:
    protocol, _ = await logged_in(capture("odoo18/web_call_kw_no_session", check=False))
    with pytest.raises(errors.SessionExpired) as info:
        await protocol.execute(Call(model="res.partner", method="search_read", kwargs={"limit": 1}))
    assert info.value.code == 100
    assert SESSION_ID not in str(info.value)
    assert SESSION_ID not in repr(info.value)


async def test_malformed_body_answer_with_null_id() -> None:
    protocol, _ = await logged_in(capture("odoo18/error_malformed_json_call_kw", check=False))
    with pytest.raises(errors.OdooServerError) as info:
        await protocol.execute(Call(model="res.partner", method="search_read"))
    assert info.value.name == "json.decoder.JSONDecodeError"


AUTH_ERRORS: dict[str, type[Exception]] = {
    "odoo18/web_session_authenticate_wrong_password": errors.AccessDenied,
    "odoo18/web_session_authenticate_wrong_db": errors.DatabaseNotFound,
    "odoo18/error_web_login_cooldown_right_password": errors.AccessDenied,
    "odoo18/error_web_login_cooldown_wrong_password": errors.AccessDenied,
    "odoo19/web_session_authenticate_wrong_password": errors.AccessDenied,
    "odoo19/web_session_authenticate_wrong_db": errors.DatabaseNotFound,
}


@pytest.mark.parametrize(("name", "cls"), AUTH_ERRORS.items(), ids=list(AUTH_ERRORS))
async def test_authenticate_errors(name: str, cls: type[Exception]) -> None:
    transport = ReplayTransport(capture(name, check=False))
    protocol = WebSessionProtocol(transport)
    db = load_capture(name)["request"]["json"]["params"]["db"]
    with pytest.raises(errors.OdooServerError) as info:
        await protocol.authenticate(Credentials(db=db, login="admin", password=PASSWORD))
    assert type(info.value) is cls
    if cls is errors.DatabaseNotFound:
        assert info.value.db == "no_such_db"  # type: ignore[attr-defined]
        assert "'no_such_db' does not exist" in str(info.value)
    assert PASSWORD not in str(info.value)
    with pytest.raises(errors.NotAuthenticated):
        await protocol.execute(Call(model="res.partner", method="search"))


async def test_api_key_cannot_open_a_web_session() -> None:
    protocol = WebSessionProtocol(ReplayTransport())
    with pytest.raises(errors.ConfigError, match="password, not an API key"):
        await protocol.authenticate(Credentials(db="zenoo", login="admin", api_key=API_KEY))


async def test_login_without_cookie_is_a_protocol_error() -> None:
    body = load_capture("odoo18/web_session_authenticate")["response"]["json"]["result"]
    transport = ReplayTransport(synthetic("/web/session/authenticate", body, jsonrpc=True))
    with pytest.raises(errors.ProtocolError, match="no session_id cookie"):
        await WebSessionProtocol(transport).authenticate(credentials())


async def test_rotated_cookie_is_followed() -> None:
    protocol, transport = await logged_in(
        synthetic(
            "/web/dataset/call_kw/res.partner/search_count",
            3,
            jsonrpc=True,
            headers=[("Set-Cookie", "session_id=rotated-SECRET; Path=/; HttpOnly")],
        ),
        synthetic("/web/dataset/call_kw/res.partner/search_count", 3, jsonrpc=True),
    )
    call = Call(model="res.partner", method="search_count", args=([],))
    assert await protocol.execute(call) == 3
    assert await protocol.execute(call) == 3
    assert transport.requests[-2].headers["Cookie"] == f"session_id={SESSION_ID}"
    assert transport.requests[-1].headers["Cookie"] == "session_id=rotated-SECRET"


async def test_logout_destroys_the_session() -> None:
    protocol, transport = await logged_in(synthetic("/web/session/destroy", None, jsonrpc=True))
    await protocol.logout()
    assert transport.requests[-1].headers["Cookie"] == f"session_id={SESSION_ID}"
    assert SESSION_ID not in str(vars(protocol))
    with pytest.raises(errors.NotAuthenticated):
        await protocol.execute(Call(model="res.partner", method="search"))
    await protocol.logout()  # nothing to destroy: no request
    transport.assert_done()


async def test_logout_ignores_an_expired_session() -> None:
    protocol, _ = await logged_in(
        capture("odoo18/web_call_kw_no_session", check=False, path="/web/session/destroy")
    )
    await protocol.logout()


@pytest.mark.parametrize("version", [18, 19])
async def test_version(version: int) -> None:
    transport = ReplayTransport(capture(f"odoo{version}/web_webclient_version_info"))
    result = await WebSessionProtocol(transport).version()
    assert result.major == version
    assert result.server_serie == f"{version}.0"


async def test_services_go_to_jsonrpc() -> None:
    transport = ReplayTransport(capture("odoo18/jsonrpc_db_list"))
    assert await WebSessionProtocol(transport).service(
        ServiceCall(service="db", method="list")
    ) == ["zenoo"]


def _with_cookies(*values: str) -> HttpResponse:
    return HttpResponse(status=200, headers=[("Set-Cookie", value) for value in values])


def test_session_cookie_parsing() -> None:
    assert session_cookie(_with_cookies()) is None
    assert session_cookie(_with_cookies("frontend_lang=en_US; Path=/")) is None
    assert session_cookie(_with_cookies("session_id=abc; Expires=Sun; Max-Age=604800")) == "abc"
    assert session_cookie(_with_cookies("session_id=a; Path=/", "session_id=b; Path=/")) == "b"
    assert session_cookie(_with_cookies("session_id=; Max-Age=0; Path=/")) == ""
    assert (
        session_cookie(_with_cookies("session_id=x; Expires=Thu, 01 Jan 1970 00:00:00 GMT")) == ""
    )
