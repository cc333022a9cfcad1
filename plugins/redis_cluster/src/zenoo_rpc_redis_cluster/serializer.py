"""Values go to Redis as bytes, unchanged: zenoo-rpc's cache encodes them with msgpack first.

``client.cache_manager`` and the call cache hand the backend msgpack bytes
(``zenoo_rpc.cache.keys.encode_value``: compact, exact for what Odoo
returns, and unlike pickle, safe to decode from a server other processes
write to). Encoding again would only cost time, so this serializer passes
bytes through, writes integers as their decimal digits (so ``INCRBY`` works
on generation counters) and refuses anything else with a clear error instead
of a redis-py ``DataError``. Values come back as ``bytes``.
"""

from __future__ import annotations

from typing import Any

from aiocache.serializers import BaseSerializer

__all__ = ["RawBytesSerializer"]


class RawBytesSerializer(BaseSerializer):  # type: ignore[misc]
    """Stores ``bytes`` as they are (and ``int`` / ``str`` as their UTF-8 text); loads ``bytes``."""

    DEFAULT_ENCODING = None

    def dumps(self, value: Any) -> bytes:
        """The bytes to store for ``value``.

        :raises TypeError: ``value`` is not bytes-like, an int or a str; encode
            it first (``zenoo_rpc.cache.keys.encode_value``) or give the backend
            another aiocache serializer.
        """
        if isinstance(value, bytes):
            return value
        if isinstance(value, bytearray | memoryview):
            return bytes(value)
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value).encode()
        if isinstance(value, str):
            return value.encode()
        raise TypeError(
            f"the redis-cluster cache stores bytes, not {type(value).__name__}; encode the "
            "value first (client.cache_manager does, with msgpack) or pass another aiocache "
            "serializer"
        )

    def loads(self, value: Any) -> Any:
        """``value`` as Redis returned it (``bytes`` or None)."""
        return value
