"""Events: what happened, told to whoever listens, never in the way of the call.

The client emits an :class:`Event` at each step (``call_started``,
``call_finished``, ``cache_hit``...). Listeners are ``zenoo_event`` hook
implementations of plugins and objects given to
``client.register_event_handler`` (with ``on_<event name>`` methods). A
listener may return nothing, a value, or an awaitable, which is awaited. An
exception in a listener is logged and swallowed: events never break a call.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, Literal

import msgspec

from zenoo_rpc.call import Call

__all__ = [
    "EVENT_NAMES",
    "Event",
    "EventHandler",
    "EventListener",
    "EventName",
    "await_me_maybe",
    "handler_listener",
]

log = logging.getLogger(__name__)

EventName = Literal[
    "connection_established",
    "authenticated",
    "protocol_selected",
    "deprecation",
    "call_started",
    "call_finished",
    "call_failed",
    "retry",
    "cache_hit",
    "cache_miss",
    "cache_error",
    "circuit_opened",
    "circuit_closed",
    "session_expired",
    "closed",
    "bus_connected",
    "bus_disconnected",
    "bus_notification",
]

EVENT_NAMES: tuple[str, ...] = EventName.__args__  # type: ignore[attr-defined]


class Event(msgspec.Struct, kw_only=True):
    """One thing that happened in a client.

    :ivar name: what happened (see :data:`EventName`).
    :ivar client: the :class:`~zenoo_rpc.ZenooClient` it happened in.
    :ivar call: the model call concerned, if any.
    :ivar result: the call's result (``call_finished``, ``cache_hit``).
    :ivar error: the exception (``call_failed``, ``retry``, ``cache_error``).
    :ivar duration: seconds the call took (``call_finished``, ``call_failed``).
    :ivar attempt: the attempt number, from 1 (``retry``).
    :ivar delay: seconds before the next attempt (``retry``).
    :ivar key: the cache key (``cache_hit``, ``cache_miss``).
    :ivar data: anything else the event carries (``protocol_selected``: ``protocol``
        and ``reason``; ``deprecation``: ``message``; ``connection_established``:
        ``server_version``).

    The ``bus_*`` events come from a listener of Odoo's bus websocket (the
    ``websocket`` plugin), not from a call: ``bus_connected`` (``data``: ``url``
    without secrets, ``channels``, ``last_id``), ``bus_disconnected``
    (``data``: close ``code`` and ``reason``, ``retry_in`` seconds or ``None``
    when the listener stops; ``error``: why, if it failed) and
    ``bus_notification`` (``data``: the notification's ``id``, ``type`` and
    ``payload``), one per notification the server pushed.
    """

    name: str
    client: Any = None
    call: Call | None = None
    result: Any = None
    error: BaseException | None = None
    duration: float | None = None
    attempt: int | None = None
    delay: float | None = None
    key: str | None = None
    data: Mapping[str, Any] = msgspec.field(default_factory=dict)


EventListener = Callable[[Event], Any]


async def await_me_maybe(value: Any) -> Any:
    """Call ``value`` if it is callable, await it if it is awaitable, return the result."""
    if callable(value):
        value = value()
    if inspect.isawaitable(value):
        value = await value
    return value


async def deliver(listeners: list[EventListener], event: Event) -> None:
    """Give ``event`` to each listener; a failing listener is logged, the rest still run."""
    for listener in listeners:
        try:
            await await_me_maybe(listener(event))
        except Exception:
            log.exception("event listener %r failed on %s", listener, event.name)


class EventHandler:
    """Base class for event handler objects (``client.register_event_handler(handler)``).

    Define ``on_<event name>(event)`` for the events you want (``on_call_finished``,
    ``on_retry``, ``on_session_expired``...; see :data:`EVENT_NAMES`); each may be
    async. Three keep the seed docs' signatures: ``on_connection_established(client)``,
    ``on_error(error)`` (for ``call_failed``) and ``on_cache_hit(key, value)``.
    """


def handler_listener(handler: object) -> EventListener:
    """Adapt a seed-style handler object (``on_call_finished(event)``...) into a listener.

    ``on_error`` is called for ``call_failed`` with the exception, and
    ``on_connection_established`` receives the client, as in the seed docs.
    """

    def listener(event: Event) -> Any:
        if event.name == "call_failed" and hasattr(handler, "on_error"):
            return handler.on_error(event.error)
        if event.name == "connection_established" and hasattr(handler, "on_connection_established"):
            return handler.on_connection_established(event.client)
        if event.name == "cache_hit" and hasattr(handler, "on_cache_hit"):
            return handler.on_cache_hit(event.key, event.result)
        method: Callable[[Event], Awaitable[Any] | Any] | None = getattr(
            handler, f"on_{event.name}", None
        )
        return method(event) if method is not None else None

    listener.__qualname__ = f"handler_listener({type(handler).__name__})"
    return listener
