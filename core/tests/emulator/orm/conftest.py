"""Shared databases for the ORM tests: fresh ones per test, a read-only one per module."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from zenoo_rpc.testing.emulator.database import Database


@pytest.fixture
def db() -> Database:
    """A fresh Odoo 18 database with 40 demo partners (tests may change it)."""
    return Database("test", version=18, size=40)


@pytest.fixture
def make_db() -> Callable[..., Database]:
    """Build a database of another version or size."""

    def make(version: int = 18, size: int = 10) -> Database:
        return Database(f"v{version}", version=version, size=size)

    return make
