"""pytest fixtures for testing code that talks to Odoo. Opt in from a conftest.py::

    pytest_plugins = ["zenoo_rpc.testing.pytest_plugin"]

Fixtures:

``odoo_emulator``
    A fresh in-memory Odoo per test (``Emulator``). Configure it with the
    marker ``@pytest.mark.zenoo_emulator(version=19, size=100)``.
``zenoo_client``
    A :class:`~zenoo_rpc.ZenooClient` logged in as admin to ``odoo_emulator``
    through the in-process ``memory://`` transport (no sockets): with the
    password up to Odoo 18, with admin's API key over JSON-2 from Odoo 19.
``odoo_server_url``
    ``odoo_emulator`` served over HTTP and websockets on a free loopback port,
    for code that needs a real URL (subprocesses, other clients).
``zenoo_mock``
    A :class:`~zenoo_rpc.testing.mock.MockClient`; fails at teardown when a
    registered response was never used.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest

from zenoo_rpc.client import ZenooClient
from zenoo_rpc.testing.emulator.database import ADMIN_API_KEY
from zenoo_rpc.testing.emulator.server import Emulator
from zenoo_rpc.testing.mock import MockClient
from zenoo_rpc.testing.transport import register_emulator, unregister_emulator

__all__ = ["odoo_emulator", "odoo_server_url", "zenoo_client", "zenoo_mock"]

try:  # async fixtures must be pytest-asyncio's to work in its default strict mode
    from pytest_asyncio import fixture as async_fixture
except ImportError:  # pragma: no cover - another async plugin (anyio) handles them
    async_fixture = pytest.fixture  # type: ignore[assignment]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "zenoo_emulator(version=18, size=10, databases=('demo',)): configure the odoo_emulator "
        "fixture",
    )


@pytest.fixture
def odoo_emulator(request: pytest.FixtureRequest) -> Iterator[Emulator]:
    marker = request.node.get_closest_marker("zenoo_emulator")
    options: dict[str, Any] = dict(marker.kwargs) if marker else {}
    emulator = Emulator(**options)
    name = f"pytest-{uuid.uuid4().hex[:12]}"
    register_emulator(name, emulator)

    try:
        yield emulator
    finally:
        unregister_emulator(name)


@async_fixture
async def zenoo_client(odoo_emulator: Emulator) -> AsyncIterator[ZenooClient]:
    url = odoo_emulator.memory_url
    database = next(iter(odoo_emulator.databases))
    async with ZenooClient(url, plugins=[]) as client:
        if odoo_emulator.version >= 19:  # JSON-2 with an API key, as Odoo 19 wants
            await client.login(database, "admin", api_key=ADMIN_API_KEY)
        else:
            await client.login(database, "admin", "admin")
        yield client


@async_fixture
async def odoo_server_url(odoo_emulator: Emulator) -> AsyncIterator[str]:
    from zenoo_rpc.testing.emulator.serve import serve_emulator

    async with serve_emulator(odoo_emulator) as url:
        yield url


@async_fixture
async def zenoo_mock() -> AsyncIterator[MockClient]:
    client = MockClient()
    yield client
    await client.close()
    client.assert_all_used()
