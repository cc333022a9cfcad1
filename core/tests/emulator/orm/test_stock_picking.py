"""``stock.picking``: demo deliveries of the confirmed orders, references, states, access."""

from __future__ import annotations

import pytest

from zenoo_rpc.testing.emulator.database import DEMO2_UID, Database
from zenoo_rpc.testing.emulator.exceptions import AccessError, UserError

ADMIN = 2
MARC_DEMO = 4  # internal user with the Sales "own documents" group


def test_demo_deliveries_follow_confirmed_orders(db: Database) -> None:
    orders = db.call(ADMIN, "sale.order", "search_read", [[("state", "=", "sale")]], {
        "fields": ["name", "partner_id"],
    })  # fmt: skip
    pickings = db.call(ADMIN, "stock.picking", "search_read", [[]], {
        "fields": ["name", "origin", "partner_id", "state", "picking_type_code", "company_id",
                   "scheduled_date", "date_done", "sale_id"],
        "order": "id",
    })  # fmt: skip
    assert orders
    assert len(pickings) == len(orders)
    by_name = {order["name"]: order for order in orders}
    for number, picking in enumerate(pickings, start=1):
        order = by_name[picking["origin"]]
        assert picking["name"] == f"WH/OUT/{number:05d}"
        assert picking["partner_id"] == order["partner_id"]
        assert picking["sale_id"] == [order["id"], order["name"]]
        assert picking["picking_type_code"] == "outgoing"
        assert picking["company_id"] == [1, "YourCompany"]
        assert bool(picking["date_done"]) == (picking["state"] == "done")
    assert {p["state"] for p in pickings} <= {"waiting", "confirmed", "assigned", "done"}
    # the same seed builds the same deliveries
    again = Database("again", version=18, size=40)
    assert again.call(ADMIN, "stock.picking", "search_read", [[]], {"order": "id"}) == (
        db.call(ADMIN, "stock.picking", "search_read", [[]], {"order": "id"})
    )


def test_no_active_field_every_transfer_counts(db: Database) -> None:
    fields = db.call(ADMIN, "stock.picking", "fields_get", [], {"attributes": ["type"]})
    assert "active" not in fields
    assert fields["state"]["type"] == fields["picking_type_code"]["type"] == "selection"
    total = db.call(ADMIN, "stock.picking", "search_count", [[]], {})
    with_context = db.call(
        ADMIN, "stock.picking", "search_count", [[]], {"context": {"active_test": False}}
    )
    assert total == with_context > 0


def test_create_numbers_per_operation_type_and_buttons(db: Database) -> None:
    partner = db.call(ADMIN, "res.partner", "search", [[("is_company", "=", True)]], {"limit": 1})
    receipt = db.call(ADMIN, "stock.picking", "create", [{"partner_id": partner[0],
                      "picking_type_code": "incoming", "origin": "PO0001"}], {})  # fmt: skip
    delivery = db.call(ADMIN, "stock.picking", "create", [{"partner_id": partner[0]}], {})
    read = db.call(ADMIN, "stock.picking", "read", [[receipt, delivery], ["name", "state"]], {})
    outgoing = db.call(
        ADMIN, "stock.picking", "search_count", [[("picking_type_code", "=", "outgoing")]], {}
    )
    assert read == [
        {"id": receipt, "name": "WH/IN/00001", "state": "draft"},
        {"id": delivery, "name": f"WH/OUT/{outgoing:05d}", "state": "draft"},
    ]
    assert db.call(ADMIN, "stock.picking", "action_confirm", [[receipt]], {}) is True
    assert db.call(ADMIN, "stock.picking", "action_assign", [[receipt]], {}) is True
    assert db.call(ADMIN, "stock.picking", "button_validate", [[receipt]], {}) is True
    done = db.call(ADMIN, "stock.picking", "read", [[receipt], ["state", "date_done"]], {})[0]
    assert done["state"] == "done"
    assert done["date_done"]
    with pytest.raises(UserError):
        db.call(ADMIN, "stock.picking", "action_cancel", [[receipt]], {})
    with pytest.raises(UserError):
        db.call(ADMIN, "stock.picking", "action_confirm", [[receipt]], {})
    assert db.call(ADMIN, "stock.picking", "action_cancel", [[delivery]], {}) is True


def test_access_rights(db: Database) -> None:
    with pytest.raises(AccessError) as info:
        db.call(DEMO2_UID, "stock.picking", "search_count", [[]], {})
    assert info.value.message.startswith(
        "You are not allowed to access 'Transfer' (stock.picking) records."
    )
    assert db.call(MARC_DEMO, "stock.picking", "search_count", [[]], {}) > 0
    with pytest.raises(AccessError, match="not allowed to create 'Transfer'"):
        db.call(MARC_DEMO, "stock.picking", "create", [{"origin": "x"}], {})
