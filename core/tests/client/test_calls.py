"""Every low-level call, over every protocol, against the emulator."""

from __future__ import annotations

import msgspec
import pytest

from zenoo_rpc import ZenooClient
from zenoo_rpc.errors import (
    AccessDenied,
    AccessError,
    MethodNotFound,
    MissingError,
    ModelNotFound,
    ValidationError,
)
from zenoo_rpc.rows import RowDecodeError
from zenoo_rpc.testing.emulator.server import Emulator


async def test_login_loads_user_context(client: ZenooClient) -> None:
    assert client.is_authenticated
    assert client.uid == 2
    assert client.context["lang"] == "en_US"
    assert client.context["uid"] == 2


async def test_search_read_count_and_read(client: ZenooClient) -> None:
    domain = [("is_company", "=", True)]
    ids = await client.search("res.partner", domain, order="id")
    rows = await client.search_read("res.partner", domain, ["name", "country_id"], order="id")
    assert [r["id"] for r in rows] == ids
    assert await client.search_count("res.partner", domain) == len(ids)
    first = await client.read("res.partner", ids[:2], ["name"])
    assert [r["id"] for r in first] == ids[:2]
    assert set(first[0]) == {"id", "name"}


async def test_search_offset_limit_order(client: ZenooClient) -> None:
    every = await client.search("res.partner", [], order="id desc")
    page = await client.search("res.partner", [], offset=2, limit=3, order="id desc")
    assert page == every[2:5]


async def test_create_single_and_many_write_unlink(client: ZenooClient) -> None:
    one = await client.create("res.partner", {"name": "Single"})
    many = await client.create("res.partner", [{"name": "A"}, {"name": "B"}])
    assert isinstance(one, int)
    assert len(many) == 2
    assert all(isinstance(i, int) for i in many)
    assert await client.write("res.partner", many, {"email": "ab@example.com"})
    rows = await client.read("res.partner", many, ["email"])
    assert [r["email"] for r in rows] == ["ab@example.com"] * 2
    assert await client.unlink("res.partner", [one, *many])
    assert await client.read("res.partner", [one, *many], ["name"]) == []


async def test_fields_get_name_search_read_group(client: ZenooClient) -> None:
    fields = await client.fields_get("res.partner", attributes=["type", "string"])
    assert fields["name"]["type"] == "char"
    assert fields["country_id"]["type"] == "many2one"
    [(_, name)] = await client.name_search("res.partner", "Mitchell", limit=1)
    assert "Mitchell" in name
    groups = await client.read_group("res.partner", [], ["id:count"], ["is_company"], lazy=False)
    assert sum(g["__count"] for g in groups) == await client.search_count("res.partner", [])


async def test_typed_rows_read_odoo_false_as_none(client: ZenooClient) -> None:
    class Row(msgspec.Struct):
        id: int
        name: str
        email: str | None
        is_company: bool
        parent_id: tuple[int, str] | None

    pid = await client.create("res.partner", {"name": "No email", "is_company": False})
    [row] = await client.read(
        "res.partner", pid, ["name", "email", "is_company", "parent_id"], as_type=Row
    )
    assert row == Row(id=pid, name="No email", email=None, is_company=False, parent_id=None)


async def test_rows_that_do_not_fit_are_a_typed_error(client: ZenooClient) -> None:
    class Strict(msgspec.Struct):
        id: int
        name: int

    with pytest.raises(RowDecodeError, match="Strict"):
        await client.search_read("res.partner", [], ["name"], limit=1, as_type=Strict)


async def test_call_and_execute_kw(client: ZenooClient) -> None:
    pid = await client.call("res.partner", "create", [{"name": "Via call"}])
    pid = pid[0] if isinstance(pid, list) else pid
    copied = await client.call("res.partner", "copy", [pid])
    copied = copied[0] if isinstance(copied, list) else copied
    [row] = await client.execute_kw("res.partner", "read", [[copied]], {"fields": ["name"]})
    assert row["name"].startswith("Via call")


async def test_server_errors_are_typed_the_same_on_every_protocol(client: ZenooClient) -> None:
    with pytest.raises(ValidationError) as validation:
        await client.create("res.partner", {"email": "nameless@example.com"})
    assert "require a name" in validation.value.message
    assert validation.value.name == "odoo.exceptions.ValidationError"

    gone = await client.create("res.partner", {"name": "Short-lived"})
    await client.unlink("res.partner", gone)
    with pytest.raises(MissingError):
        await client.write("res.partner", gone, {"name": "Back?"})

    with pytest.raises(ModelNotFound):
        await client.search("no.such.model", [])
    with pytest.raises(MethodNotFound):
        await client.call("res.partner", "no_such_method", [1])
    with pytest.raises(AccessError):
        await client.call("res.partner", "_search", [[]])


async def test_debug_traceback_never_in_str(client: ZenooClient) -> None:
    with pytest.raises(ValidationError) as info:
        await client.create("res.partner", {"email": "x@example.com"})
    assert info.value.debug
    assert "Traceback" not in str(info.value)


async def test_context_views(client: ZenooClient) -> None:
    archived = await client.create("res.partner", {"name": "Archived one", "active": False})
    assert archived not in await client.search("res.partner", [("name", "=", "Archived one")])
    view = client.with_context(active_test=False)
    assert view.context["active_test"] is False
    assert "active_test" not in client.context
    assert archived in await view.search("res.partner", [("name", "=", "Archived one")])
    company = client.with_company(1)
    assert company.context["allowed_company_ids"] == [1]
    await view.close()  # a view does not close the shared connection
    assert client.is_authenticated
    assert await client.search_count("res.partner", []) > 0


async def test_wrong_password_is_access_denied(
    emulator: Emulator, protocol_case: tuple[str, int]
) -> None:
    protocol, _ = protocol_case
    wrong = {"api_key": "not-a-key-0000000000000"} if protocol == "json2" else {"password": "wrong"}
    async with ZenooClient(emulator.memory_url, protocol=protocol, plugins=[]) as client:
        with pytest.raises(AccessDenied):
            await client.login("demo", "admin", **wrong)
        assert not client.is_authenticated
