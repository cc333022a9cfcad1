"""Odoo domains as data: the wire form of values, and raw domains checked and normalized.

A domain is Odoo's list of conditions ``(field, operator, value)`` in Polish
(prefix) notation: ``"&"`` and ``"|"`` take the two expressions that follow,
``"!"`` the one that follows, and consecutive expressions at the top level are
implicitly AND-ed. :func:`normalize_domain` checks that shape before anything
is sent and makes the implicit ANDs explicit; :func:`to_domain_value` turns
Python values (datetimes, enums, records...) into what Odoo compares with.
"""

from __future__ import annotations

import reprlib
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from enum import Enum
from types import MappingProxyType
from typing import Any, Protocol, TypeAlias, runtime_checkable

from zenoo_rpc.errors import DomainError
from zenoo_rpc.protocols.envelope import odoo_datetime

__all__ = [
    "FALSE_LEAF",
    "OPERATOR_ARITY",
    "TRUE_LEAF",
    "Domain",
    "SupportsDomain",
    "SupportsOdooId",
    "normalize_domain",
    "shorten",
    "to_domain_value",
]

#: An Odoo domain: ``[field, operator, value]`` conditions (lists or tuples) and
#: the ``"&"``, ``"|"``, ``"!"`` operators, in prefix notation.
Domain: TypeAlias = list[Any]

#: Odoo's condition that every record meets, and the one no record meets.
TRUE_LEAF: tuple[int, str, int] = (1, "=", 1)
FALSE_LEAF: tuple[int, str, int] = (0, "=", 1)

#: How many expressions each domain operator takes.
OPERATOR_ARITY: Mapping[str, int] = MappingProxyType({"&": 2, "|": 2, "!": 1})

_SHORT = reprlib.Repr()
_SHORT.maxstring = _SHORT.maxother = 80
_SHORT.maxlist = _SHORT.maxtuple = 10

_SUBDOMAIN_OPERATORS = frozenset({"any", "not any"})
_PLAIN = frozenset({str, int, float, bool})


@runtime_checkable
class SupportsOdooId(Protocol):
    """A record (or a many2one reference) that stands for its database id in a domain.

    Anything with an integer ``id`` and the ``_odoo_model_name`` of its model
    qualifies: ``Q(partner_id=partner)`` sends ``partner.id``. An ``id`` of
    ``0``, ``False`` or ``None`` (no record) is sent as ``False``.
    """

    @property
    def id(self) -> int:
        """The record's database id."""
        ...

    @property
    def _odoo_model_name(self) -> str:
        """The Odoo model the record belongs to, e.g. ``"res.partner"``."""
        ...


@runtime_checkable
class SupportsDomain(Protocol):
    """Something that compiles to a domain, like a :class:`~zenoo_rpc.query.Q`."""

    def to_domain(self) -> Domain:
        """The condition as a normalized prefix domain."""
        ...


