"""What a form does before and after saving: defaults, onchange, and its buttons.

* ``default_get``: the values a new record would start with.
* ``onchange``: what the server changes when a field is edited, without
  saving; Odoo 17+ takes ``onchange(values, field_names, fields_spec)``, Odoo
  16 ``onchange(values, field_name, field_onchange)``: the version decides.
* ``call_button``: a form button (``action_*``, ``button_*`` or any public
  method) on records; its action dict, or ``None`` when it returned anything
  else (``True``, ``False``, ``None``), as Odoo's ``/web/dataset/call_button``
  does. Buttons change data: a call is never sent twice once it may have
  reached the server (only a request that provably never left is resent).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from zenoo_rpc.errors import InvalidArgument, ProtocolError
from zenoo_rpc.operations.arguments import require_ids, require_text

if TYPE_CHECKING:
    from zenoo_rpc.client import ZenooClient

__all__ = ["ONCHANGE_SPEC_SINCE", "call_button", "default_get", "onchange"]

#: First Odoo version with ``onchange(values, field_names, fields_spec)``.
ONCHANGE_SPEC_SINCE = 17
_X2MANY = frozenset({"one2many", "many2many"})


def _check_model(model: object) -> str:
    if not isinstance(model, str) or not model or " " in model:
        raise InvalidArgument(f"model must be a model name, not {model!r}", argument="model")
    return model


def _names(value: object, argument: str) -> list[str]:
    names = [value] if isinstance(value, str) else value
    if not isinstance(names, Sequence) or not all(isinstance(n, str) and n for n in names):
        raise InvalidArgument(f"{argument} must be field names, not {value!r}", argument=argument)
    return list(names)


async def default_get(
    client: ZenooClient,
    model: str,
    fields: Sequence[str],
    *,
    context: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The default values of ``fields`` for a new ``model`` record (``default_get``)."""
    names = _names(fields, "fields")
    result = await client.execute_kw(_check_model(model), "default_get", [names], context=context)
    return dict(result or {})


async def onchange(
    client: ZenooClient,
    model: str,
    values: Mapping[str, Any],
    field_name: str | Sequence[str],
    *,
    field_spec: Mapping[str, Any] | None = None,
    record_ids: Sequence[int] = (),
) -> dict[str, Any]:
    """What editing ``field_name`` in a form holding ``values`` changes; Odoo's answer.

    See :meth:`~zenoo_rpc.operations.mixin.Operations.onchange`.
    """
    model = _check_model(model)
    if not isinstance(values, Mapping):
        raise InvalidArgument("values must be a mapping of field name -> value", argument="values")
    names = [] if field_name in ("", None) else _names(field_name, "field_name")
    ids = require_ids(record_ids, "record_ids")
    if field_spec is None:
        described = await client.fields_get(model, attributes=["type"])
        wanted = [name for name, desc in described.items() if desc.get("type") not in _X2MANY]
        spec: dict[str, Any] = {name: {} for name in (*wanted, *values)}
    elif isinstance(field_spec, Mapping):
        spec = dict(field_spec)
    else:
        raise InvalidArgument(
            "field_spec must be a mapping of field name -> options", argument="field_spec"
        )
    version = client.server_version or await client.version()
    if version.major >= ONCHANGE_SPEC_SINCE:
        args: list[Any] = [ids, dict(values), names, spec]
    else:
        legacy_name: Any = names[0] if len(names) == 1 else names
        args = [ids, dict(values), legacy_name, dict.fromkeys(spec, "1")]
    result = await client.execute_kw(model, "onchange", args)
    if not isinstance(result, dict):
        raise ProtocolError(f"{model}.onchange answered {type(result).__name__}, not a dict")
    return result


async def call_button(
    client: ZenooClient,
    model: str,
    method: str,
    ids: int | Sequence[int],
    *,
    context: Mapping[str, Any] | None = None,
) -> dict[str, Any] | None:
    """Press button ``method`` of records ``ids``; the action it returned, or ``None``."""
    model = _check_model(model)
    if not require_text(method, "method", "a method name").isidentifier():
        raise InvalidArgument(f"method must be a method name, not {method!r}", argument="method")
    if method.startswith("_"):
        raise InvalidArgument(
            f"{model}.{method} is private: Odoo never lets a client call methods starting "
            "with '_' (buttons are action_* / button_* or other public methods)",
            argument="method",
        )
    record_ids = require_ids(ids, "ids", empty=False)
    result = await client.execute_kw(model, method, [record_ids], context=context)
    return dict(result) if isinstance(result, dict) else None
