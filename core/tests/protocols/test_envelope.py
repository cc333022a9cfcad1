"""The JSON-RPC envelope: every captured error shape maps to the right exception."""

from __future__ import annotations

import pickle

import msgspec
import pytest
from replay_transport import capture, load_capture

from zenoo_rpc import errors
from zenoo_rpc.protocols.base import ServerVersion
from zenoo_rpc.protocols.envelope import (
    JsonRpcRequest,
    decode_jsonrpc_response,
    encode_jsonrpc_request,
)
from zenoo_rpc.transports.base import HttpResponse

#: Every captured JSON-RPC error answer (legacy /jsonrpc and web routes) -> exact class.
JSONRPC_ERRORS: dict[str, type[Exception]] = {
    "odoo18/error_access_create_res_partner_demo2": errors.AccessError,
    "odoo18/error_access_read_sale_order_demo2": errors.AccessError,
    "odoo18/error_access_write_res_users_demo2": errors.AccessError,
    "odoo18/error_bad_domain_field": errors.OdooServerError,
    "odoo18/error_bad_kwarg": errors.BadArguments,
    "odoo18/error_db_wrong_master_password": errors.AccessDenied,
    "odoo18/error_jsonrpc_missing_params": errors.BadArguments,
    "odoo18/error_malformed_json_call_kw": errors.OdooServerError,
    "odoo18/error_method_not_found": errors.MethodNotFound,
    "odoo18/error_missing_write_deleted_id": errors.MissingError,
    "odoo18/error_model_not_found": errors.ModelNotFound,
    "odoo18/error_private_method": errors.PrivateMethodError,
    "odoo18/error_unknown_common_method": errors.MethodNotFound,
    "odoo18/error_unknown_service": errors.OdooServerError,
    "odoo18/error_usererror_unlink_admin": errors.UserError,
    "odoo18/error_validation_recursive_parent": errors.ValidationError,
    "odoo18/error_validation_required_field": errors.ValidationError,
    "odoo18/error_web_login_cooldown_right_password": errors.AccessDenied,
    "odoo18/error_web_login_cooldown_wrong_password": errors.AccessDenied,
    "odoo18/error_wrong_db_common_login": errors.DatabaseNotFound,
    "odoo18/error_wrong_db_execute_kw": errors.DatabaseNotFound,
    "odoo18/error_wrong_password_execute_kw": errors.AccessDenied,
    "odoo18/web_call_kw_error_access_private": errors.PrivateMethodError,
    "odoo18/web_call_kw_error_missing_write": errors.MissingError,
    "odoo18/web_call_kw_method_not_found": errors.MethodNotFound,
    "odoo18/web_call_kw_no_session": errors.SessionExpired,
    "odoo18/web_session_authenticate_wrong_db": errors.DatabaseNotFound,
    "odoo18/web_session_authenticate_wrong_password": errors.AccessDenied,
    "odoo19/jsonrpc_error_access_demo2": errors.AccessError,
    "odoo19/jsonrpc_error_wrong_password": errors.AccessDenied,
    "odoo19/web_session_authenticate_wrong_db": errors.DatabaseNotFound,
    "odoo19/web_session_authenticate_wrong_password": errors.AccessDenied,
}

#: Captured answers that are not JSON-RPC at all.
NOT_JSONRPC = [
    "odoo18/error_jsonrpc_empty_body",
    "odoo18/error_jsonrpc_get_method",
    "odoo18/error_jsonrpc_wrong_content_type",
    "odoo18/error_malformed_json_body",
    "odoo18/error_malformed_json_not_object",
]


def _response(name: str) -> tuple[HttpResponse, str, int | None]:
    exchange = capture(name, check=False)
    answer = load_capture(name)["response"]["json"]
    rid = answer.get("id") if isinstance(answer, dict) else None
    return (
        HttpResponse(status=exchange.status, headers=exchange.headers, content=exchange.body),
        exchange.path,
        rid,
    )