def to_domain_value(value: Any) -> Any:
    """``value`` as Odoo compares it in a domain (and as it goes on the wire).

    ============================== =============================================
    Python value                   sent as
    ============================== =============================================
    ``datetime``                   ``"YYYY-MM-DD HH:MM:SS"`` in UTC (an aware
                                   value is converted, a naive one is UTC)
    ``date``                       ``"YYYY-MM-DD"``
    ``Enum`` member                its ``value`` (converted in turn)
    a :class:`SupportsOdooId`      its integer ``id`` (``False`` when it has none)
    ``None``                       ``False`` (Odoo's "not set")
    list, tuple, set, frozenset    a list of the converted items (a set sorted
                                   when its items compare, so the wire form and
                                   cache keys do not depend on hash order)
    anything else                  unchanged
    ============================== =============================================
    """
    kind = type(value)
    if kind in _PLAIN:
        return value
    if value is None:
        return False
    if isinstance(value, Enum):
        return to_domain_value(value.value)
    if isinstance(value, datetime):
        return odoo_datetime(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [to_domain_value(item) for item in value]
    if isinstance(value, (set, frozenset)):
        items = [to_domain_value(item) for item in value]
        try:
            items.sort()
        except TypeError:  # items of kinds that do not compare: keep them as they are
            pass
        return items
    if isinstance(value, SupportsOdooId):
        return value.id or False
    return value


def shorten(value: Any) -> str:
    """``repr(value)``, cut short enough for an error message."""
    return _SHORT.repr(value)


def _check_term(raw: Any, position: int) -> Any:
    """The term at ``position`` as an operator string or a ``(field, operator, value)`` tuple."""
    if isinstance(raw, str):
        if raw in OPERATOR_ARITY:
            return raw
        raise DomainError(
            f"domain term {position} is {shorten(raw)}: only '&', '|' and '!' stand alone in a "
            "domain; a condition is (field, operator, value)",
            term=raw,
        )
    if not isinstance(raw, (list, tuple)) or len(raw) != 3:
        raise DomainError(
            f"domain term {position} is {shorten(raw)}: expected a condition "
            "(field, operator, value) or one of '&', '|', '!'",
            term=raw,
        )
    field, operator, value = raw
    constant = isinstance(field, int) and (field, operator, value) in (TRUE_LEAF, FALSE_LEAF)
    if not constant and (not isinstance(field, str) or not field):
        raise DomainError(
            f"domain term {position} is {shorten(tuple(raw))}: "
            "its field must be a non-empty string",
            term=raw,
        )
    if not isinstance(operator, str) or not operator:
        raise DomainError(
            f"domain term {position} is {shorten(tuple(raw))}: "
            "its operator must be a non-empty string",
            term=raw,
        )
    if operator in _SUBDOMAIN_OPERATORS:
        return (field, operator, _subdomain(value, f"the value of domain term {position}"))
    return (field, operator, to_domain_value(value))


def _subdomain(value: Any, where: str) -> Domain:
    """The domain of an ``any`` / ``not any`` condition, from a ``Q`` or a raw domain."""
    if isinstance(value, SupportsDomain):
        return value.to_domain()
    if isinstance(value, (list, tuple)):
        return normalize_domain(value)
    raise DomainError(
        f"{where} must be a Q or a domain (a list of conditions), got {type(value).__name__}",
        term=value,
    )


def normalize_domain(domain: Sequence[Any]) -> Domain:
    """``domain`` checked and in explicit prefix form (implicit top-level ANDs made ``"&"``).

    Conditions come back as tuples with their values through
    :func:`to_domain_value`; the sub-domains of ``any`` / ``not any`` are
    normalized too. An empty domain stays empty (it matches every record).

    :raises DomainError: when a term is neither a condition nor an operator, or
        an operator lacks operands; the message names the term and its position.
    """
    if not isinstance(domain, (list, tuple)):
        raise DomainError(
            f"a domain is a list of conditions, got {type(domain).__name__}: {shorten(domain)}",
            term=domain,
        )
    terms: list[Any] = []
    expressions = 0
    #: ``[position, operator, operands still missing]`` of the open operators
    waiting: list[list[Any]] = []
    for position, raw in enumerate(domain):
        term = _check_term(raw, position)
        if not waiting:
            expressions += 1
        terms.append(term)
        if isinstance(term, str):
            waiting.append([position, term, OPERATOR_ARITY[term]])
            continue
        while waiting:  # a finished expression is one operand of the innermost open operator
            waiting[-1][2] -= 1
            if waiting[-1][2]:
                break
            waiting.pop()
    if waiting:
        position, operator, missing = waiting[-1]
        arity = OPERATOR_ARITY[operator]
        raise DomainError(
            f"domain term {position} {operator!r} takes {arity} expression"
            f"{'s' if arity > 1 else ''} but the domain ends after {arity - missing}",
            term=operator,
        )
    if expressions > 1:
        return ["&"] * (expressions - 1) + terms
    return terms
