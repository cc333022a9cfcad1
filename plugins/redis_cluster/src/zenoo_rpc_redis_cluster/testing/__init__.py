"""Real Redis servers and clusters on loopback, for tests and benchmarks.

::

    from zenoo_rpc_redis_cluster.testing import start_cluster, start_redis_server

    with start_cluster(tmp_path) as cluster:        # 3 masters + 3 replicas
        settings = {"urls": cluster.urls}             # for backend = "redis-cluster"
        cluster.master_of("zenoo:{...}:gen").kill()   # a crash; a replica takes over
        cluster.wait_healthy()

    with start_redis_server(tmp_path) as node:       # one plain Redis
        settings = {"url": node.url}

Each ``redis-server`` binds 127.0.0.1 on a free port (and, in a cluster, that
port + 10000 for the cluster bus), keeps nothing on disk but its cluster
state file and log in ``directory``, and is killed when the block ends, even
on error, and at interpreter exit at the latest. ``cluster-node-timeout`` is
short (1 s) so a replica takes over a killed master within a few seconds.
When ``redis-server`` or ``redis-cli`` is missing, :class:`RedisServerNotFound`
says what to install: tests that need Redis should fail, not skip.
"""

from __future__ import annotations

from zenoo_rpc_redis_cluster.testing.cluster import (
    ClusterNodeInfo,
    RedisClusterProcess,
    start_cluster,
)
from zenoo_rpc_redis_cluster.testing.server import (
    RedisServerProcess,
    find_executable,
    start_redis_server,
)

__all__ = [
    "ClusterNodeInfo",
    "RedisClusterProcess",
    "RedisServerProcess",
    "find_executable",
    "start_cluster",
    "start_redis_server",
]
