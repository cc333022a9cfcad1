"""How ``zenoo import`` turns file rows into ``create`` values, by field type.

The inverse of :mod:`~zenoo_rpc.cli.export_format`, so an exported file
imports back:

- CSV cells are text: ``integer`` / ``float`` / ``monetary`` cells are
  parsed as numbers, ``boolean`` ones from ``true/false``, ``1/0``,
  ``yes/no``; a ``many2one`` cell is a record id; ``one2many`` /
  ``many2many`` cells are ids separated by spaces or commas (or a JSON
  list), linked with Odoo's ``(6, 0, ids)`` command; ``json`` /
  ``properties`` cells are JSON. An empty cell is left out, so the field's
  default applies.
- JSON Lines values are used as they are, except that ``null`` is left out,
  a many2one ``[id, "name"]`` pair becomes its id and a list of ids for an
  x2many field becomes ``(6, 0, ids)``.

The ``id`` column and ``<field>/name`` columns (written by
``zenoo export --m2o both``) are not imported. A value that cannot be
converted raises :class:`ValueError` naming the field, and the row is
rejected without being sent.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

__all__ = ["ValueConverter", "ignored_column"]

_TRUE = {"1", "true", "yes", "y", "t", "on"}
_FALSE = {"0", "false", "no", "n", "f", "off"}


def ignored_column(name: str) -> bool:
    """Columns that exports write but imports leave out: ``id`` and ``<field>/name``."""
    return name == "id" or "/" in name


class ValueConverter:
    """Converts rows of one file into ``create`` values.

    :param types: each imported field's Odoo type (from ``fields_get``).
    """

    def __init__(self, types: Mapping[str, str]) -> None:
        self.types = dict(types)

    def convert(self, row: Mapping[str, Any]) -> dict[str, Any]:
        """The ``create`` values of one row.

        :raises ValueError: a value that does not fit its field, naming the field.
        """
        values: dict[str, Any] = {}
        for name, raw in row.items():
            if ignored_column(name) or raw is None or raw == "":
                continue
            kind = self.types.get(name, "char")
            try:
                values[name] = (
                    self._from_text(kind, raw)
                    if isinstance(raw, str)
                    else self._from_json(kind, raw)
                )
            except (ValueError, TypeError) as exc:
                raise ValueError(f"field {name!r} ({kind}): {exc}") from None
        return values

    @staticmethod
    def _from_text(kind: str, text: str) -> Any:
        stripped = text.strip()
        if kind == "integer":
            return int(stripped)
        if kind in ("float", "monetary"):
            return float(stripped)
        if kind == "boolean":
            lowered = stripped.lower()
            if lowered in _TRUE:
                return True
            if lowered in _FALSE:
                return False
            raise ValueError(f"{text!r} is not true/false")
        if kind == "many2one":
            return _record_id(stripped)
        if kind in ("one2many", "many2many"):
            if stripped.startswith("["):
                ids = json.loads(stripped)
            else:
                ids = stripped.replace(",", " ").split()
            return [(6, 0, [_record_id(item) for item in ids])]
        if kind in ("json", "properties"):
            return json.loads(stripped)
        return text

    @staticmethod
    def _from_json(kind: str, value: Any) -> Any:
        if kind == "many2one":
            if isinstance(value, list) and value:
                value = value[0]
            return _record_id(value)
        if (
            kind in ("one2many", "many2many")
            and isinstance(value, list)
            and all(isinstance(item, int) and not isinstance(item, bool) for item in value)
        ):
            return [(6, 0, value)]
        return value


def _record_id(value: Any) -> int:
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a record id")
    number = int(value)
    if number <= 0:
        raise ValueError(f"{value!r} is not a record id")
    return number
