"""Deterministic demo data: the records of a fresh Odoo demo database, scaled by ``size``.

Rows are written straight into the tables (no ORM round trip per record) so
that ``size=100_000`` partners build in a few seconds. The fixed part mirrors
a real database (:mod:`.fixed`): company "YourCompany", OdooBot (uid 1,
archived), Mitchell Admin (uid 2), the public user, Marc Demo and the
restricted ``demo2``; ``size`` adds generated companies and their contacts
(:mod:`.partners`), then products, sales orders and deliveries (:mod:`.sales`).
"""

from __future__ import annotations

import random

from zenoo_rpc.testing.emulator.orm.registry import Registry

from .common import DEMO_EPOCH, PLACEHOLDER_PNG
from .fixed import USERS, build_fixed
from .partners import build_partners
from .sales import build_sales

__all__ = ["DEMO_EPOCH", "PLACEHOLDER_PNG", "USERS", "build_demo"]


def build_demo(registry: Registry, *, size: int = 10, seed: int = 0) -> None:
    """Fill an empty registry with the fixed records plus ``size`` generated partners."""
    rng = random.Random(seed)
    category_ids = build_fixed(registry)
    build_partners(registry, rng, size, category_ids)
    build_sales(registry, rng, size)
