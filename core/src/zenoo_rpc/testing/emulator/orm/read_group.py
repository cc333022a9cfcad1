"""Grouping: ``read_group`` (every version) and ``formatted_read_group`` (19+).

Groups are computed from the stored rows like PostgreSQL's ``GROUP BY``:
dates fall in the period their granularity names (``date_order:month``,
datetimes in UTC), many2one groups sort by the comodel's ``_order``, the
empty group comes last.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from . import api
from .crud import CrudModel
from .domain import AND
from .fields import Field
from .ordering import sort_ids

__all__ = ["GroupedModel"]

_AGG_SPEC = re.compile(r"^(\w+)(?::(\w+)(?:\((\w+)\))?)?$")
_AGGREGATORS = frozenset(
    {"sum", "avg", "min", "max", "count", "count_distinct", "bool_and", "bool_or", "array_agg"}
)
_GRANULARITIES = ("day", "week", "month", "quarter", "year")


@dataclass(frozen=True)
class GroupBy:
    spec: str
    field: Field
    granularity: str | None


@dataclass(frozen=True)
class Aggregate:
    key: str
    field: Field | None
    function: str


def _period(value: str, granularity: str) -> tuple[dt.date, dt.date]:
    day = dt.date.fromisoformat(value[:10])
    if granularity == "day":
        return day, day + dt.timedelta(days=1)
    if granularity == "week":
        start = day - dt.timedelta(days=day.weekday())
        return start, start + dt.timedelta(days=7)
    if granularity == "month":
        start = day.replace(day=1)
    elif granularity == "quarter":
        start = day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)
    else:
        start = day.replace(month=1, day=1)
    months = {"month": 1, "quarter": 3, "year": 12}[granularity]
    total = start.month - 1 + months
    return start, start.replace(year=start.year + total // 12, month=total % 12 + 1)


def _label(start: dt.date, granularity: str) -> str:
    if granularity == "day":
        return start.strftime("%d %b %Y")
    if granularity == "week":
        iso = start.isocalendar()
        return f"W{iso[1]} {iso[0]}"
    if granularity == "month":
        return start.strftime("%B %Y")
    if granularity == "quarter":
        return f"Q{(start.month - 1) // 3 + 1} {start.year}"
    return str(start.year)


class GroupedModel(CrudModel):
    """``read_group`` / ``formatted_read_group`` over the stored rows."""

    def _parse_groupby(self, groupby: Any) -> list[GroupBy]:
        specs = [groupby] if isinstance(groupby, str) else list(groupby or [])
        out = []
        for spec in specs:
            name, _, granularity = str(spec).partition(":")
            field = self._fields.get(name)
            if field is None or not self._field_available(field):
                raise ValueError(f"Invalid field {name!r} on model {self._name!r}")
            if not field.store or field.type in ("one2many", "binary", "json"):
                raise ValueError(
                    f"Field {field!s} is not a stored field, only stored fields "
                    "(regular or many2many) are valid for the 'groupby' parameter"
                )
            if field.type in ("date", "datetime"):
                granularity = granularity or "month"
                if granularity not in _GRANULARITIES:
                    raise ValueError(f"Invalid granularity {granularity!r} in {spec!r}")
            elif granularity:
                raise ValueError(f"Granularity set on a field of type {field.type!r}")
            out.append(GroupBy(str(spec), field, granularity or None))
        return out

    def _parse_aggregates(
        self, specs: Sequence[str], skip: set[str], implicit: bool
    ) -> list[Aggregate]:
        out = []
        for spec in specs:
            if spec == "__count":
                out.append(Aggregate("__count", None, "count"))
                continue
            match = _AGG_SPEC.match(str(spec))
            if not match:
                raise ValueError(f"Invalid aggregate specification {spec!r}")
            alias, function, target = match.groups()
            name = target or alias
            field = self._fields.get(name)
            if field is None or not self._field_available(field):
                raise ValueError(f"Invalid field {name!r} on model {self._name!r}")
            if not function:
                if name in skip or not implicit or not field.default_aggregator:
                    continue
                function = field.default_aggregator
            if function not in _AGGREGATORS:
                raise ValueError(f"Invalid aggregation function {function!r}.")
            key = alias if implicit else str(spec)
            out.append(Aggregate(key, field, function))
        return out

    def _group_key(self, groupbys: list[GroupBy], ids: list[int]) -> list[list[Any]]:
        columns = []
        for gb in groupbys:
            values = self._values_for(gb.field, ids)
            if gb.granularity:
                values = [_period(v, gb.granularity)[0] if v else None for v in values]
            columns.append(values)
        return columns

    def _aggregate(self, agg: Aggregate, ids: list[int]) -> Any:
        if agg.field is None:
            return len(ids)
        values = self._values_for(agg.field, ids)
        present = [v for v in values if v is not None]
        function = agg.function
        if function == "count":
            return len(present)
        if function == "count_distinct":
            return len({tuple(v) if isinstance(v, tuple) else v for v in present})
        if function == "array_agg":
            return present
        if function in ("bool_and", "bool_or"):
            return (all if function == "bool_and" else any)(bool(v) for v in present)
        if not present:
            return False if function in ("min", "max", "avg") else 0
        if function == "sum":
            total = sum(present)
            return round(total, 2) if agg.field.type in ("float", "monetary") else total
        if function == "avg":
            return sum(present) / len(present)
        return min(present) if function == "min" else max(present)

    def _groups(
        self,
        domain: Any,
        groupbys: list[GroupBy],
        aggregates: list[Aggregate],
        order: str | None,
        offset: int,
        limit: int | None,
    ) -> list[tuple[tuple[Any, ...], list[int], dict[str, Any]]]:
        self._check_access("read")
        ids = self._search(domain or [], ordered=False)
        buckets: dict[tuple[Any, ...], list[int]] = {}
        columns = self._group_key(groupbys, ids)
        for pos, rid in enumerate(ids):
            buckets.setdefault(tuple(col[pos] for col in columns), []).append(rid)
        groups = [
            (key, members, {a.key: self._aggregate(a, members) for a in aggregates})
            for key, members in buckets.items()
        ]
        groups = self._sort_groups(groups, groupbys, order)
        if offset:
            groups = groups[offset:]
        if limit:
            groups = groups[:limit]
        return groups

    def _sort_groups(
        self, groups: list[Any], groupbys: list[GroupBy], order: str | None
    ) -> list[Any]:
        terms: list[tuple[str, bool]] = []
        for part in (order or "").split(","):
            words = part.split()
            if words:
                terms.append((words[0], len(words) > 1 and words[1].lower() == "desc"))
        named = {t[0] for t in terms}
        terms += [(gb.spec, False) for gb in groupbys if gb.spec not in named]
        for name, descending in reversed(terms):
            position = next(
                (i for i, gb in enumerate(groupbys) if name in (gb.spec, gb.field.name)), None
            )
            if position is None:

                def by_aggregate(group: Any, name: str = name) -> tuple[bool, Any]:
                    value = group[2].get(name)
                    return (value is None, value or 0)

                groups.sort(key=by_aggregate, reverse=descending)
                continue
            field = groupbys[position].field
            rank: dict[Any, int] = {}
            if field.type == "many2one":
                comodel = self.env[getattr(field, "comodel", "")]
                targets = sorted({g[0][position] for g in groups if g[0][position] is not None})
                rank = {t: i for i, t in enumerate(sort_ids(comodel, targets, None))}

            def key(group: Any, pos: int = position, rank: dict[Any, int] = rank) -> Any:
                value = group[0][pos]
                if value is None:
                    return (True, 0)
                if rank:
                    return (False, rank[value])
                return (False, value.casefold() if isinstance(value, str) else value)

            groups.sort(key=key, reverse=descending)
        return groups

    def _group_value(self, gb: GroupBy, value: Any, formatted: bool) -> Any:
        if value is None:
            return False
        if gb.field.type == "many2one":
            comodel = self.env[getattr(gb.field, "comodel", "")].sudo()
            return [value, comodel._display_names([value])[value]]
        if gb.granularity:
            label = _label(value, gb.granularity)
            return [value.isoformat(), label] if formatted else label
        return value

    def _group_domain(self, gb: GroupBy, value: Any) -> list[Any]:
        name = gb.field.name
        if value is None:
            return [(name, "=", False)]
        if gb.granularity:
            start, end = _period(value.isoformat(), gb.granularity)
            if gb.field.type == "datetime":
                return [(name, ">=", f"{start} 00:00:00"), (name, "<", f"{end} 00:00:00")]
            return [(name, ">=", start.isoformat()), (name, "<", end.isoformat())]
        return [(name, "=", value)]

    @api.model()
    def read_group(
        self,
        domain: Any,
        fields: Any,
        groupby: Any,
        offset: int = 0,
        limit: int | None = None,
        orderby: Any = False,
        lazy: bool = True,
    ) -> list[dict[str, Any]]:
        all_groupbys = self._parse_groupby(groupby)
        groupbys = all_groupbys[:1] if lazy and all_groupbys else all_groupbys
        skip = {gb.field.name for gb in all_groupbys}
        aggregates = self._parse_aggregates(list(fields or []), skip, implicit=True)
        aggregates = [a for a in aggregates if a.key != "__count"]
        groups = self._groups(domain, groupbys, aggregates, orderby or None, offset, limit)
        result = []
        for key, members, values in groups:
            row: dict[str, Any] = {}
            for gb, value in zip(groupbys, key, strict=False):
                row[gb.spec] = self._group_value(gb, value, formatted=False)
            count_key = f"{groupbys[0].field.name}_count" if lazy and groupbys else "__count"
            row[count_key] = len(members)
            row.update(values)
            extra = [
                self._group_domain(gb, value) for gb, value in zip(groupbys, key, strict=False)
            ]
            row["__domain"] = AND([domain or [], *extra])
            ranges = {
                gb.spec: {"from": d[0][2], "to": d[1][2]}
                for gb, d in zip(groupbys, extra, strict=False) if gb.granularity and len(d) == 2
            }  # fmt: skip
            if ranges:
                row["__range"] = ranges
            if lazy and len(all_groupbys) > 1:
                row["__context"] = {"group_by": [gb.spec for gb in all_groupbys[1:]]}
            result.append(row)
        return result

    @api.model(since=19)
    def formatted_read_group(
        self,
        domain: Any,
        groupby: Sequence[str] = (),
        aggregates: Sequence[str] = (),
        having: Any = (),
        offset: int = 0,
        limit: int | None = None,
        order: str | None = None,
    ) -> list[dict[str, Any]]:
        groupbys = self._parse_groupby(groupby)
        parsed = self._parse_aggregates(list(aggregates or []), set(), implicit=False)
        groups = self._groups(domain, groupbys, parsed, order, offset, limit)
        result = []
        for key, _members, values in groups:
            row: dict[str, Any] = {}
            for gb, value in zip(groupbys, key, strict=False):
                row[gb.spec] = self._group_value(gb, value, formatted=True)
            extra = [
                self._group_domain(gb, value) for gb, value in zip(groupbys, key, strict=False)
            ]
            row["__extra_domain"] = AND(extra) if extra else []
            for agg in parsed:
                row[agg.key] = values[agg.key]
            result.append(row)
        return result
