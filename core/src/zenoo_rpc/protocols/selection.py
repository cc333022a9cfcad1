"""Which protocol ``protocol = "auto"`` picks, and why (the reason is logged and emitted)."""

from __future__ import annotations

__all__ = ["JSON2_SINCE", "LEGACY_REMOVAL", "choose_protocol", "legacy_deprecation"]

#: First Odoo version with the JSON-2 API; legacy RPC is deprecated from it on.
JSON2_SINCE = 19
#: The version Odoo announced legacy RPC's removal for.
LEGACY_REMOVAL = 22


def choose_protocol(wanted: str, major: int | None, *, has_api_key: bool) -> tuple[str, str]:
    """``(protocol, reason)`` for a login to a server of version ``major``.

    JSON-2 needs Odoo 19+ and an API key; anything else uses legacy JSON-RPC,
    which every server up to 21 has. The web session is only used when asked
    for (it needs a password and keeps a server-side session).
    """
    if wanted != "auto":
        return wanted, "chosen in configuration"
    if major is not None and major >= JSON2_SINCE:
        if has_api_key:
            return "json2", f"Odoo {major} with an API key"
        return "jsonrpc", f"Odoo {major} but no API key (JSON-2 needs one)"
    return "jsonrpc", f"Odoo {major} has no JSON-2 API"


def legacy_deprecation(protocol: str, major: int | None) -> str | None:
    """The deprecation message for using legacy RPC on ``major``, or ``None``."""
    if protocol == "jsonrpc" and major is not None and major >= JSON2_SINCE:
        return (
            f"Legacy JSON-RPC is deprecated on Odoo {major} and announced for removal in "
            f"Odoo {LEGACY_REMOVAL}; log in with an API key to use JSON-2 (protocol='json2')."
        )
    return None
