"""x2many commands ``(0, 0, vals)`` ... ``(6, 0, ids)`` applied to one record.

Odoo's ``Command`` codes: 0 create, 1 update, 2 delete, 3 unlink (drop the
relation), 4 link, 5 clear, 6 set. A plain list of ids on a many2many means
"set". On a one2many, dropping the relation deletes the related record when
its inverse many2one is required (as Odoo does for order lines).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from zenoo_rpc.testing.emulator.exceptions import MissingError

from .fields import Field, Many2one

if TYPE_CHECKING:
    from .model import ModelCore

__all__ = ["apply_commands", "normalize_commands"]

CREATE, UPDATE, DELETE, UNLINK, LINK, CLEAR, SET = range(7)


def normalize_commands(field: Field, value: Any) -> list[tuple[int, Any, Any]]:
    """``value`` as a list of 3-tuples; ValueError for anything Odoo would refuse."""
    if value is False or value is None:
        return [(CLEAR, 0, 0)]
    if not isinstance(value, (list, tuple)):
        raise ValueError(f"Wrong value for {field.model_name}.{field.name}: {value!r}")
    if value and all(isinstance(item, int) and not isinstance(item, bool) for item in value):
        return [(SET, 0, list(value))]
    out = []
    for command in value:
        if not isinstance(command, (list, tuple)) or not command:
            raise ValueError(f"Wrong value for {field.model_name}.{field.name}: {value!r}")
        code = command[0]
        if code not in range(7) or isinstance(code, bool):
            raise ValueError(f"Unknown command {command!r} for {field.model_name}.{field.name}")
        padded = list(command) + [0] * (3 - len(command))
        out.append((int(code), padded[1], padded[2]))
    return out


def apply_commands(record: ModelCore, field: Field, value: Any) -> None:
    """Run the commands of ``value`` for the single record ``record``."""
    rid = record.ids[0]
    comodel: Any = record.env[getattr(field, "comodel", "")]
    is_o2m = field.type == "one2many"
    inverse = getattr(field, "inverse", "")
    table = record.env.store.tables[record._name]
    for code, target, payload in normalize_commands(field, value):
        current: list[int] = list(record._x2many_map(field, [rid])[rid])
        if code == CREATE:
            vals = dict(payload or {})
            if is_o2m:
                vals[inverse] = rid
            new_ids = comodel.create([vals]).ids
            if not is_o2m:
                table.set(rid, field.name, tuple(current + new_ids))
        elif code == UPDATE:
            comodel.browse([target]).write(dict(payload or {}))
        elif code == DELETE:
            comodel.browse([target]).unlink()
            if not is_o2m:
                table.set(rid, field.name, tuple(i for i in current if i != target))
        elif code in (UNLINK, CLEAR):
            dropped = [target] if code == UNLINK else current
            if is_o2m:
                _release(comodel, inverse, [i for i in dropped if i in current])
            else:
                table.set(rid, field.name, tuple(i for i in current if i not in dropped))
        elif code == LINK:
            _link(record, field, comodel, [target], current)
        elif code == SET:
            wanted = list(payload or [])
            if is_o2m:
                _release(comodel, inverse, [i for i in current if i not in wanted])
                _link(record, field, comodel, wanted, [])
            else:
                table.set(rid, field.name, tuple(dict.fromkeys(wanted)))


def _link(
    record: ModelCore, field: Field, comodel: ModelCore, ids: Sequence[int], current: Sequence[int]
) -> None:
    missing = [i for i in ids if not comodel._table.exists(i)]
    if missing:
        raise MissingError(
            "Record does not exist or has been deleted.\n"
            f"(Record: {comodel._name}{tuple(missing)!r}, User: {record.env.uid})"
        )
    rid = record.ids[0]
    if field.type == "one2many":
        comodel.browse([i for i in ids if i not in current]).write(
            {getattr(field, "inverse", ""): rid}
        )
    else:
        merged = tuple(dict.fromkeys([*current, *ids]))
        record.env.store.tables[record._name].set(rid, field.name, merged)


def _release(comodel: ModelCore, inverse: str, ids: list[int]) -> None:
    if not ids:
        return
    inverse_field = comodel._fields[inverse]
    records = comodel.browse(ids)
    if inverse_field.required or (
        isinstance(inverse_field, Many2one) and inverse_field.ondelete == "cascade"
    ):
        records.unlink()
    else:
        records.write({inverse: False})
