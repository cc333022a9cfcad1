"""Model code generation: what the generated module declares, and that it is clean code.

Offline, :func:`render_models` renders a real Odoo 18 ``fields_get`` of
res.partner (a capture) and definitions built to hit every naming and layout
corner. Live, :func:`generate_models` reads the emulator's models (Odoo 16
and 19), and the generated classes read records from it. Every generated
module passes ``mypy --strict``, ``ruff check`` and ``ruff format --check``
(the real tools, in subprocesses, with the repository's configuration).
"""

from __future__ import annotations

import asyncio
import importlib.util
import json
import subprocess
import sys
import textwrap
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from orm_harness import Harness, harness_for

from zenoo_rpc.errors import AccessError, FieldNotLoaded, InvalidArgument, ModelNotFound
from zenoo_rpc.models import OdooModel, Ref, common, fields
from zenoo_rpc.models.codegen import generate_models, render_models
from zenoo_rpc.models.codegen_fields import FIELDS_GET_ATTRIBUTES, MAX_LITERAL_VALUES
from zenoo_rpc.protocols.base import ServerVersion
from zenoo_rpc.testing.mock import MockClient

ROOT = Path(__file__).resolve().parents[4]
PYPROJECT = ROOT / "pyproject.toml"
CAPTURE = Path(__file__).resolve().parents[2] / "captures/odoo18"
LIVE_MODELS = ["res.partner", "sale.order", "sale.order.line", "product.product"]


def capture_result(name: str) -> dict[str, Any]:
    data = json.loads((CAPTURE / f"{name}.json").read_text(encoding="utf-8"))
    return dict(data["response"]["json"]["result"])


PARTNER18 = capture_result("jsonrpc_fields_get_res_partner_full")


def field(kind: str, **attributes: Any) -> dict[str, Any]:
    return {"type": kind, "string": attributes.pop("string", kind.title()), **attributes}


LONG_MODEL = "x_studio.very_long_model_name_for_testing.the_line_length_limits"
LONG_FIELD = "x_studio_field_with_a_name_as_long_as_postgres_allows_it_63chr"
LONG_SELECTION = "x_studio_selection_with_a_rather_long_name_too"
ODD_TEXT = "tab\there back\\slash \x7f \u2019 \u2013 \xd7 \u0131 caf\xe9 \U0001f600"
URL_HELP = f"See https://example.com/{'a' * 150} for details, then enough words to wrap again."
QUOTED_VALUES = ("a", "it's", 'say "x"', "caf\xe9")

