"""How code extends one client: middleware, plugin objects and event handlers.

Plugins selected in config contribute through their hooks when the client is
created; this mixin adds the programmatic forms the seed docs show
(``add_middleware``, ``register_plugin``, ``register_event_handler``) and the
one place events are delivered from.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from zenoo_rpc.events import Event, EventListener, deliver, handler_listener
from zenoo_rpc.hookspecs import PROJECT_NAME
from zenoo_rpc.middleware import Handler, Middleware, adapt_middleware, adapt_plugin_object

if TYPE_CHECKING:
    from zenoo_rpc.config import ZenooConfig
    from zenoo_rpc.plugins import PluginHost

__all__ = ["ClientExtensions"]

_IMPL_MARKER = f"{PROJECT_NAME}_impl"


class ClientExtensions:
    """Mixin of :class:`~zenoo_rpc.ZenooClient`: middleware chain and event listeners."""

    plugins: PluginHost
    config: ZenooConfig
    _plugin_middlewares: list[Middleware]
    _user_middlewares: list[Middleware]
    _handler: Handler | None
    _plugin_listeners: list[EventListener]
    _handler_listeners: list[EventListener]

    def _init_extensions(self) -> None:
        self._plugin_middlewares = self.plugins.middlewares(self, self.config)
        self._user_middlewares = []
        self._handler = None
        self._plugin_listeners = self.plugins.event_listeners()
        self._handler_listeners = []

    def add_middleware(self, middleware: object) -> None:
        """Wrap every model call in ``middleware``: an async ``(call, call_next)`` callable,
        or an object with ``process_request`` / ``process_response`` (innermost so far)."""
        self._user_middlewares.append(adapt_middleware(middleware))
        self._handler = None

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
            self.plugins.register(plugin)
            self._plugin_listeners = self.plugins.event_listeners()
            factory = getattr(plugin, "zenoo_middleware", None)
            middleware = factory(client=self, config=self.config) if factory else None
            if middleware is not None:
                self._plugin_middlewares.append(middleware)
        elif adapted is None:
            raise TypeError(
                f"{plugin!r} has no @hookimpl methods and no before_request / after_response"
            )
        if adapted is not None:
            self._user_middlewares.append(adapted)
        self._handler = None

    def register_event_handler(self, handler: object) -> None:
        """Receive events: a callable ``(event)`` or an object with ``on_<event name>`` methods
        (``on_call_finished``, ``on_cache_hit``, ``on_error``...)."""
        if any(name.startswith("on_") for name in dir(handler)):
            self._handler_listeners.append(handler_listener(handler))
        elif callable(handler):
            self._handler_listeners.append(handler)
        else:
            raise TypeError(f"{handler!r} is neither callable nor has on_<event> methods")

    @property
    def has_listeners(self) -> bool:
        return bool(self._plugin_listeners or self._handler_listeners)

    async def _emit(self, name: str, **fields: Any) -> None:
        if self._plugin_listeners or self._handler_listeners:
            listeners = self._plugin_listeners + self._handler_listeners
            await deliver(listeners, Event(name=name, client=self, **fields))


def _has_hookimpls(obj: object) -> bool:
    return any(
        hasattr(getattr(obj, name, None), _IMPL_MARKER)
        for name in dir(obj)
        if name.startswith("zenoo_")
    )
