"""The hook of the ``audit`` plugin (the ``zenoo_rpc`` entry point ``audit``).

``zenoo_middleware`` gives each client one :class:`~zenoo_rpc_audit.trail.AuditTrail`,
built from its ``[plugins.audit]`` settings and wrapped around every call.

The module implements no ``zenoo_event``: any event listener makes the client
emit ``call_started`` / ``call_finished`` for every call, which costs more
than the whole audit record. Only clients with ``record_logins = true`` get a
listener (:class:`LoginRecorder`, registered on that client's plugin host as
``audit.logins``) that records each login and closes the trail with the client.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from zenoo_rpc.hookspecs import hookimpl
from zenoo_rpc_audit.registry import find_audit_trail, remember_trail
from zenoo_rpc_audit.settings import PLUGIN_NAME, parse_settings
from zenoo_rpc_audit.trail import AuditTrail

if TYPE_CHECKING:
    from zenoo_rpc.client import ZenooClient
    from zenoo_rpc.config import ZenooConfig
    from zenoo_rpc.events import Event

__all__ = ["LoginRecorder", "zenoo_middleware"]


@hookimpl
def zenoo_middleware(client: ZenooClient, config: ZenooConfig) -> AuditTrail:
    """The client's audit trail (the same one if asked again for the same client)."""
    trail = find_audit_trail(client)
    if trail is None:
        trail = AuditTrail(client, parse_settings(config.plugins.get(PLUGIN_NAME)))
        remember_trail(client, trail)
        if trail.settings.record_logins:
            # Registered while the client collects its middlewares, before it
            # collects its event listeners: this client's events reach it.
            client.plugins.register(LoginRecorder(trail), f"{PLUGIN_NAME}.logins")
    return trail


class LoginRecorder:
    """The event listener of one client whose trail records logins (``record_logins``)."""

    def __init__(self, trail: AuditTrail) -> None:
        self.trail = trail

    @hookimpl
    def zenoo_event(self, event: Event) -> Any:
        """Record a login (``authenticated``); close the trail with its client (``closed``)."""
        trail = self.trail
        if event.name == "authenticated":
            trail.record_login(event.data)
            return trail.sync() if trail.durable else None
        if event.name == "closed":
            if trail.durable:
                return trail.aclose()
            trail.close()
        return None
