"""Record semantics: search, read, create, write, unlink, copy, commands, constraints,
atomicity and bus notifications."""

from __future__ import annotations

import re
from typing import Any

import pytest

from zenoo_rpc.testing.emulator.database import Database
from zenoo_rpc.testing.emulator.exceptions import (
    MissingError,
    PythonError,
    UserError,
    ValidationError,
)

ADMIN = 2


def call(db: Database, model: str, method: str, *args: Any, **kwargs: Any) -> Any:
    return db.call(ADMIN, model, method, list(args), kwargs)


def test_search_offset_limit_order(db: Database) -> None:
    everything = call(db, "res.partner", "search", [], order="name desc, id")
    names = [r["name"] for r in call(db, "res.partner", "read", everything, ["name"])]
    assert names == sorted(names, key=str.casefold, reverse=True)
    assert (
        call(db, "res.partner", "search", [], offset=2, limit=3, order="name desc, id")
        == (everything[2:5])
    )
    assert call(db, "res.partner", "search_count", []) == len(everything)
    assert call(db, "res.partner", "search_count", [], limit=3) == 3
    with pytest.raises(PythonError, match='Invalid "order"'):
        call(db, "res.partner", "search", [], order="name; drop table")


def test_default_order_is_complete_name_then_id_desc(db: Database) -> None:
    found = call(db, "res.partner", "search_read", [], fields=["complete_name"])
    keys = [r["complete_name"].casefold() for r in found]
    assert keys == sorted(keys)


def test_read_formats(db: Database) -> None:
    row = call(
        db,
        "res.partner",
        "read",
        [3],
        ["name", "parent_id", "child_ids", "country_id", "is_company", "customer_rank", "email"],
    )[0]
    assert list(row) == [
        "id",
        "name",
        "parent_id",
        "child_ids",
        "country_id",
        "is_company",
        "customer_rank",
        "email",
    ]
    assert row["parent_id"] == [1, "YourCompany"]
    assert row["country_id"] == [233, "United States"]
    raw = call(db, "res.partner", "read", [3], ["parent_id"], load=None)[0]
    assert raw == {"id": 3, "parent_id": 1}
    assert call(db, "res.partner", "read", [1], ["child_ids"])[0]["child_ids"] == [5, 3]
    everything = call(db, "res.partner", "read", [1])[0]
    assert {"display_name", "complete_name", "image_1920", "write_date"} <= set(everything)
    with pytest.raises(
        PythonError, match=re.escape("Invalid field 'no_such_field' on 'res.partner'")
    ):
        call(db, "res.partner", "read", [1], ["no_such_field"])


def test_create_single_and_multi_like_each_protocol(db: Database) -> None:
    single = call(db, "res.partner", "create", {"name": "One"})
    multi = call(db, "res.partner", "create", [{"name": "Two"}, {"name": "Three"}])
    assert isinstance(single, int)
    assert multi == [single + 1, single + 2]
    assert db.call_named(ADMIN, "res.partner", "create", {"vals_list": {"name": "Four"}}) == [
        single + 3
    ]
    assert db.call_named(ADMIN, "res.partner", "create", {"vals_list": []}) == []
    row = call(db, "res.partner", "read", [single], ["type", "active", "lang", "display_name"])
    assert row == [
        {"id": single, "type": "contact", "active": True, "lang": "en_US", "display_name": "One"}
    ]


def test_write_unlink_and_missing_records(db: Database) -> None:
    pid = call(db, "res.partner", "create", {"name": "Temp"})
    assert call(db, "res.partner", "write", [pid], {"phone": "+1 555 0100"}) is True
    assert call(db, "res.partner", "read", [pid], ["phone"])[0]["phone"] == "+1 555 0100"
    assert call(db, "res.partner", "unlink", [pid]) is True
    assert call(db, "res.partner", "read", [pid], ["name"]) == []
    with pytest.raises(MissingError) as info:
        call(db, "res.partner", "write", [pid], {"name": "x"})
    assert info.value.message == (
        f"Record does not exist or has been deleted.\n(Record: res.partner({pid},), User: 2)"
    )
    with pytest.raises(MissingError):
        call(db, "res.partner", "unlink", [pid])
    with pytest.raises(
        PythonError, match=re.escape("Invalid field 'bogus' on model 'res.partner'")
    ):
        call(db, "res.partner", "write", [1], {"bogus": 1})
    with pytest.raises(PythonError, match=re.escape("Wrong value for res.partner.type: 'nope'")):
        call(db, "res.partner", "write", [1], {"type": "nope"})


