"""``Plugin``: the base class of the seed docs' plugin objects, for ``client.register_plugin``.

Subclass it and override what you need; every method is optional and may be
``async``::

    class AuditPlugin(Plugin):
        def __init__(self) -> None:
            self.audit_log: list[dict[str, object]] = []

        async def before_request(self, method: str, params: dict[str, object]) -> None:
            self.audit_log.append({"method": method, "type": "request"})

    client.register_plugin(AuditPlugin())

``method`` is ``"<model>.<method>"``; ``params`` has ``model``, ``args``,
``kwargs`` and ``context``; ``response`` is ``{"result": ...}``. The same
object may also carry ``@hookimpl`` methods (``zenoo_event``...), registered
like a configured plugin's. Plugins shipped as packages use hooks instead:
see :mod:`zenoo_rpc.hookspecs`.
"""

from __future__ import annotations

from typing import Any

__all__ = ["Plugin"]


class Plugin:
    """A plugin object whose methods run around every model call of a client."""

    async def before_request(self, method: str, params: dict[str, Any]) -> None:
        """Called before each call is sent (after the plugins' middlewares)."""

    async def after_response(self, method: str, response: dict[str, Any]) -> None:
        """Called with ``{"result": ...}`` after each call succeeded."""
