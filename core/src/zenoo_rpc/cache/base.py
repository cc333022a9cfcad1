"""The cache backend contract: an aiocache ``BaseCache`` built from a named spec."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import msgspec

__all__ = ["CacheBackendSpec"]


class CacheBackendSpec(msgspec.Struct, frozen=True, kw_only=True):
    """A cache backend, as returned by ``zenoo_register_cache_backends``.

    :ivar name: unique name used in config (``backend = "memory"``).
    :ivar factory: builds an aiocache ``BaseCache`` from the backend's settings
        (``namespace``, ``ttl``, ``max_size``, ``url``... as the backend documents).
    """

    name: str
    factory: Callable[[Mapping[str, Any]], Any]
