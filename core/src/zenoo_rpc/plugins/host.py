"""``PluginHost``: one pluggy manager per client, behind a typed facade (a method per hook)."""

from __future__ import annotations

import difflib
import importlib
import importlib.metadata
import inspect
import logging
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import pluggy

from zenoo_rpc import hookspecs
from zenoo_rpc.cache.base import CacheBackendSpec
from zenoo_rpc.errors import PluginError, PluginImportError, UnknownPluginError
from zenoo_rpc.hookspecs import PROJECT_NAME
from zenoo_rpc.plugins.discovery import (
    _MODULE_PATH,
    BUILTIN_PLUGIN,
    PLUGINS_ENV,
    PluginInfo,
    _distribution_of,
    _entry_points,
    _info,
    _location,
    _module_exists,
    plugins_from_env,
)
from zenoo_rpc.transports.base import TransportSpec

if TYPE_CHECKING:
    from pluggy import HookImpl

    from zenoo_rpc.config import ZenooConfig
    from zenoo_rpc.events import Event
    from zenoo_rpc.middleware import MiddlewareFunction
    from zenoo_rpc.retry import RetryStrategySpec

__all__ = ["PluginHost"]

log = logging.getLogger(__name__)


class PluginHost:
    """The plugins of one client: loads them and calls each hook with a typed result.

    :param builtins: modules registered before any plugin (default: zenoo-rpc's
        own transports, cache backend and retry strategies).
    """

    def __init__(self, *, builtins: Sequence[str] = (BUILTIN_PLUGIN,)) -> None:
        self._pm = pluggy.PluginManager(PROJECT_NAME)
        self._pm.add_hookspecs(hookspecs)
        self._builtins = tuple(builtins)
        self._loaded: dict[str, PluginInfo] = {}

    @property
    def manager(self) -> pluggy.PluginManager:
        """The underlying pluggy manager, for tools that need more than this facade."""
        return self._pm

    # ------------------------------------------------------------------ loading

    def load(self, enabled: Sequence[str] | None, *, env: Mapping[str, str] | None = None) -> None:
        """Register the built-ins, then each enabled plugin, in order.

        :param enabled: names from config (``None``: built-ins only); replaced by
            ``$ZENOO_PLUGINS`` when that variable is set.
        :param env: environment (default ``os.environ``).
        :raises UnknownPluginError: a name is neither installed nor importable.
        :raises PluginImportError: a plugin failed to import (chained from the cause).
        :raises PluginError: a plugin implements an unknown hook or is a class.
        """
        for module in self._builtins:
            if module not in self._loaded:
                plugin = self._import(module, module, f"module {module}")
                self._register(plugin, module, PluginInfo(name=module, value=module))
        entry_points = _entry_points()
        for name in plugins_from_env(enabled, env):
            if name in self._loaded:
                continue
            if name in entry_points:
                self._load_entry_point(name, entry_points[name])
            else:
                self._load_module(name, entry_points)

    def _load_entry_point(self, name: str, candidates: list[importlib.metadata.EntryPoint]) -> None:
        infos = [_info(ep) for ep in candidates]
        if len({info.distribution for info in infos}) > 1:
            both = " and ".join(f"{i.distribution} ({i.value})" for i in infos)
            raise PluginError(f"zenoo-rpc plugin {name!r} is provided by {both}; uninstall one")
        info = infos[0]
        where = f"entry point {info.value!r} from distribution {info.distribution} {info.version}"
        self._register(self._import(name, candidates[0], where), name, info)

    def _load_module(self, name: str, entry_points: Mapping[str, object]) -> None:
        known = sorted(entry_points)
        if not _MODULE_PATH.match(name) or not _module_exists(name):
            close = difflib.get_close_matches(name, known, n=1)
            hint = f" Did you mean {close[0]!r}?" if close else ""
            raise UnknownPluginError(
                f"Unknown zenoo-rpc plugin {name!r}.{hint} Installed plugins: "
                f"{', '.join(known) or '(none)'}. A dotted module path also works for "
                "in-house hooks."
            )
        plugin = self._import(name, name, f"module {name}")
        self._register(plugin, name, PluginInfo(name=name, value=name))

    def _import(self, name: str, target: importlib.metadata.EntryPoint | str, where: str) -> object:
        try:
            if isinstance(target, str):
                return importlib.import_module(target)
            return target.load()
        except Exception as exc:
            raise PluginImportError(
                f"zenoo-rpc plugin {name!r} ({where}) failed to import: "
                f"{type(exc).__name__}: {exc}. Fix or uninstall it, or leave it out with "
                f"{PLUGINS_ENV}=<the other plugins>."
            ) from exc

    def register(self, plugin: object, name: str | None = None) -> str:
        """Register an object or module with ``@hookimpl`` methods; return its name."""
        return self._register(plugin, name, None)

    def _register(self, plugin: object, name: str | None, info: PluginInfo | None) -> str:
        label = name or getattr(plugin, "__name__", None) or type(plugin).__name__
        if inspect.isclass(plugin):
            raise PluginError(
                f"zenoo-rpc plugin {label!r} is a class ({plugin.__module__}."
                f"{plugin.__qualname__}); register an instance ({plugin.__name__}()) or a module"
            )
        if self._pm.is_registered(plugin):
            log.debug("plugin %r is already registered", label)
            return self._pm.get_name(plugin) or label
        if name is None:
            name, count = label, 1
            while self._pm.has_plugin(name):
                count += 1
                name = f"{label}#{count}"
        try:
            registered = self._pm.register(plugin, name)
        except (ValueError, pluggy.PluginValidationError) as exc:
            raise PluginError(f"zenoo-rpc plugin {label!r} cannot be registered: {exc}") from exc
        if registered is None:
            raise PluginError(f"zenoo-rpc plugin {label!r} is blocked")
        try:
            self._check_hooks(plugin, registered)
        except PluginError:
            self._pm.unregister(plugin)
            raise
        self._loaded[registered] = info or PluginInfo(name=registered, value=_location(plugin))
        log.debug("registered zenoo-rpc plugin %r", registered)
        return registered

    def _check_hooks(self, plugin: object, name: str) -> None:
        for caller in self._pm.get_hookcallers(plugin) or ():
            if not caller.has_spec():
                close = difflib.get_close_matches(caller.name, _hook_names(), n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                raise PluginError(
                    f"zenoo-rpc plugin {name!r} implements unknown hook {caller.name!r}{hint}"
                )
            for impl in caller.get_hookimpls():
                if impl.plugin is plugin and (impl.hookwrapper or impl.wrapper):
                    raise PluginError(
                        f"zenoo-rpc plugin {name!r}: {caller.name} is a hook wrapper; zenoo-rpc "
                        "calls each implementation on its own, so wrappers are not supported"
                    )

    # ------------------------------------------------------------------ what is loaded

    def plugin_names(self) -> list[str]:
        """Registered plugin names, built-ins first, in registration order."""
        return list(self._loaded)

    def describe(self) -> list[dict[str, Any]]:
        """Each registered plugin: name, value, distribution, version, hooks (``zenoo plugins``)."""
        rows = []
        for name, info in self._loaded.items():
            plugin = self._pm.get_plugin(name)
            hooks = sorted(caller.name for caller in self._pm.get_hookcallers(plugin) or ())
            distribution, version = info.distribution, info.version
            if distribution is None:
                distribution, version = _distribution_of(info.value)
            rows.append(
                {
                    "name": name,
                    "value": info.value,
                    "distribution": distribution,
                    "version": version,
                    "hooks": hooks,
                }
            )
        return rows

    # ------------------------------------------------------------------ calling hooks

    def transports(self) -> dict[str, TransportSpec]:
        """Every registered transport by name (``zenoo_register_transports``)."""
        return self._collect("zenoo_register_transports", "transport", TransportSpec)

    def cache_backends(self) -> dict[str, CacheBackendSpec]:
        """Every registered cache backend by name (``zenoo_register_cache_backends``)."""
        return self._collect("zenoo_register_cache_backends", "cache backend", CacheBackendSpec)

    def retry_strategies(self) -> dict[str, RetryStrategySpec]:
        """Every registered retry strategy by name (``zenoo_register_retry_strategies``)."""
        from zenoo_rpc.retry import RetryStrategySpec

        return self._collect("zenoo_register_retry_strategies", "retry strategy", RetryStrategySpec)

    def middlewares(
        self, client: Any, config: ZenooConfig, *, only: str | None = None
    ) -> list[MiddlewareFunction]:
        """The plugins' middlewares for ``client`` (``zenoo_middleware``), outermost first.

        ``only`` restricts it to the plugin registered under that name.
        """
        found: list[MiddlewareFunction] = []
        for impl in self._impls("zenoo_middleware"):
            if only is not None and impl.plugin_name != only:
                continue
            middleware = self._call(impl, "zenoo_middleware", client=client, config=config)
            if middleware is None:
                continue
            if not callable(middleware):
                raise PluginError(
                    f"zenoo-rpc plugin {impl.plugin_name!r}: zenoo_middleware returned "
                    f"{type(middleware).__name__}, not a middleware (async (call, call_next))"
                )
            found.append(middleware)
        return found

    def middleware_of(
        self, name: str, client: Any, config: ZenooConfig
    ) -> MiddlewareFunction | None:
        """The middleware the plugin registered as ``name`` gives ``client``, if any."""
        found = self.middlewares(client, config, only=name)
        return found[0] if found else None

    def unregister(self, name: str) -> None:
        """Forget the plugin registered as ``name`` (no error if there is none)."""
        if self._pm.get_plugin(name) is not None:
            self._pm.unregister(name=name)
        self._loaded.pop(name, None)

    def event_listeners(self) -> list[Callable[[Event], Any]]:
        """The ``zenoo_event`` implementations, one callable each.

        pluggy would stop at the first exception; the client calls each listener
        on its own (:func:`zenoo_rpc.events.deliver`) so one failure cannot
        silence the others.
        """
        listeners: list[Callable[[Event], Any]] = []
        for impl in self._impls("zenoo_event"):
            function = impl.function
            listeners.append(function if "event" in impl.argnames else _ignoring_event(function))
        return listeners

    def _impls(self, hook_name: str) -> list[HookImpl]:
        # pluggy calls the last registered first; plugins here run in registration
        # order (built-ins, then config order), tryfirst / trylast still honoured.
        impls = getattr(self._pm.hook, hook_name).get_hookimpls()
        return sorted(impls, key=lambda impl: 0 if impl.tryfirst else 2 if impl.trylast else 1)

    def _call(self, impl: HookImpl, hook_name: str, **kwargs: Any) -> Any:
        try:
            return impl.function(**{arg: kwargs[arg] for arg in impl.argnames})
        except PluginError:
            raise
        except Exception as exc:
            raise PluginError(
                f"zenoo-rpc plugin {impl.plugin_name!r} failed in {hook_name}: "
                f"{type(exc).__name__}: {exc}"
            ) from exc

    def _collect(self, hook_name: str, kind: str, spec_type: type[Any]) -> dict[str, Any]:
        specs: dict[str, Any] = {}
        owners: dict[str, str] = {}
        for impl in self._impls(hook_name):
            result = self._call(impl, hook_name)
            if result is None:
                continue
            for spec in [result] if isinstance(result, spec_type) else list(result):
                if not isinstance(spec, spec_type):
                    raise PluginError(
                        f"zenoo-rpc plugin {impl.plugin_name!r}: {hook_name} returned "
                        f"{spec!r}, expected {spec_type.__name__} objects"
                    )
                if spec.name in specs:
                    raise PluginError(
                        f"{kind.capitalize()} {spec.name!r} is registered twice: by plugin "
                        f"{owners[spec.name]!r} and by plugin {impl.plugin_name!r}. Disable one "
                        f"of them ({PLUGINS_ENV} or config), or give one another name."
                    )
                specs[spec.name] = spec
                owners[spec.name] = impl.plugin_name
        return specs


def _ignoring_event(function: Callable[[], Any]) -> Callable[[Event], Any]:
    def listener(event: Event) -> Any:
        return function()

    listener.__qualname__ = getattr(function, "__qualname__", listener.__qualname__)
    return listener


def _hook_names() -> list[str]:
    return [name for name in hookspecs.__all__ if name.startswith("zenoo_")]
