"""Recordsets: a model's declared fields, its ids in an environment, and their values.

A recordset is an environment plus a tuple of ids; values are always read
from the store, so a recordset is cheap and never stale. Computed, related and
x2many values are derived here; :class:`~.model.ModelCore` adds searching and
reading on top.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from .fields import Field
from .registry import Environment
from .storage import Table

if TYPE_CHECKING:
    from .model import ModelCore

__all__ = ["RecordsetCore", "is_id"]


class RecordsetCore:
    """A model's declaration and its recordsets: ids, environment and field values."""

    _name: ClassVar[str] = ""
    _description: ClassVar[str] = ""
    _order: ClassVar[str] = "id"
    _rec_name: ClassVar[str | None] = None
    #: Fields ``name_search`` matches (Odoo's ``_rec_names_search``); default ``_rec_name``.
    _rec_names_search: ClassVar[tuple[str, ...]] = ()
    _parent_name: ClassVar[str | None] = None
    #: Apply the multi-company record rule on ``company_id``.
    _company_rule: ClassVar[bool] = False
    #: First Odoo version that has the model.
    _since: ClassVar[int] = 0
    _fields: ClassVar[dict[str, Field]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        declared: dict[str, Field] = {}
        for klass in reversed(cls.__mro__):
            for name, value in vars(klass).items():
                if isinstance(value, Field):
                    declared.pop(name, None)
                    declared[name] = value
        own: dict[str, Field] = {}
        for name, field in declared.items():
            clone = copy.copy(field)
            clone.name, clone.model_name = name, cls._name
            own[name] = clone
        cls._fields = own

    def __init__(self, env: Environment, ids: Iterable[int] = ()) -> None:
        self.env = env
        self._ids: tuple[int, ...] = tuple(ids)

    # -- recordset basics ---------------------------------------------------------
    @property
    def ids(self) -> list[int]:
        return list(self._ids)

    def __len__(self) -> int:
        return len(self._ids)

    def __iter__(self) -> Iterator[ModelCore]:
        return (self.browse([rid]) for rid in self._ids)

    def __bool__(self) -> bool:
        return bool(self._ids)

    def __repr__(self) -> str:
        return f"{self._name}{self._ids!r}"

    def browse(self, ids: Iterable[int] | int) -> Any:
        if isinstance(ids, int):
            ids = [ids]
        return type(self)(self.env, ids)

    def with_env(self, env: Environment) -> Any:
        return type(self)(env, self._ids)

    def sudo(self) -> Any:
        return self.with_env(self.env.sudo())

    def with_context(self, **values: Any) -> Any:
        return self.with_env(self.env.with_context(**values))

    @property
    def _table(self) -> Table:
        return self.env.store.tables[self._name]

    def _existing(self) -> list[int]:
        """Ids of the recordset that still exist, duplicates dropped, order kept."""
        ids = [rid for rid in self._ids if type(rid) is int]  # is_id, inlined
        if len(set(ids)) < len(ids):  # keep the first of each
            ids = list(dict.fromkeys(ids))
        return self._table.existing(ids)

    # -- field values -------------------------------------------------------------
    def _field_available(self, field: Field) -> bool:
        return field.since <= self.env.version <= field.until

    def _rec_name_field(self) -> str:
        if self._rec_name:
            return self._rec_name
        return "name" if "name" in self._fields else "id"

    def _values_for(self, field: Field, ids: Sequence[int]) -> list[Any]:
        """Storage values of ``field`` for ``ids`` (computed on the fly when not stored)."""
        if field.name == "id":
            return list(ids)
        if field.column:
            return list(map(self._table.columns[field.name].__getitem__, ids))
        if field.type in ("one2many", "many2many"):
            related = self._x2many_map(field, ids)
            return [related[rid] for rid in ids]
        computed = self._compute_field(field, ids)
        return [computed.get(rid) for rid in ids]

    def _compute_field(self, field: Field, ids: Sequence[int]) -> dict[int, Any]:
        if field.compute:
            method = getattr(self, field.compute)
            result: dict[int, Any] = method(list(ids))
            return result
        if field.related:
            current: dict[int, Any] = {rid: rid for rid in ids}
            model: RecordsetCore = self
            for step in field.related.split("."):
                step_field = model._fields[step]
                targets = sorted({v for v in current.values() if v is not None})
                values = dict(zip(targets, model._values_for(step_field, targets), strict=False))
                current = {
                    rid: values.get(v) if v is not None else None for rid, v in current.items()
                }
                if step_field.type == "many2one":
                    model = model.env[getattr(step_field, "comodel", "")]
            return current
        return {}

    def _get(self, rid: int, name: str) -> Any:
        return self._values_for(self._fields[name], [rid])[0]

    def _x2many_map(self, field: Field, ids: Sequence[int]) -> dict[int, tuple[int, ...]]:
        """Related ids per record for a one2many (via its inverse) or many2many."""
        if field.type == "many2many":
            col = self._table.columns[field.name]
            return {rid: tuple(col[rid] or ()) for rid in ids}
        comodel, inverse = getattr(field, "comodel", ""), getattr(field, "inverse", "")
        index = self.env.store.inverse_index(comodel, inverse)
        return {rid: tuple(index.get(rid, ())) for rid in ids}

    def _display_names(self, ids: Iterable[int | None]) -> dict[int, str]:
        wanted = [rid for rid in ids if rid is not None]
        if not wanted:
            return {}
        names: dict[int, str] = self._compute_display_name(wanted)
        return names

    def _compute_display_name(self, ids: list[int]) -> dict[int, Any]:
        rec_name = self._rec_name_field()
        if rec_name == "id":
            return {rid: f"{self._name},{rid}" for rid in ids}
        values = self._values_for(self._fields[rec_name], ids)
        return {
            rid: value if value not in (None, False) else f"{self._name},{rid}"
            for rid, value in zip(ids, values, strict=False)
        }


def is_id(value: object) -> bool:
    """Ids from the wire may be anything; only real integers name records."""
    return type(value) is int
