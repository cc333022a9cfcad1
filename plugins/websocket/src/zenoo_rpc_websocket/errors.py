"""Errors of the bus listener (the transport raises core's transport errors)."""

from __future__ import annotations

from zenoo_rpc.errors import ZenooError

__all__ = ["BusAuthenticationError", "BusError"]


class BusError(ZenooError):
    """The bus listener cannot go on (or was used wrongly); ``__cause__`` says why."""


class BusAuthenticationError(BusError):
    """The bus's web session could not be opened or opened again.

    Raised (from iteration and :meth:`~zenoo_rpc_websocket.BusListener.wait_connected`)
    instead of retrying forever when the login itself is refused: a wrong or
    changed password, an API key where a password is needed, a second factor.
    ``__cause__`` is the login's error.
    """
