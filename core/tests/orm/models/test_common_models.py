"""The shipped common models against real Odoo data (captures) and the emulator's models."""

from __future__ import annotations

import json
import typing
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from orm_harness import MakeHarness

from zenoo_rpc.models import OdooModel, Ref
from zenoo_rpc.models.common import (
    COMMON_MODELS,
    ResPartner,
    SaleOrder,
    SaleOrderLine,
)
from zenoo_rpc.models.fields import Field, FloatField, RelationalField, SelectionField
from zenoo_rpc.models.fields.relational import One2manyField

CAPTURES = Path(__file__).resolve().parents[2] / "captures"


def capture(name: str) -> Any:
    data = json.loads((CAPTURES / name).read_text())
    answer = data["response"]["json"]
    return answer["result"] if isinstance(answer, dict) and "result" in answer else answer


def compatible(field: Field[Any, Any], description: dict[str, Any]) -> bool:
    kind = description["type"]
    if isinstance(field, FloatField):
        return kind in ("float", "monetary")
    if field.odoo_type == "binary":
        return kind in ("binary", "image")
    if kind != field.odoo_type:
        return False
    if isinstance(field, RelationalField):
        return bool(description.get("relation") == field.comodel)
    return True


def literal_values(field: Field[Any, Any]) -> set[str] | None:
    args = typing.get_args(getattr(field, "__orig_class__", None))
    if not args or typing.get_origin(args[0]) is not typing.Literal:
        return None
    return set(typing.get_args(args[0]))


def test_real_odoo18_partner_rows_decode_into_respartner() -> None:
    rows = capture("odoo18/jsonrpc_search_read_res_partner_limit80_allfields.json")
    partners = ResPartner.from_rows(rows)
    azure = partners[0]
    assert azure.id == 15
    assert azure.name == "Azure Interior"
    assert azure.country_id == Ref("res.country", 233)
    assert azure.country_id is not None
    assert azure.country_id.display_name == "United States"
    assert azure.child_ids.ids == [27, 34, 28]
    assert azure.category_id.ids == [5]
    assert azure.is_company is True
    assert azure.company_type == "company"
    assert azure.type == "contact"
    assert azure.mobile is None
    assert azure.parent_id is None
    assert azure.write_date == datetime(2026, 11, 21, 22, 31, 53, tzinfo=timezone.utc)
    assert azure.create_uid is not None
    assert azure.create_uid.display_name == "OdooBot"
    binary = {name for name, field in ResPartner._fields.items() if field.odoo_type == "binary"}
    assert binary == {"image_1920", "image_128"}  # truncated in the capture
    assert all(ResPartner._fields[name].lazy for name in binary)  # never read by default
    lazy = {name for name, field in ResPartner._fields.items() if field.lazy} - binary
    assert lazy == {"create_uid", "write_uid", "company_type", "country_code", "parent_name"}
    for partner in partners:
        for name, field in ResPartner._fields.items():
            if name not in binary:
                field.__get__(partner, ResPartner)  # every declared field reads without error


def test_a_real_partner_with_exactly_two_children() -> None:
    rows = capture("odoo18/jsonrpc_search_read_res_partner.json")
    company = ResPartner.from_rows(rows)[0]
    assert company.child_ids.ids == [40, 41]  # zenoo-rpc 0.2.4 crashed on this record
    assert len(company.child_ids) == 2


def test_real_odoo19_sale_orders_decode_into_saleorder() -> None:
    rows = capture("odoo19/json2_sale_order_search_read.json")
    orders = SaleOrder.from_rows(rows)
    first = orders[0]
    assert (first.id, first.name, first.state) == (1, "S00001", "draft")
    assert first.partner_id == Ref("res.partner", 9)
    assert first.partner_id is not None
    assert first.partner_id.display_name == "Acme Corporation"
    assert first.amount_total == 1740.0
    assert first.currency_id is not None
    assert first.currency_id.display_name == "USD"


@pytest.mark.parametrize(
    ("name", "major"),
    [("odoo18/jsonrpc_fields_get_res_partner_full.json", 18)],
)
def test_respartner_fields_exist_with_their_types_on_real_odoo18(name: str, major: int) -> None:
    descriptions = capture(name)
    for fname, field in ResPartner._fields.items():
        if not field.available_in(major):
            continue
        assert fname in descriptions, fname
        assert compatible(field, descriptions[fname]), (fname, descriptions[fname]["type"])
        values = literal_values(field)
        if values is not None:
            real = {key for key, _label in descriptions[fname]["selection"]}
            assert values == real, fname
        if isinstance(field, One2manyField):
            assert field.inverse_name == descriptions[fname]["relation_field"], fname
        if not descriptions[fname]["store"] and fname != "display_name":
            assert field.lazy, f"{fname} is computed on each read: it should be lazy"


def test_respartner_fields_exist_on_real_odoo19() -> None:
    data = json.loads((CAPTURES / "odoo19/json2_fields_get_full.json").read_text())
    names = set(data["response"]["json_top_level_keys"])
    declared = {name for name, field in ResPartner._fields.items() if field.available_in(19)}
    assert declared <= names, declared - names
    assert "mobile" not in names
    assert not ResPartner.mobile.available_in(19)


@pytest.mark.parametrize("version", [16, 17, 18, 19])
async def test_every_common_model_matches_the_emulators_fields(
    make_harness: MakeHarness, version: int
) -> None:
    async with make_harness(version, size=5) as harness:
        for model in COMMON_MODELS:
            descriptions = await harness.client.fields_get(
                model._odoo_model_name, attributes=["type", "relation", "relation_field"]
            )
            for fname, field in model._fields.items():
                present = fname in descriptions
                assert present == field.available_in(version), (model.__name__, fname)
                if present:
                    assert compatible(field, descriptions[fname]), (model.__name__, fname)


@pytest.mark.parametrize("version", [16, 19])
async def test_common_models_read_and_relate_on_the_emulator(
    make_harness: MakeHarness, version: int
) -> None:
    async with make_harness(version, size=20) as harness:
        client = harness.client
        for model in COMMON_MODELS:
            records: list[OdooModel] = await client.model(model).limit(5).all()
            for record in records:
                for field in model._fields.values():
                    if not field.lazy and field.available_in(version):
                        field.__get__(record, model)
        lines = await client.model(SaleOrderLine).prefetch_related("order_id", "product_id").all()
        assert lines
        order = lines[0].order_id
        assert order is not None
        assert type(order.record) is SaleOrder
        assert isinstance(order.record.partner_id, Ref)
        assert all(isinstance(field, Field) for field in SaleOrder._fields.values())
        assert isinstance(SaleOrder.state, SelectionField)
