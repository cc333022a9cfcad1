"""Aggregates over ``read_group``: totals of a query, or per group.

::

    await client.model(SaleOrder).filter(state="sale").aggregate(
        total=Sum("amount_total"), orders=Count()
    )
    # {"total": 9210.5, "orders": 12}

    await client.model(SaleOrder).group_by("partner_id").aggregate(total=Sum("amount_total"))
    # [{"partner_id": Ref('res.partner', 9, 'Acme'), "total": 1740.0}, ...]

Each aggregate is sent as Odoo's ``"alias:function(field)"`` spec, so the
result keys are the names you give. ``Count()`` counts records (Odoo's
``__count``). Group keys read like fields: a many2one as a
:class:`~zenoo_rpc.models.Ref` (``None`` for the empty group), a date
grouped by ``"date_order:month"`` as Odoo's label (``"January 2025"``).
An aggregate over no record is ``None`` (``Count()`` is 0).
"""

from __future__ import annotations

from typing import Any

from zenoo_rpc.errors import QueryError

__all__ = ["Aggregate", "Avg", "Count", "CountDistinct", "Max", "Min", "Sum"]


class Aggregate:
    """One aggregate: Odoo's aggregation ``function`` over ``field``."""

    function: str = ""

    def __init__(self, field: str) -> None:
        name: object = field
        if not isinstance(name, str) or not name.isidentifier():
            raise QueryError(f"{type(self).__name__}() takes a field name, not {field!r}")
        self.field: str | None = field

    def spec(self, alias: str) -> str:
        """The ``read_group`` field spec computing this aggregate under ``alias``."""
        return f"{alias}:{self.function}({self.field})"

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.field == self.field

    def __hash__(self) -> int:
        return hash((type(self).__name__, self.field))

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}({self.field!r})" if self.field else f"{type(self).__name__}()"
        )


class Sum(Aggregate):
    """The sum of a numeric field."""

    function = "sum"


class Avg(Aggregate):
    """The average of a numeric field."""

    function = "avg"


class Min(Aggregate):
    """The smallest value of a field."""

    function = "min"


class Max(Aggregate):
    """The largest value of a field."""

    function = "max"


class CountDistinct(Aggregate):
    """How many distinct values a field takes."""

    function = "count_distinct"


class Count(Aggregate):
    """How many records (``Count()``), or how many have ``field`` set (``Count("email")``)."""

    function = "count"

    def __init__(self, field: str | None = None) -> None:
        if field is None:
            self.field = None
        else:
            super().__init__(field)

    def spec(self, alias: str) -> str:
        return "__count" if self.field is None else super().spec(alias)


def aggregate_specs(aggregates: dict[str, Aggregate]) -> list[str]:
    """The ``read_group`` field specs for named aggregates (checked)."""
    if not aggregates:
        raise QueryError("aggregate() takes at least one name=Aggregate(...) argument")
    specs = []
    for alias, aggregate in aggregates.items():
        if not isinstance(aggregate, Aggregate):
            raise QueryError(
                f"aggregate({alias}=...) takes Sum/Avg/Min/Max/Count/CountDistinct, "
                f"not {aggregate!r}"
            )
        if alias.startswith("_"):
            raise QueryError(f"aggregate names may not start with '_': {alias!r}")
        specs.append(aggregate.spec(alias))
    return list(dict.fromkeys(specs))


def aggregate_values(
    row: dict[str, Any] | None, aggregates: dict[str, Aggregate]
) -> dict[str, Any]:
    """The named aggregates of a ``read_group`` row (``None`` row: no record matched)."""
    out: dict[str, Any] = {}
    for alias, aggregate in aggregates.items():
        key = "__count" if isinstance(aggregate, Count) and aggregate.field is None else alias
        if row is None:
            out[alias] = 0 if isinstance(aggregate, Count) else None
            continue
        value = row.get(key)
        if value is None and key == "__count":
            value = next((v for k, v in row.items() if k.endswith("_count")), 0)
        if value is False and not isinstance(aggregate, Count):
            value = None
        out[alias] = value
    return out
