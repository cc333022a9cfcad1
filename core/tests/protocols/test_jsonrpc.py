"""JsonRpcProtocol against replayed Odoo 18 / 19 ``/jsonrpc`` captures."""

from __future__ import annotations

from typing import Any

import pytest
from replay_transport import PASSWORD, ReplayTransport, capture, load_capture, synthetic

from zenoo_rpc import errors
from zenoo_rpc.call import Call, ServiceCall
from zenoo_rpc.protocols import PROTOCOLS, Credentials, JsonRpcProtocol

CONTEXT = {"lang": "en_US", "tz": "Europe/Brussels", "uid": 2}


def context_get(db: str, uid: int = 2) -> Any:
    return synthetic(
        "/jsonrpc",
        CONTEXT,
        jsonrpc=True,
        expected_json={
            "jsonrpc": "2.0",
            "method": "call",
            "params": {
                "service": "object",
                "method": "execute_kw",
                "args": [db, uid, "admin", "res.users", "context_get", []],
            },
        },
    )


async def logged_in(*exchanges: Any, version: int = 18) -> tuple[JsonRpcProtocol, ReplayTransport]:
    db = "zenoo" if version == 18 else "zenoo19"
    auth = "odoo18/jsonrpc_common_authenticate" if version == 18 else None
    transport = ReplayTransport(
        capture(auth)
        if auth
        else synthetic(
            "/jsonrpc",
            2,
            jsonrpc=True,
            expected_json={
                "jsonrpc": "2.0",
                "method": "call",
                "params": {
                    "service": "common",
                    "method": "authenticate",
                    "args": [db, "admin", "admin", {}],
                },
            },
        ),
        context_get(db),
    )
    protocol = JsonRpcProtocol(transport)
    session = await protocol.authenticate(Credentials(db=db, login="admin", password=PASSWORD))
    assert session.uid == 2
    transport.add(*exchanges)
    return protocol, transport


def call_from_capture(name: str) -> Call:
    """The Call whose execute_kw request is the captured one."""
    args = load_capture(name)["request"]["json"]["params"]["args"]
    kwargs = dict(args[6]) if len(args) > 6 else {}
    context = kwargs.pop("context", {})
    return Call(model=args[3], method=args[4], args=tuple(args[5]), kwargs=kwargs, context=context)


HAPPY = [
    "odoo18/jsonrpc_search_read_res_partner",
    "odoo18/jsonrpc_search_res_partner",
    "odoo18/jsonrpc_search_count_res_partner",
    "odoo18/jsonrpc_read_res_partner_after_write",
    "odoo18/missing_read_deleted_id_returns_empty",
    "odoo18/jsonrpc_create_res_partner",
    "odoo18/jsonrpc_create_res_partner_multi",
    "odoo18/jsonrpc_write_res_partner",
    "odoo18/jsonrpc_unlink_res_partner",
    "odoo18/jsonrpc_fields_get_res_partner_attrs",
    "odoo18/jsonrpc_fields_get_res_partner_full",
    "odoo18/jsonrpc_read_group_res_partner",
    "odoo18/jsonrpc_read_group_res_partner_multi_groupby",
    "odoo18/jsonrpc_name_search_res_partner",
    "odoo18/jsonrpc_execute_kw_with_context",
    "odoo18/count_sale_order",
    "odoo18/setup_find_demo2",
]


@pytest.mark.parametrize("name", HAPPY)
async def test_execute_sends_the_captured_request_and_returns_its_result(name: str) -> None:
    protocol, transport = await logged_in(capture(name))
    result = await protocol.execute(call_from_capture(name))
    assert result == load_capture(name)["response"]["json"]["result"]
    transport.assert_done()


@pytest.mark.parametrize(
    "name", ["odoo19/jsonrpc_execute_kw_search_read", "odoo19/jsonrpc_execute_kw_read_group"]
)
async def test_odoo19_legacy_rpc(name: str) -> None:
    protocol, transport = await logged_in(capture(name), version=19)
    assert (
        await protocol.execute(call_from_capture(name))
        == load_capture(name)["response"]["json"]["result"]
    )
    transport.assert_done()


