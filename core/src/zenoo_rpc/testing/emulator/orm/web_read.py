"""The web client's readers (Odoo 17+): ``web_read`` and ``web_search_read``.

A *specification* maps field names to ``{}`` or to ``{"fields": {...}}`` for
relational fields, which then come back as nested records instead of ids
(with optional ``limit`` / ``order`` for x2many).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import api
from .ordering import sort_ids
from .read_group import GroupedModel

__all__ = ["WebModel"]


class WebModel(GroupedModel):
    """``web_read`` / ``web_search_read`` on top of the grouping layer."""

    def _web_rows(self, ids: list[int], specification: Mapping[str, Any]) -> list[dict[str, Any]]:
        if not isinstance(specification, Mapping):
            raise TypeError("specification must be a dict of field name -> options")
        fnames = self._check_field_names(list(specification) or ["id"])
        rows: list[dict[str, Any]] = [{"id": rid} for rid in ids]
        for name in fnames:
            field = self._fields[name]
            spec = specification.get(name) or {}
            sub = spec.get("fields") if isinstance(spec, Mapping) else None
            values = self._values_for(field, ids)
            if field.type == "many2one":
                comodel: Any = self.env[getattr(field, "comodel", "")]
                if sub:
                    targets = sorted({v for v in values if v is not None})
                    nested = {row["id"]: row for row in comodel.sudo()._web_rows(targets, sub)}
                    converted = [nested.get(v, False) if v is not None else False for v in values]
                else:
                    converted = [v if v is not None else False for v in values]
            elif field.type in ("one2many", "many2many"):
                converted = self._web_x2many(field, values, spec)
            else:
                converted = [field.to_read(v) for v in values]
            for row, value in zip(rows, converted, strict=False):
                row[name] = value
        return rows

    def _web_x2many(self, field: Any, values: list[Any], spec: Any) -> list[Any]:
        comodel: Any = self.env[field.comodel]
        visible = self._visible_related(field, values)
        if not isinstance(spec, Mapping):
            return visible
        if spec.get("order"):
            visible = [sort_ids(comodel, ids, spec["order"]) for ids in visible]
        if spec.get("limit"):
            visible = [ids[: spec["limit"]] for ids in visible]
        sub = spec.get("fields")
        if not sub:
            return visible
        everything = sorted({rid for ids in visible for rid in ids})
        nested = {row["id"]: row for row in comodel._web_rows(everything, sub)}
        return [[nested[rid] for rid in ids] for ids in visible]

    @api.records(since=17)
    def web_read(self, specification: Mapping[str, Any]) -> list[dict[str, Any]]:
        self._check_access("read")
        return self._web_rows(self._existing(), specification)

    @api.model(since=17)
    def web_search_read(
        self,
        domain: Any,
        specification: Mapping[str, Any],
        offset: int = 0,
        limit: int | None = None,
        order: str | None = None,
        count_limit: int | None = None,
    ) -> dict[str, Any]:
        self._check_access("read")
        ids = self._search(domain, offset, limit, order)
        records = self._web_rows(ids, specification)
        if not limit or len(ids) < limit:
            length = len(ids) + (offset or 0)
        else:
            length = len(self._search(domain, limit=count_limit, ordered=False))
        return {"length": length, "records": records}
