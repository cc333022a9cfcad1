"""Call arguments and names on the wire: Odoo's value forms, refused values, quoted paths."""

from __future__ import annotations

import json
import pickle
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest
from replay_transport import API_KEY, PASSWORD, ReplayTransport, capture, synthetic

from zenoo_rpc import errors
from zenoo_rpc.call import Call, ServiceCall
from zenoo_rpc.protocols import (
    Credentials,
    Json2Protocol,
    JsonRpcProtocol,
    Protocol,
    WebSessionProtocol,
)
from zenoo_rpc.protocols.envelope import encode_json, odoo_value

CEST = timezone(timedelta(hours=2))


async def logged_in(name: str) -> tuple[Protocol, ReplayTransport]:
    if name == "json2":
        transport = ReplayTransport(capture("odoo19/json2_context_get"))
        protocol: Protocol = Json2Protocol(transport)
        await protocol.authenticate(Credentials(db="zenoo19", login="admin", api_key=API_KEY))
    elif name == "jsonrpc":
        transport = ReplayTransport(
            capture("odoo18/jsonrpc_common_authenticate"),
            synthetic("/jsonrpc", {"uid": 2}, jsonrpc=True),
        )
        protocol = JsonRpcProtocol(transport)
        await protocol.authenticate(Credentials(db="zenoo", login="admin", password=PASSWORD))
    else:
        transport = ReplayTransport(capture("odoo18/web_session_authenticate"))
        protocol = WebSessionProtocol(transport)
        await protocol.authenticate(Credentials(db="zenoo", login="admin", password=PASSWORD))
    return protocol, transport


def call_path(name: str, model: str, method: str) -> str:
    return {
        "json2": f"/json/2/{model}/{method}",
        "jsonrpc": "/jsonrpc",
        "web": f"/web/dataset/call_kw/{model}/{method}",
    }[name]


def sent_values(name: str, body: bytes) -> tuple[Any, Any]:
    """(the values of the write, the context) as the request carried them."""
    sent = json.loads(body)
    if name == "json2":
        return sent["vals"], sent["context"]
    if name == "jsonrpc":
        args = sent["params"]["args"]
        return args[5][1], args[6]["context"]
    params = sent["params"]
    return params["args"][1], params["kwargs"]["context"]


PROTOCOLS = ["json2", "jsonrpc", "web"]


# --------------------------------------------------------------------------- Odoo's value forms


@pytest.mark.parametrize("name", PROTOCOLS)
async def test_datetimes_dates_and_decimals_are_sent_as_odoo_expects(name: str) -> None:
    protocol, transport = await logged_in(name)
    result: Any = True
    transport.add(
        synthetic(call_path(name, "res.partner", "write"), result, jsonrpc=name != "json2")
    )
    vals = {
        "aware": datetime(2024, 1, 31, 10, 0, 0, 999_999, tzinfo=CEST),
        "naive": datetime(2024, 1, 31, 10, 0, 0, 123_456),
        "day": date(2024, 1, 31),
        "amount": Decimal("1.50"),
        "nested": [(datetime(2024, 2, 1, 0, 0, tzinfo=timezone.utc), Decimal("-2"))],
        "looks_like_one": "2024-01-31T10:00:00",
        "not_a_number": Decimal("NaN"),
    }
    await protocol.execute(
        Call(
            model="res.partner",
            method="write",
            args=([1], vals),
            context={"as_of": datetime(2024, 1, 31, 23, 30, tzinfo=CEST)},
        )
    )
    sent, context = sent_values(name, transport.requests[-1].content)
    assert sent == {
        "aware": "2024-01-31 08:00:00",
        "naive": "2024-01-31 10:00:00",
        "day": "2024-01-31",
        "amount": 1.5,
        "nested": [["2024-02-01 00:00:00", -2]],
        "looks_like_one": "2024-01-31T10:00:00",
        "not_a_number": pytest.approx(float("nan"), nan_ok=True),
    }
    assert context["as_of"] == "2024-01-31 21:30:00"
    transport.assert_done()


def test_odoo_value_returns_unchanged_values_as_they_are() -> None:
    value = {"ids": [1, 2, 3], "domain": [("name", "=", "x")], "when": date(2024, 1, 1)}
    assert odoo_value(value) is value
    assert encode_json({1, 2}) == b"[1,2]"  # a set is sent as a list


# --------------------------------------------------------------------------- refused values


class Opaque:
    pass


@pytest.mark.parametrize("name", PROTOCOLS)
@pytest.mark.parametrize(
    ("value", "type_name"), [(Opaque(), "Opaque"), (1 + 2j, "complex"), ({(1, 2): 3}, "tuple")]
)
async def test_a_value_json_cannot_carry_is_refused_before_sending(
    name: str, value: Any, type_name: str
) -> None:
    protocol, transport = await logged_in(name)
    sent = len(transport.requests)
    with pytest.raises(errors.ArgumentEncodingError) as info:
        await protocol.execute(
            Call(model="res.partner", method="write", args=([1], {"name": value}))
        )
    exc = info.value
    assert isinstance(exc, TypeError)
    assert isinstance(exc, errors.ZenooError)
    assert (exc.model, exc.method, exc.type_name) == ("res.partner", "write", type_name)
    assert "res.partner.write" in str(exc)
    assert type_name in str(exc)
    assert len(transport.requests) == sent
    copy = pickle.loads(pickle.dumps(exc))
    assert (type(copy), str(copy), copy.type_name) == (type(exc), str(exc), type_name)


async def test_json2_refuses_before_reading_the_documentation() -> None:
    protocol, transport = await logged_in("json2")
    sent = len(transport.requests)
    with pytest.raises(errors.ArgumentEncodingError, match=r"res\.partner\.address_get"):
        await protocol.execute(
            Call(model="res.partner", method="address_get", args=([1], Opaque()))
        )
    assert len(transport.requests) == sent  # no GET /doc-bearer/res.partner.json either


async def test_service_call_names_the_service_method() -> None:
    protocol = JsonRpcProtocol(ReplayTransport())
    with pytest.raises(errors.ArgumentEncodingError, match=r"db\.list") as info:
        await protocol.service(ServiceCall(service="db", method="list", args=(Opaque(),)))
    assert (info.value.model, info.value.method) == ("db", "list")


# --------------------------------------------------------------------------- names in URL paths


@pytest.mark.parametrize("name", ["json2", "web"])
async def test_model_and_method_names_are_quoted_in_paths(name: str) -> None:
    protocol, transport = await logged_in(name)
    if name == "json2":
        transport.add(
            capture(
                "odoo19/json2_error_unknown_model",
                check=False,
                path="/json/2/res%20partner/search%2Fcount",
            )
        )
    else:
        transport.add(
            capture(
                "odoo18/web_call_kw_method_not_found",
                check=False,
                path="/web/dataset/call_kw/res%20partner/search%2Fcount",
            )
        )
    with pytest.raises(errors.OdooServerError) as info:
        await protocol.execute(Call(model="res partner", method="search/count"))
    assert isinstance(info.value, (errors.ModelNotFound, errors.MethodNotFound))
    transport.assert_done()


async def test_doc_bearer_path_is_quoted() -> None:
    protocol, transport = await logged_in("json2")
    transport.add(
        capture(
            "odoo19/json2_error_unknown_model",
            check=False,
            path="/doc-bearer/x%20y.json",
            method="GET",
        )
    )
    with pytest.raises(errors.NamedArgumentsRequired):
        await protocol.execute(Call(model="x y", method="do_it", args=([1],)))
    transport.assert_done()
