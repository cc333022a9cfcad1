"""Operations run against the emulated Odoo: in-process (``memory://``) and over loopback HTTP.

``emulator`` honours ``@pytest.mark.zenoo_emulator(...)`` like the plugin's
``odoo_emulator``, with a master password of its own (:data:`MASTER`) so the
database manager's checks are real.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator

import pytest
from ops_helpers import MASTER

from zenoo_rpc import ZenooClient
from zenoo_rpc.testing.emulator.serve import serve_emulator
from zenoo_rpc.testing.emulator.server import Emulator
from zenoo_rpc.testing.transport import register_emulator, unregister_emulator


@pytest.fixture
def emulator(request: pytest.FixtureRequest) -> Iterator[Emulator]:
    marker = request.node.get_closest_marker("zenoo_emulator")
    options = {"size": 10, "master_password": MASTER, **(marker.kwargs if marker else {})}
    emulator = Emulator(**options)
    name = f"ops-{uuid.uuid4().hex[:12]}"
    register_emulator(name, emulator)
    try:
        yield emulator
    finally:
        unregister_emulator(name)


@pytest.fixture
async def client(emulator: Emulator) -> AsyncIterator[ZenooClient]:
    """Logged in as admin with the password over legacy JSON-RPC (no web session of its own)."""
    async with ZenooClient(emulator.memory_url, protocol="jsonrpc", plugins=[]) as client:
        await client.login("demo", "admin", "admin")
        yield client


@pytest.fixture
async def web_client(emulator: Emulator) -> AsyncIterator[ZenooClient]:
    """Logged in as admin over the web session protocol."""
    async with ZenooClient(emulator.memory_url, protocol="web", plugins=[]) as client:
        await client.login("demo", "admin", "admin")
        yield client


@pytest.fixture
async def server_url(emulator: Emulator) -> AsyncIterator[str]:
    async with serve_emulator(emulator) as url:
        yield url
