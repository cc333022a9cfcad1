"""``group_by(...).aggregate(...)``: aggregates per group, over one ``read_group``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from zenoo_rpc.models.base import OdooModel
from zenoo_rpc.models.fields.relational import Many2oneField
from zenoo_rpc.models.page import Page
from zenoo_rpc.query.aggregates import Aggregate, aggregate_specs, aggregate_values
from zenoo_rpc.query.ordering import order_clause

if TYPE_CHECKING:
    from zenoo_rpc.query.queryset import QuerySet

__all__ = ["GroupedQuerySet"]

M = TypeVar("M", bound=OdooModel)


class GroupedQuerySet(Generic[M]):
    """A query grouped by fields; :meth:`aggregate` runs it (one ``read_group``)."""

    def __init__(self, query: QuerySet[M], fields: Sequence[str]) -> None:
        self._query = query
        self._fields = tuple(fields)

    async def aggregate(self, **aggregates: Aggregate) -> list[dict[str, Any]]:
        """One dict per group: the group's values under the ``group_by`` names, and the aggregates.

        Groups come in the query's ``order_by`` (or Odoo's group order) within
        its ``limit`` / ``offset``; see :mod:`zenoo_rpc.query.aggregates`.
        """
        query = self._query
        specs = aggregate_specs(aggregates)
        client = query.client
        rows = await client.read_group(
            query.model_name,
            query.domain,
            specs,
            list(self._fields),
            offset=query._offset,
            limit=query._limit,
            orderby=order_clause(query._order),
            lazy=False,
        )
        model = await query.model_class()
        page = Page(client, model)
        groups = []
        for row in rows:
            group: dict[str, Any] = {}
            for spec in self._fields:
                group[spec] = _group_value(model, page, spec, row.get(spec, False))
            group.update(aggregate_values(row, aggregates))
            groups.append(group)
        return groups

    def __repr__(self) -> str:
        return f"<GroupedQuerySet {self._query!r} by {', '.join(self._fields)}>"


def _group_value(model: type[OdooModel], page: Page, spec: str, value: Any) -> Any:
    name, _, granularity = spec.partition(":")
    field = model._fields.get(name)
    if isinstance(field, Many2oneField) and not granularity:
        ref = field.from_wire(value)
        if ref is not None:
            ref._page, ref._field = page, field
            page.include(field, ref.id)
        return ref
    return None if value is False else value
