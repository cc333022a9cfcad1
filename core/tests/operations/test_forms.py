"""Form helpers: ``default_get``, ``onchange`` (17+ and 16 signatures) and ``call_button``."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from zenoo_rpc import ZenooClient
from zenoo_rpc.errors import InvalidArgument, MethodNotFound, OutcomeUnknownError, UserError
from zenoo_rpc.testing.emulator.database import ADMIN_API_KEY
from zenoo_rpc.testing.emulator.server import Emulator

#: (protocol, Odoo version): each onchange signature and every protocol.
CASES = [("jsonrpc", 16), ("web", 17), ("jsonrpc", 18), ("json2", 19)]


@pytest.fixture(params=CASES, ids=lambda case: f"{case[0]}-odoo{case[1]}")
async def form_client(request: pytest.FixtureRequest) -> AsyncIterator[ZenooClient]:
    from zenoo_rpc.testing.transport import register_emulator, unregister_emulator

    protocol, version = request.param
    emulator = Emulator(version=version, size=10)
    name = f"forms-{protocol}-{version}-{id(emulator)}"
    register_emulator(name, emulator)
    try:
        async with ZenooClient(emulator.memory_url, protocol=protocol, plugins=[]) as client:
            if protocol == "json2":
                await client.login("demo", "admin", api_key=ADMIN_API_KEY)
            else:
                await client.login("demo", "admin", "admin")
            yield client
    finally:
        unregister_emulator(name)


async def a_product(client: ZenooClient) -> dict[str, object]:
    (product,) = await client.search_read(
        "product.product", [], ["display_name", "list_price"], limit=1, order="id"
    )
    return product


async def test_default_get(form_client: ZenooClient) -> None:
    defaults = await form_client.default_get("sale.order", ["state", "user_id", "note"])
    assert defaults == {"state": "draft", "user_id": form_client.uid}
    with_context = await form_client.default_get(
        "sale.order", ["state"], context={"default_state": "sent"}
    )
    assert with_context == {"state": "sent"}


async def test_onchange_of_a_product_on_a_new_line(form_client: ZenooClient) -> None:
    product = await a_product(form_client)
    result = await form_client.onchange(
        "sale.order.line",
        {"product_id": product["id"], "product_uom_qty": 3.0},
        "product_id",
        field_spec={"name": {}, "price_unit": {}, "price_subtotal": {}, "product_uom_qty": {}},
    )
    value = result["value"]
    assert value["name"] == product["display_name"]
    assert value["price_unit"] == product["list_price"]
    assert value["price_subtotal"] == round(3 * float(product["list_price"]), 2)  # type: ignore[arg-type]
    assert "product_uom_qty" not in value  # unchanged fields are not reported


async def test_onchange_with_the_default_spec(form_client: ZenooClient) -> None:
    product = await a_product(form_client)
    result = await form_client.onchange(
        "sale.order.line", {"product_id": product["id"], "product_uom_qty": 2.0}, "product_id"
    )
    assert result["value"]["price_unit"] == product["list_price"]
    assert result["value"]["price_total"] > result["value"]["price_subtotal"]


async def test_onchange_of_a_new_record_starts_from_the_defaults(
    form_client: ZenooClient,
) -> None:
    result = await form_client.onchange(
        "sale.order", {}, [], field_spec={"state": {}, "user_id": {}}
    )
    value = result["value"]
    assert value["state"] == "draft"
    user = value["user_id"]
    assert user == ([2, "Mitchell Admin"] if form_client.server_version.major < 17 else 2)  # type: ignore[union-attr]


async def test_onchange_of_an_existing_line(form_client: ZenooClient) -> None:
    (line,) = await form_client.search_read(
        "sale.order.line", [], ["price_unit", "product_uom_qty", "discount"], limit=1
    )
    quantity = line["product_uom_qty"] + 7
    result = await form_client.onchange(
        "sale.order.line",
        {"product_uom_qty": quantity},
        ["product_uom_qty"],
        field_spec={"price_subtotal": {}},
        record_ids=[line["id"]],
    )
    expected = round(quantity * line["price_unit"] * (1 - line["discount"] / 100), 2)
    assert result["value"] == {"price_subtotal": expected}


async def order_with_a_line(client: ZenooClient) -> int:
    product = await a_product(client)
    partner = (await client.search("res.partner", [("is_company", "=", True)], limit=1))[0]
    return await client.create(
        "sale.order",
        {"partner_id": partner, "order_line": [(0, 0, {"product_id": product["id"]})]},
    )


async def test_call_button_that_returns_true(form_client: ZenooClient) -> None:
    order = await order_with_a_line(form_client)
    assert await form_client.call_button("sale.order", "action_confirm", [order]) is None
    (row,) = await form_client.read("sale.order", order, ["state"])
    assert row["state"] == "sale"
    with pytest.raises(UserError, match="not in a state requiring confirmation"):
        await form_client.call_button("sale.order", "action_confirm", order)


async def test_call_button_that_returns_an_action(form_client: ZenooClient) -> None:
    order = await order_with_a_line(form_client)
    action = await form_client.call_button("sale.order", "action_preview_sale_order", [order])
    assert action == {"type": "ir.actions.act_url", "target": "self", "url": f"/my/orders/{order}"}


@pytest.mark.parametrize(
    ("method", "ids"),
    [("_action_confirm", [1]), ("action_confirm", []), ("", [1]), ("action confirm", [1])],
)
async def test_call_button_refuses_before_sending(
    form_client: ZenooClient, method: str, ids: list[int]
) -> None:
    with pytest.raises(InvalidArgument):
        await form_client.call_button("sale.order", method, ids)


async def test_unknown_button(form_client: ZenooClient) -> None:
    order = await order_with_a_line(form_client)
    with pytest.raises(MethodNotFound):
        await form_client.call_button("sale.order", "action_does_not_exist", [order])


async def test_call_button_is_not_sent_twice(emulator: Emulator, client: ZenooClient) -> None:
    order = await order_with_a_line(client)
    emulator.faults.drop(after_call=True, method="action_confirm", times=1)
    with pytest.raises(OutcomeUnknownError):
        await client.call_button("sale.order", "action_confirm", [order])
    (row,) = await client.read("sale.order", order, ["state"])
    assert row["state"] == "sale"  # it ran once: a second run would have raised UserError
