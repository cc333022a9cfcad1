"""Fixtures of the wire tests: emulators and loopback servers."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from zenoo_rpc.testing.emulator.serve import serve_emulator
from zenoo_rpc.testing.emulator.server import Emulator


@pytest.fixture
def emulator18() -> Emulator:
    return Emulator(version=18)


@pytest.fixture
def emulator19() -> Emulator:
    return Emulator(version=19)


@pytest.fixture
async def server19(emulator19: Emulator) -> AsyncIterator[str]:
    async with serve_emulator(emulator19) as url:
        yield url


@pytest.fixture
async def http19(server19: str) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=server19, timeout=10) as client:
        yield client
