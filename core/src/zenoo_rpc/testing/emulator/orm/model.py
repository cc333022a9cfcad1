"""The recordset core: field values, searching, reading and introspection.

A recordset is an environment plus a tuple of ids; values are always read
from the store, so a recordset is cheap and never stale. Writing lives in
:mod:`.crud`, grouping in :mod:`.read_group`, the web client's readers in
:mod:`.web_read`; :class:`~.base.BaseModel` stacks them all.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, ClassVar

from zenoo_rpc.testing.emulator.exceptions import PythonError

from . import api
from .access import access_error, allowed
from .domain import AND
from .expression import evaluate
from .fields import Field
from .ordering import sort_ids
from .registry import Environment
from .storage import Table

__all__ = ["ModelCore"]

NAME_OPERATORS = ("ilike", "like", "=like", "=ilike", "not ilike", "not like")


class ModelCore:
    """Fields, search and read of one model; subclasses declare Odoo models."""

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
        table, seen, out = self._table, set(), []
        for rid in self._ids:
            if _is_id(rid) and rid not in seen and table.exists(rid):
                seen.add(rid)
                out.append(rid)
        return out

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
            col = self._table.columns[field.name]
            return [col[rid] for rid in ids]
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
            model: ModelCore = self
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

    # -- searching ----------------------------------------------------------------
    def _check_access(self, operation: str) -> None:
        env = self.env
        if env.is_superuser:
            return
        if not allowed(self._name, operation, env.user_groups):
            raise access_error(self._name, self._description, operation, env.version)

    def _rule_domain(self) -> list[Any]:
        if self._company_rule and not self.env.is_superuser and "company_id" in self._fields:
            return [("company_id", "in", [*self.env.company_ids(), False])]
        return []

    def _active_domain(self, domain: Sequence[Any], active_test: bool | None) -> list[Any]:
        if active_test is None:
            active_test = bool(self.env.context.get("active_test", True))
        if not active_test or "active" not in self._fields:
            return []
        for term in domain:
            if isinstance(term, (list, tuple)) and len(term) == 3 and term[0] == "active":
                return []
        return [("active", "=", True)]

    def _search(
        self,
        domain: Any,
        offset: int = 0,
        limit: int | None = None,
        order: str | None = None,
        active_test: bool | None = None,
        ordered: bool = True,
    ) -> list[int]:
        """Matching ids, sorted and sliced; no access check (callers do it)."""
        if domain is None:
            domain = []
        if not isinstance(domain, (list, tuple)):
            raise ValueError(f"Invalid domain {domain!r}")
        _check_window(offset, limit)
        full = AND([self._active_domain(domain, active_test), self._rule_domain(), domain])
        ids = evaluate(self, full, iter(self._table))
        if ordered or offset or limit:
            ids = sort_ids(self, ids, order)
        if offset:
            ids = ids[offset:]
        if limit:
            ids = ids[:limit]
        return ids

    def _search_ids(self, domain: Any, active_test: bool | None = None) -> set[int]:
        return set(self._search(domain, active_test=active_test, ordered=False))

    def _hierarchy(self, roots: Iterable[int], down: bool) -> set[int]:
        """``roots`` with all their descendants (``down``) or ancestors."""
        parent = self._parent_name or "parent_id"
        table = self._table
        found = {rid for rid in roots if table.exists(rid)}
        todo = list(found)
        if down:
            index = self.env.store.inverse_index(self._name, parent)
            while todo:
                for child in index.get(todo.pop(), ()):
                    if child not in found:
                        found.add(child)
                        todo.append(child)
        else:
            col = table.columns[parent]
            while todo:
                up = col[todo.pop()]
                if up is not None and up not in found and table.exists(up):
                    found.add(up)
                    todo.append(up)
        return found

    @api.model()
    def search(
        self, domain: Any, offset: int = 0, limit: int | None = None, order: str | None = None
    ) -> Any:
        self._check_access("read")
        return self.browse(self._search(domain, offset, limit, order))

    @api.model()
    def search_count(self, domain: Any, limit: int | None = None) -> int:
        self._check_access("read")
        return len(self._search(domain, limit=limit, ordered=False))

    @api.model()
    def search_read(
        self,
        domain: Any = None,
        fields: Any = None,
        offset: int = 0,
        limit: int | None = None,
        order: str | None = None,
        **read_kwargs: Any,
    ) -> list[dict[str, Any]]:
        records = self.search(domain or [], offset, limit, order)
        fnames = records._check_field_names(fields)
        result: list[dict[str, Any]] = records._read_format(fnames, **read_kwargs)
        return result

    @api.model()
    def name_search(
        self, name: str = "", domain: Any = None, operator: str = "ilike", limit: int | None = 100
    ) -> list[list[Any]]:
        self._check_access("read")
        conditions: list[Any] = []
        if name or operator not in NAME_OPERATORS:
            fnames = self._rec_names_search or (self._rec_name_field(),)
            conditions = [(f, operator, name) for f in fnames]
            if not (operator.startswith("not") or operator == "!="):
                # positive: any of the fields matches; negative: none of them does
                conditions = ["|"] * (len(fnames) - 1) + conditions
        ids = self._search(AND([domain or [], conditions]), limit=limit)
        names = self._display_names(ids)
        return [[rid, names[rid]] for rid in ids]

    @api.records(until=17)
    def name_get(self) -> list[list[Any]]:
        self._check_access("read")
        ids = self._existing()
        names = self._display_names(ids)
        return [[rid, names[rid]] for rid in ids]

    @api.records()
    def exists(self) -> Any:
        return self.browse(self._existing())

    # -- reading ------------------------------------------------------------------
    def _check_field_names(self, fields: Any) -> list[str]:
        if not fields:
            return [
                name for name, field in self._fields.items()
                if self._field_available(field) and name != "id"
            ]  # fmt: skip
        if isinstance(fields, str):
            fields = [fields]
        names = []
        for name in fields:
            field = self._fields.get(name) if isinstance(name, str) else None
            if field is None or not self._field_available(field):
                raise ValueError(f"Invalid field {name!r} on {self._name!r}")
            if name != "id" and name not in names:
                names.append(name)
        return names

    @api.records()
    def read(self, fields: Any = None, load: str | None = "_classic_read") -> list[dict[str, Any]]:
        self._check_access("read")
        fnames = self._check_field_names(fields)
        records = self.browse(self._existing())
        result: list[dict[str, Any]] = records._read_format(fnames, load=load)
        return result

    def _read_format(
        self, fnames: Sequence[str], load: str | None = "_classic_read"
    ) -> list[dict[str, Any]]:
        ids = self.ids
        rows: list[dict[str, Any]] = [{"id": rid} for rid in ids]
        for name in fnames:
            field = self._fields[name]
            values = self._values_for(field, ids)
            converted: list[Any]
            if field.type == "many2one":
                comodel = self.env[getattr(field, "comodel", "")].sudo()
                if load == "_classic_read":
                    names = comodel._display_names({v for v in values if v is not None})
                    converted = [[v, names[v]] if v is not None else False for v in values]
                else:
                    converted = [v if v is not None else False for v in values]
            elif field.type in ("one2many", "many2many"):
                converted = self._visible_related(field, values)
            else:
                converted = [field.to_read(v) for v in values]
            for row, value in zip(rows, converted, strict=False):
                row[name] = value
        return rows

    def _visible_related(self, field: Field, values: Sequence[Any]) -> list[list[int]]:
        """x2many values as ``read`` shows them: live, active, in the comodel's order."""
        comodel = self.env[getattr(field, "comodel", "")].sudo()
        everything = sorted({rid for value in values for rid in (value or ())})
        live = [rid for rid in everything if comodel._table.exists(rid)]
        if "active" in comodel._fields and self.env.context.get("active_test", True):
            flags = comodel._values_for(comodel._fields["active"], live)
            live = [rid for rid, flag in zip(live, flags, strict=False) if flag]
        rank = {rid: pos for pos, rid in enumerate(sort_ids(comodel, live, None))}
        return [
            sorted((rid for rid in (value or ()) if rid in rank), key=rank.__getitem__)
            for value in values
        ]

    # -- introspection -----------------------------------------------------------
    @api.model()
    def fields_get(self, allfields: Any = None, attributes: Any = None) -> dict[str, Any]:
        version, out = self.env.version, {}
        for name, field in self._fields.items():
            if not self._field_available(field) or (allfields and name not in allfields):
                continue
            desc = field.describe(version)
            if version >= 19 and field.relational:
                comodel = self.env.registry.models.get(getattr(field, "comodel", ""))
                desc["allow_hierachy_operators"] = bool(comodel and comodel._parent_name)
            if attributes:
                desc = {key: value for key, value in desc.items() if key in attributes}
            out[name] = dict(sorted(desc.items()))
        return out

    def _defaults(self, fnames: Iterable[str]) -> dict[str, Any]:
        """Default storage-independent values: context ``default_<field>`` first."""
        out: dict[str, Any] = {}
        for name in fnames:
            field = self._fields.get(name)
            if field is None:
                continue
            key = f"default_{name}"
            if key in self.env.context:
                out[name] = self.env.context[key]
            elif field.default is not None:
                value = field.default(self) if callable(field.default) else field.default
                out[name] = value
        return out

    @api.model(until=18)
    def default_get(self, fields_list: Any) -> dict[str, Any]:
        return self._defaults(fields_list or [])

    @api.model(since=19, name="default_get")
    def default_get_19(self, fields: Any) -> dict[str, Any]:
        return self._defaults(fields or [])

    @api.model(until=18)
    def check_access_rights(self, operation: str, raise_exception: bool = True) -> bool:
        try:
            self._check_access(operation)
        except Exception:
            if raise_exception:
                raise
            return False
        return True

    @api.model(since=18)
    def has_access(self, operation: str) -> bool:
        return self.check_access_rights(operation, raise_exception=False)

    @api.records(since=18)
    def check_access(self, operation: str) -> None:
        self._check_access(operation)


def _is_id(value: object) -> bool:
    """Ids from the wire may be anything; only real integers name records."""
    return type(value) is int


def _check_window(offset: Any, limit: Any) -> None:
    """Reject offsets/limits PostgreSQL would refuse, with its message."""
    for value in (offset, limit):
        if value is None or value is False or (isinstance(value, int) and value >= 0):
            continue
        raise PythonError(
            "psycopg2.errors.InvalidTextRepresentation",
            f'invalid input syntax for type bigint: "{value}"',
        )
