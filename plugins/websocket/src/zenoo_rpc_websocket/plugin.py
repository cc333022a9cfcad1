"""The ``websocket`` plugin's hooks: the ``ws://`` transport, settings check, bus at login.

Selected by name (``plugins = ["websocket"]`` or ``[plugins] enabled =
["websocket"]``); the entry point ``websocket`` in the ``zenoo_rpc`` group
points here.
"""

from __future__ import annotations

from collections.abc import Awaitable, Iterable
from typing import TYPE_CHECKING, Any

from zenoo_rpc.hookspecs import hookimpl
from zenoo_rpc_websocket.autostart import start_on_login, stop_bus
from zenoo_rpc_websocket.settings import PLUGIN_NAME, parse_settings
from zenoo_rpc_websocket.transport import TRANSPORT_SPEC

if TYPE_CHECKING:
    from zenoo_rpc.client import ZenooClient
    from zenoo_rpc.config import ZenooConfig
    from zenoo_rpc.events import Event
    from zenoo_rpc.transports.base import TransportSpec

__all__ = ["zenoo_event", "zenoo_middleware", "zenoo_register_transports"]


@hookimpl
def zenoo_register_transports() -> Iterable[TransportSpec]:
    """The ``websocket`` transport, for ``ws://`` and ``wss://`` URLs."""
    return (TRANSPORT_SPEC,)


@hookimpl
def zenoo_middleware(client: ZenooClient, config: ZenooConfig) -> None:
    """No middleware: check ``[plugins.websocket]`` now, so a typo fails the client's creation."""
    parse_settings(config.plugins.get(PLUGIN_NAME))


@hookimpl
def zenoo_event(event: Event) -> Awaitable[Any] | None:
    """Start the bus on ``authenticated`` (when ``channels`` are set), stop it on ``closed``."""
    if event.name == "authenticated" and event.client is not None:
        return start_on_login(event.client)
    if event.name == "closed" and event.client is not None:
        return stop_bus(event.client)
    return None
