"""A Redis Cluster of loopback servers: :class:`RedisClusterProcess`, :func:`start_cluster`."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType

import msgspec
import redis
from redis.crc import key_slot

from zenoo_rpc_redis_cluster.errors import RedisLaunchError
from zenoo_rpc_redis_cluster.testing.server import RedisServerProcess, find_executable

__all__ = ["ClusterNodeInfo", "RedisClusterProcess", "start_cluster"]


class ClusterNodeInfo(msgspec.Struct, frozen=True, kw_only=True):
    """One line of ``CLUSTER NODES``, as seen by one node.

    :ivar node_id: the node's cluster id.
    :ivar port: its client port.
    :ivar role: ``"master"`` or ``"slave"``.
    :ivar master_id: the id of its master (replicas), else None.
    :ivar failed: flagged ``fail`` (or ``fail?``) or disconnected.
    :ivar slots: the slot ranges it serves, inclusive.
    """

    node_id: str
    port: int
    role: str
    master_id: str | None
    failed: bool
    slots: tuple[tuple[int, int], ...]


def _parse_cluster_nodes(text: str) -> list[ClusterNodeInfo]:
    nodes = []
    for line in text.strip().splitlines():
        fields = line.split()
        address, flags = fields[1], fields[2].split(",")
        slots = []
        for item in fields[8:]:
            if item.startswith("["):  # a slot being migrated
                continue
            first, _, last = item.partition("-")
            slots.append((int(first), int(last or first)))
        nodes.append(
            ClusterNodeInfo(
                node_id=fields[0],
                port=int(address.split("@", 1)[0].rsplit(":", 1)[1]),
                role="master" if "master" in flags else "slave",
                master_id=None if fields[3] == "-" else fields[3],
                failed=any(f in flags for f in ("fail", "fail?", "noaddr"))
                or fields[7] != "connected",
                slots=tuple(slots),
            )
        )
    return nodes


class RedisClusterProcess:
    """A Redis Cluster of :class:`RedisServerProcess` nodes; built by :func:`start_cluster`.

    :ivar nodes: every node, masters and replicas, in start order.
    """

    def __init__(self, nodes: Sequence[RedisServerProcess]) -> None:
        self.nodes = list(nodes)

    @property
    def urls(self) -> list[str]:
        """Every node's URL: the startup nodes to give a cluster client."""
        return [node.url for node in self.nodes]

    @property
    def url(self) -> str:
        """One live node's URL (a cluster client discovers the others from it)."""
        return next((n.url for n in self.nodes if n.running), self.nodes[0].url)

    def node(self, port: int) -> RedisServerProcess:
        """The node listening on ``port``."""
        for node in self.nodes:
            if node.port == port:
                return node
        raise KeyError(f"no cluster node on port {port}")

    def topology(self) -> list[ClusterNodeInfo]:
        """``CLUSTER NODES`` as seen by the first live node that answers."""
        for node in self.nodes:
            if not node.running:
                continue
            try:
                raw = node.command("CLUSTER", "NODES")
            except (redis.RedisError, OSError):
                continue
            text = raw.decode() if isinstance(raw, bytes) else str(raw)
            return _parse_cluster_nodes(text)
        raise RedisLaunchError("no cluster node answers CLUSTER NODES")

    def masters(self) -> list[RedisServerProcess]:
        """The nodes serving slots now (live masters)."""
        return [
            self.node(info.port)
            for info in self.topology()
            if info.role == "master" and info.slots and not info.failed
        ]

    def master_of(self, key: str | bytes) -> RedisServerProcess:
        """The live master serving ``key``'s hash slot."""
        slot = key_slot(key.encode() if isinstance(key, str) else key)
        for info in self.topology():
            if info.role != "master" or info.failed:
                continue
            if any(first <= slot <= last for first, last in info.slots):
                return self.node(info.port)
        raise RedisLaunchError(f"no live master serves slot {slot}")

    def replicas_of(self, master: RedisServerProcess) -> list[RedisServerProcess]:
        """The live replicas of ``master``."""
        topology = self.topology()
        master_id = next(info.node_id for info in topology if info.port == master.port)
        return [
            self.node(info.port)
            for info in topology
            if info.master_id == master_id and not info.failed
        ]

    def _healthy(self, expected_nodes: int | None) -> bool:
        live = [node for node in self.nodes if node.running]
        if not live:
            return False
        for node in live:
            try:
                info = node.command("CLUSTER", "INFO")
                text = info.decode() if isinstance(info, bytes) else str(info)
                fields = dict(
                    line.split(":", 1) for line in text.strip().splitlines() if ":" in line
                )
                if fields.get("cluster_state") != "ok":
                    return False
                if int(fields.get("cluster_slots_assigned", 0)) != 16384:
                    return False
                if expected_nodes and int(fields.get("cluster_known_nodes", 0)) < expected_nodes:
                    return False
                replication = node.info("replication")
                if replication.get("role") == "slave" and (
                    replication.get("master_link_status") != "up"
                    or int(replication.get("master_sync_in_progress", 0))
                ):
                    return False
            except (redis.RedisError, OSError):
                return False
        for info in _parse_cluster_nodes(self._nodes_text(live[0])):
            node_running = any(n.port == info.port and n.running for n in self.nodes)
            if node_running and info.failed:
                return False
        return True

    @staticmethod
    def _nodes_text(node: RedisServerProcess) -> str:
        raw = node.command("CLUSTER", "NODES")
        return raw.decode() if isinstance(raw, bytes) else str(raw)

    def wait_healthy(self, timeout: float = 30.0, *, expected_nodes: int | None = None) -> None:
        """Wait until every live node says ``cluster_state:ok``, all slots are served,
        every live replica is in sync with its master and no live node is seen as failed.

        :raises RedisLaunchError: not healthy within ``timeout`` seconds.
        """
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if self._healthy(expected_nodes):
                    return
            except (redis.RedisError, OSError, RedisLaunchError):
                pass
            time.sleep(0.05)
        raise RedisLaunchError(f"the Redis cluster did not become healthy within {timeout}s")

    def close(self) -> None:
        """Kill every node."""
        for node in self.nodes:
            node.kill()

    def __enter__(self) -> RedisClusterProcess:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        running = sum(node.running for node in self.nodes)
        return f"RedisClusterProcess({running}/{len(self.nodes)} nodes running)"


