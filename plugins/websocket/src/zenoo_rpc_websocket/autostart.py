"""One bus listener per client, started from ``[plugins.websocket]`` when the client logs in.

With ``channels`` in the plugin's settings (and ``autostart`` left on), the
plugin's ``zenoo_event`` hook starts a :class:`~zenoo_rpc_websocket.BusListener`
on the ``authenticated`` event, and stops it on ``closed``. Its notifications
reach the client's event listeners (``bus_notification``) and the handlers
added with ``bus_of(client).on(...)``. :func:`start_bus` does the same on
demand, with any listener option overridden.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

from zenoo_rpc.config import reveal
from zenoo_rpc.errors import ZenooError
from zenoo_rpc_websocket.listener import BusListener
from zenoo_rpc_websocket.settings import PLUGIN_NAME, parse_settings

if TYPE_CHECKING:
    from zenoo_rpc.client import ZenooClient

__all__ = ["bus_of", "start_bus", "stop_bus"]

log = logging.getLogger(__name__)

# Keyed by the client's plugin host, which its ``with_context`` views share:
# a view and its client have one bus.
_BUSES: WeakKeyDictionary[object, BusListener] = WeakKeyDictionary()


def bus_of(client: ZenooClient) -> BusListener | None:
    """The bus listener :func:`start_bus` (or the login) started for ``client``, if any."""
    return _BUSES.get(client.plugins)


async def start_bus(client: ZenooClient, **options: Any) -> BusListener:
    """Start ``client``'s bus listener with its ``[plugins.websocket]`` settings.

    ``options`` are :class:`~zenoo_rpc_websocket.BusListener` arguments that
    win over the settings (``channels=[...]``, ``buffer_size=100``...). A
    listener already running for the client is stopped first. It stops when
    the client closes (or with :func:`stop_bus`).

    :raises ConfigError: bad settings, or no password for the web session.
    """
    settings, password = parse_settings(client.config.plugins.get(PLUGIN_NAME))
    arguments: dict[str, Any] = {
        "channels": settings.channels,
        "invalidate_cache": settings.invalidate_cache,
        "reconnect_base_delay": settings.reconnect_base_delay,
        "reconnect_max_delay": settings.reconnect_max_delay,
        "ping_interval": settings.ping_interval,
        "ping_timeout": settings.ping_timeout,
        "open_timeout": settings.open_timeout,
        "buffer_size": settings.buffer_size,
        "login": settings.login,
        "password": reveal(password),
    }
    arguments.update(options)
    await stop_bus(client)
    listener = BusListener(client, **arguments)
    await listener.start()
    _BUSES[client.plugins] = listener
    return listener


async def stop_bus(client: ZenooClient) -> None:
    """Stop ``client``'s bus listener, if one runs. Idempotent."""
    listener = _BUSES.pop(client.plugins, None)
    if listener is not None:
        await listener.stop()


async def start_on_login(client: ZenooClient) -> None:
    """The ``authenticated`` event: start the bus when the settings name channels."""
    settings, _ = parse_settings(client.config.plugins.get(PLUGIN_NAME))
    if not settings.autostart or not settings.channels:
        return
    try:
        await start_bus(client)
    except ZenooError as exc:  # events never fail a login: say why the bus is missing
        log.error("the bus listener of %s did not start: %s", client.redacted_url, exc)
