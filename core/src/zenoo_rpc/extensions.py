"""How code extends one client: middleware, plugin objects and event handlers.

Plugins selected in config contribute through their hooks when the client is
created; this mixin adds the programmatic forms the seed docs show
(``add_middleware``, ``register_plugin``, ``register_event_handler``) and the
one place events are delivered from.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from zenoo_rpc.events import (
    EVENT_NAMES,
    Event,
    EventListener,
    EventName,
    deliver,
    handler_listener,
)
from zenoo_rpc.hookspecs import PROJECT_NAME
from zenoo_rpc.middleware import (
    Handler,
    MiddlewareFunction,
    adapt_middleware,
    adapt_plugin_object,
)

if TYPE_CHECKING:
    from zenoo_rpc.config import ZenooConfig
    from zenoo_rpc.plugins import PluginHost

__all__ = ["ClientExtensions", "ExtensionState"]

_IMPL_MARKER = f"{PROJECT_NAME}_impl"


class ExtensionState:
    """Middleware and listeners of one client, shared with its ``with_context`` views."""

    __slots__ = (
        "handler",
        "handler_listeners",
        "plugin_listeners",
        "plugin_middlewares",
        "user_middlewares",
    )

    def __init__(
        self, plugin_middlewares: list[MiddlewareFunction], plugin_listeners: list[EventListener]
    ) -> None:
        self.plugin_middlewares = plugin_middlewares
        self.user_middlewares: list[MiddlewareFunction] = []
        self.plugin_listeners = plugin_listeners
        self.handler_listeners: list[EventListener] = []
        #: The composed chain, rebuilt after any change to the middlewares.
        self.handler: Handler | None = None


class ClientExtensions:
    """Mixin of :class:`~zenoo_rpc.ZenooClient`: middleware chain and event listeners."""

    plugins: PluginHost
    config: ZenooConfig
    _ext: ExtensionState

    def _init_extensions(self) -> None:
        self._ext = ExtensionState(
            self.plugins.middlewares(self, self.config), self.plugins.event_listeners()
        )

    def add_middleware(self, middleware: object) -> None:
        """Wrap every model call in ``middleware``: an async ``(call, call_next)`` callable,
        or an object with ``process_request`` / ``process_response`` (innermost so far).

        The client and all its ``with_context`` views share their middleware.
        """
        self._ext.user_middlewares.append(adapt_middleware(middleware))
        self._ext.handler = None

    def register_plugin(self, plugin: object) -> None:
        """Register a plugin object on this client.

        Its ``@hookimpl`` methods (``zenoo_event``, ``zenoo_middleware``...) are
        registered as for a configured plugin; seed-style ``before_request`` /
        ``after_response`` methods wrap every call.
        """
        if isinstance(plugin, type):
            raise TypeError(
                f"register_plugin() takes an instance, not the class {plugin.__name__}: "
                f"use register_plugin({plugin.__name__}())"
            )
        adapted = adapt_plugin_object(plugin)
        if _has_hookimpls(plugin):
            name = self.plugins.register(plugin)
            try:
                middleware = self.plugins.middleware_of(name, self, self.config)
            except BaseException:
                self.plugins.unregister(name)
                raise
            if middleware is not None:
                self._ext.plugin_middlewares.append(middleware)
            self._ext.plugin_listeners[:] = self.plugins.event_listeners()
        elif adapted is None:
            raise TypeError(
                f"{plugin!r} has no @hookimpl methods and no before_request / after_response"
            )
        if adapted is not None:
            self._ext.user_middlewares.append(adapted)
        self._ext.handler = None

    def register_event_handler(self, handler: object) -> None:
        """Receive events: a callable ``(event)`` or an object with ``on_<event name>`` methods
        (``on_call_finished``, ``on_cache_hit``, ``on_error``...); see
        :class:`~zenoo_rpc.events.EventHandler`."""
        if any(name.startswith("on_") for name in dir(handler)):
            self._ext.handler_listeners.append(handler_listener(handler))
        elif callable(handler):
            self._ext.handler_listeners.append(handler)
        else:
            raise TypeError(f"{handler!r} is neither callable nor has on_<event> methods")

    @property
    def has_listeners(self) -> bool:
        return bool(self._ext.plugin_listeners or self._ext.handler_listeners)

    async def emit_event(self, name: EventName, **fields: Any) -> None:
        """Tell this client's listeners that ``name`` happened (for plugins with their own events).

        ``fields`` are :class:`~zenoo_rpc.events.Event` fields (``data``, ``error``...).
        Listeners run as for the client's own events: awaited in turn, their
        exceptions logged and swallowed. Raises ``ValueError`` for a name that
        is not one of :data:`~zenoo_rpc.events.EVENT_NAMES`.
        """
        if name not in EVENT_NAMES:
            raise ValueError(f"unknown event {name!r}; known events: {', '.join(EVENT_NAMES)}")
        await self._emit(name, **fields)

    async def _emit(self, name: str, **fields: Any) -> None:
        ext = self._ext
        if ext.plugin_listeners or ext.handler_listeners:
            listeners = ext.plugin_listeners + ext.handler_listeners
            await deliver(listeners, Event(name=name, client=self, **fields))


def _has_hookimpls(obj: object) -> bool:
    return any(
        hasattr(getattr(obj, name, None), _IMPL_MARKER)
        for name in dir(obj)
        if name.startswith("zenoo_")
    )
