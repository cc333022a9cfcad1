"""JSON-2 arguments: positional ones named from the built-in table or ``/doc-bearer``."""

from __future__ import annotations

import pickle
from typing import Any

import pytest
from replay_transport import API_KEY, ReplayTransport, capture, load_capture, synthetic

from zenoo_rpc import errors
from zenoo_rpc.call import Call
from zenoo_rpc.protocols import Credentials, Json2Protocol


async def logged_in(*exchanges: Any) -> tuple[Json2Protocol, ReplayTransport]:
    transport = ReplayTransport(capture("odoo19/json2_context_get"))
    protocol = Json2Protocol(transport)
    await protocol.authenticate(Credentials(db="zenoo19", login="admin", api_key=API_KEY))
    transport.add(*exchanges)
    return protocol, transport


def result_of(name: str) -> Any:
    return load_capture(name)["response"]["json"]


SEARCH_READ_FIELDS = ["name", "email", "is_company", "country_id", "child_ids", "write_date"]

#: Calls in execute_kw shape (positional args, ids first) -> the capture they must reproduce.
POSITIONAL: list[tuple[Call, str]] = [
    (
        Call(
            model="res.partner",
            method="search_read",
            args=([["is_company", "=", True]], SEARCH_READ_FIELDS),
            kwargs={"limit": 5, "order": "id"},
        ),
        "json2_search_read_res_partner",
    ),
    (
        Call(
            model="res.partner",
            method="search",
            args=([["is_company", "=", True]],),
            kwargs={"limit": 5, "order": "name asc"},
        ),
        "json2_search",
    ),
    (Call(model="res.partner", method="search_count", args=([], 3)), "json2_search_count_limit"),
    (
        Call(
            model="res.partner",
            method="read",
            args=([50, 51, 52], ["name", "email", "is_company", "create_date", "display_name"]),
        ),
        "json2_read_res_partner",
    ),
    (
        Call(
            model="res.partner",
            method="write",
            args=([50], {"phone": "+1 555 0100", "comment": "<p>written by capture.py</p>"}),
        ),
        "json2_write_res_partner",
    ),
    (Call(model="res.partner", method="unlink", args=([50, 51, 52],)), "json2_unlink_res_partner"),
    (
        Call(
            model="res.partner",
            method="create",
            args=(
                [
                    {"name": "JSON2 Capture A", "email": "a@example.invalid", "is_company": True},
                    {"name": "JSON2 Capture B"},
                ],
            ),
        ),
        "json2_create_res_partner",
    ),
    (
        Call(model="res.partner", method="fields_get", args=(["name", "country_id", "type"],)),
        "json2_fields_get_some",
    ),
    (
        Call(
            model="res.partner",
            method="read_group",
            args=([], ["country_id"], ["country_id"]),
            kwargs={"lazy": True},
        ),
        "json2_read_group",
    ),
    (
        Call(
            model="res.partner",
            method="formatted_read_group",
            args=([], ["country_id"], ["__count"]),
        ),
        "json2_formatted_read_group",
    ),
    (
        Call(
            model="res.partner",
            method="name_search",
            args=("a", [["is_company", "=", True]], "ilike", 3),
        ),
        "json2_name_search_domain",
    ),
    (
        Call(
            model="res.partner",
            method="name_search",
            args=("a",),
            kwargs={"args": [["is_company", "=", True]], "operator": "ilike", "limit": 3},
        ),
        "json2_name_search_domain",
    ),
    (
        Call(
            model="res.partner",
            method="default_get",
            args=(["type", "is_company", "active", "lang"],),
        ),
        "json2_default_get",
    ),
    (
        Call(
            model="res.partner",
            method="default_get",
            kwargs={"fields_list": ["type", "is_company", "active", "lang"]},
        ),
        "json2_default_get",
    ),
    (
        Call(
            model="res.partner",
            method="web_read",
            args=(50, {"name": {}, "country_id": {"fields": {"display_name": {}}}}),
        ),
        "json2_web_read_spec",
    ),
    (
        Call(
            model="res.partner",
            method="web_search_read",
            args=([["is_company", "=", True]], {"name": {}}),
            kwargs={"limit": 3},
        ),
        "json2_web_search_read",
    ),
    (
        Call(
            model="res.partner",
            method="search_read",
            args=([["id", "in", [1, 2, 3, 4, 5, 6]]], ["name", "active"]),
            context={"lang": "en_US", "tz": "UTC", "active_test": False},
        ),
        "json2_search_read_with_context",
    ),
]


@pytest.mark.parametrize(
    ("call", "name"), POSITIONAL, ids=[f"{c.method}-{n}" for c, n in POSITIONAL]
)
async def test_positional_arguments_are_named(call: Call, name: str) -> None:
    protocol, transport = await logged_in(capture(f"odoo19/{name}"))
    assert await protocol.execute(call) == result_of(f"odoo19/{name}")
    transport.assert_done()


