"""The ``Database`` facade: dispatch errors, JSON-2 binding, credentials, access rights,
version differences, persistence and scale."""

from __future__ import annotations

import re
from typing import Any

import pytest

from zenoo_rpc.testing.emulator.database import (
    ADMIN_API_KEY,
    DEFAULT_PASSWORDS,
    DEMO2_API_KEY,
    DEMO2_UID,
    Database,
)
from zenoo_rpc.testing.emulator.exceptions import (
    AccessDenied,
    AccessError,
    ModelNotFound,
    PythonError,
    SignatureError,
    UnknownMethod,
    UserError,
)

ADMIN = 2


def test_dispatch_errors(db: Database) -> None:
    with pytest.raises(ModelNotFound, match=re.escape("Object no.such.model doesn't exist")):
        db.call(ADMIN, "no.such.model", "search_read", [[]], {})
    with pytest.raises(UnknownMethod, match=re.escape("The method 'nope' does not exist")):
        db.call(ADMIN, "res.partner", "nope", [[]], {})
    with pytest.raises(AccessError) as info:
        db.call(ADMIN, "res.partner", "_search", [[]], {})
    assert info.value.message == "Private methods (such as _search) cannot be called remotely."
    with pytest.raises(SignatureError) as sig:
        db.call(ADMIN, "res.partner", "search_count", [], {})
    assert sig.value.message == (
        "BaseModel.search_count() missing 1 required positional argument: 'domain'"
    )
    with pytest.raises(PythonError) as bogus:
        db.call(ADMIN, "res.partner", "search_read", [[]], {"limit": 1, "bogus_kwarg": 1})
    assert bogus.value.name == "builtins.TypeError"
    assert bogus.value.message == (
        "BaseModel._read_format() got an unexpected keyword argument 'bogus_kwarg'"
    )


def test_json2_binding(make_db: Any) -> None:
    db = make_db(19)
    cases = {
        ("search_count", "ids"): (
            {"ids": [1, 2], "domain": []},
            "cannot call res.partner.search_count with ids",
        ),
        ("search_count", "args"): ({"args": [[]]}, "missing a required argument: 'domain'"),
        ("search_count", "bogus"): (
            {"domain": [], "bogus_kwarg": 1},
            "got an unexpected keyword argument 'bogus_kwarg'",
        ),
        ("write", "vals"): ({"ids": [1]}, "missing a required argument: 'vals'"),
        ("default_get", "old"): (
            {"fields_list": ["type"]},
            "missing a required argument: 'fields'",
        ),
    }
    for (method, _), (params, message) in cases.items():
        with pytest.raises(SignatureError) as info:
            db.call_named(ADMIN, "res.partner", method, params)
        assert info.value.message == message
    with pytest.raises(AccessError, match=re.escape("'res.partner.browse'")):
        db.call_named(ADMIN, "res.partner", "browse", {"ids": [1]})
    assert db.call_named(ADMIN, "res.partner", "search_count", {"domain": [], "limit": 3}) == 3
    assert db.call_named(
        ADMIN,
        "res.partner",
        "search",
        {"domain": [("is_company", "=", True)], "limit": 2, "order": "id"},
    ) == [1, 7]
    assert db.call_named(ADMIN, "res.partner", "has_access", {"operation": "create"}) is True
    assert db.call_named(ADMIN, "res.users", "context_get", {}) == {
        "lang": "en_US",
        "tz": "Europe/Brussels",
        "uid": 2,
    }
    with pytest.raises(UserError, match=re.escape("Invalid language code: fr_FR")):
        db.call_named(
            ADMIN,
            "res.country",
            "search_read",
            {"domain": [("code", "=", "BE")], "context": {"lang": "fr_FR"}},
        )


def test_credentials_and_api_keys(db: Database) -> None:
    assert DEFAULT_PASSWORDS["admin"] == "admin"
    assert db.authenticate("admin", "admin") == 2
    assert db.authenticate("demo2", "demo2") == DEMO2_UID
    assert db.authenticate("admin", ADMIN_API_KEY) == 2
    assert db.authenticate("admin", DEMO2_API_KEY) is None
    assert db.authenticate("admin", "wrong") is None
    assert db.authenticate("__system__", "") is None
    db.check_credentials(2, "admin")
    with pytest.raises(AccessDenied):
        db.check_credentials(2, "wrong")
    assert db.uid_for_api_key(DEMO2_API_KEY) == DEMO2_UID
    key = db.create_api_key(2, "ci")
    assert key not in (ADMIN_API_KEY, DEMO2_API_KEY)
    assert db.uid_for_api_key(key) == 2
    assert db.uid_for_api_key("nope") is None
    info = db.user_info(2)
    assert info["partner_display_name"] == "YourCompany, Mitchell Admin"
    assert info["is_admin"]
    assert info["is_system"]
    assert not db.user_info(DEMO2_UID)["is_admin"]


