"""Evaluate a domain against stored records, with Odoo's NULL semantics.

The rules, chosen to match what PostgreSQL answers for Odoo's SQL:

* an unset value (NULL; ``False`` for booleans; ``0`` for numbers, which Odoo
  stores instead of NULL) matches ``= False`` and never ``=``/``<``/``like``;
* ``!=``, ``not in``, ``not like`` and ``not ilike`` also match unset values,
  unless ``False`` is one of the refused values;
* ``like``/``ilike`` wrap the pattern in ``%``; ``%`` and ``_`` are wildcards;
* on x2many fields ``=``/``in``/``like`` mean "some related record matches"
  and their negations mean "no related record matches";
* a dotted path ``a.b`` is ``a any [(b, op, value)]``, except negative
  operators through an x2many which become ``a not any [(b, positive, value)]``;
* a string compared with a many2one or x2many is matched against the
  comodel's ``_rec_name`` (``('country_id', '=', 'Belgium')``).

Sub-searches through a many2one ignore ``active`` (as Odoo's joins do);
through an x2many they hide archived records unless the field's context says
``active_test: False``.
"""

from __future__ import annotations

import operator as _op
import re
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from .domain import FALSE_LEAF, NEGATIVE_OPERATORS, TRUE_LEAF, Leaf, Node, parse
from .fields import Field, Many2one
from .leaves import filter_leaf, like_body, text_of

if TYPE_CHECKING:
    from .model import ModelCore

__all__ = ["evaluate", "like_regex", "live_matching", "make_predicate"]

_POSITIVE = {"!=": "=", "not in": "in", "not like": "like", "not ilike": "ilike"}
_NUMERIC = ("integer", "float", "monetary")


def like_regex(pattern: str, operator: str) -> re.Pattern[str]:
    """Odoo's ``like`` family as an anchored regex (``%`` any run, ``_`` one char,
    ``\\`` escapes); ``like`` and ``ilike`` wrap the pattern in ``%`` as Odoo does."""
    if operator in ("like", "ilike", "not like", "not ilike"):
        pattern = f"%{pattern}%"
    body = like_body(pattern)
    flags = re.DOTALL | (re.IGNORECASE if "ilike" in operator else 0)
    return re.compile(body, flags)


def make_predicate(ftype: str, operator: str, right: Any) -> Callable[[Any], bool]:
    """``value -> bool`` for a scalar storage value (relational ids included)."""
    boolean, numeric = ftype == "boolean", ftype in _NUMERIC

    def unset(value: Any) -> bool:
        return value is None or (boolean and value is False) or (numeric and value == 0)

    def equal(value: Any, other: Any) -> bool:
        if boolean:
            return bool(value) == bool(other)
        if isinstance(other, bool) and not boolean:
            return False
        return bool(value == other)

    if operator == "=?":
        if right is None or right is False:
            return lambda value: True
        operator = "="
    if operator in ("=", "!=") and (right is False or right is None):
        return unset if operator == "=" else (lambda value: not unset(value))
    if operator == "=":
        return lambda value: value is not None and equal(value, right)
    if operator == "!=":
        return lambda value: value is None or not equal(value, right)
    if operator in ("in", "not in"):
        items = list(right) if isinstance(right, (list, tuple, set)) else [right]
        with_false = any(item is False or item is None for item in items)
        others = [item for item in items if item is not False and item is not None]

        def member(value: Any) -> bool:
            if with_false and unset(value):
                return True
            return value is not None and any(equal(value, other) for other in others)

        return member if operator == "in" else (lambda value: not member(value))
    if operator in ("<", ">", "<=", ">="):
        if right is None or right is False:
            return lambda value: False
        compare: Callable[[Any, Any], Any] = {
            "<": _op.lt,
            ">": _op.gt,
            "<=": _op.le,
            ">=": _op.ge,
        }[operator]

        def ordered(value: Any) -> bool:
            if value is None:
                return False
            try:
                return bool(compare(value, right))
            except TypeError:
                return False

        return ordered
    if operator in ("like", "ilike", "=like", "=ilike", "not like", "not ilike"):
        negative = operator.startswith("not")
        if right is False or right is None:
            return (lambda value: not unset(value)) if negative else unset
        regex = like_regex(text_of(right), operator)
        if negative:
            return lambda value: value is None or not regex.fullmatch(text_of(value))
        return lambda value: value is not None and bool(regex.fullmatch(text_of(value)))
    raise ValueError(f"Invalid operator {operator!r} for a {ftype} field")


