"""Audit tests run real clients against zenoo-rpc's in-memory Odoo (``memory://``)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from audit_clients import ClientFactory, audit_config

from zenoo_rpc import ZenooClient
from zenoo_rpc.testing.emulator.server import Emulator

pytest_plugins = ["zenoo_rpc.testing.pytest_plugin"]


@pytest.fixture(autouse=True)
def _no_plugin_override(monkeypatch: pytest.MonkeyPatch) -> None:
    # The tests choose their plugins; a ZENOO_PLUGINS in the environment must not.
    monkeypatch.delenv("ZENOO_PLUGINS", raising=False)


@pytest.fixture
def audit_path(tmp_path: Path) -> Path:
    return tmp_path / "audit.jsonl"


@pytest.fixture
async def make_client(odoo_emulator: Emulator) -> AsyncIterator[ClientFactory]:
    """Build clients with the audit plugin on ``odoo_emulator``; all closed at the end."""
    made: list[ZenooClient] = []

    def make(settings: dict[str, Any] | None = None, **top: Any) -> ZenooClient:
        client = ZenooClient(config=audit_config(odoo_emulator.memory_url, settings, **top))
        made.append(client)
        return client

    yield make
    for client in made:
        await client.close()
