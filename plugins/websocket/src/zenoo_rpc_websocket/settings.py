"""``[plugins.websocket]``: the plugin's settings, for the bus listener and the transport.

::

    [plugins]
    enabled = ["websocket"]

    [plugins.websocket]
    channels = ["prod.res.partner", "prod.sale.order"]  # the bus starts at login
    invalidate_cache = true          # record changes pushed by the bus empty the read cache
    reconnect_max_delay = 30         # seconds, the longest wait between reconnects
    ping_interval = 20               # seconds between keep-alive pings (0: none)
    max_in_flight = 1000             # ws:// transport: concurrent calls on its websocket

A wrong key or value is a :class:`~zenoo_rpc.errors.ConfigError` naming it,
raised when the client is created.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Literal

import msgspec

from zenoo_rpc.config import Secret, reveal
from zenoo_rpc.errors import ConfigError

__all__ = ["PLUGIN_NAME", "WebsocketSettings", "parse_settings"]

#: The plugin's name: its entry point, its transport and its config table.
PLUGIN_NAME = "websocket"

Seconds = Annotated[float, msgspec.Meta(gt=0)]
OptionalSeconds = Annotated[float, msgspec.Meta(ge=0)] | None


class WebsocketSettings(msgspec.Struct, kw_only=True, forbid_unknown_fields=True, frozen=True):
    """The ``[plugins.websocket]`` table (every key optional).

    Bus listener:

    :ivar channels: channels to listen to from login on (``"<db>.<model>"``,
        ``"<db>"`` for every model on the emulator; your own channels on Odoo).
        Empty: no bus unless started with :func:`~zenoo_rpc_websocket.start_bus`.
    :ivar autostart: start the bus when the client logs in (if ``channels``).
    :ivar invalidate_cache: record-change notifications invalidate the client's
        read cache for their model.
    :ivar reconnect_base_delay: seconds before the first reconnect attempt.
    :ivar reconnect_max_delay: the longest wait between attempts, in seconds.
    :ivar ping_interval: seconds between keep-alive pings (0 or ``None``: none).
    :ivar ping_timeout: seconds a ping may wait for its pong before the
        connection counts as dead (0 or ``None``: forever).
    :ivar open_timeout: seconds a websocket handshake may take.
    :ivar buffer_size: notifications an auto-started listener keeps for
        ``async for`` (0: none, use events or ``on()`` handlers).
    :ivar login: the bus's web-session login, when not the client's.
    :ivar password: (a secret, ``{env = "..."}``) its password, needed when the
        client logs in with an API key (API keys open no web session).

    Transport (``ws://`` and ``wss://`` URLs):

    :ivar path: the multiplexing endpoint (the emulator's ``/websocket/jsonrpc``).
    :ivar max_in_flight: calls sent and not yet answered on the websocket; more
        wait for a slot within their timeout.
    :ivar max_message_size: the largest answer accepted, in bytes.
    :ivar compression: ``"deflate"`` to compress frames (costs CPU; helps on
        slow links), or none.
    :ivar ca_file: a PEM file of certificate authorities for ``wss://``.
    """

    channels: tuple[str, ...] = ()
    autostart: bool = True
    invalidate_cache: bool = False
    reconnect_base_delay: Seconds = 0.5
    reconnect_max_delay: Seconds = 30.0
    ping_interval: OptionalSeconds = 20.0
    ping_timeout: OptionalSeconds = 20.0
    open_timeout: Seconds = 10.0
    buffer_size: Annotated[int, msgspec.Meta(ge=0)] = 0
    login: str | None = None
    path: Annotated[str, msgspec.Meta(pattern=r"^/\S*$")] = "/websocket/jsonrpc"
    max_in_flight: Annotated[int, msgspec.Meta(ge=1)] = 1000
    max_message_size: Annotated[int, msgspec.Meta(ge=1024)] = 256 * 2**20
    compression: Literal["deflate"] | None = None
    ca_file: str | None = None

    def __post_init__(self) -> None:
        if self.reconnect_max_delay < self.reconnect_base_delay:
            raise ValueError("reconnect_max_delay must not be below reconnect_base_delay")


def parse_settings(table: Mapping[str, Any] | None) -> tuple[WebsocketSettings, Secret | None]:
    """``(settings, password)`` from a ``[plugins.websocket]`` table (``None``: defaults).

    :raises ConfigError: naming the key (``$.plugins.websocket.ping_interval``).
    """
    data = dict(table or {})
    password = data.pop("password", None)
    if password is not None and not isinstance(password, Secret):
        if not isinstance(password, str):
            raise ConfigError(
                "[plugins.websocket] password must be a string or {env = ...}",
                path="$.plugins.websocket.password",
            )
        password = Secret(password)
    try:
        settings = msgspec.convert(reveal(data), WebsocketSettings)
    except msgspec.ValidationError as exc:
        message = str(exc)
        where = message.rpartition(" - at `$")[2].rstrip("`") if " - at `$" in message else ""
        raise ConfigError(
            f"invalid [plugins.websocket] setting: {message}",
            path="$.plugins.websocket" + where,
        ) from None
    return settings, password
