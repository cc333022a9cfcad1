"""Python values as Odoo takes them in ``create`` / ``write`` values.

Declared fields convert their own values (see :mod:`zenoo_rpc.models.fields`);
this is the rule for everything else: values of fields a model does not
declare, and the values inside x2many commands.

================================= ==========================================
Python value                      sent as
================================= ==========================================
``None``                          ``False`` (Odoo's "empty")
a record or a ``Ref``             its id
``datetime`` / ``date``           ``"YYYY-MM-DD HH:MM:SS"`` (UTC) / ``"YYYY-MM-DD"``
``Enum`` member                   its value
``bytes``                         base64 text (binary fields)
``X2Many``                        ``[(6, 0, ids)]``
dict, list, tuple, set            converted item by item (sets as lists)
anything else                     unchanged
================================= ==========================================
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from datetime import date, datetime
from enum import Enum
from typing import Any

from zenoo_rpc.models.relations import X2Many
from zenoo_rpc.protocols.envelope import odoo_datetime

__all__ = ["record_id", "wire_value", "wire_values"]

_PLAIN = frozenset({str, int, float, bool})


def wire_value(value: Any) -> Any:
    """``value`` as Odoo takes it in ``create`` / ``write`` (see the module's table)."""
    kind = type(value)
    if kind in _PLAIN:
        return value
    if value is None:
        return False
    if isinstance(value, Enum):
        return wire_value(value.value)
    if isinstance(value, datetime):
        return odoo_datetime(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray, memoryview)):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, X2Many):
        return [(6, 0, list(value.ids))]
    if isinstance(value, Mapping):
        return {key: wire_value(item) for key, item in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [wire_value(item) for item in value]
    model = getattr(value, "_odoo_model_name", None)
    if model is not None and isinstance(getattr(value, "id", None), int):
        return value.id
    return value


def wire_values(values: Mapping[str, Any]) -> dict[str, Any]:
    """Every value of ``values`` through :func:`wire_value`."""
    return {key: wire_value(value) for key, value in values.items()}


def record_id(value: Any, what: str = "a record id") -> int:
    """The id of ``value``: a positive int, a record or a ``Ref``.

    :raises TypeError: for anything else (``FieldValueError`` is raised by callers
        that know the field).
    """
    if isinstance(value, int) and not isinstance(value, bool):
        if value > 0:
            return value
    elif getattr(value, "_odoo_model_name", None) is not None:
        rid = getattr(value, "id", None)
        if isinstance(rid, int) and not isinstance(rid, bool) and rid > 0:
            return rid
    raise TypeError(f"{what} must be a positive int, a record or a Ref, not {value!r:.60}")
