"""Writing records: create, write, unlink, copy and their integrity rules.

Each of these may leave the store half-changed when it raises; the facade
runs every call inside a store transaction and rolls it back, which is what
makes a failing call change nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from zenoo_rpc.testing.emulator.exceptions import MissingError, ValidationError

from . import api
from .commands import apply_commands
from .fields import Field, Many2one
from .model import ModelCore

__all__ = ["CrudModel"]

LOG_FIELDS = ("create_date", "create_uid", "write_date", "write_uid")


def now() -> str:
    """The current UTC time as Odoo stores it (no microseconds)."""
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None, microsecond=0).isoformat(sep=" ")


class CrudModel(ModelCore):
    """create / write / unlink / copy with defaults, commands, recomputes and constraints."""

    # -- hooks models override ----------------------------------------------------
    def _validate(self, ids: list[int], fnames: set[str]) -> None:
        """Constraints (``@api.constrains``): raise ValidationError."""

    def _on_written(self, ids: list[int], fnames: set[str], created: bool) -> None:
        """Recompute stored values that depend on other records."""

    def _check_unlink(self, ids: list[int]) -> None:
        """Refuse deletions (``@api.ondelete``)."""

    def _prepare_create(self, vals: dict[str, Any]) -> dict[str, Any]:
        """Complete the values of a new record (sequences, values taken from others)."""
        return vals

    def _copy_defaults(self, rid: int) -> dict[str, Any]:
        """Values a copy of record ``rid`` gets instead of the original's."""
        return {}

    # -- helpers ------------------------------------------------------------------
    def _missing_error(self, ids: Iterable[int]) -> MissingError:
        return MissingError(
            "Record does not exist or has been deleted.\n"
            f"(Record: {self._name}{tuple(ids)!r}, User: {self.env.uid})"
        )

    def _split_vals(self, vals: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
        """Storage values for columns and raw values for x2many fields."""
        if not isinstance(vals, Mapping):
            raise TypeError(f"vals must be a dict, not {type(vals).__name__}")
        columns: dict[str, Any] = {}
        x2many: dict[str, Any] = {}
        for name, value in vals.items():
            field = self._fields.get(name)
            if field is None or not self._field_available(field):
                raise ValueError(f"Invalid field {name!r} on model {self._name!r}")
            if name == "id" or (field.compute and not field.store):
                continue
            if field.type in ("one2many", "many2many"):
                x2many[name] = value
                continue
            stored = field.to_storage(value)
            if isinstance(field, Many2one) and stored is not None:
                comodel = self.env[field.comodel]
                if not comodel._table.exists(stored):
                    raise ValidationError(
                        "The operation cannot be completed: the record "
                        f"{field.comodel}({stored},) referenced by field "
                        f"'{field.string}' ({name}) does not exist."
                    )
            columns[name] = stored
        return columns, x2many

    def _check_required(self, ids: list[int]) -> None:
        table = self._table
        for name, field in self._fields.items():
            if not field.required or not field.column or not self._field_available(field):
                continue
            for rid in ids:
                if table.get(rid, name) in (None, ""):
                    raise ValidationError(
                        "The operation cannot be completed: Missing required value for the "
                        f"field '{field.string}' ({name}).\n"
                        f"Model: '{self._description}' ({self._name})"
                    )

    def _recompute(self, ids: list[int], fnames: set[str] | None) -> None:
        """Refresh stored computed fields whose ``depends`` changed (all when ``None``)."""
        table = self._table
        for name, field in self._fields.items():
            if not (field.compute and field.store):
                continue
            if fnames is not None and not fnames.intersection(field.depends):
                continue
            values = self._compute_field(field, ids)
            for rid in ids:
                table.set(rid, name, values.get(rid))

    def _finish(self, ids: list[int], fnames: set[str], created: bool) -> None:
        self._recompute(ids, None if created else fnames)
        self._on_written(ids, fnames, created)
        self._check_required(ids)
        self._validate(ids, fnames)
        self.env.registry.notify(self._name, "create" if created else "write", ids, fnames)

    # -- public API ---------------------------------------------------------------
    @api.create_multi()
    def create(self, vals_list: Any) -> Any:
        if isinstance(vals_list, Mapping):
            vals_list = [vals_list]
        if not isinstance(vals_list, (list, tuple)):
            raise TypeError(f"vals_list must be a list of dicts, not {type(vals_list).__name__}")
        self._check_access("create")
        ids: list[int] = []
        touched: set[str] = set()
        for vals in vals_list:
            rid, fnames = self._create_one(vals)
            ids.append(rid)
            touched |= fnames
        if ids:
            self._finish(ids, touched, created=True)
        return self.browse(ids)

    def _create_one(self, vals: Any) -> tuple[int, set[str]]:
        if not isinstance(vals, Mapping):
            raise TypeError(f"vals must be a dict, not {type(vals).__name__}")
        missing = [name for name in self._fields if name not in vals]
        merged = self._prepare_create({**self._defaults(missing), **vals})
        columns, x2many = self._split_vals(merged)
        stamp = now()
        columns.setdefault("create_date", stamp)
        columns.setdefault("write_date", stamp)
        columns.setdefault("create_uid", self.env.uid)
        columns.setdefault("write_uid", self.env.uid)
        row = {name: value for name, value in columns.items() if name in self._table.columns}
        rid = self._table.insert(row)
        record = self.browse([rid])
        for name, value in x2many.items():
            apply_commands(record, self._fields[name], value)
        return rid, set(merged)

    @api.records()
    def write(self, vals: Any) -> bool:
        self._check_access("write")
        ids = list(dict.fromkeys(self._ids))
        missing = [rid for rid in ids if not self._table.exists(rid)]
        if missing:
            raise self._missing_error(missing)
        columns, x2many = self._split_vals(vals)
        columns.setdefault("write_date", now())
        columns.setdefault("write_uid", self.env.uid)
        table = self._table
        for rid in ids:
            for name, value in columns.items():
                if name in table.columns:
                    table.set(rid, name, value)
            for name, value in x2many.items():
                apply_commands(self.browse([rid]), self._fields[name], value)
        if ids:
            self._finish(ids, set(vals), created=False)
        return True

    @api.records()
    def unlink(self) -> bool:
        self._check_access("unlink")
        ids = list(dict.fromkeys(self._ids))
        missing = [rid for rid in ids if not self._table.exists(rid)]
        if missing:
            raise self._missing_error(missing)
        if not ids:
            return True
        self._check_unlink(ids)
        for rid in ids:
            self._table.delete(rid)
        self._cascade(ids)
        self.env.registry.notify(self._name, "unlink", ids)
        return True

    def _cascade(self, ids: list[int]) -> None:
        """Apply every ``ondelete`` pointing at the deleted ``ids`` (restrict first)."""
        gone = set(ids)
        registry = self.env.registry
        for model_name, cls in registry.models.items():
            other = self.env[model_name].sudo()
            for name, field in cls._fields.items():
                if getattr(field, "comodel", None) != self._name or not field.column:
                    continue
                if field.type == "many2many":
                    col, table = other._table.columns[name], other._table
                    for rid in list(table):
                        if col[rid] and gone.intersection(col[rid]):
                            table.set(rid, name, tuple(i for i in col[rid] if i not in gone))
                    continue
                index = self.env.store.inverse_index(model_name, name)
                refs = sorted({ref for rid in ids for ref in index.get(rid, ())})
                refs = [ref for ref in refs if other._table.exists(ref)]
                if refs:
                    self._on_delete(other, field, refs)

    def _on_delete(self, other: ModelCore, field: Field, refs: list[int]) -> None:
        ondelete = getattr(field, "ondelete", "set null")
        if ondelete == "restrict" or (ondelete == "set null" and field.required):
            raise ValidationError(
                "The operation cannot be completed: Another model is using the record you "
                f"are trying to delete.\n\nThe troublemaker is: '{other._description}' "
                f"({other._name})\nThanks to the following constraint: '{field.string}' "
                f"({field.name})\nHow about archiving the record instead?"
            )
        if ondelete == "cascade":
            assert isinstance(other, CrudModel)
            other.browse(refs).unlink()
        else:
            for ref in refs:
                other._table.set(ref, field.name, None)
            self.env.registry.notify(other._name, "write", refs, {field.name})

    @api.records()
    def copy(self, default: Any = None) -> Any:
        self._check_access("create")
        ids = self._existing()
        vals_list = []
        for rid in ids:
            vals: dict[str, Any] = {}
            for name, field in self._fields.items():
                if (
                    not field.copy
                    or name == "id"
                    or name in LOG_FIELDS
                    or not (field.store and (field.column or field.type == "one2many"))
                    or not self._field_available(field)
                ):
                    continue
                value = self._get(rid, name)
                if field.type == "many2many":
                    vals[name] = [(6, 0, list(value))]
                elif field.type == "one2many":
                    vals[name] = [
                        (
                            0,
                            0,
                            _copy_data(
                                self.env[getattr(field, "comodel", "")],
                                child,
                                getattr(field, "inverse", ""),
                            ),
                        )
                        for child in value
                    ]
                elif value is not None:
                    vals[name] = value
            vals.update(self._copy_defaults(rid))
            vals.update(dict(default or {}))
            vals_list.append(vals)
        return self.create(vals_list)

    @api.model()
    def name_create(self, name: str) -> list[Any]:
        rec_name = self._rec_name_field()
        record = self.create({rec_name: name})
        rid = record.ids[0]
        return [rid, self._display_names([rid])[rid]]

    @api.records()
    def action_archive(self) -> bool:
        return bool(self.write({"active": False}))

    @api.records()
    def action_unarchive(self) -> bool:
        return bool(self.write({"active": True}))


def _copy_data(model: ModelCore, rid: int, inverse: str) -> dict[str, Any]:
    """Values of a one2many child for its copy (its parent link is set by the command)."""
    out: dict[str, Any] = {}
    for name, field in model._fields.items():
        if name in ("id", inverse, *LOG_FIELDS) or not field.copy or not field.column:
            continue
        if field.compute and field.store:
            continue
        value = model._get(rid, name)
        if field.type == "many2many":
            out[name] = [(6, 0, list(value))]
        elif value is not None:
            out[name] = value
    return out