async def test_create_of_one_dict_answers_one_id_like_jsonrpc() -> None:
    protocol, _ = await logged_in(
        capture("odoo19/json2_create_res_partner_single_dict"),
        capture("odoo19/json2_create_res_partner_single_dict"),
    )
    vals = {"name": "JSON2 Capture Single"}
    assert await protocol.execute(Call(model="res.partner", method="create", args=(vals,))) == 52
    assert (
        await protocol.execute(
            Call(model="res.partner", method="create", kwargs={"vals_list": vals})
        )
        == 52
    )


async def test_action_methods_take_ids_only() -> None:
    protocol, transport = await logged_in(
        synthetic("/json/2/sale.order/action_confirm", True, expected_json={"ids": [7]})
    )
    assert await protocol.execute(Call(model="sale.order", method="action_confirm", args=([7],)))
    transport.assert_done()


async def test_too_many_positional_arguments_are_refused_before_sending() -> None:
    protocol, transport = await logged_in()
    sent = len(transport.requests)
    with pytest.raises(errors.NamedArgumentsRequired, match="JSON-2 needs named arguments") as info:
        await protocol.execute(Call(model="res.partner", method="search_count", args=([], 3, 4)))
    assert isinstance(info.value, TypeError)
    assert (info.value.model, info.value.method) == ("res.partner", "search_count")
    clone = pickle.loads(pickle.dumps(info.value))
    assert (clone.model, clone.method, str(clone)) == (
        "res.partner",
        "search_count",
        str(info.value),
    )
    with pytest.raises(errors.NamedArgumentsRequired, match="multiple values for argument 'limit'"):
        await protocol.execute(
            Call(model="res.partner", method="search_count", args=([], 3), kwargs={"limit": 4})
        )
    assert len(transport.requests) == sent


DOC = {
    "model": "res.partner",
    "name": "Contact",
    "doc": None,
    "fields": {"id": {"name": "id", "type": "integer", "string": "ID"}},
    "methods": {
        "address_get": {
            "signature": "(adr_pref=None)",
            "parameters": {"adr_pref": {"name": "adr_pref", "default": None}},
            "api": [],
            "model": "res.partner",
            "module": "base",
        },
        "find_or_create": {
            "signature": "(email, assert_valid_email=False)",
            "parameters": {
                "email": {"name": "email"},
                "assert_valid_email": {"name": "assert_valid_email", "default": False},
            },
            "api": ["model"],
            "model": "res.partner",
            "module": "base",
        },
        "message_post": {
            "signature": "(*, body='', subject=None)",
            "parameters": {
                "body": {"name": "body", "kind": "KEYWORD_ONLY", "default": ""},
                "subject": {"name": "subject", "kind": "KEYWORD_ONLY"},
            },
            "api": [],
            "model": "mail.thread",
            "module": "mail",
        },
    },
}


async def test_other_methods_are_named_from_doc_bearer_once_per_model() -> None:
    protocol, transport = await logged_in(
        synthetic("/doc-bearer/res.partner.json", DOC, method="GET"),
        synthetic(
            "/json/2/res.partner/address_get",
            {"invoice": 3},
            expected_json={"ids": [3], "adr_pref": ["invoice"]},
        ),
        synthetic(
            "/json/2/res.partner/find_or_create",
            9,
            expected_json={"email": "a@b.c", "assert_valid_email": True},
        ),
    )
    address = await protocol.execute(
        Call(model="res.partner", method="address_get", args=([3], ["invoice"]))
    )
    assert address == {"invoice": 3}
    created = await protocol.execute(
        Call(model="res.partner", method="find_or_create", args=("a@b.c", True))
    )
    assert created == 9
    doc_request = transport.requests[1]
    assert doc_request.headers["Authorization"] == f"bearer {API_KEY}"
    assert doc_request.headers["X-Odoo-Database"] == "zenoo19"
    transport.assert_done()
    with pytest.raises(errors.MethodNotFound, match="does not exist"):
        await protocol.execute(Call(model="res.partner", method="nope", args=(1,)))
    with pytest.raises(errors.NamedArgumentsRequired, match="positional"):
        await protocol.execute(Call(model="res.partner", method="message_post", args=([1], "hi")))


async def test_methods_without_positional_arguments_need_no_doc() -> None:
    protocol, transport = await logged_in(
        synthetic("/json/2/res.partner/message_post", 12, expected_json={"ids": [1], "body": "hi"})
    )
    assert (
        await protocol.execute(
            Call(model="res.partner", method="message_post", kwargs={"ids": [1], "body": "hi"})
        )
        == 12
    )
    transport.assert_done()


@pytest.mark.parametrize(
    ("name", "cause"),
    [
        ("odoo19/get_doc_bearer_res_partner", errors.ProtocolError),  # capture cut at 20 KB
        ("odoo19/get_doc_bearer_res_partner_no_key", errors.AccessDenied),
    ],
)
async def test_unreadable_doc_bearer(name: str, cause: type[Exception]) -> None:
    protocol, _ = await logged_in(capture(name, check=False))
    with pytest.raises(errors.NamedArgumentsRequired, match="pass its arguments by name") as info:
        await protocol.execute(Call(model="res.partner", method="address_get", args=([3],)))
    assert isinstance(info.value.__cause__, cause)
    assert API_KEY not in str(info.value)