def _leaf_text(leaf: Leaf, version: int) -> str:
    word = "condition" if version >= 19 else "leaf"
    return f"{word} {leaf.as_tuple()!s}"


def _ids_of(right: Any) -> list[Any]:
    if isinstance(right, (list, tuple, set)):
        return list(right)
    return [right]


class _Evaluator:
    """Filters candidate ids of one model by a parsed domain."""

    def __init__(self, model: ModelCore) -> None:
        self.model = model
        self.version = model.env.version

    def run(self, node: Node | Leaf, ids: list[int]) -> list[int]:
        if isinstance(node, Leaf):
            return self.leaf(node, ids)
        if node.operator == "!":
            excluded = set(self.run(node.children[0], ids))
            return [rid for rid in ids if rid not in excluded]
        if node.operator == "&":
            return self.run(node.children[1], self.run(node.children[0], ids))
        matched = set(self.run(node.children[0], ids))
        rest = [rid for rid in ids if rid not in matched]
        matched.update(self.run(node.children[1], rest))
        return [rid for rid in ids if rid in matched]

    # -- leaves ------------------------------------------------------------------
    def leaf(self, leaf: Leaf, ids: list[int]) -> list[int]:
        term = leaf.as_tuple()
        if term == TRUE_LEAF:
            return ids
        if term == FALSE_LEAF:
            return []
        model = self.model
        left, operator, right = leaf.left, leaf.operator, leaf.right
        path = left.split(".")
        field = model._fields.get(path[0])
        if field is None or not model._field_available(field):
            raise ValueError(
                f"Invalid field {model._name}.{path[0]} in {_leaf_text(leaf, self.version)}"
            )
        if len(path) > 1:
            if not field.relational:
                raise ValueError(
                    f"Invalid field {model._name}.{left} in {_leaf_text(leaf, self.version)}"
                )
            rest = ".".join(path[1:])
            if (
                field.type != "many2one"
                and operator in NEGATIVE_OPERATORS
                and operator != ("not any")
            ):
                sub = Leaf(path[0], "not any", [(rest, _POSITIVE[operator], right)])
            else:
                sub = Leaf(path[0], "any", [(rest, operator, right)])
            return self.leaf(sub, ids)
        if operator in ("child_of", "parent_of"):
            return self.hierarchy(field, operator, right, ids, leaf)
        if operator in ("any", "not any"):
            if not field.relational:
                raise ValueError(f"Invalid operator {operator!r} for a {field.type} field")
            return self.related(field, operator == "any", self.sub_search(field, right), ids)
        if field.relational and self._names(right, operator):
            positive = _POSITIVE.get(operator, operator)
            comodel = model.env[getattr(field, "comodel", "")]
            rec_name = comodel._rec_name_field()
            matches = comodel._search_ids(
                [(rec_name, "=" if positive == "in" else positive, right)]
                if positive != "in"
                else [(rec_name, "in", right)],
                active_test=False,
            )
            return self.related(field, positive == operator, matches, ids)
        if field.type in ("one2many", "many2many"):
            return self.x2many(field, operator, right, ids, leaf)
        predicate = make_predicate(field.type, operator, right)
        values = model._values_for(field, ids)
        if field.column or field.name == "id":
            hits = filter_leaf(field.type, operator, right, ids, values)
            if hits is not None:
                return hits
        return [rid for rid, value in zip(ids, values, strict=False) if predicate(value)]

    @staticmethod
    def _names(right: Any, operator: str) -> bool:
        if operator in ("like", "ilike", "not like", "not ilike", "=like", "=ilike"):
            return right is not False and right is not None
        if isinstance(right, str):
            return operator in ("=", "!=")
        if operator in ("in", "not in") and isinstance(right, (list, tuple)):
            return any(isinstance(item, str) for item in right)
        return False

    def sub_search(self, field: Field, domain: Any) -> set[int]:
        comodel = self.model.env[getattr(field, "comodel", "")]
        if not isinstance(domain, (list, tuple)):
            raise ValueError(f"Invalid domain {domain!r} for operator 'any'")
        active_test: bool | None = False
        if not isinstance(field, Many2one):
            active_test = bool(getattr(field, "context", {}).get("active_test", True))
        return comodel._search_ids(list(domain), active_test=active_test)

    def related(self, field: Field, positive: bool, matches: set[int], ids: list[int]) -> list[int]:
        """Records whose relational value meets (or, not positive, avoids) ``matches``."""
        if field.type == "many2one":
            values = self.model._values_for(field, ids)
            return [
                rid for rid, value in zip(ids, values, strict=False)
                if (value is not None and value in matches) == positive
            ]  # fmt: skip
        related = self.model._x2many_map(field, ids)
        return [rid for rid in ids if bool(matches.intersection(related[rid])) == positive]

    def x2many(
        self, field: Field, operator: str, right: Any, ids: list[int], leaf: Leaf
    ) -> list[int]:
        related = self.model._x2many_map(field, ids)
        if operator in ("=", "!=", "in", "not in"):
            items = _ids_of(right) if operator in ("in", "not in") else [right]
            with_false = any(item is False or item is None for item in items)
            wanted = {item for item in items if item is not False and item is not None}
            positive = operator in ("=", "in")
            out = []
            for rid in ids:
                values = related[rid]
                hit = bool(wanted.intersection(values)) or (with_false and not values)
                if hit == positive:
                    out.append(rid)
            return out
        raise ValueError(
            f"Invalid operator {operator!r} for x2many field in {_leaf_text(leaf, self.version)}"
        )

    def hierarchy(
        self, field: Field, operator: str, right: Any, ids: list[int], leaf: Leaf
    ) -> list[int]:
        name = field.name
        target = self.model if name == "id" else self.model.env[getattr(field, "comodel", "")]
        if name != "id" and not field.relational:
            raise ValueError(f"Invalid operator {operator!r} in {_leaf_text(leaf, self.version)}")
        if isinstance(right, str) or (
            isinstance(right, (list, tuple)) and any(isinstance(r, str) for r in right)
        ):
            rec_name = target._rec_name_field()
            roots = target._search_ids(
                [(rec_name, "ilike" if isinstance(right, str) else "in", right)], active_test=False
            )
        else:
            roots = {r for r in _ids_of(right) if isinstance(r, int) and r is not False}
        scope = target._hierarchy(roots, down=operator == "child_of")
        if name == "id":
            return [rid for rid in ids if rid in scope]
        return self.related(field, True, scope, ids)


