"""Constants and helpers shared by the operations tests (fixtures are in ``conftest.py``)."""

from __future__ import annotations

from pathlib import Path

#: The emulator's master password in these tests (not Odoo's default "admin").
MASTER = "master-s3cret"
#: The two HTTP transports a loopback test runs on.
TRANSPORTS = ["asyncio", "httpx"]


def leftovers(directory: Path) -> list[str]:
    """Every file in ``directory``, hidden temporary files included."""
    return sorted(path.name for path in directory.iterdir())
