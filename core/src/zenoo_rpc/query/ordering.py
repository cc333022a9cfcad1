"""``order_by("-date_order", "name")`` as Odoo's ``order`` string.

Each term is a field name (``"name"``), a descending one (``"-name"``), a
related path (``"partner_id.name"``, Odoo 17+), or Odoo's own spelling
(``"name desc"``, ``"name asc nulls last"``). Anything else (a comma, a
quote, SQL) raises :class:`~zenoo_rpc.errors.QueryError` before sending.
"""

from __future__ import annotations

import re

from zenoo_rpc.errors import QueryError

__all__ = ["order_clause", "order_terms"]

_TERM = re.compile(
    r"^\s*(?P<minus>-)?(?P<field>[A-Za-z_][A-Za-z0-9_]*(?:[.:][A-Za-z_][A-Za-z0-9_]*)*)"
    r"(?:\s+(?P<direction>asc|desc))?(?:\s+(?P<nulls>nulls\s+(?:first|last)))?\s*$",
    re.IGNORECASE,
)


def order_terms(*terms: str) -> tuple[str, ...]:
    """Each term as ``"field asc|desc[ nulls first|last]"``."""
    out = []
    for term in terms:
        text: object = term
        match = _TERM.match(text) if isinstance(text, str) else None
        if match is None or (match["minus"] and match["direction"]):
            raise QueryError(
                f"order_by() takes field names, '-field' for descending, or 'field desc', "
                f"not {term!r}"
            )
        direction = (match["direction"] or ("desc" if match["minus"] else "asc")).lower()
        nulls = f" {' '.join(match['nulls'].lower().split())}" if match["nulls"] else ""
        out.append(f"{match['field']} {direction}{nulls}")
    return tuple(out)


def order_clause(terms: tuple[str, ...]) -> str | None:
    """The ``order`` argument for ``terms`` (``None`` for the model's default order)."""
    return ", ".join(terms) or None