def test_constraints(db: Database) -> None:
    with pytest.raises(ValidationError, match=re.escape("Contacts require a name")):
        call(db, "res.partner", "create", {"email": "a@b.c", "type": "contact"})
    assert call(db, "res.partner", "create", {"type": "invoice", "parent_id": 7})
    child = call(db, "res.partner", "create", {"name": "Kid", "parent_id": 7})
    with pytest.raises(ValidationError, match=re.escape("recursive Partner hierarchies")):
        call(db, "res.partner", "write", [7], {"parent_id": child})
    with pytest.raises(UserError, match=re.escape("cannot delete the admin user")):
        call(db, "res.users", "unlink", [2])
    with pytest.raises(ValidationError, match=r"The troublemaker is: 'User' \(res.users\)"):
        call(db, "res.company", "unlink", [1])


def test_failing_call_changes_nothing(db: Database) -> None:
    before = call(db, "res.partner", "search_count", [])
    with pytest.raises(ValidationError):
        call(db, "res.partner", "create", [{"name": "ok"}, {"email": "no name"}])
    assert call(db, "res.partner", "search_count", []) == before
    with pytest.raises(ValidationError):
        call(db, "res.partner", "write", [7], {"name": "Renamed", "parent_id": 7})
    assert call(db, "res.partner", "read", [7], ["name"])[0]["name"] == "Azure Interior"
    last = db.bus.last_id
    with pytest.raises(UserError):
        call(db, "res.users", "unlink", [5, 2])
    assert call(db, "res.users", "search_count", [("id", "=", 5)]) == 1
    assert db.bus.last_id == last


def test_complete_name_follows_parent_rename(db: Database) -> None:
    kid = call(db, "res.partner", "create", {"name": "Kid", "parent_id": 7})
    call(db, "res.partner", "write", [7], {"name": "Azure Two"})
    assert call(db, "res.partner", "read", [kid], ["display_name"])[0]["display_name"] == (
        "Azure Two, Kid"
    )
    assert [kid, "Azure Two, Kid"] in call(db, "res.partner", "name_search", "Azure Two")


def test_x2many_commands(db: Database) -> None:
    pid = call(
        db,
        "res.partner",
        "create",
        {
            "name": "Holder",
            "category_id": [(6, 0, [1, 2])],
            "child_ids": [(0, 0, {"name": "First"}), (0, 0, {"name": "Second"})],
        },
    )
    row = call(db, "res.partner", "read", [pid], ["category_id", "child_ids"])[0]
    assert row["category_id"] == [2, 1]  # comodel order: "Prospect" before "Vendor"
    first, second = sorted(row["child_ids"])
    call(
        db,
        "res.partner",
        "write",
        [pid],
        {
            "category_id": [(3, 1), (4, 3)],
            "child_ids": [(1, first, {"name": "First!"}), (3, second)],
        },
    )
    row = call(db, "res.partner", "read", [pid], ["category_id", "child_ids"])[0]
    assert row == {"id": pid, "category_id": [3, 2], "child_ids": [first]}
    assert call(db, "res.partner", "read", [second], ["parent_id"])[0]["parent_id"] is False
    call(db, "res.partner", "write", [pid], {"category_id": [(5,)], "child_ids": [(2, first)]})
    assert call(db, "res.partner", "read", [first], ["name"]) == []
    call(db, "res.partner", "write", [pid], {"category_id": [3, 1]})
    assert call(db, "res.partner", "read", [pid], ["category_id"])[0]["category_id"] == [3, 1]


