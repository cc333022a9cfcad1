"""Client tests run against the in-memory Odoo through the ``memory://`` transport."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest

from zenoo_rpc import ZenooClient
from zenoo_rpc.testing.emulator.database import ADMIN_API_KEY
from zenoo_rpc.testing.emulator.server import Emulator
from zenoo_rpc.testing.transport import register_emulator, unregister_emulator

#: (protocol, Odoo version) pairs: every protocol on a version that has it.
PROTOCOL_CASES = [("jsonrpc", 18), ("web", 18), ("json2", 19), ("jsonrpc", 16), ("web", 17)]


@pytest.fixture(params=PROTOCOL_CASES, ids=lambda case: f"{case[0]}-odoo{case[1]}")
def protocol_case(request: pytest.FixtureRequest) -> tuple[str, int]:
    return request.param  # type: ignore[no-any-return]


@pytest.fixture
def emulator(protocol_case: tuple[str, int], request: pytest.FixtureRequest) -> Iterator[Emulator]:
    emulator = Emulator(version=protocol_case[1], size=30)
    name = f"client-{request.node.name}".replace("[", "-").replace("]", "")
    register_emulator(name, emulator)
    yield emulator
    unregister_emulator(name)


@pytest.fixture
async def client(emulator: Emulator, protocol_case: tuple[str, int]) -> AsyncIterator[ZenooClient]:
    protocol, _ = protocol_case
    async with ZenooClient(
        emulator.memory_url, protocol=protocol, plugins=[], timeout=5.0
    ) as client:
        await login_admin(client, protocol)
        yield client


async def login_admin(client: ZenooClient, protocol: str) -> None:
    if protocol == "json2":
        await client.login("demo", "admin", api_key=ADMIN_API_KEY)
    else:
        await client.login("demo", "admin", "admin")
