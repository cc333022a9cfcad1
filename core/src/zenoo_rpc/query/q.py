"""``Q``: conditions built from keyword lookups, combined with ``&``, ``|`` and ``~``.

::

    Q(name__ilike="acme") | Q(email__ilike="acme")
    # ['|', ('name', 'ilike', 'acme'), ('email', 'ilike', 'acme')]
    Q(is_company=True) & ~Q(country_id__code__in=["BE", "NL"])
    # ['&', ('is_company', '=', True), '!', ('country_id.code', 'in', ['BE', 'NL'])]

A ``Q`` is an immutable tree; :meth:`Q.to_domain` writes it as the prefix
(Polish) domain Odoo expects, with n-ary ANDs and ORs written as the right
number of binary ``"&"`` / ``"|"`` operators. ``Q()`` matches every record:
it vanishes from an AND (``Q() & x`` is ``x``) and absorbs an OR
(``Q() | x`` is ``Q()``), and ``~Q()`` matches no record. Raw domains mix
in anywhere a ``Q`` goes (``Q(...) & [("active", "=", False)]``). The lookups
are listed in :mod:`zenoo_rpc.query.lookups`.
"""

from __future__ import annotations

import keyword as _keyword
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, Union

from zenoo_rpc.errors import DomainError
from zenoo_rpc.query.domain import (
    FALSE_LEAF,
    Domain,
    SupportsDomain,
    SupportsOdooId,
    normalize_domain,
    shorten,
    to_domain_value,
)
from zenoo_rpc.query.lookups import resolve_keyword

__all__ = ["Domain", "Q", "SupportsOdooId", "compile_domain", "to_domain_value"]

#: What combines with a ``Q``: another ``Q`` or a raw domain (list or tuple of terms).
Condition = Union["Q", list[Any], tuple[Any, ...]]

_LEAF, _AND, _OR, _NOT = "leaf", "&", "|", "!"
_OR_LEVEL, _AND_LEVEL, _ATOM = 0, 1, 2
_TRUE, _FALSE = object(), object()  # booleans in signatures, so that True != 1
_set = object.__setattr__


