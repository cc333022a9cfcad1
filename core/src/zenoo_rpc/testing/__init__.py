"""Testing with zenoo-rpc: an in-memory Odoo, canned answers, and pytest fixtures.

- :class:`~zenoo_rpc.testing.emulator.server.Emulator`: a faithful in-memory Odoo
  16-19; ``ZenooClient("memory://demo")`` talks to one in-process, and
  ``python -m zenoo_rpc.testing`` serves one over HTTP and websockets.
- :class:`MockClient`: a client that answers from responses you register.
- ``pytest_plugins = ["zenoo_rpc.testing.pytest_plugin"]``: fixtures
  ``odoo_emulator``, ``zenoo_client``, ``odoo_server_url`` and ``zenoo_mock``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from zenoo_rpc.testing.emulator.server import Emulator
    from zenoo_rpc.testing.mock import MockClient

__all__ = ["Emulator", "MockClient"]


def __getattr__(name: str) -> Any:
    # Imported on first use: `python -m zenoo_rpc.testing` and the transport need
    # neither the client nor the emulator's whole ORM up front.
    if name == "MockClient":
        from zenoo_rpc.testing.mock import MockClient

        return MockClient
    if name == "Emulator":
        from zenoo_rpc.testing.emulator.server import Emulator

        return Emulator
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
