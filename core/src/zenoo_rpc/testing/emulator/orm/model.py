"""The model core: access checks, searching, reading and introspection.

Field values come from :class:`~.recordset.RecordsetCore`. Writing lives in
:mod:`.crud`, grouping in :mod:`.read_group`, the web client's readers in
:mod:`.web_read`; :class:`~.base.BaseModel` stacks them all.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from zenoo_rpc.testing.emulator.exceptions import PythonError

from . import api
from .access import access_error, allowed
from .domain import AND
from .expression import evaluate, live_matching
from .fields import Field
from .ordering import sort_ids
from .recordset import RecordsetCore

__all__ = ["ModelCore", "to_plain"]

NAME_OPERATORS = ("ilike", "like", "=like", "=ilike", "not ilike", "not like")
#: Values :func:`to_plain` returns as they are (immutable, and not containers).
ATOMS = frozenset({str, int, float, bool, type(None)})


def to_plain(value: Any) -> Any:
    """Recordsets become id lists, tuples lists: what the wire layer can encode.

    Containers are always copied, so the caller owns the result.
    """
    atoms = ATOMS
    kind = type(value)
    if kind in atoms:
        return value
    if kind is dict:  # the common containers first, without a call per atom
        return {key: item if type(item) in atoms else to_plain(item) for key, item in value.items()}
    if kind is list:
        return [item if type(item) in atoms else to_plain(item) for item in value]
    if isinstance(value, ModelCore):
        return value.ids
    if isinstance(value, (list, tuple)):
        return [to_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: to_plain(item) for key, item in value.items()}
    return value


def _owned(values: list[Any]) -> list[Any]:
    """``values`` (a new list) with every container replaced by a plain copy."""
    if ATOMS.issuperset(map(type, values)):
        return values
    return [to_plain(value) for value in values]


class ModelCore(RecordsetCore):
    """Fields, search and read of one model; subclasses declare Odoo models."""

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
        # AND(implicit, domain) filters by each in turn: the implicit part's ids are cached.
        implicit = [*self._active_domain(domain, active_test), *self._rule_domain()]
        ids = evaluate(self, domain, live_matching(self, implicit))
        if ordered or offset or limit:
            ids = sort_ids(self, ids, order, limit=(offset or 0) + limit if limit else None)
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

    @api.model(fresh=True)
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

    @api.model(until=17, name="name_search")
    def name_search_17(
        self, name: str = "", args: Any = None, operator: str = "ilike", limit: int | None = 100
    ) -> list[list[Any]]:
        # Odoo renamed ``args`` to ``domain`` in 18.
        return self.name_search(name, args, operator, limit)

    @api.model(since=18)
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

    @api.records(fresh=True)
    def read(self, fields: Any = None, load: str | None = "_classic_read") -> list[dict[str, Any]]:
        self._check_access("read")
        fnames = self._check_field_names(fields)
        records = self.browse(self._existing())
        result: list[dict[str, Any]] = records._read_format(fnames, load=load)
        return result

    def _read_format(
        self, fnames: Sequence[str], load: str | None = "_classic_read"
    ) -> list[dict[str, Any]]:
        """Rows as ``read`` answers them: new dicts and lists sharing nothing with
        the store (``read`` and ``search_read`` are ``fresh``), plain values only."""
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
                    if not ATOMS.issuperset(map(type, [*values, *names.values()])):
                        converted = [to_plain(pair) for pair in converted]
                else:
                    converted = _owned([v if v is not None else False for v in values])
            elif field.type in ("one2many", "many2many"):
                converted = self._visible_related(field, values)
            elif type(field).to_read is Field.to_read and not field.write_only:
                converted = _owned([False if v is None else v for v in values])  # inlined
            else:
                converted = _owned([field.to_read(v) for v in values])
            for row, value in zip(rows, converted, strict=False):
                row[name] = value
        return rows

    def _visible_related(self, field: Field, values: Sequence[Any]) -> list[list[int]]:
        """x2many values as ``read`` shows them: live, active, in the comodel's order."""
        comodel = self.env[getattr(field, "comodel", "")].sudo()
        everything = sorted({rid for value in values for rid in (value or ())})
        live = comodel._table.existing(everything)
        if "active" in comodel._fields and self.env.context.get("active_test", True):
            flags = comodel._values_for(comodel._fields["active"], live)
            live = [rid for rid, flag in zip(live, flags, strict=False) if flag]
        rank = {rid: pos for pos, rid in enumerate(sort_ids(comodel, live, None))}
        return [
            sorted((rid for rid in value if rid in rank), key=rank.__getitem__) if value else []
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
            if version >= 18 and self._related_to_column(field):
                desc["groupable"] = desc["sortable"] = True
            if version >= 19 and field.relational:
                comodel = self.env.registry.models.get(getattr(field, "comodel", ""))
                desc["allow_hierachy_operators"] = bool(comodel and comodel._parent_name)
            if attributes:
                desc = {key: value for key, value in desc.items() if key in attributes}
            out[name] = dict(sorted(desc.items()))
        return out

    def _related_to_column(self, field: Field) -> bool:
        """Whether a non-stored related field follows many2ones to a groupable column.

        Odoo 18 groups and sorts by such fields (a SQL join), and says so in ``fields_get``.
        """
        if field.store or not field.related:
            return False
        model: RecordsetCore = self
        *hops, last = field.related.split(".")
        for hop in hops:
            step = model._fields.get(hop)
            if step is None or step.type != "many2one":
                return False
            model = self.env[getattr(step, "comodel", "")]
        target = model._fields.get(last)
        return target is not None and target.store and target.groupable_type

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


def _check_window(offset: Any, limit: Any) -> None:
    """Reject offsets/limits PostgreSQL would refuse, with its message."""
    for value in (offset, limit):
        if value is None or value is False or (isinstance(value, int) and value >= 0):
            continue
        raise PythonError(
            "psycopg2.errors.InvalidTextRepresentation",
            f'invalid input syntax for type bigint: "{value}"',
        )