class Q:
    """A search condition: keyword lookups, a raw domain, or a combination of ``Q`` objects.

    ``Q(**lookups)`` ANDs its keyword lookups in keyword order;
    ``Q(domain)`` takes one raw Odoo domain (checked, see
    :func:`~zenoo_rpc.query.domain.normalize_domain`); both together are
    ANDed. ``Q()`` matches every record and is the only false ``Q``: it
    vanishes from an AND and absorbs an OR (``Q() | x`` is ``Q()``), while
    ``~Q()`` matches nothing. ``&``, ``|`` and ``~`` build new objects; a
    ``Q`` never changes, hashes, and equals another with the same structure
    and conditions (``Q(name="x") == Q(name__exact="x") == Q([("name", "=",
    "x")])``). Its ``repr`` is Python that rebuilds it, with values in their
    wire form (``Q(partner_id=7)`` for a record with id 7).

    :raises DomainError: for a malformed raw domain, keyword or lookup value.
    """

    __slots__ = ("_children", "_condition", "_keyword", "_kind", "_shown", "_signature")

    _kind: str
    _children: tuple[Q, ...]
    _condition: tuple[Any, str, Any] | None
    _keyword: str | None
    _shown: Any
    _signature: tuple[Any, ...] | None

    def __init__(self, domain: Condition | None = None, /, **lookups: Any) -> None:
        parts: list[Q] = []
        if domain is not None:
            parts.append(_coerce(domain, "Q()'s positional argument"))
        parts.extend(_lookup(keyword, value) for keyword, value in lookups.items())
        _fill(self, _and(parts))

    # ------------------------------------------------------------------ combination

    def __and__(self, other: Condition) -> Q:
        if not isinstance(other, (Q, list, tuple)):
            return NotImplemented
        return _and((self, _coerce(other, "the right side of '&'")))

    def __rand__(self, other: Condition) -> Q:
        if not isinstance(other, (list, tuple)):
            return NotImplemented
        return _and((_coerce(other, "the left side of '&'"), self))

    def __or__(self, other: Condition) -> Q:
        if not isinstance(other, (Q, list, tuple)):
            return NotImplemented
        return _or((self, _coerce(other, "the right side of '|'")))

    def __ror__(self, other: Condition) -> Q:
        if not isinstance(other, (list, tuple)):
            return NotImplemented
        return _or((_coerce(other, "the left side of '|'"), self))

    def __invert__(self) -> Q:
        return _not(self)

    def __bool__(self) -> bool:
        """False only for ``Q()``, the condition every record meets."""
        return not (self._kind == _AND and not self._children)

    # ------------------------------------------------------------------ output

    def to_domain(self) -> Domain:
        """The condition as a normalized prefix domain (a new list each time).

        ``Q()`` gives ``[]`` (every record), ``~Q()`` gives ``[(0, "=", 1)]``
        (Odoo's ``FALSE_LEAF``: no record). Conditions are tuples.
        """
        return list(self._prefix(_thaw_condition))

    def _prefix(self, leaf: Callable[[tuple[Any, str, Any]], Any]) -> Iterator[Any]:
        """The prefix terms, operators as strings and conditions through ``leaf``."""
        stack: list[Q] = [self]
        while stack:  # no recursion: a deeply nested tree cannot exhaust the stack
            node = stack.pop()
            if node._condition is not None:
                yield leaf(node._condition)
            elif node._kind == _NOT:
                child = node._children[0]
                if child:
                    yield _NOT
                    stack.append(child)
                else:
                    yield leaf(FALSE_LEAF)
            else:
                for _ in range(len(node._children) - 1):
                    yield node._kind
                stack.extend(reversed(node._children))

    def _structure(self) -> tuple[Any, ...]:
        signature = self._signature
        if signature is None:
            signature = tuple(self._prefix(_freeze))
            _set(self, "_signature", signature)
        return signature

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Q):
            return NotImplemented
        return self is other or self._structure() == other._structure()

    def __hash__(self) -> int:
        return hash(self._structure())

    def __repr__(self) -> str:
        return self._render()[1]

    def _render(self) -> tuple[int, str]:
        """``(precedence, text)``: the text is valid Python that rebuilds an equal ``Q``."""
        if self._condition is not None:
            if self._keyword is None:
                return _ATOM, f"Q([{self._condition!r}])"
            return _ATOM, f"Q({_argument(self._keyword, self._shown)})"
        if self._kind == _NOT:
            child = self._children[0]
            return _ATOM, "~" + (_wrap(child, _ATOM) if child else "Q()")
        keywords = [child._keyword for child in self._children]
        if self._kind == _AND and None not in keywords and len(set(keywords)) == len(keywords):
            arguments = (_argument(child._keyword or "", child._shown) for child in self._children)
            return _ATOM, f"Q({', '.join(arguments)})"
        if self._kind == _AND:
            return _AND_LEVEL, " & ".join(_wrap(child, _AND_LEVEL) for child in self._children)
        return _OR_LEVEL, " | ".join(_wrap(child, _OR_LEVEL) for child in self._children)

    # ------------------------------------------------------------------ immutability

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"Q objects are immutable; cannot set {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"Q objects are immutable; cannot delete {name!r}")

    def __copy__(self) -> Q:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> Q:
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        return (
            _restore,
            (self._kind, self._children, self._condition, self._keyword, self._shown),
        )


def compile_domain(*conditions: Condition, **lookups: Any) -> Domain:
    """The AND of ``conditions`` (``Q`` objects or raw domains) and ``lookups``, normalized.

    ``compile_domain(Q(a=1) | Q(b=2), [("c", "=", 3)], d__gt=4)`` is
    ``(Q(a=1) | Q(b=2)) & Q([("c", "=", 3)]) & Q(d__gt=4)`` as a prefix domain.

    :raises DomainError: for a malformed domain, keyword or lookup value, or a
        condition that is neither a ``Q`` nor a domain.
    """
    parts = [_coerce(condition, f"condition {i}") for i, condition in enumerate(conditions)]
    parts.extend(_lookup(keyword, value) for keyword, value in lookups.items())
    return _and(parts).to_domain()


# --------------------------------------------------------------------------- building


def _node(
    kind: str,
    children: tuple[Q, ...] = (),
    condition: tuple[Any, str, Any] | None = None,
    keyword: str | None = None,
    shown: Any = None,
) -> Q:
    node = object.__new__(Q)
    _set(node, "_kind", kind)
    _set(node, "_children", children)
    _set(node, "_condition", condition)
    _set(node, "_keyword", keyword)
    _set(node, "_shown", shown)
    _set(node, "_signature", None)
    return node