def test_copy(db: Database) -> None:
    new = call(db, "res.partner", "copy", [7])
    row = call(db, "res.partner", "read", [new], ["name", "country_id", "child_ids"])[0]
    assert row["name"] == "Azure Interior (copy)"
    assert row["child_ids"] == []
    order = call(db, "sale.order", "search", [], limit=1, order="id")[0]
    dup = call(db, "sale.order", "copy", [order], {"client_order_ref": "dup"})
    src, copy = call(
        db, "sale.order", "read", [order, dup], ["name", "amount_total", "order_line", "state"]
    )
    assert copy["amount_total"] == src["amount_total"]
    assert len(copy["order_line"]) == len(src["order_line"])
    assert set(copy["order_line"]).isdisjoint(src["order_line"])
    assert copy["state"] == "draft"
    assert copy["name"] != src["name"]


def test_sale_amounts_and_confirm(db: Database) -> None:
    empty = call(db, "sale.order", "create", {"partner_id": 7})
    with pytest.raises(UserError):
        call(db, "sale.order", "action_confirm", [empty])
    call(
        db,
        "sale.order",
        "write",
        [empty],
        {
            "order_line": [
                (0, 0, {"product_id": 1, "product_uom_qty": 2}),
                (0, 0, {"product_id": 2, "price_unit": 10.0, "product_uom_qty": 3}),
            ]
        },
    )
    order = call(
        db, "sale.order", "read", [empty], ["amount_untaxed", "amount_tax", "amount_total", "name"]
    )[0]
    assert order["amount_untaxed"] == 170.0
    assert order["amount_tax"] == 25.5
    assert order["amount_total"] == 195.5
    assert order["name"].startswith("S")
    assert call(db, "sale.order", "action_confirm", [empty]) is True
    assert call(db, "sale.order", "read", [empty], ["state"])[0]["state"] == "sale"
    line = call(db, "sale.order", "read", [empty], ["order_line"])[0]["order_line"][0]
    call(db, "sale.order.line", "unlink", [line])
    assert call(db, "sale.order", "read", [empty], ["amount_untaxed"])[0]["amount_untaxed"] == 30


def test_bus_notifications_after_success(db: Database) -> None:
    last = db.bus.last_id
    pid = call(db, "res.partner", "create", {"name": "Busy"})
    call(db, "res.partner", "write", [pid], {"email": "b@x.example"})
    message = call(db, "res.partner", "message_post", [pid], body="<p>hi</p>")
    call(db, "res.partner", "unlink", [pid])
    notes = db.bus.since(last, ["test.res.partner"])
    kinds = [n["message"]["type"] for n in notes]
    assert kinds == [
        "zenoo.record/create",
        "zenoo.record/write",
        "mail.message/new",
        "zenoo.record/unlink",
    ]
    assert notes[1]["message"]["payload"] == {
        "model": "res.partner",
        "ids": [pid],
        "fields": ["email"],
    }
    assert notes[2]["message"]["payload"]["id"] == message


def test_name_create_default_get_and_attachment(db: Database) -> None:
    pid, name = call(db, "res.partner", "name_create", "Quick")
    assert name == "Quick"
    assert call(db, "res.partner", "default_get", ["type", "is_company", "active", "lang"]) == {
        "type": "contact",
        "is_company": False,
        "active": True,
        "lang": "en_US",
    }
    att = call(
        db,
        "ir.attachment",
        "create",
        {"name": "a.txt", "datas": "aGVsbG8=", "res_model": "res.partner", "res_id": pid},
    )
    row = call(db, "ir.attachment", "read", [att], ["file_size", "mimetype", "checksum"])[0]
    assert row["file_size"] == 5
    assert row["mimetype"] == "text/plain"
    assert row["checksum"] == "aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d"


def test_allowed_company_ids_restricts_company_records(db: Database) -> None:
    second = call(db, "res.company", "create", {"name": "Second Co"})
    call(db, "res.users", "write", [2], {"company_ids": [(4, second)]})
    pid = call(db, "res.partner", "create", {"name": "Scoped", "company_id": second})
    assert pid in call(db, "res.partner", "search", [])
    scoped = db.call(
        ADMIN, "res.partner", "search", [[]], {"context": {"allowed_company_ids": [1]}}
    )
    assert pid not in scoped
    assert 7 in scoped
