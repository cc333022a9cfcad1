"""The built-in plugin: zenoo-rpc's own transports, cache backend and retry strategies.

Registered first in every client through the same hooks third-party plugins
use, so a plugin replaces any of them the same way (a transport with a higher
``priority`` for a scheme, or a name chosen in config). Factories import their
implementation on first use, so a client only pays for what it uses.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from zenoo_rpc.cache.base import CacheBackendSpec
from zenoo_rpc.hookspecs import hookimpl
from zenoo_rpc.transports.base import Transport, TransportOptions, TransportSpec

__all__ = [
    "zenoo_register_cache_backends",
    "zenoo_register_retry_strategies",
    "zenoo_register_transports",
]


def _httpx_transport(options: TransportOptions) -> Transport:
    from zenoo_rpc.transports.httpx_transport import HttpxTransport

    return HttpxTransport(options)


def _streams_transport(options: TransportOptions) -> Transport:
    from zenoo_rpc.transports.streams import StreamsTransport

    return StreamsTransport(options)


def _memory_transport(options: TransportOptions) -> Transport:
    from zenoo_rpc.testing.transport import MemoryTransport

    return MemoryTransport.from_options(options)


def _memory_cache(settings: Mapping[str, Any]) -> Any:
    from zenoo_rpc.cache.memory import MEMORY_BACKEND

    return MEMORY_BACKEND.factory(settings)


@hookimpl
def zenoo_register_transports() -> Iterable[TransportSpec]:
    return (
        TransportSpec(
            name="asyncio", schemes=("http", "https"), factory=_streams_transport, priority=10
        ),
        TransportSpec(name="httpx", schemes=("http", "https"), factory=_httpx_transport),
        TransportSpec(name="memory", schemes=("memory",), factory=_memory_transport),
    )


@hookimpl
def zenoo_register_cache_backends() -> Iterable[CacheBackendSpec]:
    return (CacheBackendSpec(name="memory", factory=_memory_cache),)


@hookimpl
def zenoo_register_retry_strategies() -> Iterable[Any]:
    from zenoo_rpc.retry import BUILTIN_STRATEGIES

    return BUILTIN_STRATEGIES
