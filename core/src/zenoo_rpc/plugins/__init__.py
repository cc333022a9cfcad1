"""Finding, loading and calling plugins: one pluggy manager per client, behind a typed facade.

Writing a plugin takes a module with ``@hookimpl`` functions (see
:mod:`zenoo_rpc.hookspecs` for the hooks) and, to be installable, an entry point::

    # pyproject.toml of zenoo-rpc-audit
    [project.entry-points.zenoo_rpc]
    audit = "zenoo_rpc_audit"

Installed plugins are listed without being imported (:func:`available_plugins`);
only those named in config (``plugins = ["audit"]``) are imported. A name that
is not an entry point is imported as a dotted module path, for in-house hooks
that are not packaged (``plugins = ["mycompany.odoo_hooks"]``).
``ZENOO_PLUGINS`` overrides the config for the day a plugin breaks production:
``ZENOO_PLUGINS=""`` loads only the built-ins, ``ZENOO_PLUGINS="a,b"`` loads
exactly ``a`` and ``b``.
"""

from zenoo_rpc.plugins.base import Plugin
from zenoo_rpc.plugins.discovery import (
    BUILTIN_PLUGIN,
    ENTRY_POINT_GROUP,
    PLUGINS_ENV,
    PluginInfo,
    available_plugins,
    plugins_from_env,
)
from zenoo_rpc.plugins.host import PluginHost

__all__ = [
    "BUILTIN_PLUGIN",
    "ENTRY_POINT_GROUP",
    "PLUGINS_ENV",
    "Plugin",
    "PluginHost",
    "PluginInfo",
    "available_plugins",
    "plugins_from_env",
]
