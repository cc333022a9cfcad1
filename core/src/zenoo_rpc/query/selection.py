"""Which fields a query reads, and which relations it loads with them.

Default selection (what ``all()`` reads without ``only()``):

* a declared model: its declared fields that exist in the server's version
  (``since`` / ``until``), except lazy ones (every ``BinaryField``, and fields
  declared ``lazy=True``), plus ``display_name``;
* a generic model (built from ``fields_get``): every stored field except
  binary and image fields, plus ``display_name``: non-stored fields are
  computed on each read and some are expensive.

``only(...)`` replaces the selection (``id`` always comes), ``defer(...)``
removes from it. ``prefetch_related("order_line__product_id")`` paths are
parsed into a :data:`PrefetchTree`; their first level joins the selection.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from zenoo_rpc.errors import QueryError
from zenoo_rpc.models.fields.relational import RelationalField

if TYPE_CHECKING:
    from zenoo_rpc.client import ZenooClient
    from zenoo_rpc.models.base import OdooModel

__all__ = [
    "PrefetchTree",
    "default_fields",
    "parse_prefetch",
    "selected_fields",
    "server_major",
]

#: Relation paths to load with a query: ``{"order_line": {"product_id": {}}}``.
PrefetchTree = dict[str, "PrefetchTree"]


def server_major(client: ZenooClient) -> int | None:
    """The server's major version, when the client knows it (JSON-2 means 19 or later)."""
    version = client.server_version
    if version is not None:
        return version.major
    return 19 if client.protocol == "json2" else None


def default_fields(model: type[OdooModel], major: int | None) -> list[str]:
    """The fields read when a query names none (see the module docstring)."""
    if model._default_fields is not None:
        return list(model._default_fields)
    return [
        name
        for name, field in model._fields.items()
        if not field.lazy and field.available_in(major)
    ]


def selected_fields(
    model: type[OdooModel],
    only: Sequence[str] | None,
    defer: Iterable[str],
    prefetch: PrefetchTree,
    major: int | None,
) -> list[str]:
    """The field names to read: ``only`` or the default, minus ``defer``, plus prefetched ones."""
    names = list(only) if only is not None else default_fields(model, major)
    deferred = set(defer)
    out = [name for name in dict.fromkeys(names) if name not in deferred and name != "id"]
    out.extend(name for name in prefetch if name not in out)
    return out


def parse_prefetch(paths: Iterable[str]) -> PrefetchTree:
    """``("order_line", "order_line__product_id")`` as a tree (``.`` also separates)."""
    tree: PrefetchTree = {}
    for path in paths:
        text: object = path
        if not isinstance(text, str) or not text:
            raise QueryError(f"prefetch_related() takes field paths, not {path!r}")
        parts = path.replace(".", "__").split("__")
        if any(not part or not part.isidentifier() for part in parts):
            raise QueryError(
                f"prefetch_related({path!r}): a path is relational field names joined by '__'"
            )
        node = tree
        for part in parts:
            node = node.setdefault(part, {})
    return tree


def relational_field(
    model: type[OdooModel], name: str, path: str
) -> RelationalField[Any, Any, Any]:
    """The relational field ``name`` of ``model``, or a :class:`QueryError` saying why not."""
    field = model._fields.get(name)
    if isinstance(field, RelationalField):
        return field
    what = "is not a relational field" if field is not None else "is not a field"
    raise QueryError(
        f"prefetch_related({path!r}): {name!r} {what} of {model.__name__} "
        f"({model._odoo_model_name})"
    )