@pytest.mark.parametrize(("name", "cls"), JSONRPC_ERRORS.items(), ids=list(JSONRPC_ERRORS))
def test_captured_errors_map_to_their_class(name: str, cls: type[Exception]) -> None:
    response, path, rid = _response(name)
    with pytest.raises(errors.OdooServerError) as info:
        decode_jsonrpc_response(response, path, request_id=rid)
    exc = info.value
    assert type(exc) is cls
    data = load_capture(name)["response"]["json"]["error"]
    assert exc.name == data["data"]["name"]
    assert exc.message == data["data"]["message"]
    assert exc.arguments == data["data"]["arguments"]
    assert exc.status == 200
    assert exc.code == data["code"]
    assert exc.debug == data["data"]["debug"]
    assert exc.debug not in str(exc)
    assert "Traceback" not in str(exc)
    assert "Traceback" not in repr(exc)
    clone = pickle.loads(pickle.dumps(exc))
    assert type(clone) is cls
    assert clone.__dict__ == exc.__dict__
    assert str(clone) == str(exc)


def test_database_not_found_names_the_database() -> None:
    response, path, _ = _response("odoo18/error_wrong_db_execute_kw")
    with pytest.raises(errors.DatabaseNotFound) as info:
        decode_jsonrpc_response(response, path)
    assert info.value.db == "no_such_db"
    assert "database 'no_such_db' does not exist" in str(info.value)
    response, path, _ = _response("odoo19/web_session_authenticate_wrong_db")
    with pytest.raises(errors.DatabaseNotFound) as info:
        decode_jsonrpc_response(response, path, db="other_db")
    assert info.value.db == "other_db"
    assert isinstance(pickle.loads(pickle.dumps(info.value)), errors.DatabaseNotFound)


def test_private_method_is_both_access_error_and_method_not_found() -> None:
    response, path, _ = _response("odoo18/error_private_method")
    with pytest.raises(errors.AccessError) as info:
        decode_jsonrpc_response(response, path)
    assert isinstance(info.value, errors.MethodNotFound)


@pytest.mark.parametrize("name", NOT_JSONRPC)
def test_non_jsonrpc_answers_are_protocol_errors_quoting_the_body(name: str) -> None:
    response, path, _ = _response(name)
    with pytest.raises(errors.ProtocolError) as info:
        decode_jsonrpc_response(response, path)
    exc = info.value
    body = load_capture(name)["response"]["body"]
    assert type(exc) is errors.ProtocolError
    assert exc.status == 400
    assert exc.content_type == "text/html; charset=utf-8"
    assert exc.body_start == body[:200]
    assert body[:40] in str(exc) or repr(body[:40])[1:-1] in str(exc)
    assert "HTTP 400" in str(exc)
    assert pickle.loads(pickle.dumps(exc)).__dict__ == exc.__dict__


def _raw(
    status: int, content: bytes, content_type: str | None = "application/json"
) -> HttpResponse:
    headers = [("Content-Type", content_type)] if content_type else []
    return HttpResponse(status=status, headers=headers, content=content)


PROXY_PAGE = b"<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>" * 10


@pytest.mark.parametrize(
    ("response", "fragment"),
    [
        (_raw(502, PROXY_PAGE, "text/html"), "502 Bad Gateway"),
        (_raw(200, b'{"jsonrpc": "2.0", "id": 1, "result": [{"id": 1, "na'), "truncated"),
        (_raw(200, b'{"jsonrpc": "2.0", "id": 1, "result": 1}', "text/plain"), "text/plain"),
        (_raw(200, b""), "empty body"),
        (_raw(200, b'{"jsonrpc": "2.0", "id": 1}'), "neither result nor error"),
        (_raw(200, b"[1, 2]"), "[1, 2]"),
    ],
    ids=["html-502", "truncated", "wrong-content-type", "empty", "no-result", "not-an-object"],
)
def test_unreadable_answers(response: HttpResponse, fragment: str) -> None:
    with pytest.raises(errors.ProtocolError) as info:
        decode_jsonrpc_response(response, "/jsonrpc", request_id=1)
    exc = info.value
    assert exc.status == response.status
    assert len(exc.body_start) <= 200
    assert exc.body_start == response.content.decode()[:200]
    if fragment != "truncated":
        assert fragment in str(exc)


