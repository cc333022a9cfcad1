"""Keyword lookups: how ``Q(field__sub__lookup=value)`` becomes one Odoo condition.

A keyword is a field path, then optionally ``__`` and a lookup name. The last
segment is a lookup when it is one of :data:`LOOKUPS`; otherwise the whole
keyword is a field path compared with ``exact``. Path segments join with
``.`` (Odoo's related path): ``partner_id__country_id__code="BE"`` is
``("partner_id.country_id.code", "=", "BE")``. A misspelt lookup
(``name__ilke``) cannot be told from a field path, so it reaches the server
as the field ``name.ilke``, which Odoo rejects. To compare a field whose name
is a lookup name, spell the lookup out: ``company_id__name__exact``. Values go
through :func:`~zenoo_rpc.query.domain.to_domain_value` (records become ids,
datetimes UTC strings, ``None`` becomes ``False``).

================ ============================ ==========================================
lookup           condition                    meaning
================ ============================ ==========================================
``exact``        ``(f, "=", v)``              equal; ``exact=None`` is ``(f, "=", False)``
``iexact``       ``(f, "=ilike", esc(v))``    equal ignoring case (``None``: not set)
``ne``           ``(f, "!=", v)``             different (Odoo: unset values match too)
``gt`` ``gte``   ``(f, ">", v)`` ``">="``     ordered comparisons; ``None`` is refused
``lt`` ``lte``   ``(f, "<", v)`` ``"<="``
``in``           ``(f, "in", [..])``          one of the values (any iterable but a str)
``not_in``       ``(f, "not in", [..])``      none of the values
``like``         ``(f, "like", v)``           Odoo's own: ``v`` is a pattern Odoo wraps in
``ilike``        ``(f, "ilike", v)``          ``%...%``; ``%`` and ``_`` in it are wildcards
``not_like``     ``(f, "not like", v)``       (so ``ilike=f"%{q}%"`` is ``ilike=q``)
``not_ilike``    ``(f, "not ilike", v)``
``contains``     ``(f, "like", esc(v))``      contains the literal text ``v``
``icontains``    ``(f, "ilike", esc(v))``     same, ignoring case
``startswith``   ``(f, "=like", esc(v)+"%")`` starts with the literal text ``v``
``istartswith``  ``(f, "=ilike", ...)``       same, ignoring case
``endswith``     ``(f, "=like", "%"+esc(v))`` ends with the literal text ``v``
``iendswith``    ``(f, "=ilike", ...)``       same, ignoring case
``isnull``       ``(f, "=", False)``          ``True``: not set; ``False``: set
                 ``(f, "!=", False)``         (the value must be a bool)
``child_of``     ``(f, "child_of", v)``       in the hierarchy below ``v`` (ids or names)
``parent_of``    ``(f, "parent_of", v)``      in the hierarchy above ``v``
``any``          ``(f, "any", domain)``       some related record matches (a ``Q`` or
``not_any``      ``(f, "not any", domain)``   a domain); ``not_any``: none does
================ ============================ ==========================================

``esc(v)`` is :func:`escape_like`: PostgreSQL's ``LIKE`` (which Odoo uses)
takes ``\\`` as its escape character, so ``\\``, ``%`` and ``_`` are prefixed
with ``\\`` and the text matches literally. The text lookups take a ``str``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from zenoo_rpc.errors import DomainError
from zenoo_rpc.query.domain import (
    SupportsDomain,
    normalize_domain,
    shorten,
    to_domain_value,
)

__all__ = ["LOOKUPS", "Lookup", "Term", "escape_like", "resolve_keyword"]

#: One Odoo condition ``(field path, operator, value)``, a term of a domain.
Term = tuple[str, str, Any]

_PATH_SEGMENT = re.compile(r"\w+(?:\.\w+)*")


def escape_like(text: str) -> str:
    r"""``text`` as a ``LIKE`` pattern that matches exactly that text.

    ``\`` becomes ``\\``, ``%`` becomes ``\%`` and ``_`` becomes ``\_``, as
    Odoo's own ``escape_psql`` does.
    """
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


@dataclass(frozen=True)
class Lookup:
    """One keyword lookup: how ``field__<name>=value`` becomes a condition.

    :ivar name: the keyword suffix, e.g. ``"icontains"``.
    :ivar operator: the Odoo operator it produces (``isnull`` and the ``None``
        cases produce ``=`` / ``!=`` with ``False``).
    :ivar check: ``(keyword, value) -> value``: validates the value and returns
        it converted (a list for ``in``, a ``Q`` or normalized domain for ``any``);
        raises :class:`~zenoo_rpc.errors.DomainError` when it does not fit.
    :ivar build: ``(field path, checked value) -> condition``.
    """

    name: str
    operator: str
    check: Callable[[str, Any], Any]
    build: Callable[[str, Any], Term]


# --------------------------------------------------------------------------- value checks


def _value(keyword: str, value: Any) -> Any:
    return to_domain_value(value)


def _ordered(keyword: str, value: Any) -> Any:
    if value is None:
        field = keyword.rsplit("__", 1)[0]
        raise DomainError(
            f"{keyword}=None: an unset value has no order; use {field}__isnull=True",
            term=keyword,
        )
    return to_domain_value(value)


def _values(keyword: str, value: Any) -> list[Any]:
    if isinstance(value, (str, bytes, bytearray, Mapping)) or not isinstance(value, Iterable):
        raise DomainError(
            f"{keyword} takes a list (or another iterable) of values, "
            f"got {type(value).__name__}: {shorten(value)}",
            term=keyword,
        )
    if isinstance(value, (list, tuple, set, frozenset)):
        converted: list[Any] = to_domain_value(value)
        return converted
    return [to_domain_value(item) for item in value]


def _text(keyword: str, value: Any) -> str:
    if value is None:
        field = keyword.rsplit("__", 1)[0]
        raise DomainError(
            f"{keyword}=None: this lookup takes a str; use {field}__isnull=True for unset values",
            term=keyword,
        )
    if not isinstance(value, str):
        raise DomainError(
            f"{keyword} takes a str, got {type(value).__name__}: {shorten(value)}", term=keyword
        )
    return value


def _text_or_none(keyword: str, value: Any) -> Any:
    return False if value is None or value is False else _text(keyword, value)


def _flag(keyword: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise DomainError(
            f"{keyword} takes True or False, got {type(value).__name__}: {shorten(value)}",
            term=keyword,
        )
    return value


def _subdomain(keyword: str, value: Any) -> Any:
    if isinstance(value, SupportsDomain):
        return value
    if isinstance(value, (list, tuple)):
        return normalize_domain(value)
    raise DomainError(
        f"{keyword} takes a Q or a domain (a list of conditions), "
        f"got {type(value).__name__}: {shorten(value)}",
        term=keyword,
    )


# --------------------------------------------------------------------------- the table


def _plain(name: str, operator: str, check: Callable[[str, Any], Any] = _value) -> Lookup:
    return Lookup(name, operator, check, lambda path, value: (path, operator, value))


def _pattern(name: str, operator: str, prefix: str, suffix: str) -> Lookup:
    return Lookup(
        name,
        operator,
        _text,
        lambda path, value: (path, operator, f"{prefix}{escape_like(value)}{suffix}"),
    )


def _iexact(path: str, value: Any) -> Term:
    if value is False:
        return (path, "=", False)
    return (path, "=ilike", escape_like(value))


def _isnull(path: str, value: bool) -> Term:
    return (path, "=" if value else "!=", False)


def _subquery(operator: str) -> Callable[[str, Any], Term]:
    def build(path: str, value: Any) -> Term:
        domain = value.to_domain() if isinstance(value, SupportsDomain) else value
        return (path, operator, domain)

    return build


_ALL = (
    _plain("exact", "="),
    Lookup("iexact", "=ilike", _text_or_none, _iexact),
    _plain("ne", "!="),
    _plain("gt", ">", _ordered),
    _plain("gte", ">=", _ordered),
    _plain("lt", "<", _ordered),
    _plain("lte", "<=", _ordered),
    _plain("in", "in", _values),
    _plain("not_in", "not in", _values),
    _plain("like", "like"),
    _plain("ilike", "ilike"),
    _plain("not_like", "not like"),
    _plain("not_ilike", "not ilike"),
    _pattern("contains", "like", "", ""),
    _pattern("icontains", "ilike", "", ""),
    _pattern("startswith", "=like", "", "%"),
    _pattern("istartswith", "=ilike", "", "%"),
    _pattern("endswith", "=like", "%", ""),
    _pattern("iendswith", "=ilike", "%", ""),
    Lookup("isnull", "=", _flag, _isnull),
    _plain("child_of", "child_of"),
    _plain("parent_of", "parent_of"),
    Lookup("any", "any", _subdomain, _subquery("any")),
    Lookup("not_any", "not any", _subdomain, _subquery("not any")),
)

#: Every supported lookup by name (read-only).
LOOKUPS: Mapping[str, Lookup] = MappingProxyType({lookup.name: lookup for lookup in _ALL})

_EXACT = LOOKUPS["exact"]


def resolve_keyword(keyword: str) -> tuple[str, Lookup]:
    """The dotted field path and the lookup that ``keyword`` names.

    :raises DomainError: for an empty segment (``name____x``, ``name__``), a
        lookup without a field (``__ilike``), a run of three or more
        underscores (``name___ilike``: where does the segment end?) or a
        character that no field name has.
    """
    segments = keyword.split("__")
    lookup = _EXACT
    if len(segments) > 1 and segments[-1] in LOOKUPS:
        lookup = LOOKUPS[segments.pop()]
    if segments == [""]:
        what = f"the lookup {lookup.name!r}" if keyword else "a lookup keyword"
        raise DomainError(f"{keyword!r}: {what} needs a field", term=keyword)
    if "" in segments:
        raise DomainError(
            f"{keyword!r} has an empty path segment (two '__' in a row, or '__' at an end)",
            term=keyword,
        )
    if "___" in keyword:
        raise DomainError(
            f"{keyword!r}: three underscores in a row; path segments and the lookup are "
            "separated by exactly two",
            term=keyword,
        )
    for segment in segments:
        if not _PATH_SEGMENT.fullmatch(segment):
            raise DomainError(f"{keyword!r}: {segment!r} is not a field name", term=keyword)
    return ".".join(segments), lookup
