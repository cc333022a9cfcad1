"""Configuration: constructor arguments > ``ZENOO_*`` variables > a TOML file.

The file is the path in ``ZENOO_CONFIG``, else the nearest ``zenoo.toml`` (or
``pyproject.toml`` with a ``[tool.zenoo]`` table) from the current directory
up. Everything is decoded into msgspec structs, so a wrong value is an error
naming the file and the exact key path (``$.retry.max_attempts``)::

    url = "https://odoo.example.com"
    database = "prod"
    username = "bot"
    api_key = {env = "ODOO_API_KEY"}      # or {file = "/run/secrets/odoo"}
    timeout = 10
    profile = "prod"                      # the default profile, if any

    [retry]
    max_attempts = 5

    [plugins]                             # or: plugins = ["audit", "mycompany.hooks"]
    enabled = ["audit", "mycompany.hooks"]

    [plugins.audit]                       # each plugin's own settings
    path = "audit.jsonl"

    [profiles.staging]                    # overlays the top level when selected
    url = "https://staging.example.com"   # (profile="staging" or ZENOO_PROFILE)

TOML cannot have both a list ``plugins = [...]`` and ``[plugins.<name>]``
tables: when a plugin needs settings, list the names in ``[plugins] enabled``.
Secrets (``password``, ``api_key``, and settings keys named like ``password``,
``token``, ``secret``) are wrapped in :class:`Secret`, which never shows its
value; ``ZENOO_PLUGINS`` is read when plugins load (see :mod:`zenoo_rpc.plugins`).
"""

from __future__ import annotations

from zenoo_rpc.config.base import ConfigProvider
from zenoo_rpc.config.loader import (
    CONFIG_ENV,
    ENV_PREFIX,
    FLAT_KEYS,
    PROFILE_ENV,
    find_config_file,
    load_config,
)
from zenoo_rpc.config.model import (
    CacheConfig,
    CircuitBreakerConfig,
    PluginsConfig,
    RetryConfig,
    ZenooConfig,
)
from zenoo_rpc.config.secret import Secret, reveal

__all__ = [
    "CONFIG_ENV",
    "ENV_PREFIX",
    "FLAT_KEYS",
    "PROFILE_ENV",
    "CacheConfig",
    "CircuitBreakerConfig",
    "ConfigProvider",
    "PluginsConfig",
    "RetryConfig",
    "Secret",
    "ZenooConfig",
    "find_config_file",
    "load_config",
    "reveal",
]
