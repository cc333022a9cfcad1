"""``ConfigProvider``: configuration from anywhere that can produce a mapping.

For settings kept in a database, a vault or a remote service::

    class DatabaseConfigProvider:
        async def load_config(self) -> dict:
            rows = await db.fetch("SELECT key, value FROM config")
            return {row["key"]: row["value"] for row in rows}

    client = await ZenooClient.from_config_provider(DatabaseConfigProvider())

The mapping has the shape of ``zenoo.toml`` and is decoded by
:meth:`ZenooConfig.from_mapping <zenoo_rpc.config.ZenooConfig.from_mapping>`,
so its errors name the provider and the key path.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol, runtime_checkable

__all__ = ["ConfigProvider"]


@runtime_checkable
class ConfigProvider(Protocol):
    """Anything with ``async load_config() -> Mapping``; no base class needed."""

    async def load_config(self) -> Mapping[str, Any]:
        """Return the configuration mapping (same keys as ``zenoo.toml``)."""
        ...
