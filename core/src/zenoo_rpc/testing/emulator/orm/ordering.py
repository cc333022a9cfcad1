"""``order`` specifications: parsing ("name desc, id") and sorting ids like PostgreSQL.

Text sorts case-insensitively (close to the ``en_US.UTF-8`` collation Odoo
databases use); NULLs come last ascending and first descending, PostgreSQL's
default; a many2one sorts by its comodel's ``_order``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from itertools import islice
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .model import ModelCore
    from .storage import Table

__all__ = ["parse_order", "sort_ids"]

_Term = tuple[str, bool, "str | None"]
#: A table's live ids in sort order, and each one's position in it.
_Ranking = tuple[list[int], dict[int, int]]
_NUMBERS = frozenset({int, float, bool})

_TERM = re.compile(
    r"^\s*([a-z0-9_]+(?::[a-z_]+)?)(?:\s+(asc|desc))?(?:\s+nulls\s+(first|last))?\s*$", re.I
)


def _invalid(order: str) -> ValueError:
    return ValueError(
        f'Invalid "order" specified ({order}). A valid "order" specification is a '
        "comma-separated list of valid field names (optionally followed by asc/desc "
        "for the direction)"
    )


def parse_order(model: ModelCore, order: str) -> list[_Term]:
    """``[(field, descending, nulls)]`` for an order spec; ValueError when invalid."""
    if not isinstance(order, str):
        raise _invalid(str(order))
    terms: list[_Term] = []
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


def sort_ids(
    model: ModelCore, ids: list[int], order: str | None, depth: int = 0, limit: int | None = None
) -> list[int]:
    """``ids`` sorted by ``order`` (default: the model's ``_order``), ties by id.

    With ``limit``, only the first ``limit`` of them. Live records are ranked
    from a cached ordering of the whole table (see :func:`_table_rank`).
    """
    terms = parse_order(model, order or model._order)
    cached = _table_rank(model, tuple(terms), depth)
    if cached is not None:
        ranked = _by_rank(ids, *cached, limit)
        if ranked is not None:
            return ranked
    result = _sort(model, ids, terms, depth)
    return result if limit is None else result[:limit]


def _sort(model: ModelCore, ids: list[int], terms: Sequence[_Term], depth: int) -> list[int]:
    """The reference sort: by id, then stably by each term from the last one."""
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


# -- the cached ranking of a whole table ----------------------------------------------
#
# When every sort key of an order compares like a total order (one kind of value
# per column: all text or all numbers, no NaN), the reference sort of any set of
# live ids is the whole table's sorted order restricted to that set. The table's
# order is then computed once and kept until one of the tables it reads changes.


def _table_rank(model: ModelCore, terms: tuple[_Term, ...], depth: int) -> _Ranking | None:
    """The cached ranking of ``model``'s live records, or None when keys may not compare."""
    tables = _tables(model, terms, depth)
    stamp = tuple(table.version for table in tables)
    cache = model.env.store.derived
    key = ("order", model._name, terms, depth)
    hit = cache.get(key)
    if hit is not None and hit[0] == stamp:
        ranking: _Ranking | None = hit[1]
        return ranking
    ranking = None
    if _comparable(model, terms, depth):
        order = _sort(model, list(tables[0]), terms, depth)
        ranking = (order, {rid: pos for pos, rid in enumerate(order)})
    cache[key] = (stamp, ranking)
    return ranking


def _by_rank(
    ids: list[int], order: list[int], rank: dict[int, int], limit: int | None
) -> list[int] | None:
    """``ids`` in ``order`` (first ``limit``); None when one of them is not ranked."""
    try:
        members = set(ids)
    except TypeError:  # not ids at all: let the reference sort decide
        return None
    if len(members) != len(ids) or not rank.keys() >= members:
        try:  # duplicates keep their multiplicity; an unranked id fails
            ranked = sorted(ids, key=rank.__getitem__)
        except KeyError:
            return None
        return ranked if limit is None else ranked[:limit]
    wanted = len(ids) if limit is None else min(limit, len(ids))
    if len(ids) * 8 >= len(order):  # dense: walk the table's order
        return list(islice((rid for rid in order if rid in members), wanted))
    return sorted(ids, key=rank.__getitem__)[:wanted]


def _tables(model: ModelCore, terms: Sequence[_Term], depth: int) -> list[Table]:
    """The tables an order reads: ``model``'s first, then those of many2one comodels."""
    tables = [model._table]
    for name, _descending, _nulls in terms:
        field = model._fields[name]
        if field.type == "many2one" and depth < 2:
            comodel = model.env[getattr(field, "comodel", "")]
            tables += _tables(comodel, parse_order(comodel, comodel._order), depth + 1)
    return tables


def _comparable(model: ModelCore, terms: Sequence[_Term], depth: int) -> bool:
    """Whether every key of the order holds values of one comparable kind."""
    for name, _descending, _nulls in terms:
        if name == "id":
            continue
        field = model._fields[name]
        if field.type == "many2one" and depth < 2:
            comodel = model.env[getattr(field, "comodel", "")]
            if not _comparable(comodel, parse_order(comodel, comodel._order), depth + 1):
                return False
            continue
        if not field.column:
            return False
        column = model._table.columns[name]
        kinds = set(map(type, column))
        kinds.discard(type(None))
        if not (kinds <= {str} or kinds <= _NUMBERS):
            return False
        if float in kinds and any(value != value for value in column):  # NaN
            return False
    return True