async def test_truncated_capture_is_a_protocol_error() -> None:
    # The capture of a 5 MB answer keeps only its start: exactly a cut connection's body.
    name = "odoo18/jsonrpc_search_read_res_partner_limit80_allfields"
    protocol, _ = await logged_in(capture(name))
    with pytest.raises(errors.ProtocolError, match="truncated") as info:
        await protocol.execute(call_from_capture(name))
    assert info.value.body_start.startswith('{"jsonrpc": "2.0"')


async def test_authenticate_fills_the_session_context() -> None:
    transport = ReplayTransport(capture("odoo18/jsonrpc_common_authenticate"), context_get("zenoo"))
    protocol = PROTOCOLS["jsonrpc"](transport)
    session = await protocol.authenticate(
        Credentials(db="zenoo", login="admin", password=PASSWORD), timeout=5
    )
    assert (session.db, session.uid, session.login) == ("zenoo", 2, "admin")
    assert session.context == CONTEXT
    assert all(request.timeout == 5 for request in transport.requests)
    assert PASSWORD not in repr(protocol)
    assert PASSWORD not in repr(session)


async def test_api_key_is_sent_as_the_password() -> None:
    transport = ReplayTransport(
        capture("odoo19/jsonrpc_common_authenticate_apikey"),
        synthetic("/jsonrpc", CONTEXT, jsonrpc=True),
    )
    protocol = JsonRpcProtocol(transport)
    from replay_transport import API_KEY

    session = await protocol.authenticate(Credentials(db="zenoo19", login="admin", api_key=API_KEY))
    assert session.uid == 2


async def test_wrong_password_is_access_denied() -> None:
    transport = ReplayTransport(
        capture("odoo18/error_wrong_password_common_authenticate", check=False)
    )
    protocol = JsonRpcProtocol(transport)
    with pytest.raises(errors.AccessDenied) as info:
        await protocol.authenticate(Credentials(db="zenoo", login="admin", password=PASSWORD))
    assert str(info.value) == "AccessDenied: wrong login or password/API key for admin on zenoo"
    assert PASSWORD not in repr(info.value)
    with pytest.raises(errors.NotAuthenticated):
        await protocol.execute(Call(model="res.partner", method="search", args=([],)))


async def test_wrong_database_at_login() -> None:
    transport = ReplayTransport(capture("odoo18/error_wrong_db_common_login", check=False))
    with pytest.raises(errors.DatabaseNotFound) as info:
        await JsonRpcProtocol(transport).authenticate(
            Credentials(db="no_such_db", login="admin", password=PASSWORD)
        )
    assert info.value.db == "no_such_db"


JSONRPC_EXECUTE_ERRORS: dict[str, type[Exception]] = {
    "odoo18/error_access_create_res_partner_demo2": errors.AccessError,
    "odoo18/error_access_read_sale_order_demo2": errors.AccessError,
    "odoo18/error_access_write_res_users_demo2": errors.AccessError,
    "odoo18/error_bad_domain_field": errors.OdooServerError,
    "odoo18/error_bad_kwarg": errors.BadArguments,
    "odoo18/error_method_not_found": errors.MethodNotFound,
    "odoo18/error_missing_write_deleted_id": errors.MissingError,
    "odoo18/error_model_not_found": errors.ModelNotFound,
    "odoo18/error_private_method": errors.PrivateMethodError,
    "odoo18/error_usererror_unlink_admin": errors.UserError,
    "odoo18/error_validation_recursive_parent": errors.ValidationError,
    "odoo18/error_validation_required_field": errors.ValidationError,
    "odoo18/error_wrong_db_execute_kw": errors.DatabaseNotFound,
    "odoo18/error_wrong_password_execute_kw": errors.AccessDenied,
    "odoo19/jsonrpc_error_access_demo2": errors.AccessError,
    "odoo19/jsonrpc_error_wrong_password": errors.AccessDenied,
}


