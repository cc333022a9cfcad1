"""Which class ``client.model("res.partner")`` decodes records into.

::

    from zenoo_rpc.models.registry import register_model

    register_model("res.partner", CustomPartner)      # or @register_model on the class
    partner = await client.model("res.partner").get(id=7)   # a CustomPartner

``client.model(name)`` looks the name up when it is called: first in the
client's own registry when one is set (``client.model_registry = ...``),
which falls back to its parent, by default the process-wide
:data:`default_registry` that :func:`register_model` fills. A name nobody
registered gets a generic model whose fields come from the server's
``fields_get`` (read once per client and database).

Nothing is registered at import time: importing
:mod:`zenoo_rpc.models.common` defines its classes without registering them
(``client.model(ResPartner)`` uses one directly; ``register_common_models()``
registers them all).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TypeVar, overload

from zenoo_rpc.errors import ModelDefinitionError
from zenoo_rpc.models.base import OdooModel

__all__ = ["ModelRegistry", "default_registry", "get_model_class", "register_model"]

M = TypeVar("M", bound=OdooModel)


class ModelRegistry:
    """Odoo model names mapped to model classes, with an optional parent to fall back to.

    :param parent: the registry asked for names this one does not have
        (``ModelRegistry(parent=default_registry)`` extends the process-wide one
        for one client; ``ModelRegistry()`` starts empty).
    """

    def __init__(self, parent: ModelRegistry | None = None) -> None:
        self.parent = parent
        self._classes: dict[str, type[OdooModel]] = {}

    def register(self, model_name: str, model_class: type[M]) -> type[M]:
        """Use ``model_class`` for ``model_name`` (replacing an earlier registration)."""
        given: object = model_class
        if not (isinstance(given, type) and issubclass(given, OdooModel)):
            raise ModelDefinitionError(
                f"register_model() takes an OdooModel subclass, not {model_class!r}"
            )
        declared = model_class._odoo_model_name
        if not declared:
            raise ModelDefinitionError(
                f"{model_class.__name__} has no Meta.model_name; declare "
                f"`class Meta: model_name = {model_name!r}` on it"
            )
        if declared != model_name:
            raise ModelDefinitionError(
                f"{model_class.__name__} is a model of {declared!r}, it cannot be "
                f"registered for {model_name!r}"
            )
        self._classes[model_name] = model_class
        return model_class

    def unregister(self, model_name: str) -> None:
        """Forget this registry's class for ``model_name`` (the parent's stays visible)."""
        self._classes.pop(model_name, None)

    def get(self, model_name: str) -> type[OdooModel] | None:
        """The class for ``model_name`` here or in a parent, else ``None``."""
        registry: ModelRegistry | None = self
        while registry is not None:
            found = registry._classes.get(model_name)
            if found is not None:
                return found
            registry = registry.parent
        return None

    def names(self) -> list[str]:
        """Every registered model name, parents' included, sorted."""
        names: set[str] = set()
        registry: ModelRegistry | None = self
        while registry is not None:
            names.update(registry._classes)
            registry = registry.parent
        return sorted(names)

    def __contains__(self, model_name: object) -> bool:
        return isinstance(model_name, str) and self.get(model_name) is not None

    def __iter__(self) -> Iterator[str]:
        return iter(self.names())

    def __len__(self) -> int:
        return len(self.names())

    def __repr__(self) -> str:
        parent = " (with parent)" if self.parent is not None else ""
        return f"<ModelRegistry {len(self._classes)} models{parent}>"


#: The process-wide registry: what :func:`register_model` fills and clients use by default.
default_registry = ModelRegistry()


@overload
def register_model(model_name: type[M], /) -> type[M]: ...


@overload
def register_model(
    model_name: str, model_class: type[M], /, *, registry: ModelRegistry | None = ...
) -> type[M]: ...


@overload
def register_model(
    model_name: str, /, *, registry: ModelRegistry | None = ...
) -> Callable[[type[M]], type[M]]: ...


def register_model(
    model_name: str | type[M],
    model_class: type[M] | None = None,
    /,
    *,
    registry: ModelRegistry | None = None,
) -> type[M] | Callable[[type[M]], type[M]]:
    """Register a model class for an Odoo model name (in :data:`default_registry` by default).

    ``register_model("res.partner", CustomPartner)``, or as a decorator:
    ``@register_model`` (the class's ``Meta.model_name``) or
    ``@register_model("res.partner")``. Returns the class.
    """
    target = registry if registry is not None else default_registry
    if isinstance(model_name, type):
        return target.register(model_name._odoo_model_name, model_name)
    if model_class is not None:
        return target.register(model_name, model_class)

    def decorate(cls: type[M]) -> type[M]:
        return target.register(model_name, cls)

    return decorate


def get_model_class(
    model_name: str, registry: ModelRegistry | None = None
) -> type[OdooModel] | None:
    """The class registered for ``model_name`` (in ``registry`` or the default one), or ``None``."""
    return (registry if registry is not None else default_registry).get(model_name)
