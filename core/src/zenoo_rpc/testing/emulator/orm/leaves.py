"""Fast filters for the commonest leaves, exactly as :func:`.expression.make_predicate`.

``=``, ``!=``, ``in`` and ``not in`` against integers or strings (the implicit
``company_id in [...]`` rule, ``id in [...]``, selections, many2ones) become set
lookups, and a boolean compared with ``True`` (the implicit ``active = True``)
a truth test, and ``like``/``ilike`` one regex search per value, instead of
one predicate call per record. Anything else answers None and the evaluator
falls back to the predicate.

Why the results are the same: for the field types below, stored values are
ints, floats, strings or None; for such values ``value in {a, b}`` is
``value == a or value == b`` when ``a`` and ``b`` are ints, strings or None
(equal numbers hash alike, so ``0`` in the set also finds ``0.0``), and an
unhashable value raises TypeError, which also means "fall back". A boolean
``= True`` is ``bool(value)``, the truth test ``compress`` applies.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import compress, repeat
from operator import is_not, not_
from typing import Any

__all__ = ["filter_leaf", "like_body", "text_of"]

#: Field types whose stored values are ints, floats, strings or None.
_HASHED = frozenset(
    {"many2one", "integer", "float", "monetary", "char", "text", "html", "selection",
     "date", "datetime"}
)  # fmt: skip
_NUMERIC = frozenset({"integer", "float", "monetary"})
_KEYS = (int, str)
_CONTAINS = frozenset({"like", "ilike", "not like", "not ilike"})
_STRINGS = frozenset({str})


def text_of(value: Any) -> str:
    """A value as ``like`` sees it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def like_body(pattern: str) -> str:
    """A ``LIKE`` pattern as regex source, as PostgreSQL reads it: ``%`` any run,
    ``_`` one character, and ``\\`` (its default escape) makes the next character literal."""
    out: list[str] = []
    chars = iter(pattern)
    for ch in chars:
        if ch == "\\":
            ch = next(chars, "")
            if not ch:
                raise ValueError("LIKE pattern must not end with escape character")
            out.append(re.escape(ch))
        else:
            out.append(".*" if ch == "%" else "." if ch == "_" else re.escape(ch))
    return "".join(out)


def _contains(
    operator: str, right: Any, ids: Sequence[int], values: Sequence[Any]
) -> list[int] | None:
    """``like`` and friends: ``%pattern%`` fully matches exactly when the pattern is
    found somewhere, so one regex ``search`` replaces ``fullmatch`` of ``.*p.*``."""
    if right is False or right is None:
        return None
    text = text_of(right)
    if (len(text) - len(text.rstrip("\\"))) % 2:  # escapes the closing %: not a search
        return None
    body = like_body(text)
    flags = re.DOTALL | (re.IGNORECASE if "ilike" in operator else 0)
    search = re.compile(body, flags).search
    if operator.startswith("not"):
        return [
            rid for rid, value in zip(ids, values, strict=False)
            if value is None or not search(text_of(value))
        ]  # fmt: skip
    present = list(map(is_not, values, repeat(None)))
    texts = list(compress(values, present))
    if _STRINGS.issuperset(map(type, texts)):  # the usual case, without a Python loop
        return list(compress(compress(ids, present), map(search, texts)))
    return [
        rid for rid, value in zip(ids, values, strict=False)
        if value is not None and search(text_of(value))
    ]  # fmt: skip


def filter_leaf(
    ftype: str, operator: str, right: Any, ids: Sequence[int], values: Sequence[Any]
) -> list[int] | None:
    """The ids whose value (``values``, aligned) meets the leaf; None when not handled."""
    if operator in _CONTAINS:
        return _contains(operator, right, ids, values)
    if ftype == "boolean":
        if right is not True or operator not in ("=", "!="):
            return None
        if operator == "=":
            return list(compress(ids, values))
        return list(compress(ids, map(not_, values)))
    if ftype not in _HASHED:
        return None
    wanted: set[Any]
    if operator in ("=", "!=") and (right is False or right is None):
        wanted, positive = {None, 0} if ftype in _NUMERIC else {None}, operator == "="
    elif operator in ("=", "!="):
        if type(right) not in _KEYS:
            return None
        wanted, positive = {right}, operator == "="
    elif operator in ("in", "not in"):
        items = list(right) if isinstance(right, (list, tuple, set)) else [right]
        others = [item for item in items if item is not False and item is not None]
        if any(type(item) not in _KEYS for item in others):
            return None
        wanted, positive = set(others), operator == "in"
        if len(others) < len(items):  # False among them: unset values match too
            wanted.add(None)
            if ftype in _NUMERIC:
                wanted.add(0)  # and every number equal to 0 hashes like 0
    else:
        return None
    # None is in ``wanted`` only when unset values match: no separate test needed.
    try:
        hits = map(wanted.__contains__, values)
        return list(compress(ids, hits if positive else map(not_, hits)))
    except TypeError:  # an unhashable value
        return None
