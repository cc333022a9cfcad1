"""Domain syntax: validation, normalization to explicit prefix form, and combination.

A domain is Odoo's list of conditions in Polish notation, where consecutive
terms are implicitly AND-ed. Everything here is pure (no model access): the
evaluator in :mod:`.expression` builds on :func:`parse`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

__all__ = [
    "AND",
    "FALSE_LEAF",
    "NEGATIVE_OPERATORS",
    "OPERATORS",
    "OR",
    "TRUE_LEAF",
    "Leaf",
    "Node",
    "is_leaf",
    "normalize_domain",
    "parse",
]

TRUE_LEAF: tuple[int, str, int] = (1, "=", 1)
FALSE_LEAF: tuple[int, str, int] = (0, "=", 1)
OPERATORS = frozenset(
    {
        "=", "!=", "<", ">", "<=", ">=", "=?", "in", "not in",
        "like", "ilike", "not like", "not ilike", "=like", "=ilike",
        "child_of", "parent_of", "any", "not any",
    }
)  # fmt: skip
NEGATIVE_OPERATORS = frozenset({"!=", "not in", "not like", "not ilike", "not any"})
_ARITY = {"!": 1, "&": 2, "|": 2}


@dataclass(frozen=True)
class Leaf:
    """One condition ``(left, operator, right)``; ``left`` may be a dotted path."""

    left: Any
    operator: str
    right: Any

    def as_tuple(self) -> tuple[Any, str, Any]:
        return (self.left, self.operator, self.right)


@dataclass(frozen=True)
class Node:
    """``&`` / ``|`` over children, or ``!`` over one child."""

    operator: str
    children: tuple[Node | Leaf, ...]


def is_leaf(element: Any) -> bool:
    """Whether ``element`` has the shape of a condition (not whether it is valid)."""
    return isinstance(element, (list, tuple)) and len(element) == 3


def _check_term(term: Any) -> Any:
    if isinstance(term, str):
        if term not in _ARITY:
            raise ValueError(f"Invalid leaf {term!r}")
        return term
    if not is_leaf(term):
        raise ValueError(f"Invalid leaf {term!s}")
    left, operator, right = term
    if isinstance(operator, str):
        operator = operator.lower()
    if operator not in OPERATORS or not (
        isinstance(left, str) or tuple(term) in (TRUE_LEAF, FALSE_LEAF)
    ):
        raise ValueError(f"Invalid leaf {tuple(term)!s}")
    return (left, operator, right)


def normalize_domain(domain: Sequence[Any] | None) -> list[Any]:
    """The domain in explicit prefix form: implicit ANDs become ``'&'`` operators.

    An empty domain normalizes to ``[TRUE_LEAF]`` as in Odoo. Leaves come back
    as tuples; a syntactically broken domain raises ``ValueError``.
    """
    if domain is None:
        domain = []
    if not isinstance(domain, (list, tuple)):
        raise ValueError(f"Invalid domain {domain!r}")
    if not domain:
        return [TRUE_LEAF]
    result: list[Any] = []
    expected = 1
    for raw in domain:
        term = _check_term(raw)
        if expected == 0:
            result.insert(0, "&")
            expected = 1
        if isinstance(term, tuple):
            expected -= 1
        else:
            expected += _ARITY[term] - 1
        result.append(term)
    if expected != 0:
        raise ValueError(f"Domain {list(domain)} is syntactically not correct.")
    return result


def parse(domain: Sequence[Any] | None) -> Node | Leaf:
    """The domain as a tree of :class:`Node` and :class:`Leaf`."""
    tokens = normalize_domain(domain)
    pos = 0

    def take() -> Node | Leaf:
        nonlocal pos
        term = tokens[pos]
        pos += 1
        if isinstance(term, tuple):
            return Leaf(*term)
        if term == "!":
            return Node("!", (take(),))
        first = take()
        return Node(term, (first, take()))

    return take()


def _combine(operator: str, unit: tuple[int, str, int], domains: Sequence[Any]) -> list[Any]:
    parts = [normalize_domain(d) for d in domains if d]
    parts = [p for p in parts if p != [unit]]
    if not parts:
        return [unit]
    result: list[Any] = [operator] * (len(parts) - 1)
    for part in parts:
        result.extend(part)
    return result


def AND(domains: Sequence[Any]) -> list[Any]:
    """Conjunction of domains in prefix form; empty domains are dropped."""
    return _combine("&", TRUE_LEAF, domains)


def OR(domains: Sequence[Any]) -> list[Any]:
    """Disjunction of domains in prefix form; an empty domain (always true) wins."""
    if any(not d for d in domains):
        return [TRUE_LEAF]
    return _combine("|", FALSE_LEAF, domains)
