"""Real Redis for the tests: a 6-node cluster and a plain server for the session, on loopback.

Tests that kill nodes get a cluster of their own (``disposable_cluster``).
Without ``redis-server`` the fixtures fail with what to install: these tests
exist to run against a real Redis, so they never skip.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest

from zenoo_rpc_redis_cluster.errors import RedisServerNotFound
from zenoo_rpc_redis_cluster.testing import (
    RedisClusterProcess,
    RedisServerProcess,
    start_cluster,
    start_redis_server,
)

pytest_plugins = ["zenoo_rpc.testing.pytest_plugin"]

T = TypeVar("T")


def _launch(start: Callable[[], T]) -> T:
    try:
        return start()
    except RedisServerNotFound as exc:
        pytest.fail(str(exc), pytrace=False)


@pytest.fixture(scope="session")
def redis_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisClusterProcess]:
    """3 masters + 3 replicas, shared by the tests that do not break it."""
    cluster = _launch(lambda: start_cluster(tmp_path_factory.mktemp("redis-cluster")))
    with cluster:
        yield cluster


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServerProcess]:
    """One plain Redis server (no cluster)."""
    server = _launch(lambda: start_redis_server(tmp_path_factory.mktemp("redis-single")))
    with server:
        yield server


@pytest.fixture
def disposable_cluster(tmp_path: Path) -> Iterator[RedisClusterProcess]:
    """A cluster for one test, which may kill its nodes."""
    cluster = _launch(lambda: start_cluster(tmp_path / "cluster"))
    with cluster:
        yield cluster


@pytest.fixture
def cache_config() -> Callable[..., dict[str, Any]]:
    """Builds the ``cache=`` argument of a client caching reads on the redis-cluster backend."""

    def build(urls: list[str], *, ttl: float | None = None, **settings: Any) -> dict[str, Any]:
        return {
            "enabled": True,
            "backend": "redis-cluster",
            "ttl": ttl,
            "settings": {"urls": urls, **settings},
        }

    return build
