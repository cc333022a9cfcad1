"""The plugin zenoo-rpc loads for ``plugins = ["redis-cluster"]``: it registers the backend.

Importing it is cheap: redis-py is imported when a client first sets up a
``redis-cluster`` cache, not when the plugin loads.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from zenoo_rpc.cache import CacheBackendSpec
from zenoo_rpc.hookspecs import hookimpl

__all__ = ["REDIS_CLUSTER_BACKEND", "zenoo_register_cache_backends"]


def _factory(settings: Mapping[str, Any]) -> Any:
    from zenoo_rpc_redis_cluster.backend import RedisClusterCache
    from zenoo_rpc_redis_cluster.settings import parse_settings

    return RedisClusterCache(parse_settings(settings))


#: The backend, selected with ``[cache] backend = "redis-cluster"``; its settings
#: are :class:`~zenoo_rpc_redis_cluster.settings.RedisCacheSettings`.
REDIS_CLUSTER_BACKEND = CacheBackendSpec(name="redis-cluster", factory=_factory)


@hookimpl
def zenoo_register_cache_backends() -> Iterable[CacheBackendSpec]:
    """Register the ``redis-cluster`` cache backend."""
    return (REDIS_CLUSTER_BACKEND,)
