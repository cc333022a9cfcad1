"""zenoo-rpc-websocket: Odoo's bus as events, and JSON-RPC over one multiplexed websocket.

::

    from zenoo_rpc import ZenooClient
    from zenoo_rpc_websocket import BusListener

    async with ZenooClient("https://odoo.example.com", plugins=["websocket"]) as client:
        await client.login("prod", "bot", "password")
        async with BusListener(client, channels=["prod.res.partner"]) as bus:
            async for note in bus:
                print(note.id, note.type, note.payload)

- :class:`BusListener`: notifications as an async iterator, ``on(type)``
  handlers and ``bus_notification`` client events; reconnects without losing
  or repeating a notification.
- :class:`WebSocketTransport` (``transport = "websocket"``, chosen for
  ``ws://`` / ``wss://`` URLs): many calls in flight on one websocket.
- :func:`start_bus` / :func:`bus_of` / :func:`stop_bus`: the listener the
  plugin starts at login from ``[plugins.websocket] channels``.
"""

from zenoo_rpc_websocket.__about__ import __version__
from zenoo_rpc_websocket.autostart import bus_of, start_bus, stop_bus
from zenoo_rpc_websocket.backoff import Backoff
from zenoo_rpc_websocket.errors import BusAuthenticationError, BusError
from zenoo_rpc_websocket.listener import BusListener, Handler
from zenoo_rpc_websocket.notification import Notification, RecordChange
from zenoo_rpc_websocket.settings import WebsocketSettings
from zenoo_rpc_websocket.transport import WebSocketTransport

__all__ = [
    "Backoff",
    "BusAuthenticationError",
    "BusError",
    "BusListener",
    "Handler",
    "Notification",
    "RecordChange",
    "WebSocketTransport",
    "WebsocketSettings",
    "__version__",
    "bus_of",
    "start_bus",
    "stop_bus",
]
