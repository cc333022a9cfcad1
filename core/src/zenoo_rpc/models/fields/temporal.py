"""Date and datetime fields.

Odoo stores datetimes in UTC without a time zone and sends them as
``"YYYY-MM-DD HH:MM:SS"``; :class:`DatetimeField` reads them as *aware* UTC
``datetime`` objects, so comparing with ``datetime.now(timezone.utc)`` or
converting with ``astimezone()`` is right by construction. Assigning an aware
datetime converts it to UTC; a naive one is taken as UTC (as Odoo does).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from zenoo_rpc.errors import FieldValueError
from zenoo_rpc.models.fields.base import Field
from zenoo_rpc.protocols.envelope import odoo_datetime

if TYPE_CHECKING:
    from zenoo_rpc.models.base import OdooModel

__all__ = ["DateField", "DatetimeField"]


def _bad_value(field: Field[Any, Any], value: Any, expected: str) -> FieldValueError:
    return FieldValueError(
        f"{field.label} takes {expected}, not {type(value).__name__} {value!r:.60}",
        model=getattr(field.owner, "_odoo_model_name", ""),
        field=field.name,
    )


class DateField(Field[date | None, date | None]):
    """A calendar date (Odoo ``date``), read as ``datetime.date``."""

    odoo_type = "date"
    cached = True

    def from_wire(self, value: Any, record: OdooModel | None = None) -> date | None:
        if value is False or value is None:
            return None
        try:
            return date.fromisoformat(value[:10])
        except (TypeError, ValueError):
            raise _bad_value(self, value, "an ISO date from the server") from None

    def to_wire(self, value: date | None) -> Any:
        given: object = value
        if given is None or given is False:  # Odoo's own "empty" is taken too
            return False
        if isinstance(value, datetime) or not isinstance(value, date):
            raise _bad_value(self, value, "a date (not a datetime) or None")
        return value.isoformat()


class DatetimeField(Field[datetime | None, datetime | None]):
    """A point in time (Odoo ``datetime``), read as an aware UTC ``datetime``."""

    odoo_type = "datetime"
    cached = True

    def from_wire(self, value: Any, record: OdooModel | None = None) -> datetime | None:
        if value is False or value is None:
            return None
        try:
            return datetime.fromisoformat(value + "+00:00")  # faster than .replace(tzinfo=)
        except (TypeError, ValueError):
            raise _bad_value(self, value, "an Odoo datetime from the server") from None

    def to_wire(self, value: datetime | None) -> Any:
        given: object = value
        if given is None or given is False:  # Odoo's own "empty" is taken too
            return False
        if not isinstance(value, datetime):
            raise _bad_value(self, value, "a datetime or None")
        return odoo_datetime(value)
