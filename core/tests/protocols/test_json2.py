"""Json2Protocol against replayed Odoo 19 ``/json/2`` captures."""

from __future__ import annotations

import pickle
from typing import Any

import pytest
from replay_transport import (
    API_KEY,
    PASSWORD,
    ReplayTransport,
    capture,
    load_capture,
    synthetic,
)

from zenoo_rpc import errors
from zenoo_rpc.call import Call, ServiceCall
from zenoo_rpc.protocols import Credentials, Json2Protocol

CREDENTIALS = Credentials(db="zenoo19", login="admin", api_key=API_KEY)


async def logged_in(*exchanges: Any) -> tuple[Json2Protocol, ReplayTransport]:
    transport = ReplayTransport(capture("odoo19/json2_context_get"))
    protocol = Json2Protocol(transport)
    session = await protocol.authenticate(CREDENTIALS)
    assert session.uid == 2
    transport.add(*exchanges)
    return protocol, transport


def result_of(name: str) -> Any:
    return load_capture(name)["response"]["json"]


def call_from_capture(name: str) -> Call:
    """A Call with the captured body as named arguments."""
    request = load_capture(name)["request"]
    _, _, _, model, method = request["path"].split("/")
    kwargs = dict(request["json"])
    context = kwargs.pop("context", {})
    return Call(model=model, method=method, kwargs=kwargs, context=context)


HAPPY = [
    "odoo19/json2_check_access_rights_like",
    "odoo19/json2_create_empty_vals_list",
    "odoo19/json2_create_res_partner",
    "odoo19/json2_default_get",
    "odoo19/json2_demo2_search_read_res_partner",
    "odoo19/json2_fields_get_some",
    "odoo19/json2_formatted_read_group",
    "odoo19/json2_formatted_read_group_sale",
    "odoo19/json2_lowercase_bearer_and_Bearer",
    "odoo19/json2_name_search",
    "odoo19/json2_name_search_domain",
    "odoo19/json2_name_search_no_match",
    "odoo19/json2_no_db_header",
    "odoo19/json2_read_after_write",
    "odoo19/json2_read_deleted_id_returns_empty",
    "odoo19/json2_read_empty_ids",
    "odoo19/json2_read_group",
    "odoo19/json2_read_no_fields",
    "odoo19/json2_read_res_partner",
    "odoo19/json2_sale_order_search_read",
    "odoo19/json2_search",
    "odoo19/json2_search_count",
    "odoo19/json2_search_count_limit",
    "odoo19/json2_search_count_res_country",
    "odoo19/json2_search_read_res_partner",
    "odoo19/json2_search_read_with_context",
    "odoo19/json2_unlink_res_partner",
    "odoo19/json2_web_read_spec",
    "odoo19/json2_web_search_read",
    "odoo19/json2_write_res_partner",
]


@pytest.mark.parametrize("name", HAPPY)
async def test_named_arguments_are_sent_as_captured(name: str) -> None:
    protocol, transport = await logged_in(capture(name))
    assert await protocol.execute(call_from_capture(name)) == result_of(name)
    transport.assert_done()


#: Every captured JSON-2 error answer -> (status, exact class).
JSON2_ERRORS: dict[str, type[Exception]] = {
    "json2_empty_body": errors.BadArguments,
    "json2_error_access_create_res_partner_demo2": errors.AccessError,
    "json2_error_access_read_sale_order_demo2": errors.AccessError,
    "json2_error_access_write_res_users_demo2": errors.AccessError,
    "json2_error_api_private_browse": errors.PrivateMethodError,
    "json2_error_bad_domain_field": errors.OdooServerError,
    "json2_error_bad_field_in_fields": errors.OdooServerError,
    "json2_error_bad_key": errors.AccessDenied,
    "json2_error_bad_limit_type": errors.OdooServerError,
    "json2_error_default_get_fields_list": errors.BadArguments,
    "json2_error_get_method": errors.OdooServerError,
    "json2_error_ids_on_model_method": errors.BadArguments,
    "json2_error_json_null_body": errors.BadArguments,
    "json2_error_malformed_json": errors.OdooServerError,
    "json2_error_missing_arg_write": errors.BadArguments,
    "json2_error_missing_method_segment": errors.OdooServerError,
    "json2_error_missing_unlink_deleted": errors.MissingError,
    "json2_error_missing_write_deleted": errors.MissingError,
    "json2_error_no_auth_header": errors.AccessDenied,
    "json2_error_positional_args": errors.BadArguments,
    "json2_error_private_method": errors.PrivateMethodError,
    "json2_error_root": errors.OdooServerError,
    "json2_error_search_read_bogus_kwarg": errors.BadArguments,
    "json2_error_unknown_method": errors.MethodNotFound,
    "json2_error_unknown_model": errors.ModelNotFound,
    "json2_error_usererror_unlink_admin": errors.UserError,
    "json2_error_validation_partner_without_name": errors.ValidationError,
    "json2_error_validation_recursive_parent": errors.ValidationError,
    "json2_error_validation_unlink_company": errors.ValidationError,
    "json2_error_wrong_kwarg_read": errors.BadArguments,
    "json2_error_wrong_kwarg_search_count": errors.BadArguments,
    "json2_search_read_lang_context": errors.UserError,
    "json2_session_cookie_admin_with_demo2_key": errors.AccessDenied,
    "json2_session_cookie_no_sec_headers": errors.AccessDenied,
    "get_doc_bearer_res_partner_no_key": errors.AccessDenied,
}

