"""zenoo-rpc: an async client for Odoo's external APIs, built as a plugin framework.

::

    from zenoo_rpc import ZenooClient

    async with ZenooClient("memory://demo") as client:   # the built-in in-memory Odoo
        await client.login("demo", "admin", "admin")
        print(await client.search_read("res.partner", fields=["name"], limit=5))
"""

from zenoo_rpc.__about__ import __version__
from zenoo_rpc.call import Call, ServiceCall
from zenoo_rpc.client import ZenooClient
from zenoo_rpc.errors import (
    AccessDenied,
    AccessError,
    ConfigError,
    MissingError,
    OdooServerError,
    OutcomeUnknownError,
    OutcomeUnknownTimeout,
    ProtocolError,
    SessionExpired,
    UserError,
    ValidationError,
    ZenooError,
)
from zenoo_rpc.events import Event
from zenoo_rpc.hookspecs import hookimpl
from zenoo_rpc.models import Command, OdooModel, register_model
from zenoo_rpc.query import Q

__all__ = [
    "AccessDenied",
    "AccessError",
    "Call",
    "Command",
    "ConfigError",
    "Event",
    "MissingError",
    "OdooModel",
    "OdooServerError",
    "OutcomeUnknownError",
    "OutcomeUnknownTimeout",
    "ProtocolError",
    "Q",
    "ServiceCall",
    "SessionExpired",
    "UserError",
    "ValidationError",
    "ZenooClient",
    "ZenooError",
    "__version__",
    "hookimpl",
    "register_model",
]
