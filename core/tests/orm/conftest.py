"""Model-layer and QuerySet tests run against the emulator in-process, counting every model call."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from orm_harness import Harness, MakeHarness, harness_for


@pytest.fixture
def make_harness() -> MakeHarness:
    return harness_for


@pytest.fixture(params=[16, 18, 19], ids=lambda v: f"odoo{v}")
async def harness(request: pytest.FixtureRequest) -> AsyncIterator[Harness]:
    async with harness_for(request.param) as made:
        yield made


@pytest.fixture
async def harness18() -> AsyncIterator[Harness]:
    async with harness_for(18) as made:
        yield made