_COUNT = Call(model="res.partner", method="search_count", kwargs={"domain": []})
_COUNT_PATH = "/json/2/res.partner/search_count"


@pytest.mark.parametrize(("name", "cls"), JSON2_ERRORS.items(), ids=list(JSON2_ERRORS))
async def test_captured_errors(name: str, cls: type[Exception]) -> None:
    protocol, _ = await logged_in(
        capture(f"odoo19/{name}", check=False, path=_COUNT_PATH, method="POST")
    )
    with pytest.raises(errors.OdooServerError) as info:
        await protocol.execute(_COUNT)
    exc = info.value
    data = result_of(f"odoo19/{name}")
    assert type(exc) is cls
    # redact() scrubs what follows "Bearer " even in Odoo's own prose ("a Bearer *** header").
    assert (exc.name, exc.message, exc.status) == (
        data["name"],
        errors.redact(data["message"]),
        load_capture(f"odoo19/{name}")["response"]["status"],
    )
    assert exc.arguments == [
        errors.redact(a) if isinstance(a, str) else a for a in data["arguments"]
    ]
    assert exc.debug == errors.redact(data["debug"])
    assert exc.debug not in str(exc)
    clone = pickle.loads(pickle.dumps(exc))
    assert type(clone) is cls
    assert clone.__dict__ == exc.__dict__


async def test_html_answers_are_protocol_errors() -> None:
    protocol, _ = await logged_in(capture("odoo19/json2_error_wrong_content_type", check=False))
    with pytest.raises(errors.ProtocolError) as info:
        await protocol.execute(_COUNT)
    assert info.value.status == 415
    assert info.value.body_start.startswith("<!doctype html>")
    assert "415 Unsupported Media Type" in str(info.value)


async def test_truncated_answer_is_a_protocol_error() -> None:
    name = "odoo19/json2_search_read_no_fields_limit2"
    protocol, _ = await logged_in(capture(name))
    with pytest.raises(errors.ProtocolError, match="truncated"):
        await protocol.execute(call_from_capture(name))


async def test_wrong_database_header() -> None:
    transport = ReplayTransport(
        capture(
            "odoo19/json2_error_wrong_db_header", check=False, path="/json/2/res.users/context_get"
        )
    )
    protocol = Json2Protocol(transport)
    with pytest.raises(errors.DatabaseNotFound) as info:
        await protocol.authenticate(Credentials(db="no_such_db", login="admin", api_key=API_KEY))
    assert info.value.db == "no_such_db"
    assert info.value.status == 404
    assert str(info.value).startswith("database 'no_such_db' does not exist")
    assert transport.requests[0].headers["X-Odoo-Database"] == "no_such_db"


async def test_wrong_api_key() -> None:
    transport = ReplayTransport(
        capture("odoo19/json2_error_bad_key", check=False, path="/json/2/res.users/context_get")
    )
    protocol = Json2Protocol(transport)
    with pytest.raises(errors.AccessDenied) as info:
        await protocol.authenticate(CREDENTIALS)
    assert info.value.status == 401
    assert info.value.message == "Invalid apikey"
    assert API_KEY not in str(info.value) + repr(info.value) + repr(protocol)
    with pytest.raises(errors.NotAuthenticated):
        await protocol.execute(_COUNT)


async def test_password_is_refused() -> None:
    protocol = Json2Protocol(ReplayTransport())
    with pytest.raises(errors.ConfigError, match="JSON-2 logs in with an API key"):
        await protocol.authenticate(Credentials(db="zenoo19", login="admin", password=PASSWORD))


async def test_session_context_and_uid_come_from_context_get() -> None:
    transport = ReplayTransport(capture("odoo19/json2_demo2_context_get"))
    session = await Json2Protocol(transport).authenticate(
        Credentials(db="zenoo19", login="demo2", api_key=API_KEY)
    )
    assert (session.uid, session.login, session.db) == (7, "demo2", "zenoo19")
    assert session.context == {"lang": "en_US", "tz": "Europe/Brussels", "uid": 7}


async def test_version() -> None:
    transport = ReplayTransport(capture("odoo19/get_json_version"))
    version = await Json2Protocol(transport).version()
    assert (version.server_version, version.major, version.server_serie) == ("19.0", 19, "19.0")


async def test_version_falls_back_to_legacy_rpc_on_older_servers() -> None:
    transport = ReplayTransport(
        synthetic(
            "/json/version",
            "<h1>Not Found</h1>",
            status=404,
            method="GET",
            content_type="text/html",
        ),
        capture("odoo18/jsonrpc_common_version"),
    )
    assert (await Json2Protocol(transport).version()).major == 18


async def test_services_and_logout() -> None:
    protocol, _transport = await logged_in(capture("odoo19/jsonrpc_db_list"))
    assert await protocol.service(ServiceCall(service="db", method="list")) == ["zenoo19"]
    await protocol.logout()
    assert API_KEY not in str(vars(protocol))
    with pytest.raises(errors.NotAuthenticated):
        await protocol.execute(_COUNT)