@pytest.mark.parametrize(
    ("version", "creation_group", "rights_group"),
    [
        (18, "Extra Rights/Contact Creation", "Administration/Access Rights"),
        (19, "Contact/Creation", "Access Rights"),
    ],
)
def test_demo2_access_rights(
    make_db: Any, version: int, creation_group: str, rights_group: str
) -> None:
    db = make_db(version)
    assert db.call(DEMO2_UID, "res.partner", "search_read", [[]], {"fields": ["name"], "limit": 3})
    with pytest.raises(AccessError) as create:
        db.call(DEMO2_UID, "res.partner", "create", [{"name": "Not allowed"}], {})
    assert create.value.message == (
        "You are not allowed to create 'Contact' (res.partner) records.\n\n"
        "This operation is allowed for the following groups:\n"
        f"\t- {creation_group}\n\t- Inventory/Administrator\n\t- Sales/Administrator\n\n"
        "Contact your administrator to request access if necessary."
    )
    with pytest.raises(AccessError) as write:
        db.call(DEMO2_UID, "res.users", "write", [[2], {"name": "hacked"}], {})
    assert (
        f"modify 'User' (res.users) records.\n\nThis operation is allowed for the "
        f"following groups:\n\t- {rights_group}\n\n" in write.value.message
    )
    with pytest.raises(AccessError, match=r"access 'Sales Order' \(sale.order\)"):
        db.call(DEMO2_UID, "sale.order", "search_read", [[]], {"fields": ["name"]})
    assert db.call(DEMO2_UID, "res.users", "write", [[DEMO2_UID], {"tz": "UTC"}], {}) is True


def test_version_differences(make_db: Any) -> None:
    v16, v17, v18 = make_db(16), make_db(17), make_db(18)
    assert v17.call(ADMIN, "res.partner", "name_get", [[1]], {}) == [[1, "YourCompany"]]
    with pytest.raises(UnknownMethod):
        v18.call(ADMIN, "res.partner", "name_get", [[1]], {})
    with pytest.raises(UnknownMethod):
        v16.call(ADMIN, "res.partner", "web_read", [[1]], {"specification": {"name": {}}})
    assert v17.call(ADMIN, "res.partner", "web_read", [[1]], {"specification": {"name": {}}})
    with pytest.raises(UnknownMethod):
        v18.call(ADMIN, "res.partner", "formatted_read_group", [[]], {"groupby": ["type"]})
    assert "check_access_rights" in v18.method_signatures("res.partner")
    assert "check_access_rights" not in make_db(19).method_signatures("res.partner")
    sig = make_db(19).method_signatures("res.partner")["default_get"]
    assert list(sig.parameters) == ["fields"]
    assert list(v18.method_signatures("res.partner")["default_get"].parameters) == ["fields_list"]
    assert "groups_id" in v18.call(ADMIN, "res.users", "fields_get", [], {})
    assert "group_ids" in make_db(19).call(ADMIN, "res.users", "fields_get", [], {})


def test_fields_get_shapes(make_db: Any) -> None:
    db = make_db(19)
    described = db.call(ADMIN, "res.partner", "fields_get", [], {})
    assert described["name"] == {
        "change_default": False, "company_dependent": False,
        "default_export_compatible": True, "depends": [], "exportable": True,
        "groupable": True, "manual": False, "name": "name", "readonly": False,
        "required": False, "searchable": True, "sortable": True, "store": True,
        "string": "Name", "translate": False, "trim": True, "type": "char",
    }  # fmt: skip
    assert described["country_id"]["allow_hierachy_operators"] is False
    assert described["parent_id"]["allow_hierachy_operators"] is True
    assert described["type"]["selection"][1] == ["invoice", "Invoice"]
    assert described["child_ids"]["relation_field"] == "parent_id"
    few = db.call(
        ADMIN, "res.partner", "fields_get", [], {"attributes": ["string", "type", "relation"]}
    )
    assert few["parent_id"] == {
        "relation": "res.partner",
        "string": "Related Company",
        "type": "many2one",
    }
    old = make_db(18).call(ADMIN, "res.partner", "fields_get", [["type"]], {})
    assert old["type"]["selection"][1] == ["invoice", "Invoice Address"]


def test_dump_load_and_copy(db: Database) -> None:
    pid = db.call(ADMIN, "res.partner", "create", [{"name": "Saved"}], {})
    clone = db.copy("clone")
    restored = Database.load(db.dump())
    db.call(ADMIN, "res.partner", "unlink", [[pid]], {})
    assert clone.name == "clone"
    assert clone.bus is not db.bus
    assert clone.call(ADMIN, "res.partner", "read", [[pid], ["name"]], {}) == [
        {"id": pid, "name": "Saved"}
    ]
    assert restored.call(ADMIN, "res.partner", "search_count", [[("id", "=", pid)]], {}) == 1
    assert db.call(ADMIN, "res.partner", "search_count", [[("id", "=", pid)]], {}) == 0
    assert restored.authenticate("admin", ADMIN_API_KEY) == 2


def test_hundred_thousand_partners_build_and_answer() -> None:
    big = Database("big", version=18, size=100_000)
    total = big.call(
        ADMIN, "res.partner", "search_count", [[]], {"context": {"active_test": False}}
    )
    assert total == 100_000 + 6
    page = big.call(
        ADMIN,
        "res.partner",
        "search_read",
        [[("is_company", "=", True)]],
        {"fields": ["name"], "limit": 5, "order": "id desc"},
    )
    assert [r["id"] for r in page] == sorted((r["id"] for r in page), reverse=True)
    assert big.model_names() == sorted(big.model_names())
