"""zenoo-rpc-redis-cluster: a shared read cache for zenoo-rpc on Redis Cluster (or one Redis).

Enable it in ``zenoo.toml``::

    [plugins]
    enabled = ["redis-cluster"]

    [plugins.redis-cluster]
    urls = ["redis://10.0.0.1:7000", "redis://10.0.0.2:7000"]

    [cache]
    enabled = true
    backend = "redis-cluster"
    ttl = 300

Every process sharing the cluster sees every other's writes at once (a
write bumps the model's generation counter, in the same hash slot as the
model's entries), a failover never brings back an invalidated entry, and a
Redis outage never fails a call: it goes to Odoo, a ``cache_error`` event is
emitted, and the cache is used again once Redis is back.

:class:`RedisClusterCache` is the aiocache backend; :mod:`.testing` starts
real Redis clusters on loopback for your own tests.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from zenoo_rpc_redis_cluster.__about__ import __version__
from zenoo_rpc_redis_cluster.errors import (
    CacheUnavailable,
    RedisCacheError,
    RedisUnreachable,
    ReplicationUnconfirmed,
)
from zenoo_rpc_redis_cluster.plugin import REDIS_CLUSTER_BACKEND

if TYPE_CHECKING:
    from zenoo_rpc_redis_cluster.backend import RedisClusterCache
    from zenoo_rpc_redis_cluster.settings import RedisCacheSettings

__all__ = [
    "REDIS_CLUSTER_BACKEND",
    "CacheUnavailable",
    "RedisCacheError",
    "RedisCacheSettings",
    "RedisClusterCache",
    "RedisUnreachable",
    "ReplicationUnconfirmed",
    "__version__",
]


def __getattr__(name: str) -> Any:
    # redis-py is imported on first use of the backend, not by `import zenoo_rpc_redis_cluster`.
    if name == "RedisClusterCache":
        from zenoo_rpc_redis_cluster.backend import RedisClusterCache

        return RedisClusterCache
    if name == "RedisCacheSettings":
        from zenoo_rpc_redis_cluster.settings import RedisCacheSettings

        return RedisCacheSettings
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