def start_cluster(
    directory: str | Path,
    *,
    nodes: int = 6,
    replicas: int = 1,
    node_timeout_ms: int = 1000,
    timeout: float = 60.0,
) -> RedisClusterProcess:
    """Start ``nodes`` cluster-enabled servers and join them into one cluster.

    ``redis-cli --cluster create`` gives ``nodes / (replicas + 1)`` masters
    (at least 3) the 16384 slots, and each master ``replicas`` replicas. It
    returns once the cluster is healthy (:meth:`RedisClusterProcess.wait_healthy`).
    Every process started is killed if anything fails on the way.

    :raises RedisServerNotFound: ``redis-server`` or ``redis-cli`` is not installed.
    :raises RedisLaunchError: a node did not start or the cluster did not form.
    """
    if nodes < 3 * (replicas + 1):
        raise ValueError(f"a cluster with {replicas} replica(s) per master needs >= 3 masters")
    cli = find_executable("redis-cli")
    find_executable("redis-server")
    base = Path(directory)
    servers = [
        RedisServerProcess(base / f"node-{index}", cluster=True, node_timeout_ms=node_timeout_ms)
        for index in range(nodes)
    ]
    cluster = RedisClusterProcess(servers)
    try:
        for server in servers:
            server.start()
        done = subprocess.run(  # noqa: S603 - our own argument list, no shell
            [
                cli,
                "--cluster",
                "create",
                *(server.address for server in servers),
                "--cluster-replicas",
                str(replicas),
                "--cluster-yes",
            ],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if done.returncode != 0:
            lines = (done.stderr or done.stdout).strip().splitlines() or ["(no output)"]
            raise RedisLaunchError(f"redis-cli --cluster create failed: {lines[-1]}")
        cluster.wait_healthy(timeout, expected_nodes=nodes)
    except BaseException:
        cluster.close()
        raise
    return cluster