#: Definitions that hit the corners: renamed fields, colliding names, odd strings.
EDGE: dict[str, dict[str, dict[str, Any]]] = {
    "res.partner": {
        "id": field("integer"),
        "display_name": field("char"),
        "__last_update": field("datetime"),
        "class": field("char"),
        "update": field("boolean"),
        "save": field("char"),
        "save_": field("char"),
        "_private": field("char"),
        "private": field("integer"),
        "fields": field("char"),
        "common": field("many2one", relation="res.country"),
        "l": field("char"),
        "Meta": field("char"),
        "9lives": field("char"),
        "x-y": field("char"),
        LONG_FIELD: field("many2one", relation=LONG_MODEL, string="Long"),
        "long_o2m": field(
            "one2many",
            relation=LONG_MODEL,
            relation_field=LONG_FIELD,
            string="A label long enough to take this declaration past the hundredth column",
        ),
        "url_help": field("char", help=URL_HELP),
        "quotes": field("char", string="He said \"hi\" and 'bye'", help='Only "double" here "'),
        "odd": field("text", string=ODD_TEXT, help="\u2019" * 60 + " " + ODD_TEXT * 3),
        "long_label": field("char", string="L" * 120),
        "type": field("selection", selection=[[v, v.upper()] for v in QUOTED_VALUES]),
        "one_long_value": field("selection", selection=[["v" * 95, "long"]]),
        "int_keys": field("selection", selection=[[1, "one"], [2, "two"]]),
        "empty_sel": field("selection", selection=[]),
        "many_values": field(
            "selection", selection=[[f"v{i}", str(i)] for i in range(MAX_LITERAL_VALUES + 1)]
        ),
        "lang": field("selection", selection=[["en_US", "English"]]),
        "ref": field("reference", selection=[["res.partner", "Partner"]]),
        "res_id": field("many2one_reference", model_field="res_model"),
        "weird": field("foo_type"),
        "unknown_rel": field("many2one", relation="_unknown"),
        "no_rel": field("many2many"),
        "amount": field("monetary", currency_field="company_currency_id"),
        "amount2": field("monetary", currency_field="currency_id", digits=[16, 2]),
        "price": field("float", digits="Product Price"),
        "code": field("char", size=2, required=True, readonly=True, store=True),
        "computed": field("char", readonly=True, store=False, depends=["name"]),
        "stored_computed": field("float", readonly=True, store=True, depends=["x"]),
        "state": field("selection", readonly=True, store=True, selection=[["draft", "Draft"]]),
        "create_date": field("datetime", readonly=True),
        "secret": field("char", groups="base.group_system"),
        "image": field("image", store=False),
        "props": field("properties"),
        "blob": field("json"),
        "m2m": field("many2many", relation="res.partner.category"),
        "self_m2o": field("many2one", relation="res.partner"),
    },
    "res.partner.type": {"name": field("char")},
    "res.partner.bank": {"name": field("char")},
    "res.partner_bank": {"name": field("char")},
    "odoo.model": {"name": field("char")},
    "literal": {"name": field("char")},
    LONG_MODEL: {
        LONG_FIELD: field("many2one", relation="res.partner"),
        LONG_SELECTION: field("selection", selection=[["a", "A"], ["b", "B"]]),
    },
    "empty.model": {},
}
EDGE_HEADER = 'Made by "me" \\ caf\xe9 \u2013 on purpose"'

USAGE = """
from typing import Literal

from typing_extensions import assert_type

from zenoo_rpc import ZenooClient
from zenoo_rpc.models import Ref, X2Many
from zenoo_rpc.models.common import ResCountry, ResCurrency

from models_odoo19 import ProductProduct, ResPartner, SaleOrder, SaleOrderLine


async def use(client: ZenooClient) -> None:
    partner = await client.model(ResPartner).get(1)
    assert_type(partner.company_type, Literal["person", "company"] | None)
    assert_type(partner.type, Literal["contact", "invoice", "delivery", "other"] | None)
    assert_type(partner.lang, str | None)
    assert_type(partner.parent_id, Ref[ResPartner] | None)
    assert_type(partner.child_ids, X2Many[ResPartner])
    assert_type(partner.country_id, Ref[ResCountry] | None)
    assert_type(partner.image_1920, bytes | None)
    order = await client.model(SaleOrder).get(1)
    assert_type(order.order_line, X2Many[SaleOrderLine])
    assert_type(order.currency_id, Ref[ResCurrency] | None)
    assert_type(order.amount_total, float)
    line = (await order.order_line.all())[0]
    assert_type(line.product_id, Ref[ProductProduct] | None)
    partner.company_type = "robot"  # error
    order.state = "shipped"  # error
    line.product_uom_qty = "2"  # error
"""


