"""Field conversions: Odoo's wire values to Python and back, and dirty tracking."""

from __future__ import annotations

import base64
from datetime import date, datetime, timedelta, timezone
from typing import Any, Literal

import pytest

from zenoo_rpc.errors import FieldNotLoaded, FieldValueError, ModelDefinitionError
from zenoo_rpc.models import Command, OdooModel, Ref, X2Many, fields
from zenoo_rpc.models.commands import apply_commands
from zenoo_rpc.models.wire import wire_value
from zenoo_rpc.query.domain import SupportsOdooId, to_domain_value


class Country(OdooModel):
    class Meta:
        model_name = "res.country"

    name = fields.CharField()


class Partner(OdooModel):
    class Meta:
        model_name = "res.partner"

    name = fields.CharField(max_length=20)
    comment = fields.HtmlField()
    color = fields.IntegerField(default=3)
    latitude = fields.FloatField(odoo_name="partner_latitude")
    is_company = fields.BooleanField()
    company_type = fields.SelectionField[Literal["person", "company"]](
        selection=[("person", "Individual"), ("company", "Company")]
    )
    birthday = fields.DateField()
    write_date = fields.DatetimeField()
    image_1920 = fields.BinaryField()
    properties = fields.JsonField()
    complete_name = fields.CharField(readonly=True)
    country_id = fields.Many2oneField["Country"]("res.country")
    child_ids = fields.One2manyField["Partner"]("res.partner", inverse_name="parent_id")
    category_id = fields.Many2manyField("res.partner.category")


EMPTY_ROW: dict[str, Any] = {
    "id": 7,
    "name": False,
    "comment": False,
    "color": 0,
    "partner_latitude": 0.0,
    "is_company": False,
    "company_type": False,
    "birthday": False,
    "write_date": False,
    "image_1920": False,
    "properties": False,
    "complete_name": False,
    "country_id": False,
    "child_ids": [],
    "category_id": [],
}


def one(**values: Any) -> Partner:
    return Partner.from_rows([{**EMPTY_ROW, **values}])[0]


def test_false_from_the_server_reads_as_none_for_every_nullable_field() -> None:
    record = one()
    assert record.name is None
    assert record.comment is None
    assert record.company_type is None
    assert record.birthday is None
    assert record.write_date is None
    assert record.image_1920 is None
    assert record.properties is None
    assert record.country_id is None
    assert record.child_ids.ids == []
    assert not record.child_ids


def test_numbers_and_booleans_keep_their_odoo_empty_values() -> None:
    record = one(color=False, partner_latitude=False)
    assert record.color == 0
    assert record.latitude == 0.0
    assert record.is_company is False
    assert one(partner_latitude=3).latitude == 3.0
    assert isinstance(one(partner_latitude=3).latitude, float)


def test_datetimes_are_aware_utc_and_dates_are_dates() -> None:
    record = one(write_date="2025-03-04 05:06:07", birthday="1990-02-03")
    assert record.write_date == datetime(2025, 3, 4, 5, 6, 7, tzinfo=timezone.utc)
    assert record.write_date is not None
    assert record.write_date.utcoffset() == timedelta(0)
    assert record.birthday == date(1990, 2, 3)


def test_assigned_datetimes_are_sent_in_utc_in_odoos_format() -> None:
    record = one()
    brussels = timezone(timedelta(hours=2))
    record.write_date = datetime(2025, 6, 1, 12, 30, tzinfo=brussels)
    record.birthday = date(2000, 1, 31)
    assert record._dirty == {"write_date": "2025-06-01 10:30:00", "birthday": "2000-01-31"}
    assert record.write_date == datetime(2025, 6, 1, 10, 30, tzinfo=timezone.utc)
    with pytest.raises(FieldValueError, match="not a datetime"):
        record.birthday = datetime(2025, 1, 1)  # a datetime is a date, but not one


def test_none_is_sent_as_false() -> None:
    record = one(name="Azure", birthday="1990-02-03", country_id=[20, "Belgium"])
    record.name = None
    record.birthday = None
    record.country_id = None
    assert record._dirty == {"name": False, "birthday": False, "country_id": False}
    assert record.name is None
    assert record.country_id is None


