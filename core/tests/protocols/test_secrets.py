"""Passwords, API keys and session ids never reach a log line, message or repr."""

from __future__ import annotations

import logging
import pickle

import msgspec
import pytest
from replay_transport import API_KEY, PASSWORD, SESSION_ID, ReplayTransport, capture, synthetic

from zenoo_rpc import errors
from zenoo_rpc.call import Call, ServiceCall
from zenoo_rpc.protocols import (
    Credentials,
    Json2Protocol,
    JsonRpcProtocol,
    Session,
    WebSessionProtocol,
)

SECRETS = (PASSWORD, API_KEY, SESSION_ID)
SEARCH = Call(model="res.partner", method="search_count", args=([],))


def assert_clean(*texts: str) -> None:
    for text in texts:
        for secret in SECRETS:
            assert secret not in text


def assert_exception_clean(exc: BaseException) -> None:
    assert_clean(str(exc), repr(exc), repr(exc.args), repr(vars(exc)))
    assert_clean(repr(pickle.loads(pickle.dumps(exc)).__dict__))


def protocol_records(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name.startswith("zenoo_rpc.protocols")]


async def test_jsonrpc_logs(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    transport = ReplayTransport(
        capture("odoo18/jsonrpc_common_authenticate"),
        synthetic("/jsonrpc", {"uid": 2}, jsonrpc=True),
        capture("odoo18/error_wrong_password_execute_kw", check=False),
        capture("odoo18/error_malformed_json_body", check=False),
        capture("odoo18/error_db_wrong_master_password", check=False),
    )
    protocol = JsonRpcProtocol(transport)
    await protocol.authenticate(Credentials(db="zenoo", login="admin", password=PASSWORD))
    raised = []
    for call in (SEARCH, SEARCH):
        with pytest.raises(errors.ZenooError) as info:
            await protocol.execute(call)
        raised.append(info.value)
    with pytest.raises(errors.AccessDenied) as info:
        await protocol.service(ServiceCall(service="db", method="list_countries", args=(API_KEY,)))
    raised.append(info.value)
    for exc in raised:
        assert_exception_clean(exc)
    assert_clean(caplog.text, repr(protocol))
    assert len(protocol_records(caplog)) == len(transport.requests)
    assert all(r.levelno == logging.DEBUG for r in protocol_records(caplog))


async def test_web_logs(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    transport = ReplayTransport(
        capture("odoo18/web_session_authenticate"),
        capture(
            "odoo18/web_call_kw_no_session",
            check=False,
            path="/web/dataset/call_kw/res.partner/search_count",
        ),
        synthetic("/web/session/destroy", True, jsonrpc=True),
    )
    protocol = WebSessionProtocol(transport)
    session = await protocol.authenticate(Credentials(db="zenoo", login="admin", password=PASSWORD))
    with pytest.raises(errors.SessionExpired) as info:
        await protocol.execute(SEARCH)
    assert_exception_clean(info.value)
    await protocol.logout()
    assert_clean(caplog.text, repr(session), repr(protocol))
    assert len(protocol_records(caplog)) == len(transport.requests)


async def test_json2_logs(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    transport = ReplayTransport(
        capture("odoo19/json2_context_get"),
        capture("odoo19/json2_error_bad_key", check=False, path="/json/2/res.partner/search_count"),
        capture("odoo19/json2_error_wrong_content_type", check=False),
        capture("odoo19/get_doc_bearer_res_partner_no_key", check=False),
    )
    protocol = Json2Protocol(transport)
    await protocol.authenticate(Credentials(db="zenoo19", login="admin", api_key=API_KEY))
    raised = []
    for call in (SEARCH, SEARCH, Call(model="res.partner", method="address_get", args=([1],))):
        with pytest.raises(errors.ZenooError) as info:
            await protocol.execute(call)
        raised.append(info.value)
    for exc in raised:
        assert_exception_clean(exc)
        if exc.__cause__ is not None:
            assert_exception_clean(exc.__cause__)
    assert_clean(caplog.text, repr(protocol))
    assert len(protocol_records(caplog)) == len(transport.requests)


async def test_server_echo_of_the_api_key_is_scrubbed() -> None:
    transport = ReplayTransport(
        capture("odoo19/json2_context_get"),
        synthetic(
            "/json/2/res.partner/search_count",
            {
                "name": "builtins.ValueError",
                "message": f"bad token {API_KEY}",
                "arguments": [f"bad token {API_KEY}", 500],
                "context": {},
                "debug": f"Traceback\nValueError: bad token {API_KEY}",
            },
            status=500,
        ),
    )
    protocol = Json2Protocol(transport)
    await protocol.authenticate(Credentials(db="zenoo19", login="admin", api_key=API_KEY))
    with pytest.raises(errors.OdooServerError) as info:
        await protocol.execute(SEARCH)
    assert_exception_clean(info.value)
    assert_clean(info.value.debug)


def test_structs_show_no_secret_to_rich_or_encoders() -> None:
    """msgspec Structs get a ``__rich_repr__`` listing every field; ours list no secret."""
    credentials = Credentials(db="zenoo", login="admin", password=PASSWORD)
    with_key = Credentials(db="zenoo", login="admin", api_key=API_KEY)
    assert list(credentials.__rich_repr__()) == [
        ("db", "zenoo"),
        ("login", "admin"),
        ("password", "***"),
    ]
    assert ("api_key", "***") in list(with_key.__rich_repr__())
    session = Session(db="zenoo", uid=2, login="admin", context={"secret_token": SESSION_ID})
    assert list(session.__rich_repr__()) == [("db", "zenoo"), ("uid", 2), ("login", "admin")]
    assert "session_id" not in Session.__struct_fields__
    assert "session_id" not in msgspec.to_builtins(session)


async def test_web_session_cookie_stays_in_the_protocol() -> None:
    transport = ReplayTransport(
        capture("odoo18/web_session_authenticate"),
        synthetic("/web/session/destroy", True, jsonrpc=True),
    )
    protocol = WebSessionProtocol(transport)
    before = protocol.session_cookie
    assert before is None
    session = await protocol.authenticate(Credentials(db="zenoo", login="admin", password=PASSWORD))
    assert protocol.session_cookie == SESSION_ID
    assert_clean(
        repr(session),
        repr(list(session.__rich_repr__())),
        msgspec.json.encode(session).decode(),
        repr(msgspec.to_builtins(session)),
        repr(protocol),
    )
    await protocol.logout()
    assert protocol.session_cookie is None
