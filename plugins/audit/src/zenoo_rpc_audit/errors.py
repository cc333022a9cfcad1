"""The errors of the audit plugin, in zenoo-rpc's error tree."""

from __future__ import annotations

from zenoo_rpc.errors import ConfigError, PluginError

__all__ = ["AuditConfigError", "AuditError"]


class AuditError(PluginError):
    """The audit trail cannot do what was asked (no memory sink, an unreadable log...)."""


class AuditConfigError(ConfigError, AuditError):
    """A ``[plugins.audit]`` setting is wrong; ``path`` names the key (``$.plugins.audit.sink``).

    Both a :class:`~zenoo_rpc.errors.ConfigError` (what it is) and a
    :class:`~zenoo_rpc.errors.PluginError` (so the plugin host passes it on
    unwrapped when the client is created).
    """