def test_many2one_reads_every_wire_shape_as_a_typed_reference() -> None:
    classic = one(country_id=[20, "Belgium"]).country_id
    web = one(country_id={"id": 20, "display_name": "Belgium"}).country_id
    bare = one(country_id=20).country_id
    assert isinstance(classic, Ref)
    assert (classic.id, classic.display_name) == (20, "Belgium")
    assert web is not None
    assert (web.id, web.display_name) == (20, "Belgium")
    assert bare is not None
    assert (bare.id, bare.display_name) == (20, None)
    assert classic == web == bare
    assert isinstance(classic, SupportsOdooId)
    assert to_domain_value(classic) == 20


def test_an_x2many_with_exactly_two_ids_is_a_collection_of_two() -> None:
    # zenoo-rpc 0.2.4 read [a, b] as a many2one pair and crashed.
    record = one(child_ids=[27, 34], category_id=[5, 6])
    assert isinstance(record.child_ids, X2Many)
    assert record.child_ids.ids == [27, 34]
    assert len(record.child_ids) == 2
    assert 34 in record.child_ids
    assert record.category_id.ids == [5, 6]


def test_x2many_reads_nested_rows_as_their_ids() -> None:
    record = one(child_ids=[{"id": 3, "name": "a"}, {"id": 4, "name": "b"}])
    assert record.child_ids.ids == [3, 4]


def test_relations_not_loaded_never_call_the_server_on_access() -> None:
    record = one(country_id=[20, "Belgium"], child_ids=[3])
    assert record.country_id is not None
    with pytest.raises(FieldNotLoaded, match=r"await ref\.get\(\)"):
        _ = record.country_id.record
    with pytest.raises(FieldNotLoaded, match=r"\.all\(\)"):
        list(record.child_ids)


def test_binary_fields_decode_base64_and_encode_bytes() -> None:
    content = b"\x89PNG\r\n"
    record = one(image_1920=base64.b64encode(content).decode())
    assert record.image_1920 == content
    record.image_1920 = b"new"
    assert record._dirty == {"image_1920": base64.b64encode(b"new").decode()}
    with pytest.raises(FieldValueError, match="bin_size"):
        _ = one(image_1920="12.50 Kb").image_1920


def test_a_field_the_query_did_not_read_raises_naming_how_to_read_it() -> None:
    record = Partner.from_rows([{"id": 1, "name": "x"}])[0]
    with pytest.raises(FieldNotLoaded) as caught:
        _ = record.image_1920
    assert "lazy" in str(caught.value)
    assert "fetch('image_1920')" in str(caught.value)
    assert caught.value.field == "image_1920"
    with pytest.raises(FieldNotLoaded, match="was not read"):
        _ = record.comment
    assert isinstance(caught.value, AttributeError)  # getattr(record, "x", default) works


def test_assignments_are_checked_by_their_field() -> None:
    record = one()
    with pytest.raises(FieldValueError, match="at most 20 characters"):
        record.name = "x" * 21
    with pytest.raises(FieldValueError, match="one of 'person', 'company'"):
        record.company_type = "robot"  # type: ignore[assignment]
    with pytest.raises(FieldValueError, match="read-only"):
        record.complete_name = "x"
    with pytest.raises(FieldValueError, match="takes an int"):
        record.color = "3"  # type: ignore[assignment]
    with pytest.raises(FieldValueError, match="takes a bool"):
        record.is_company = 1  # type: ignore[assignment]
    with pytest.raises(FieldValueError, match=r"res\.country records, not a res\.partner"):
        record.country_id = one()
    assert record._dirty is None


def test_only_changed_fields_become_dirty() -> None:
    record = one(name="Azure", color=5, country_id=[20, "Belgium"], category_id=[1, 2])
    record.name = "Azure"
    record.color = 5
    record.country_id = 20
    record.category_id = [2, 1]
    assert not record.is_dirty
    record.name = "Azure Interior"
    record.country_id = Country.from_rows([{"id": 21, "display_name": "France"}])[0]
    assert record.dirty_fields == {"name", "country_id"}
    assert record._dirty == {"name": "Azure Interior", "country_id": 21}
    assert record.country_id is not None
    assert (record.country_id.id, record.country_id.display_name) == (21, "France")


def test_x2many_assignment_sends_set_or_commands() -> None:
    record = one(category_id=[1, 2])
    record.category_id = [3, Ref("res.partner.category", 4)]
    assert record._dirty == {"category_id": [(6, 0, [3, 4])]}
    assert record.category_id.ids == [3, 4]
    record.category_id = [Command.link(9), Command.unlink(3)]  # applies to the unsaved set
    assert record._dirty == {"category_id": [(6, 0, [3, 4]), (4, 9, 0), (3, 3, 0)]}
    assert record.category_id.ids == [4, 9]
    record.child_ids = [Command.create({"name": "New", "birthday": date(2001, 1, 1)})]
    assert record._dirty["child_ids"] == [(0, 0, {"name": "New", "birthday": "2001-01-01"})]
    with pytest.raises(FieldNotLoaded, match="unsaved x2many commands"):
        _ = record.child_ids
    with pytest.raises(FieldValueError, match="not both"):
        record.category_id = [1, Command.clear()]


