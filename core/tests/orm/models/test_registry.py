"""The model registry, client.model() resolution and generic models built from fields_get."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from orm_harness import Harness

from zenoo_rpc.errors import ModelDefinitionError
from zenoo_rpc.models import ModelRegistry, OdooModel, Ref, X2Many, fields
from zenoo_rpc.models.common import ResPartner, register_common_models
from zenoo_rpc.models.registry import default_registry, get_model_class, register_model


class Vip(OdooModel):
    class Meta:
        model_name = "res.partner"

    name = fields.CharField()
    customer_rank = fields.IntegerField()


@pytest.fixture
def clean_default_registry() -> Iterator[None]:
    before = dict(default_registry._classes)
    yield
    default_registry._classes.clear()
    default_registry._classes.update(before)


@pytest.mark.usefixtures("clean_default_registry")
def test_register_model_in_every_form() -> None:
    registry = ModelRegistry()
    assert register_model("res.partner", Vip, registry=registry) is Vip
    assert registry.get("res.partner") is Vip
    assert "res.partner" in registry
    assert "res.users" not in registry

    @register_model
    class Decorated(OdooModel):
        class Meta:
            model_name = "res.country"

    @register_model("res.users")
    class Named(OdooModel):
        class Meta:
            model_name = "res.users"

    assert get_model_class("res.country") is Decorated
    assert get_model_class("res.users") is Named
    assert get_model_class("res.country", registry) is None


def test_registration_refuses_a_class_of_another_model_or_without_one() -> None:
    registry = ModelRegistry()
    with pytest.raises(ModelDefinitionError, match=r"cannot be registered for 'res\.users'"):
        registry.register("res.users", Vip)

    class Abstract(OdooModel):
        pass

    with pytest.raises(ModelDefinitionError, match=r"no Meta\.model_name"):
        registry.register("res.partner", Abstract)
    with pytest.raises(ModelDefinitionError, match="OdooModel subclass"):
        registry.register("res.partner", dict)  # type: ignore[type-var]


def test_child_registries_fall_back_to_their_parent() -> None:
    parent = ModelRegistry()
    parent.register("res.partner", ResPartner)
    child = ModelRegistry(parent=parent)
    child.register("res.partner", Vip)
    assert child.get("res.partner") is Vip
    child.unregister("res.partner")
    assert child.get("res.partner") is ResPartner
    assert child.names() == ["res.partner"]


async def test_a_client_registry_is_consulted_when_model_is_called(harness18: Harness) -> None:
    client = harness18.client
    registry = ModelRegistry(parent=default_registry)
    client.model_registry = registry
    assert client.model_registry is registry
    generic_query = client.model("res.partner")
    registry.register("res.partner", Vip)
    typed_query = client.model("res.partner")
    typed = await typed_query.first()
    assert type(typed) is Vip
    assert type(await generic_query.first()) is not Vip  # resolved when model() was called
    view = client.with_context(lang="en_US")
    assert type(await view.model("res.partner").first()) is Vip  # views share the registry


async def test_unregistered_models_are_built_from_fields_get_once(harness18: Harness) -> None:
    client = harness18.client
    first = await client.model("res.partner").first()
    again = await client.model("res.partner").limit(3).all()
    assert harness18.methods.count("res.partner.fields_get") == 1
    assert first is not None
    assert type(again[0]) is type(first)
    assert isinstance(first, OdooModel)
    assert first._odoo_model_name == "res.partner"
    assert isinstance(first.name, str)  # type: ignore[attr-defined]
    assert isinstance(first.child_ids, X2Many)  # type: ignore[attr-defined]
    assert first.country_id is None or isinstance(first.country_id, Ref)  # type: ignore[attr-defined]
    cls = await client.model_class("res.partner")
    assert cls is type(first)
    assert "image_1920" not in (cls._default_fields or ())  # binaries are not read by default
    assert "company_type" not in (cls._default_fields or ())  # nor non-stored computed fields
    assert "display_name" in (cls._default_fields or ())


async def test_common_models_can_be_registered_for_names(harness18: Harness) -> None:
    registry = ModelRegistry()
    register_common_models(registry)
    harness18.client.model_registry = registry
    partner = await harness18.client.model("res.partner").first()
    assert type(partner) is ResPartner
    assert "res.partner.fields_get" not in harness18.methods


def test_model_refuses_what_is_not_a_model(harness18: Harness) -> None:
    client = harness18.client
    with pytest.raises(ModelDefinitionError, match="model name"):
        client.model("")

    class Abstract(OdooModel):
        pass

    with pytest.raises(ModelDefinitionError, match="cannot be queried"):
        client.model(Abstract)
    with pytest.raises(ModelDefinitionError, match="OdooModel subclass"):
        client.model(42)  # type: ignore[call-overload]
