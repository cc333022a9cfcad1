"""``order`` specifications: parsing ("name desc, id") and sorting ids like PostgreSQL.

Text sorts case-insensitively (close to the ``en_US.UTF-8`` collation Odoo
databases use); NULLs come last ascending and first descending, PostgreSQL's
default; a many2one sorts by its comodel's ``_order``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .model import ModelCore

__all__ = ["parse_order", "sort_ids"]

_TERM = re.compile(
    r"^\s*([a-z0-9_]+(?::[a-z_]+)?)(?:\s+(asc|desc))?(?:\s+nulls\s+(first|last))?\s*$", re.I
)


def _invalid(order: str) -> ValueError:
    return ValueError(
        f'Invalid "order" specified ({order}). A valid "order" specification is a '
        "comma-separated list of valid field names (optionally followed by asc/desc "
        "for the direction)"
    )


def parse_order(model: ModelCore, order: str) -> list[tuple[str, bool, str | None]]:
    """``[(field, descending, nulls)]`` for an order spec; ValueError when invalid."""
    if not isinstance(order, str):
        raise _invalid(str(order))
    terms: list[tuple[str, bool, str | None]] = []
    for part in order.split(","):
        if not part.strip():
            continue
        match = _TERM.match(part)
        if not match:
            raise _invalid(order)
        name = match.group(1).split(":")[0]
        field = model._fields.get(name)
        if (
            field is None
            or not model._field_available(field)
            or not (field.store or name == "id")
            or field.type in ("one2many", "many2many", "binary", "json")
        ):
            raise ValueError(f"Invalid field {name!r} on model {model._name!r}")
        direction = (match.group(2) or "asc").lower() == "desc"
        nulls = match.group(3).lower() if match.group(3) else None
        terms.append((name, direction, nulls))
    return terms


def _text_key(value: Any) -> Any:
    return value.casefold() if isinstance(value, str) else value


def _rank_key(
    model: ModelCore, field_name: str, ids: list[int], depth: int
) -> Callable[[int], Any]:
    field = model._fields[field_name]
    values = dict(zip(ids, model._values_for(field, ids), strict=False))
    if field.type == "many2one" and depth < 2:
        comodel = model.env[getattr(field, "comodel", "")]
        targets = sorted({v for v in values.values() if v is not None})
        ranked = sort_ids(comodel, targets, comodel._order, depth + 1)
        rank = {target: pos for pos, target in enumerate(ranked)}
        return lambda rid: rank.get(values[rid]) if values[rid] is not None else None
    return lambda rid: _text_key(values[rid])


def sort_ids(model: ModelCore, ids: list[int], order: str | None, depth: int = 0) -> list[int]:
    """``ids`` sorted by ``order`` (default: the model's ``_order``), ties by id."""
    terms = parse_order(model, order or model._order)
    result = sorted(ids)
    for name, descending, nulls in reversed(terms):
        if name == "id":
            result.sort(reverse=descending)
            continue
        key = _rank_key(model, name, result, depth)
        nulls_first = descending if nulls is None else nulls == "first"

        def sort_key(
            rid: int, key: Callable[[int], Any] = key, flip: bool = nulls_first != descending
        ) -> tuple[bool, Any]:
            value = key(rid)
            if value is None or (value is False and not isinstance(value, int)):
                return (not flip, 0)
            return (flip, value)

        # NULLs sort after values ascending; "flip" moves them to the other end.
        def text_key(rid: int, key: Callable[[int], tuple[bool, Any]] = sort_key) -> Any:
            flag, value = key(rid)
            return (flag, str(value))

        try:
            result.sort(key=sort_key, reverse=descending)
        except TypeError:  # mixed types in one column: compare their text
            result.sort(key=text_key, reverse=descending)
    return result
