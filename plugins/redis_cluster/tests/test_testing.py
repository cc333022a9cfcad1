"""The Redis launcher users get in ``zenoo_rpc_redis_cluster.testing``."""

from __future__ import annotations

from pathlib import Path

import pytest

from zenoo_rpc.errors import ZenooError
from zenoo_rpc_redis_cluster.errors import RedisLaunchError, RedisServerNotFound
from zenoo_rpc_redis_cluster.testing import (
    RedisClusterProcess,
    RedisServerProcess,
    find_executable,
    start_cluster,
    start_redis_server,
)


def test_a_missing_redis_server_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(RedisServerNotFound, match="apt-get install redis-server") as info:
        find_executable("redis-server")
    assert isinstance(info.value, ZenooError)
    assert isinstance(info.value, FileNotFoundError)
    with pytest.raises(RedisServerNotFound, match="redis-cli"):
        start_cluster(tmp_path)
    with pytest.raises(RedisServerNotFound):
        start_redis_server(tmp_path)


def test_a_cluster_needs_three_masters(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=">= 3 masters"):
        start_cluster(tmp_path, nodes=4, replicas=1)


def test_a_server_starts_stops_and_restarts_on_its_port(tmp_path: Path) -> None:
    with start_redis_server(tmp_path) as server:
        assert server.ping()
        assert server.url == f"redis://127.0.0.1:{server.port}"
        server.command("SET", "k", "v")
        server.kill()
        assert not server.running
        assert not server.ping()
        server.start()
        assert server.command("GET", "k") is None  # nothing persisted
    assert not server.running


def test_a_taken_port_is_a_launch_error_quoting_the_log(
    tmp_path: Path, redis_server: RedisServerProcess
) -> None:
    clash = RedisServerProcess(tmp_path, port=redis_server.port)
    with pytest.raises(RedisLaunchError, match=f"port {redis_server.port}"):
        clash.start(timeout=5)
    assert not clash.running
    assert redis_server.ping()


def test_the_session_cluster_is_three_masters_with_a_replica_each(
    redis_cluster: RedisClusterProcess,
) -> None:
    topology = redis_cluster.topology()
    masters = [node for node in topology if node.role == "master"]
    assert len(masters) == 3
    assert sum(last - first + 1 for m in masters for first, last in m.slots) == 16384
    for master in redis_cluster.masters():
        (replica,) = redis_cluster.replicas_of(master)
        assert replica.info("replication")["master_link_status"] == "up"
    assert redis_cluster.master_of("zenoo:{same}:gen") is redis_cluster.master_of("{same}x")