def import_file(path: Path, monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """Import ``path`` as a module (registered in ``sys.modules`` for this test only)."""
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, path.stem, module)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def render_import(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> typing.Callable[..., tuple[str, ModuleType]]:
    def render(definitions: Mapping[str, Any], name: str, **options: Any) -> tuple[str, ModuleType]:
        source = render_models(definitions, **options)
        path = tmp_path / f"{name}.py"
        path.write_text(source, encoding="utf-8")
        return source, import_file(path, monkeypatch)

    return render


def declared(model: type[OdooModel], odoo_name: str) -> fields.Field[Any, Any]:
    return model._fields[odoo_name]


def type_argument(field_object: object) -> Any:
    args = typing.get_args(getattr(field_object, "__orig_class__", None))
    return args[0] if args else None


# ---------------------------------------------------------------------- the Odoo 18 capture


@pytest.fixture
def partner18(render_import: typing.Callable[..., tuple[str, ModuleType]]) -> ModuleType:
    return render_import({"res.partner": PARTNER18}, "partner18", source="Odoo 18.0")[1]


def test_every_field_of_the_capture_is_declared_with_its_label_and_help(
    partner18: ModuleType,
) -> None:
    model = partner18.ResPartner
    assert model._odoo_model_name == "res.partner"
    assert set(model._fields) == set(PARTNER18) - {"id"}
    assert "display_name" not in vars(model)  # OdooModel declares it
    for name, description in PARTNER18.items():
        if name in ("id", "display_name"):
            continue
        declared_field = declared(model, name)
        assert declared_field.attr == name
        assert declared_field.string == description["string"]
        assert declared_field.help == (description.get("help", "").strip() or None)
        assert declared_field.required is description["required"]


def test_selections_are_literal_aliases_in_the_servers_order(partner18: ModuleType) -> None:
    model = partner18.ResPartner
    assert typing.get_args(partner18.ResPartnerCompanyType) == ("person", "company")
    assert typing.get_args(partner18.ResPartnerType) == ("contact", "invoice", "delivery", "other")
    company_type = declared(model, "company_type")
    assert isinstance(company_type, fields.SelectionField)
    assert type_argument(company_type) is partner18.ResPartnerCompanyType
    assert company_type.lazy  # computed, not stored
    assert not declared(model, "type").lazy
    for dynamic in ("lang", "tz"):  # the database's languages and time zones, not a fixed list
        assert isinstance(declared(model, dynamic), fields.SelectionField)
        assert type_argument(declared(model, dynamic)) is None
    assert {"ResPartner", "ResPartnerCompanyType", "ResPartnerType"} <= set(partner18.__all__)
    assert not hasattr(partner18, "ResPartnerTz")


def test_relations_are_typed_with_module_classes_then_common_ones(partner18: ModuleType) -> None:
    model = partner18.ResPartner
    country = declared(model, "country_id")
    assert isinstance(country, fields.Many2oneField)
    assert country.comodel == "res.country"
    assert country.declared_model() is common.ResCountry
    children = declared(model, "child_ids")
    assert isinstance(children, fields.One2manyField)
    assert children.inverse_name == "parent_id"
    assert children.declared_model() is model
    tags = declared(model, "category_id")
    assert isinstance(tags, fields.Many2manyField)
    assert tags.declared_model() is common.ResPartnerCategory
    banks = declared(model, "bank_ids")  # res.partner.bank: not in the module nor in common
    assert isinstance(banks, fields.One2manyField)
    assert banks.declared_model() is None
    assert type_argument(banks) is None


def test_binary_computed_and_restricted_fields_are_lazy(partner18: ModuleType) -> None:
    model = partner18.ResPartner
    image = declared(model, "image_1920")
    assert isinstance(image, fields.BinaryField)
    assert image.lazy
    assert not image.readonly
    avatar = declared(model, "avatar_128")  # computed, not stored
    assert avatar.lazy
    assert avatar.readonly
    assert declared(model, "credit").lazy  # not stored, restricted to accounting groups
    assert declared(model, "activity_ids").lazy  # stored, restricted to internal users
    assert not declared(model, "name").lazy
    assert not declared(model, "child_ids").lazy


def test_readonly_only_where_a_write_cannot_work(partner18: ModuleType) -> None:
    model = partner18.ResPartner
    for name in ("create_uid", "create_date", "write_uid", "write_date"):
        assert declared(model, name).readonly, name  # Odoo maintains them itself
    assert declared(model, "commercial_partner_id").readonly  # stored, computed
    assert declared(model, "email_normalized").readonly
    assert PARTNER18["invoice_ids"]["readonly"] is True
    assert not declared(model, "invoice_ids").readonly  # a hint to forms: RPC may write it
    assert not declared(model, "name").readonly


def test_float_options_come_from_the_definition(partner18: ModuleType) -> None:
    latitude = declared(partner18.ResPartner, "partner_latitude")
    assert isinstance(latitude, fields.FloatField)
    assert latitude.digits == (10, 7)
    credit = declared(partner18.ResPartner, "credit")
    assert isinstance(credit, fields.MonetaryField)
    assert credit.currency_field == "currency_id"


def test_the_module_docstring_says_how_it_was_made_without_a_timestamp() -> None:
    source = render_models({"res.partner": PARTNER18}, header="Made by hand", source="Odoo 18.0")
    docstring = source.split('"""')[1]
    assert "Made by hand from the field definitions (``fields_get``) of Odoo 18.0." in " ".join(
        docstring.split()
    )
    assert render_models({"res.partner": PARTNER18}).startswith('"""Typed zenoo-rpc models')


# ---------------------------------------------------------------------- names and corners


@pytest.fixture
def edge(render_import: typing.Callable[..., tuple[str, ModuleType]]) -> tuple[str, ModuleType]:
    return render_import(EDGE, "edge_models", header=EDGE_HEADER, source="Odoo 18.0")


def test_unsafe_field_names_get_safe_attributes_with_odoo_name(
    edge: tuple[str, ModuleType],
) -> None:
    model = edge[1].ResPartner
    attributes = {
        name: declared(model, name).attr
        for name in EDGE["res.partner"]
        if name not in ("id", "display_name", "__last_update")
    }
    assert {name: attr for name, attr in attributes.items() if name != attr} == {
        "class": "class_",  # a keyword
        "update": "update_",  # a record method
        "save": "save_field",  # save_ is a field of its own
        "_private": "private_",  # private is a field of its own
        "fields": "fields_",  # the module's own import
        "common": "common_",
        "l": "l_",  # ambiguous for lint (E741)
        "Meta": "Meta_",
        "9lives": "f_9lives",
        "x-y": "x_y",
    }
    for name in attributes:
        assert declared(model, name).name == name  # read and written under its Odoo name
    assert "__last_update" not in model._fields
    assert "id" not in model._fields


def test_colliding_class_and_alias_names_are_numbered(edge: tuple[str, ModuleType]) -> None:
    module = edge[1]
    names = {
        cls._odoo_model_name: cls.__name__
        for cls in vars(module).values()
        if isinstance(cls, type) and issubclass(cls, OdooModel) and cls is not OdooModel
    }
    assert names == {
        "res.partner": "ResPartner",
        "res.partner.type": "ResPartnerType",
        "res.partner.bank": "ResPartnerBank",
        "res.partner_bank": "ResPartnerBank2",
        "odoo.model": "OdooModel2",
        "literal": "Literal2",
        LONG_MODEL: "XStudioVeryLongModelNameForTestingTheLineLengthLimits",
        "empty.model": "EmptyModel",
    }
    assert module.OdooModel is OdooModel
    assert typing.get_args(module.ResPartnerType2) == QUOTED_VALUES  # the type field's alias
    assert type_argument(declared(module.ResPartner, "type")) is module.ResPartnerType2
    long_model = getattr(module, names[LONG_MODEL])
    assert declared(module.ResPartner, LONG_FIELD).declared_model() is long_model
    long_alias = type_argument(declared(long_model, LONG_SELECTION))
    assert typing.get_args(long_alias) == ("a", "b")
    cut = (names[LONG_MODEL] + "XStudioSelectionWithARatherLongNameToo")[:80]
    assert getattr(module, cut) is long_alias  # cut, so that its declaration fits a line


def test_each_odoo_type_gets_its_field(edge: tuple[str, ModuleType]) -> None:
    source, module = edge
    model = module.ResPartner
    kinds = {
        name: type(declared(model, name))
        for name in EDGE["res.partner"]
        if name in model._fields and name != "display_name"
    }
    assert kinds["ref"] is fields.CharField
    assert kinds["res_id"] is fields.IntegerField
    assert kinds["weird"] is fields.JsonField
    assert kinds["unknown_rel"] is fields.JsonField  # not a model name a field can take
    assert kinds["no_rel"] is fields.JsonField
    assert kinds["int_keys"] is fields.JsonField  # SelectionField takes strings only
    assert kinds["props"] is kinds["blob"] is fields.JsonField
    assert kinds["image"] is fields.BinaryField
    assert kinds["stored_computed"] is fields.FloatField
    for plain in ("empty_sel", "many_values", "lang"):
        assert kinds[plain] is fields.SelectionField
        assert type_argument(declared(model, plain)) is None
    assert typing.get_args(module.ResPartnerOneLongValue) == ("v" * 95,)
    for comment in (
        '# a reference: the value is "model.name,id"',
        '# the id of a record of the model named in field "res_model"',
        '# Odoo type "foo_type" has no typed field',
        '# many2one to "_unknown", not a model name the client can relate to',
        "# many2many without a related model",
        f"# {MAX_LITERAL_VALUES + 1} values on the server (typed str, not Literal)",
        "# values depend on the database (typed str, not Literal)",
    ):
        assert comment in source
    amount = declared(model, "amount")
    assert isinstance(amount, fields.MonetaryField)
    assert amount.currency_field == "company_currency_id"
    assert getattr(declared(model, "amount2"), "digits", None) == (16, 2)
    assert getattr(declared(model, "price"), "digits", None) == "Product Price"
    code = declared(model, "code")
    assert isinstance(code, fields.CharField)
    assert (code.max_length, code.required, code.readonly) == (2, True, False)
    assert declared(model, "computed").readonly
    assert declared(model, "computed").lazy
    assert declared(model, "stored_computed").readonly
    assert not declared(model, "stored_computed").lazy
    assert not declared(model, "state").readonly
    assert declared(model, "secret").lazy


def test_strings_survive_quoting_and_escaping(edge: tuple[str, ModuleType]) -> None:
    source, module = edge
    model = module.ResPartner
    assert declared(model, "odd").string == ODD_TEXT
    assert declared(model, "odd").help == "\u2019" * 60 + " " + ODD_TEXT * 3
    assert declared(model, "quotes").string == "He said \"hi\" and 'bye'"
    assert declared(model, "quotes").help == 'Only "double" here "'
    assert declared(model, "url_help").help == URL_HELP
    assert declared(model, "long_label").string == "L" * 120
    assert source.isascii()
    assert " ".join(module.__doc__.split()).startswith("Typed zenoo-rpc models")
    assert EDGE_HEADER in module.__doc__


def test_output_does_not_depend_on_the_order_of_the_definitions() -> None:
    shuffled = {
        model: dict(reversed(list(fields_.items())))
        for model, fields_ in reversed(list(EDGE.items()))
    }
    assert render_models(shuffled, source="x") == render_models(EDGE, source="x")


@pytest.mark.parametrize(
    "definitions",
    [
        {},
        [("res.partner", {})],
        {"res.partner": ["name"]},
        {"res.partner": {"name": "char"}},
        {"res.partner": {"": {"type": "char"}}},
        {"": {}},
        {"res partner": {}},
        {7: {}},
    ],
    ids=repr,
)
def test_malformed_definitions_are_refused(definitions: Any) -> None:
    with pytest.raises(InvalidArgument) as caught:
        render_models(definitions)
    assert caught.value.argument == "definitions"


# ---------------------------------------------------------------------- from a server


async def test_fields_get_is_called_once_per_model_in_english() -> None:
    async with harness_for(18) as harness:
        source = await generate_models(harness.client, [*reversed(LIVE_MODELS), "sale.order"])
    assert sorted(harness.methods) == sorted(f"{model}.fields_get" for model in LIVE_MODELS)
    for call in harness.calls:
        assert call.context["lang"] == "en_US"
        assert call.kwargs["attributes"] == list(FIELDS_GET_ATTRIBUTES)
    docstring = " ".join(source.split('"""')[1].split())
    assert (
        "Generated by ``zenoo models generate product.product res.partner sale.order "
        "sale.order.line`` from the field definitions (``fields_get``) of Odoo 18.0."
    ) in docstring


async def test_include_related_adds_one_level_of_related_models(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with harness_for(18) as harness:
        source = await generate_models(harness.client, ["sale.order"], include_related=True)
        fields_get = await harness.client.fields_get("sale.order", attributes=["relation"])
    related = {d["relation"] for d in fields_get.values() if d.get("relation")}
    path = tmp_path / "related_models.py"
    path.write_text(source, encoding="utf-8")
    module = import_file(path, monkeypatch)
    generated = {
        cls._odoo_model_name
        for cls in vars(module).values()
        if isinstance(cls, type) and issubclass(cls, OdooModel) and cls is not OdooModel
    }
    assert generated == {"sale.order"} | related
    assert "zenoo models generate sale.order --include-related" in source
    assert declared(module.SaleOrder, "partner_id").declared_model() is module.ResPartner
    product = declared(module.SaleOrderLine, "product_id")  # two levels away: not generated
    assert product.declared_model() is common.ProductProduct


async def test_related_models_the_user_cannot_read_are_left_untyped() -> None:
    client = MockClient()
    client.server_version = ServerVersion(server_version="17.0", server_version_info=(17, 0))
    client.mock_response(
        "sale.order",
        "fields_get",
        {
            "name": field("char"),
            "secret_id": field("many2one", relation="secret.model"),
            "gone_id": field("many2one", relation="gone.model"),
            "tag_ids": field("many2many", relation="crm.tag"),
        },
    )
    client.mock_response("secret.model", "fields_get", AccessError("no access"))
    client.mock_response("gone.model", "fields_get", ModelNotFound("no such model"))
    client.mock_response("crm.tag", "fields_get", {"name": field("char")})
    source = await generate_models(client, ["sale.order"], include_related=True)
    client.assert_all_used()
    assert 'secret_id = fields.Many2oneField("secret.model", string="Many2One")' in source
    assert 'gone_id = fields.Many2oneField("gone.model", string="Many2One")' in source
    assert 'tag_ids = fields.Many2manyField["CrmTag"]("crm.tag", string="Many2Many")' in source
    assert "of Odoo 17.0." in " ".join(source.split())


@pytest.mark.parametrize(
    ("names", "why"),
    [
        ("res.partner", "a list of Odoo model names"),
        ([], "empty"),
        (["res partner"], "not an Odoo model name"),
        ([7], "not an Odoo model name"),
    ],
)
async def test_bad_model_names_are_refused_before_any_call(names: Any, why: str) -> None:
    client = MockClient()
    with pytest.raises(InvalidArgument, match=why) as caught:
        await generate_models(client, names)
    assert caught.value.argument == "model_names"
    assert client.calls == []


async def test_an_unknown_model_is_the_servers_error() -> None:
    async with harness_for(18) as harness:
        with pytest.raises(ModelNotFound, match=r"no\.such\.model"):
            await generate_models(harness.client, ["res.partner", "no.such.model"])


# ---------------------------------------------------------------------- clean code, all of it


@dataclass
class Generated:
    directory: Path
    files: list[Path]
    live: dict[int, Path]


async def _generate_live(version: int) -> str:
    async with harness_for(version) as harness:
        source = await generate_models(harness.client, LIVE_MODELS)
        assert await generate_models(harness.client, LIVE_MODELS) == source  # diff-stable
    return source


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Generated:
    """Every kind of generated module, written once for the tools to check together."""
    directory = tmp_path_factory.mktemp("generated")
    live = {version: directory / f"models_odoo{version}.py" for version in (16, 19)}
    for version, path in live.items():
        path.write_text(asyncio.run(_generate_live(version)), encoding="utf-8")

    async def related() -> str:
        async with harness_for(18) as harness:
            return await generate_models(harness.client, ["res.partner"], include_related=True)

    extra = {
        "models_related.py": asyncio.run(related()),
        "models_capture18.py": render_models({"res.partner": PARTNER18}, source="Odoo 18.0"),
        "models_edge.py": render_models(EDGE, header=EDGE_HEADER, source="Odoo 18.0"),
    }
    for name, source in extra.items():
        (directory / name).write_text(source, encoding="utf-8")
    files = [*live.values(), *(directory / name for name in extra)]
    (directory / "usage.py").write_text(textwrap.dedent(USAGE), encoding="utf-8")
    return Generated(directory, files, live)


def run_tool(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=cwd, capture_output=True, text=True, check=False
    )


def test_generated_modules_pass_mypy_strict(generated: Generated) -> None:
    result = run_tool(
        "mypy",
        "--strict",
        "--config-file",
        str(PYPROJECT),
        "--cache-dir",
        str(generated.directory / ".mypy_cache"),
        "--no-error-summary",
        "--show-error-codes",
        *(path.name for path in generated.files),
        "usage.py",
        cwd=generated.directory,
    )
    errors = [line for line in result.stdout.splitlines() if ": error:" in line]
    assert [line for line in errors if not line.startswith("usage.py:")] == [], result.stdout
    flagged = {int(line.split(":")[1]) for line in errors if line.startswith("usage.py:")}
    usage_lines = textwrap.dedent(USAGE).splitlines()
    expected = {n for n, line in enumerate(usage_lines, 1) if line.endswith("# error")}
    assert flagged == expected, result.stdout + result.stderr


def test_generated_modules_pass_ruff_check_and_format(generated: Generated) -> None:
    names = [path.name for path in generated.files]
    check = run_tool(
        "ruff", "check", "--no-cache", "--config", str(PYPROJECT), *names, cwd=generated.directory
    )
    assert check.returncode == 0, check.stdout + check.stderr
    formatted = run_tool(
        "ruff",
        "format",
        "--check",
        "--diff",
        "--no-cache",
        "--config",
        str(PYPROJECT),
        *names,
        cwd=generated.directory,
    )
    assert formatted.returncode == 0, formatted.stdout + formatted.stderr


@pytest.mark.parametrize("version", [16, 19])
async def test_generated_classes_read_the_servers_records(
    version: int, generated: Generated, monkeypatch: pytest.MonkeyPatch
) -> None:
    module = import_file(generated.live[version], monkeypatch)
    async with harness_for(version) as harness:
        await _check_partners(harness, module)
        await _check_orders(harness, module)


async def _check_partners(harness: Harness, module: ModuleType) -> None:
    partners = await harness.client.model(module.ResPartner).order_by("id").limit(40).all()
    ids = [partner.id for partner in partners]
    truth = await harness.client.search_read(
        "res.partner", [("id", "in", ids)], ["name", "type", "country_id", "parent_id"], order="id"
    )
    assert [row["id"] for row in truth] == ids
    types = typing.get_args(module.ResPartnerType)
    for partner, row in zip(partners, truth, strict=True):
        assert type(partner) is module.ResPartner
        assert partner.name == (row["name"] or None)
        assert partner.type == (row["type"] or None)
        assert partner.type is None or partner.type in types
        for name in ("country_id", "parent_id"):
            ref = getattr(partner, name)
            assert (ref.id if ref is not None else False) == (row[name] and row[name][0])
        with pytest.raises(FieldNotLoaded, match="lazy"):
            _ = partner.company_type  # computed, not stored: read on request only
    country = next(p.country_id for p in partners if p.country_id is not None)
    assert isinstance(country, Ref)
    assert type(await country.get()) is common.ResCountry
    parent = next(p.parent_id for p in partners if p.parent_id is not None)
    assert type(await parent.get()) is module.ResPartner
    with_kind = await harness.client.model(module.ResPartner).only("company_type").limit(5).all()
    kinds = typing.get_args(module.ResPartnerCompanyType)
    assert {p.company_type for p in with_kind} <= set(kinds)


async def _check_orders(harness: Harness, module: ModuleType) -> None:
    orders = await harness.client.model(module.SaleOrder).order_by("id").limit(10).all()
    assert orders
    for order in orders:
        assert order.state in typing.get_args(module.SaleOrderState)
    order = next(order for order in orders if order.order_line)
    lines = await order.order_line.all()
    assert lines
    assert all(type(line) is module.SaleOrderLine for line in lines)
    line = next(line for line in lines if line.product_id is not None)
    assert line.product_id is not None
    product = await line.product_id.get()
    assert type(product) is module.ProductProduct
    assert product.type in typing.get_args(module.ProductProductType)
    currency = order.currency_id
    assert currency is not None
    assert type(await currency.get()) is common.ResCurrency
