"""How ``zenoo export`` writes Odoo rows: CSV (RFC 4180) or JSON Lines, byte for byte stable.

Columns are ``id`` then the exported fields, in the order asked for.
Values, by field type:

==============  =============================  ==================================
field type      CSV cell                       JSON Lines value
==============  =============================  ==================================
many2one        the id (``--m2o id``), the     the same, as a number / string;
                display name (``name``), or    ``null`` when empty
                both: ``<field>`` holds the
                id and ``<field>/name`` the
                name (``both``); empty when
                not set
one2many,       the ids separated by spaces    a list of ids
many2many       (``"3 7 12"``)
boolean         ``true`` / ``false``           ``true`` / ``false``
anything else   the value; empty when Odoo     the value; ``null`` when Odoo
                says ``False`` (no value)      says ``False``
==============  =============================  ==================================

The same rows always give the same bytes, which is what makes a resumed
export identical to an uninterrupted one. ``zenoo import`` reads both formats
back (it ignores ``<field>/name`` columns).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from typing import Any, Literal

import msgspec

__all__ = ["FORMATS", "M2O_MODES", "ExportFormat", "M2oMode", "RowWriter"]

ExportFormat = Literal["csv", "jsonl"]
M2oMode = Literal["id", "name", "both"]
FORMATS: tuple[ExportFormat, ...] = ("csv", "jsonl")
M2O_MODES: tuple[M2oMode, ...] = ("id", "name", "both")

_X2MANY = ("one2many", "many2many")
_JSON = msgspec.json.Encoder()


class RowWriter:
    """Turns pages of ``search_read`` rows into the bytes of one format.

    :param fields: the exported fields (without ``id``), in column order.
    :param types: each field's Odoo type (from ``fields_get``).
    :param file_format: ``csv`` or ``jsonl``.
    :param m2o: how many2one values are written.
    """

    def __init__(
        self,
        fields: Sequence[str],
        types: Mapping[str, str],
        file_format: ExportFormat,
        m2o: M2oMode = "id",
    ) -> None:
        self.fields = list(fields)
        self.types = dict(types)
        self.format = file_format
        self.m2o = m2o

    @property
    def columns(self) -> list[str]:
        """``id``, then each field (and ``<field>/name`` after a many2one with ``both``)."""
        columns = ["id"]
        for name in self.fields:
            columns.append(name)
            if self.m2o == "both" and self.types.get(name) == "many2one":
                columns.append(f"{name}/name")
        return columns

    def header(self) -> bytes:
        """What the file starts with: the CSV header line; nothing for JSON Lines."""
        if self.format == "jsonl":
            return b""
        return self._csv([self.columns])

    def encode(self, rows: Sequence[Mapping[str, Any]]) -> bytes:
        """The bytes of one page of rows, each row a complete line."""
        records = [self._record(row) for row in rows]
        if self.format == "jsonl":
            return b"".join(_JSON.encode(record) + b"\n" for record in records)
        return self._csv([[_cell(value) for value in record.values()] for record in records])

    def _record(self, row: Mapping[str, Any]) -> dict[str, Any]:
        record: dict[str, Any] = {"id": row["id"]}
        for name in self.fields:
            kind = self.types.get(name, "")
            value = row.get(name, False)
            if kind == "many2one":
                pair = value if isinstance(value, (list, tuple)) and value else None
                if self.m2o in ("id", "both"):
                    record[name] = pair[0] if pair else None
                if self.m2o in ("name", "both"):
                    label = (pair[1] if len(pair) > 1 else None) if pair else None
                    record[f"{name}/name" if self.m2o == "both" else name] = label
            elif kind in _X2MANY:
                record[name] = list(value) if isinstance(value, (list, tuple)) else []
            elif kind == "boolean":
                record[name] = bool(value)
            else:
                record[name] = None if value is False else value
        return record

    @staticmethod
    def _csv(lines: list[list[Any]]) -> bytes:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerows(lines)
        return buffer.getvalue().encode("utf-8")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        if all(isinstance(item, int) for item in value):
            return " ".join(str(item) for item in value)
        return _JSON.encode(value).decode()
    if isinstance(value, dict):
        return _JSON.encode(value).decode()
    return str(value)
