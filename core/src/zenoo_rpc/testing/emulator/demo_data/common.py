"""What every seeded record shares: a fixed creation stamp and a placeholder image."""

from __future__ import annotations

from typing import Any

__all__ = ["DEMO_EPOCH", "PLACEHOLDER_PNG", "stamp"]

#: Creation time of every seeded record (demo data must not depend on the clock).
DEMO_EPOCH = "2025-01-01 08:00:00"
#: A 1x1 PNG: every seeded company shares this one string, so images cost nothing.
PLACEHOLDER_PNG = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQ"
    "AAAABJRU5ErkJggg=="
)


def stamp(values: dict[str, Any], uid: int = 1) -> dict[str, Any]:
    """``values`` with the log-access columns of a record ``uid`` created at the epoch."""
    return {
        "create_date": DEMO_EPOCH,
        "write_date": DEMO_EPOCH,
        "create_uid": uid,
        "write_uid": uid,
        **values,
    }
