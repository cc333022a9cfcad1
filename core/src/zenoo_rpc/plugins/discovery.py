"""Where plugins come from: installed entry points (listed, never imported) and module paths."""

from __future__ import annotations

import importlib
import importlib.metadata
import importlib.util
import inspect
import logging
import os
import re
from collections.abc import Iterable, Mapping, Sequence

import msgspec

from zenoo_rpc.hookspecs import PROJECT_NAME

__all__ = [
    "BUILTIN_PLUGIN",
    "ENTRY_POINT_GROUP",
    "PLUGINS_ENV",
    "PluginInfo",
    "available_plugins",
    "plugins_from_env",
]

log = logging.getLogger(__name__)

#: The entry-point group installed plugins declare themselves in.
ENTRY_POINT_GROUP = PROJECT_NAME
#: The module registering zenoo-rpc's own transports, cache backend and retry strategies.
BUILTIN_PLUGIN = "zenoo_rpc.builtin"
#: Comma-separated plugin names that replace the configured list ("" = built-ins only).
PLUGINS_ENV = "ZENOO_PLUGINS"

_MODULE_PATH = re.compile(r"^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*$")


class PluginInfo(msgspec.Struct, frozen=True, kw_only=True):
    """An installed or loaded plugin.

    :ivar name: the name used in config (entry-point name or module path).
    :ivar value: what it loads (``module`` or ``module:attribute``).
    :ivar distribution: the distribution that provides it (``zenoo-rpc-audit``).
    :ivar version: that distribution's version.
    """

    name: str
    value: str
    distribution: str | None = None
    version: str | None = None


def _entry_points() -> dict[str, list[importlib.metadata.EntryPoint]]:
    found: dict[str, list[importlib.metadata.EntryPoint]] = {}
    for entry_point in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
        found.setdefault(entry_point.name, []).append(entry_point)
    return found


def _info(entry_point: importlib.metadata.EntryPoint) -> PluginInfo:
    dist = entry_point.dist
    return PluginInfo(
        name=entry_point.name,
        value=entry_point.value,
        distribution=dist.metadata["Name"] if dist is not None else None,
        version=dist.version if dist is not None else None,
    )


def available_plugins() -> dict[str, PluginInfo]:
    """Installed plugins by name, read from package metadata without importing any."""
    return {name: _info(eps[0]) for name, eps in sorted(_entry_points().items())}


def plugins_from_env(
    enabled: Sequence[str] | None, env: Mapping[str, str] | None = None
) -> list[str]:
    """The plugin names to load: ``$ZENOO_PLUGINS`` if set, else ``enabled``, de-duplicated."""
    env = os.environ if env is None else env
    names: Iterable[str] = enabled or ()
    if PLUGINS_ENV in env:
        names = env[PLUGINS_ENV].split(",")
        log.info("%s overrides the configured plugins: %r", PLUGINS_ENV, env[PLUGINS_ENV])
    return list(dict.fromkeys(name.strip() for name in names if name.strip()))


def _location(plugin: object) -> str:
    if inspect.ismodule(plugin):
        return plugin.__name__
    return f"{type(plugin).__module__}:{type(plugin).__qualname__}"


def _module_exists(name: str) -> bool:
    """Whether ``name`` can be found, without importing it (its parents may be imported)."""
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError as exc:
        # A missing parent means no such module; a missing dependency of an
        # existing package is an import error for _import to report.
        missing = exc.name or ""
        return not (name == missing or name.startswith(missing + "."))
    except Exception:
        return True


def _distribution_of(module: str) -> tuple[str | None, str | None]:
    top = module.split(".", 1)[0].split(":", 1)[0]
    names = importlib.metadata.packages_distributions().get(top)
    if not names and top == PROJECT_NAME:  # editable installs do not list their packages
        names = ["zenoo-rpc"]
    if not names:
        return None, None
    try:
        return names[0], importlib.metadata.version(names[0])
    except importlib.metadata.PackageNotFoundError:
        return names[0], None
