"""The protocols zenoo-rpc speaks, by name: ``json2``, ``jsonrpc`` and ``web``.

The client builds ``PROTOCOLS[name](transport)`` and talks to it through the
:class:`~zenoo_rpc.protocols.base.Protocol` interface only.
"""

from __future__ import annotations

from zenoo_rpc.protocols.base import Credentials, Protocol, ServerVersion, Session
from zenoo_rpc.protocols.json2 import Json2Protocol
from zenoo_rpc.protocols.jsonrpc import JsonRpcProtocol
from zenoo_rpc.protocols.web import WebSessionProtocol

__all__ = [
    "PROTOCOLS",
    "Credentials",
    "Json2Protocol",
    "JsonRpcProtocol",
    "Protocol",
    "ServerVersion",
    "Session",
    "WebSessionProtocol",
]

#: Every built-in protocol class by its ``name``.
PROTOCOLS: dict[str, type[Protocol]] = {
    cls.name: cls for cls in (Json2Protocol, JsonRpcProtocol, WebSessionProtocol)
}