def test_truncated_json_quotes_its_start() -> None:
    response = _raw(200, b'{"jsonrpc": "2.0", "id": 1, "result": [{"id": 1, "na')
    with pytest.raises(errors.ProtocolError, match=r"result.*\[\{"):
        decode_jsonrpc_response(response, "/jsonrpc", request_id=1)


def test_body_quote_is_redacted() -> None:
    response = _raw(502, b"<p>upstream said password=hunter2 session_id=abc123</p>", "text/html")
    with pytest.raises(errors.ProtocolError) as info:
        decode_jsonrpc_response(response, "/jsonrpc", secrets=("upstream",))
    text = str(info.value) + info.value.body_start
    for secret in ("hunter2", "abc123", "upstream"):
        assert secret not in text


def test_404_on_jsonrpc_means_legacy_rpc_disabled() -> None:
    response = _raw(404, b"<!doctype html><title>404 Not Found</title>", "text/html")
    with pytest.raises(errors.LegacyRpcDisabled) as info:
        decode_jsonrpc_response(response, "/jsonrpc", request_id=1)
    assert str(info.value) == (
        "legacy RPC (/jsonrpc) is disabled on this server; "
        "use the JSON-2 API (protocol='json2') with an API key"
    )
    assert info.value.status == 404
    assert isinstance(info.value, errors.ProtocolError)


def test_404_elsewhere_is_a_protocol_error() -> None:
    response = _raw(404, b"<title>404 Not Found</title>", "text/html")
    with pytest.raises(errors.ProtocolError) as info:
        decode_jsonrpc_response(response, "/web/dataset/call_kw/x/y")
    assert type(info.value) is errors.ProtocolError


def test_answer_with_another_id_is_a_protocol_error() -> None:
    response = _raw(200, b'{"jsonrpc": "2.0", "id": 41, "result": 2}')
    with pytest.raises(errors.ProtocolError, match="answer id 41 is not 42"):
        decode_jsonrpc_response(response, "/jsonrpc", request_id=42)


def test_errors_with_a_null_id_are_kept() -> None:
    response, path, _ = _response("odoo18/web_call_kw_no_session")
    with pytest.raises(errors.SessionExpired) as info:
        decode_jsonrpc_response(response, path, request_id=7)
    assert info.value.code == 100


def test_code_100_is_session_expired_whatever_the_name() -> None:
    body = b'{"jsonrpc": "2.0", "id": 3, "error": {"code": 100, "message": "Session expired"}}'
    with pytest.raises(errors.SessionExpired) as info:
        decode_jsonrpc_response(_raw(200, body), "/web/dataset/call_kw/a/b", request_id=3)
    assert info.value.message == "Session expired"


def test_result_decoding() -> None:
    response, path, rid = _response("odoo18/jsonrpc_search_read_res_partner")
    result = decode_jsonrpc_response(response, path, request_id=rid)
    assert (
        result
        == load_capture("odoo18/jsonrpc_search_read_res_partner")["response"]["json"]["result"]
    )
    response, path, rid = _response("odoo18/jsonrpc_common_version")
    version = decode_jsonrpc_response(response, path, result_type=ServerVersion)
    assert version.server_version == "18.0"
    assert version.major == 18
    assert (
        decode_jsonrpc_response(_raw(200, b'{"jsonrpc":"2.0","id":1,"result":null}'), "/j") is None
    )


def test_result_of_the_wrong_type_is_a_protocol_error() -> None:
    response = _raw(200, b'{"jsonrpc": "2.0", "id": 1, "result": [1]}')
    with pytest.raises(errors.ProtocolError):
        decode_jsonrpc_response(response, "/jsonrpc", result_type=ServerVersion)


def test_request_encoding_and_ids() -> None:
    first, body = encode_jsonrpc_request({"service": "common", "method": "version", "args": []})
    second, _ = encode_jsonrpc_request({})
    assert second == first + 1
    decoded = msgspec.json.decode(body)
    assert decoded == {
        "jsonrpc": "2.0",
        "method": "call",
        "params": {"service": "common", "method": "version", "args": []},
        "id": first,
    }
    assert msgspec.json.decode(body, type=JsonRpcRequest).id == first
