"""Every write of the model layer goes through here.

Each one is a normal client call (``create`` / ``write`` / ``unlink``), so the
call pipeline invalidates the read cache for the model, and each one moves
the model's generation on (:meth:`~zenoo_rpc.models.access.ModelState.bump`),
so relations that pages loaded earlier are read again on next access.

Values are converted by the model's declared fields (checked: types, lengths,
selections, read-only fields) and by :func:`~zenoo_rpc.models.wire.wire_value`
for the others.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from zenoo_rpc.errors import FieldValueError, OdooServerError
from zenoo_rpc.models.fields.base import MISSING, Field
from zenoo_rpc.models.wire import wire_value
from zenoo_rpc.query.field_errors import explain_unknown_fields

if TYPE_CHECKING:
    from zenoo_rpc.client import ZenooClient
    from zenoo_rpc.models.base import OdooModel

__all__ = ["create_rows", "prepare_values", "unlink_ids", "write_ids"]


def _field_by_name(model: type[OdooModel], key: str) -> Field[Any, Any] | None:
    fields = model._fields
    field = fields.get(key)
    if field is not None:
        return field
    for candidate in fields.values():
        if candidate.attr == key:
            return candidate
    return None


def prepare_values(
    model: type[OdooModel], values: Mapping[str, Any], *, create: bool = False
) -> dict[str, Any]:
    """``values`` as the server takes them; on ``create``, declared defaults fill the gaps.

    Keys may be attribute names or Odoo field names.

    :raises FieldValueError: a value does not fit its field, or the field is read-only.
    """
    out: dict[str, Any] = {}
    for key, value in values.items():
        field = _field_by_name(model, key)
        if field is None:
            out[key] = wire_value(value)
            continue
        if field.readonly:
            raise FieldValueError(
                f"{field.label} is read-only", model=model._odoo_model_name, field=field.name
            )
        out[field.name] = field.to_wire(value)
    if create:
        for name, field in model._fields.items():
            if name in out or field.default is MISSING:
                continue
            default = field.default_value()
            out[name] = field.to_wire(default)
    return out


async def create_rows(
    client: ZenooClient, model_name: str, vals_list: Sequence[Mapping[str, Any]]
) -> list[int]:
    """Create records from ``vals_list`` (already prepared) in one call; their ids."""
    try:
        return await client.create(model_name, list(vals_list))
    except OdooServerError as exc:
        names = {name for vals in vals_list for name in vals}
        await explain_unknown_fields(client, model_name, names, exc)
        raise
    finally:
        client._model_state.bump(model_name)


async def write_ids(
    client: ZenooClient, model_name: str, ids: Sequence[int], values: Mapping[str, Any]
) -> None:
    """Write prepared ``values`` on ``ids`` in one call."""
    try:
        await client.write(model_name, list(ids), values)
    except OdooServerError as exc:
        await explain_unknown_fields(client, model_name, values, exc)
        raise
    finally:
        client._model_state.bump(model_name)


async def unlink_ids(client: ZenooClient, model_name: str, ids: Sequence[int]) -> None:
    """Delete ``ids`` in one call."""
    try:
        await client.unlink(model_name, list(ids))
    finally:
        client._model_state.bump(model_name)
