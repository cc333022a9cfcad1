"""``client.model(...)``: the entry to the model layer, as a client mixin.

``ZenooClient`` inherits :class:`ModelAccess`; its state (:class:`ModelState`:
the registry override, the ``fields_get`` cache, generic classes, whether the
server has ``web_search_read``, write generations) lives in one object shared
by the client and its ``with_context`` views.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any, TypeVar, overload

from zenoo_rpc.cache.call_cache import DEFAULT_RELATED
from zenoo_rpc.errors import ModelDefinitionError
from zenoo_rpc.models.base import OdooModel
from zenoo_rpc.models.generic import FIELDS_GET_ATTRIBUTES, build_model
from zenoo_rpc.models.registry import ModelRegistry, default_registry

if TYPE_CHECKING:
    from zenoo_rpc.client import ZenooClient
    from zenoo_rpc.models.fields.relational import RelationalField
    from zenoo_rpc.query.queryset import QuerySet

__all__ = ["ModelAccess", "ModelState"]

M = TypeVar("M", bound=OdooModel)


class ModelState:
    """What the model layer remembers for one client and its views.

    :ivar registry: the client's registry, or ``None`` for :data:`default_registry`.
    :ivar web_read: whether the server answers ``web_search_read`` (``None``: not known yet).
    """

    def __init__(self) -> None:
        self.registry: ModelRegistry | None = None
        self.web_read: bool | None = None
        self._descriptions: dict[tuple[str, str], dict[str, dict[str, Any]]] = {}
        self._generic: dict[tuple[str, str], type[OdooModel]] = {}
        self._generations: dict[str, int] = {}
        self._lock = asyncio.Lock()

    @property
    def active_registry(self) -> ModelRegistry:
        return self.registry if self.registry is not None else default_registry

    # ------------------------------------------------------------------ generations

    def generation(self, model_name: str) -> int:
        """A counter this client's model-layer writes to ``model_name`` move on."""
        return self._generations.get(model_name, 0)

    def bump(self, model_name: str) -> None:
        """Note a write to ``model_name`` (and to the models it changes, as the cache does)."""
        generations = self._generations
        for name in (model_name, *DEFAULT_RELATED.get(model_name, ())):
            generations[name] = generations.get(name, 0) + 1

    # ------------------------------------------------------------------ server facts

    async def descriptions(self, client: ZenooClient, model_name: str) -> dict[str, dict[str, Any]]:
        """``fields_get`` of ``model_name`` (the attributes the model layer needs), cached."""
        key = (client.database or "", model_name)
        found = self._descriptions.get(key)
        if found is None:
            async with self._lock:
                found = self._descriptions.get(key)
                if found is None:
                    found = await client.fields_get(model_name, attributes=FIELDS_GET_ATTRIBUTES)
                    self._descriptions[key] = found
        return found

    async def resolve(self, client: ZenooClient, model: str | type[M]) -> type[M]:
        """The class for ``model``: itself, the registered class, or a generic one."""
        if not isinstance(model, str):
            return model
        registered = self.active_registry.get(model)
        if registered is not None:
            return registered  # type: ignore[return-value]
        return await self.generic(client, model)  # type: ignore[return-value]

    async def generic(self, client: ZenooClient, model: str) -> type[OdooModel]:
        """The class built from ``fields_get`` for ``model`` (once per database)."""
        key = (client.database or "", model)
        generic = self._generic.get(key)
        if generic is None:
            generic = build_model(model, await self.descriptions(client, model))
            self._generic[key] = generic
        return generic

    async def comodel_of(
        self, client: ZenooClient, field: RelationalField[Any, Any, Any]
    ) -> type[OdooModel]:
        """The class related records of ``field`` decode into.

        The registered class when it subclasses the one the field is typed
        with, else that one; untyped fields use the registry or a generic model.
        """
        declared = field.declared_model()
        registered = self.active_registry.get(field.comodel)
        if declared is None:
            return await self.resolve(client, field.comodel)
        if registered is not None and issubclass(registered, declared):
            return registered
        return declared


class ModelAccess:
    """Mixin of :class:`~zenoo_rpc.ZenooClient`: ``client.model(...)`` and its registry."""

    _model_state: ModelState

    def _init_model_access(self) -> None:
        self._model_state = ModelState()

    @overload
    def model(self, model: type[M], /) -> QuerySet[M]: ...

    @overload
    def model(self, model: str, /) -> QuerySet[OdooModel]: ...

    def model(self, model: str | type[M], /) -> QuerySet[M] | QuerySet[OdooModel]:
        """All records of ``model`` (an Odoo model name or an :class:`OdooModel` subclass).

        Returns an unfiltered :class:`~zenoo_rpc.query.QuerySet`; nothing is
        sent until a query runs. A name is looked up in the registry now
        (:attr:`model_registry`); a name nobody registered is read from the
        server's ``fields_get`` on first use.
        """
        from zenoo_rpc.query.queryset import QuerySet

        client: ZenooClient = self  # type: ignore[assignment]
        given: object = model
        if isinstance(model, str):
            if not model or model != model.strip():
                raise ModelDefinitionError(
                    f"client.model() takes an Odoo model name, not {model!r}"
                )
            registered = self._model_state.active_registry.get(model)
            return QuerySet(client, registered if registered is not None else model)
        if isinstance(given, type) and issubclass(given, OdooModel):
            if not given._odoo_model_name:
                raise ModelDefinitionError(
                    f"{given.__name__} has no Meta.model_name: it cannot be queried"
                )
            return QuerySet(client, model)
        raise ModelDefinitionError(
            f"client.model() takes an Odoo model name or an OdooModel subclass, not {model!r}"
        )

    async def model_class(self, model: str) -> type[OdooModel]:
        """The class records of ``model`` decode into (registered, or built from ``fields_get``)."""
        return await self._model_state.resolve(self, model)  # type: ignore[arg-type]

    @property
    def model_registry(self) -> ModelRegistry:
        """The registry ``client.model(name)`` consults (the process-wide one by default).

        Set it to give this client (and its views) its own:
        ``client.model_registry = ModelRegistry(parent=default_registry)``.
        """
        return self._model_state.active_registry

    @model_registry.setter
    def model_registry(self, registry: ModelRegistry) -> None:
        if not isinstance(registry, ModelRegistry):
            raise ModelDefinitionError(f"model_registry takes a ModelRegistry, not {registry!r}")
        self._model_state.registry = registry