@pytest.mark.parametrize(
    ("name", "cls"), JSONRPC_EXECUTE_ERRORS.items(), ids=list(JSONRPC_EXECUTE_ERRORS)
)
async def test_execute_errors(name: str, cls: type[Exception]) -> None:
    protocol, transport = await logged_in(capture(name, check=False))
    with pytest.raises(errors.OdooServerError) as info:
        await protocol.execute(call_from_capture(name))
    exc = info.value
    assert type(exc) is cls
    data = load_capture(name)["response"]["json"]["error"]["data"]
    assert (exc.name, exc.message, exc.status) == (data["name"], data["message"], 200)
    assert exc.debug
    assert exc.debug not in str(exc)
    assert PASSWORD not in str(exc)
    assert PASSWORD not in repr(exc)
    sent = transport.requests[-1].content.decode()
    assert PASSWORD in sent  # legacy RPC sends the secret in every call, by design


async def test_error_echoing_the_password_is_scrubbed() -> None:
    body = {
        "jsonrpc": "2.0",
        "id": 0,
        "error": {
            "code": 200,
            "message": "Odoo Server Error",
            "data": {
                "name": "builtins.ValueError",
                "message": f"bad value {PASSWORD!r}",
                "arguments": [f"bad value {PASSWORD!r}"],
                "debug": f"Traceback\nValueError: bad value {PASSWORD}",
                "context": {},
            },
        },
    }
    protocol, _ = await logged_in(synthetic("/jsonrpc", body))
    with pytest.raises(errors.OdooServerError) as info:
        await protocol.execute(Call(model="res.partner", method="search", args=([],)))
    exc = info.value
    for text in (str(exc), repr(exc), exc.message, exc.debug, *map(str, exc.arguments)):
        assert PASSWORD not in text


async def test_non_json_and_disabled_legacy_rpc() -> None:
    protocol, _ = await logged_in(
        capture("odoo18/error_malformed_json_body", check=False),
        synthetic("/jsonrpc", "<html>404 Not Found</html>", status=404, content_type="text/html"),
    )
    call = Call(model="res.partner", method="search_count", args=([],))
    with pytest.raises(errors.ProtocolError, match="Invalid JSON data"):
        await protocol.execute(call)
    with pytest.raises(errors.LegacyRpcDisabled, match="use the JSON-2 API"):
        await protocol.execute(call)


async def test_version_and_services() -> None:
    transport = ReplayTransport(
        capture("odoo18/jsonrpc_common_version"),
        capture("odoo18/jsonrpc_db_list"),
        capture("odoo18/jsonrpc_db_server_version"),
        capture("odoo18/jsonrpc_common_about"),
        capture("odoo18/error_unknown_service"),
        capture("odoo18/error_db_wrong_master_password"),
    )
    protocol = JsonRpcProtocol(transport)
    version = await protocol.version()
    assert (version.server_version, version.major, version.server_serie) == ("18.0", 18, "18.0")
    assert await protocol.service(ServiceCall(service="db", method="list")) == ["zenoo"]
    assert await protocol.service(ServiceCall(service="db", method="server_version")) == "18.0"
    assert await protocol.service(ServiceCall(service="common", method="about")) == (
        "See http://openerp.com"
    )
    with pytest.raises(errors.OdooServerError):
        await protocol.service(ServiceCall(service="no_such_service", method="version"))
    with pytest.raises(errors.AccessDenied):
        await protocol.service(
            ServiceCall(service="db", method="list_countries", args=("wrong-master",))
        )
    transport.assert_done()


async def test_odoo19_version() -> None:
    transport = ReplayTransport(capture("odoo19/jsonrpc_common_version"))
    assert (await JsonRpcProtocol(transport).version()).major == 19


async def test_logout_forgets_the_secret() -> None:
    protocol, _ = await logged_in()
    await protocol.logout()
    assert PASSWORD not in str(vars(protocol))
    with pytest.raises(errors.NotAuthenticated):
        await protocol.execute(Call(model="res.partner", method="search", args=([],)))


async def test_password_or_key_required() -> None:
    with pytest.raises(errors.ConfigError):
        await JsonRpcProtocol(ReplayTransport()).authenticate(Credentials(db="x", login="y"))