def evaluate(model: ModelCore, domain: Any, ids: Iterable[int]) -> list[int]:
    """The ids among ``ids`` (order kept) that satisfy ``domain`` on ``model``."""
    return _Evaluator(model).run(parse(domain), list(ids))


def live_matching(model: ModelCore, leaves: list[tuple[str, str, Any]]) -> list[int]:
    """The live ids of ``model`` meeting all ``leaves`` (do not mutate the list).

    For the implicit conditions of a search (``active``, company rule): leaves on
    the model's own columns, whose ids only change with its table, so they are
    cached per table version. Leaves with other values are not cached.
    """
    table = model._table
    fields = model._fields
    try:
        if not all(fields[name].column for name, _op, _right in leaves):
            raise TypeError("not a column")
        key = ("live", model._name, tuple((f, op, _frozen(right)) for f, op, right in leaves))
    except TypeError:
        return evaluate(model, leaves, table)
    cache = model.env.store.derived
    hit = cache.get(key)
    if hit is not None and hit[0] == table.version:
        ids: list[int] = hit[1]
        return ids
    ids = evaluate(model, leaves, table)
    cache[key] = (table.version, ids)
    return ids


def _frozen(right: Any) -> Any:
    """``right`` (ints, bools or None, or a list of them) as a cache key; else TypeError."""
    items = tuple(right) if type(right) is list else (right,)
    if any(item is not None and type(item) not in (int, bool) for item in items):
        raise TypeError("not a cacheable value")
    return (type(right), tuple((type(item), item) for item in items))  # True is not 1 here