def _fill(target: Q, source: Q) -> None:
    for name in Q.__slots__:
        _set(target, name, getattr(source, name))


def _restore(
    kind: str,
    children: tuple[Q, ...],
    condition: tuple[Any, str, Any] | None,
    keyword: str | None,
    shown: Any,
) -> Q:
    return _node(kind, children, condition, keyword, shown)


_EMPTY = _node(_AND)


def _and(parts: Iterable[Q]) -> Q:
    children: list[Q] = []
    for part in parts:
        if part._kind == _AND:  # flattens, and drops Q() which has no children
            children.extend(part._children)
        else:
            children.append(part)
    if len(children) == 1:
        return children[0]
    return _node(_AND, tuple(children)) if children else _EMPTY


def _or(parts: Iterable[Q]) -> Q:
    children: list[Q] = []
    for part in parts:
        if not part:  # Q() matches every record: so does the OR
            return _EMPTY
        children.extend(part._children if part._kind == _OR else (part,))
    if len(children) == 1:
        return children[0]
    return _node(_OR, tuple(children))


def _not(part: Q) -> Q:
    if part._kind == _NOT:
        return part._children[0]
    return _node(_NOT, (part,))


def _lookup(keyword: str, value: Any) -> Q:
    path, lookup = resolve_keyword(keyword)
    shown = lookup.check(keyword, value)
    return _node(_LEAF, condition=lookup.build(path, shown), keyword=keyword, shown=shown)


def _coerce(condition: Any, where: str) -> Q:
    """``condition`` as a ``Q``: a ``Q`` as is; a raw domain, or anything with a
    ``to_domain()`` method, parsed into a tree."""
    if isinstance(condition, Q):
        return condition
    if isinstance(condition, (list, tuple)):
        return _from_terms(normalize_domain(condition))
    if isinstance(condition, SupportsDomain):
        return _from_terms(normalize_domain(condition.to_domain()))
    raise DomainError(
        f"{where} must be a Q or a domain (a list of conditions), "
        f"got {type(condition).__name__}: {shorten(condition)}",
        term=condition,
    )


def _from_terms(terms: Sequence[Any]) -> Q:
    """The tree of a checked, explicit prefix domain (read right to left, no recursion)."""
    stack: list[Q] = []
    for term in reversed(terms):
        if term == _NOT:
            stack.append(_not(stack.pop()))
        elif term == _AND:
            stack.append(_and((stack.pop(), stack.pop())))
        elif term == _OR:
            stack.append(_or((stack.pop(), stack.pop())))
        else:
            stack.append(_node(_LEAF, condition=term))
    return stack[0] if stack else _EMPTY


# --------------------------------------------------------------------------- values


def _thaw(value: Any) -> Any:
    """A copy of the lists, tuples and dicts in ``value``, so callers may change the domain."""
    if isinstance(value, list):
        return [_thaw(item) for item in value]
    if isinstance(value, tuple):
        return tuple(_thaw(item) for item in value)
    if isinstance(value, dict):
        return {key: _thaw(item) for key, item in value.items()}
    return value


def _thaw_condition(condition: tuple[Any, str, Any]) -> tuple[Any, str, Any]:
    field, operator, value = condition
    if isinstance(value, (list, tuple, dict)):
        return (field, operator, _thaw(value))
    return condition


def _freeze(value: Any) -> Any:
    """``value`` as a hashable signature; booleans stay apart from 0 and 1."""
    if value is True:
        return _TRUE
    if value is False:
        return _FALSE
    if isinstance(value, (list, tuple)):
        return tuple(_freeze(item) for item in value)
    if isinstance(value, dict):
        return frozenset((key, _freeze(item)) for key, item in value.items())
    return value


def _argument(keyword: str, value: Any) -> str:
    if keyword.isidentifier() and not _keyword.iskeyword(keyword):
        return f"{keyword}={value!r}"
    return f"**{{{keyword!r}: {value!r}}}"


def _wrap(node: Q, level: int) -> str:
    precedence, text = node._render()
    return f"({text})" if precedence < level else text
