"""MockClient: canned answers, through the same middleware and events as a real client."""

from __future__ import annotations

from typing import Any

import pytest

from zenoo_rpc import Call, ValidationError
from zenoo_rpc.middleware import Handler
from zenoo_rpc.testing.mock import MockClient, UnmockedCallError


async def test_canned_answers_values_errors_and_functions() -> None:
    client = MockClient()
    client.mock_response("res.partner", "search_read", [{"id": 1, "name": "Test Partner"}])
    client.mock_response(
        "res.partner",
        "create",
        ValidationError("Contacts require a name", name="odoo.exceptions.ValidationError"),
    )
    client.mock_response("res.partner", "search_count", lambda call: len(call.args[0]))

    rows = await client.search_read("res.partner", [], ["name"])
    assert rows == [{"id": 1, "name": "Test Partner"}]
    with pytest.raises(ValidationError, match="require a name"):
        await client.create("res.partner", {"email": "x@example.com"})
    assert await client.search_count("res.partner", [("a", "=", 1), ("b", "=", 2)]) == 2
    assert [c.method for c in client.calls] == ["search_read", "create", "search_count"]
    client.assert_all_used()


async def test_answers_are_copies_the_caller_cannot_corrupt() -> None:
    client = MockClient()
    client.mock_response("res.partner", "read", [{"id": 1, "name": "A"}])
    first = await client.read("res.partner", 1)
    first[0]["name"] = "changed"
    assert (await client.read("res.partner", 1))[0]["name"] == "A"


async def test_unmocked_call_lists_what_was_registered() -> None:
    client = MockClient()
    client.mock_response("res.partner", "read", [], times=1)
    await client.read("res.partner", [1])
    with pytest.raises(UnmockedCallError) as info:
        await client.read("res.partner", [1])
    assert "res.partner.read, times=1 (used 1x)" in str(info.value)


async def test_unused_response_fails_the_check() -> None:
    client = MockClient()
    client.mock_response("sale.order", "action_confirm", True)
    with pytest.raises(AssertionError, match=r"sale\.order\.action_confirm"):
        client.assert_all_used()


async def test_match_predicate_and_middleware_still_run() -> None:
    client = MockClient()
    seen: list[str] = []

    async def spy(call: Call, call_next: Handler) -> Any:
        seen.append(call.method)
        return await call_next(call)

    client.add_middleware(spy)
    client.mock_response("res.partner", "read", [{"id": 2}], match=lambda c: c.args[0] == [2])
    client.mock_response("res.partner", "read", [{"id": 1}])
    assert await client.read("res.partner", 2) == [{"id": 2}]
    assert await client.read("res.partner", 1) == [{"id": 1}]
    assert seen == ["read", "read"]
