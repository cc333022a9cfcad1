"""The hooks a zenoo-rpc plugin can implement.

A plugin is a module (or object) with functions marked ``@hookimpl``, found
through the ``zenoo_rpc`` entry-point group or named by dotted path in config::

    from zenoo_rpc import hookimpl

    @hookimpl
    def zenoo_event(event):
        if event.name == "call_failed":
            print("failed:", event.call, event.error)

pluggy calls hooks synchronously, so no hook here is ``async``: registration
hooks return specs whose objects do the async work, ``zenoo_middleware``
returns an async middleware the client composes into its chain, and
``zenoo_event`` may return an awaitable that the client awaits. The built-in
transports, cache backend and retry strategies are registered through these
same hooks (``zenoo_rpc.builtin``), so a plugin replaces them the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    from zenoo_rpc.cache.base import CacheBackendSpec
    from zenoo_rpc.client import ZenooClient
    from zenoo_rpc.config import ZenooConfig
    from zenoo_rpc.events import Event
    from zenoo_rpc.middleware import MiddlewareFunction
    from zenoo_rpc.retry import RetryStrategySpec
    from zenoo_rpc.transports.base import TransportSpec

PROJECT_NAME = "zenoo_rpc"

hookspec = pluggy.HookspecMarker(PROJECT_NAME)
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)


@hookspec
def zenoo_register_transports() -> Iterable[TransportSpec]:
    """Register transports that move a request's bytes to the server and back.

    Called once per client, when it opens its first connection. The client
    picks, for its URL's scheme, the transport named by config
    (``transport = "..."``) or else the registered one with the highest
    ``priority``. Two transports with the same name raise an error naming both
    plugins.

    :return: transport specs (``TransportSpec(name=, schemes=, factory=)``);
        every implementation's specs are collected.

    Added in 0.3.
    """


@hookspec
def zenoo_register_cache_backends() -> Iterable[CacheBackendSpec]:
    """Register cache backends, selected by name in config (``[cache] backend = "..."``).

    Called when the client's cache manager sets up a backend. A backend is an
    aiocache ``BaseCache`` subclass; the spec's factory receives the backend's
    settings (the ``[cache]`` table, or ``[plugins.<name>]``) and returns an
    instance.

    :return: cache backend specs (``CacheBackendSpec(name=, factory=)``); every
        implementation's specs are collected.

    Added in 0.3.
    """


@hookspec
def zenoo_register_retry_strategies() -> Iterable[RetryStrategySpec]:
    """Register retry strategies, selected by name in config (``[retry] strategy = "..."``).

    Called when the client builds its retry policy. A strategy only computes
    the delay before attempt ``n`` (``calculate_delay(attempt)``); what is safe
    to retry is decided by the core's policy and cannot be widened by a plugin.

    :return: retry strategy specs (``RetryStrategySpec(name=, factory=)``);
        every implementation's specs are collected.

    Added in 0.3.
    """


@hookspec
def zenoo_middleware(client: ZenooClient, config: ZenooConfig) -> MiddlewareFunction | None:
    """Provide an async middleware wrapped around every model call of ``client``.

    Called once per client when the client is created. The middleware is
    ``async def mw(call, call_next)``; it sees each
    :class:`~zenoo_rpc.call.Call` before the cache, retries and the wire, and
    its result or exception after them. Middlewares of plugins run in
    registration order (config order), outermost first, before those added with
    ``client.add_middleware``. An object with ``@hookimpl`` methods that the
    implementation registers on ``client.plugins`` (``client.plugins.register(obj)``)
    takes part in that client only: its ``zenoo_event`` hears the client's events
    from creation on, which lets a plugin listen to some clients and not others
    (any listener makes each call build ``call_started`` / ``call_finished`` events).

    :param client: the client being set up (its plugin settings are in ``config``).
    :param config: the resolved configuration; a plugin reads its own table from
        ``config.plugins.get("<name>", {})``.
    :return: a middleware, or ``None`` to add none to this client.

    Added in 0.3.
    """


@hookspec
def zenoo_event(event: Event) -> Any:
    """Be told of an event in a client (``call_finished``, ``cache_hit``, ``retry``...).

    Called for every event of every client that has the plugin enabled, in the
    task that emitted it. The implementation may return ``None``, a value, or
    an awaitable (which is awaited before the call goes on, so keep it short or
    hand the work to a task). An exception it raises is logged and ignored: it
    never fails the call and other listeners still run.

    :param event: what happened; ``event.name`` is one of
        :data:`zenoo_rpc.events.EVENT_NAMES`.
    :return: ignored (an awaitable is awaited first).

    Added in 0.3.
    """


__all__ = [
    "PROJECT_NAME",
    "hookimpl",
    "hookspec",
    "zenoo_event",
    "zenoo_middleware",
    "zenoo_register_cache_backends",
    "zenoo_register_retry_strategies",
    "zenoo_register_transports",
]
