"""Turning the server's "Invalid field" errors into :class:`~zenoo_rpc.errors.UnknownFieldError`.

The model layer does not ask ``fields_get`` before every query (that would
be a second call): it lets the server refuse, and only then reads the
model's fields (once, cached) to say which names it lacks and where they
came from (the model class, or the query).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import TYPE_CHECKING

from zenoo_rpc.errors import OdooServerError, UnknownFieldError

if TYPE_CHECKING:
    from zenoo_rpc.client import ZenooClient

__all__ = ["explain_unknown_fields"]


async def explain_unknown_fields(
    client: ZenooClient,
    model_name: str,
    names: Iterable[str],
    error: OdooServerError,
    *,
    declared: Collection[str] = (),
    owner: str = "",
) -> None:
    """Raise :class:`UnknownFieldError` (from ``error``) when some of ``names`` do not exist.

    Returns (and the caller re-raises ``error``) when ``error`` is about something else.

    :param declared: the names the model class declares (for the message).
    :param owner: the model class's name (for the message).
    """
    if type(error) is not OdooServerError or "field" not in error.message.lower():
        return
    try:
        descriptions = await client._model_state.descriptions(client, model_name)
    except OdooServerError:
        return
    missing = [name for name in dict.fromkeys(names) if name not in descriptions]
    if not missing:
        return
    from_class = [name for name in missing if name in declared]
    if owner and from_class == missing:
        how = f" (declared on {owner})"
    elif owner and from_class:
        how = f" ({', '.join(from_class)} declared on {owner})"
    else:
        how = ""
    raise UnknownFieldError(
        f"{model_name} has no field {', '.join(repr(n) for n in missing)} on this server{how}; "
        "check the field names, the installed modules and the Odoo version "
        "(declared fields take since= / until=)",
        model=model_name,
        fields=missing,
    ) from error