def test_command_helpers_build_odoos_triples() -> None:
    partner = one()
    assert Command.create({"name": "x"}) == (0, 0, {"name": "x"})
    assert Command.update(partner, {"color": 2}) == (1, 7, {"color": 2})
    assert Command.delete(3) == (2, 3, 0)
    assert Command.unlink(3) == (3, 3, 0)
    assert Command.link(3) == (4, 3, 0)
    assert Command.clear() == (5, 0, 0)
    assert Command.set([1, partner]) == (6, 0, [1, 7])
    with pytest.raises(FieldValueError):
        Command.link(0)
    with pytest.raises(FieldValueError):
        Command.set("12")


def test_apply_commands_tracks_ids_until_a_create() -> None:
    assert apply_commands([1, 2], [(4, 3, 0), (3, 1, 0)]) == [2, 3]
    assert apply_commands([1, 2], [(5, 0, 0), (4, 7, 0)]) == [7]
    assert apply_commands(None, [(6, 0, [4, 5])]) == [4, 5]
    assert apply_commands([1], [(0, 0, {"name": "x"})]) is None
    assert apply_commands(None, [(4, 3, 0)]) is None


def test_wire_value_converts_what_json_cannot_carry() -> None:
    partner = one()
    sent = wire_value(
        {
            "partner_id": partner,
            "date": date(2024, 1, 2),
            "when": datetime(2024, 1, 2, 3, 4, 5, tzinfo=timezone.utc),
            "empty": None,
            "tags": {partner},
            "blob": b"ab",
        }
    )
    assert sent == {
        "partner_id": 7,
        "date": "2024-01-02",
        "when": "2024-01-02 03:04:05",
        "empty": False,
        "tags": [7],
        "blob": "YWI=",
    }


def test_records_compare_by_model_and_id() -> None:
    assert one() == one(name="other")
    assert one() != Country.from_rows([{"id": 7}])[0]
    assert len({one(), one()}) == 1
    assert one() == Ref("res.partner", 7)
    assert isinstance(one(), SupportsOdooId)


def test_records_are_not_built_by_calling_the_class() -> None:
    with pytest.raises(TypeError, match="create"):
        Partner(name="x")


def test_reserved_names_and_bad_meta_are_refused_at_class_creation() -> None:
    with pytest.raises(ModelDefinitionError, match="odoo_name='update'"):

        class Bad(OdooModel):
            update = fields.CharField()  # type: ignore[assignment]

    with pytest.raises(ModelDefinitionError, match="model name"):

        class Worse(OdooModel):
            class Meta:
                model_name = " res.partner"

    with pytest.raises(ModelDefinitionError, match="related Odoo model"):
        fields.Many2oneField("Partner")


def test_odoo_name_maps_an_attribute_to_another_field_name() -> None:
    record = one(partner_latitude=50.85)
    assert record.latitude == 50.85
    assert Partner.latitude.name == "partner_latitude"
    assert "partner_latitude" in Partner._fields
    record.latitude = 4.35
    assert record._dirty == {"partner_latitude": 4.35}


def test_item_access_and_as_dict() -> None:
    record = Partner.from_rows([{"id": 3, "name": "A", "child_ids": [1, 2], "x_custom": False}])[0]
    assert record["name"] == "A"
    assert record["x_custom"] is False  # undeclared: as the server sent it
    assert record.as_dict() == {"id": 3, "name": "A", "child_ids": [1, 2], "x_custom": False}
    with pytest.raises(FieldNotLoaded):
        record["email"]


def test_odoos_false_is_taken_as_empty_on_assignment() -> None:
    record = one(name="Azure", birthday="1990-02-03", color=4)
    record.name = False  # type: ignore[assignment]
    record.birthday = False  # type: ignore[assignment]
    record.color = False
    assert record._dirty == {"name": False, "birthday": False, "color": False}
    assert (record.name, record.birthday, record.color) == (None, None, 0)
    with pytest.raises(FieldValueError):
        record.color = True
