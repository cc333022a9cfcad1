"""The redis-cluster backend passes core's cache-backend conformance suite, clustered and single."""

from __future__ import annotations

from typing import Any

import pytest

from zenoo_rpc.cache import CacheBackendSpec
from zenoo_rpc.testing.conformance.cache import CacheBackendConformance
from zenoo_rpc_redis_cluster import REDIS_CLUSTER_BACKEND
from zenoo_rpc_redis_cluster.testing import RedisClusterProcess, RedisServerProcess


class RedisConformance(CacheBackendConformance):
    @pytest.fixture
    def cache_backend_spec(self) -> CacheBackendSpec:
        return REDIS_CLUSTER_BACKEND

    @pytest.fixture
    def cache_client_plugins(self) -> list[str]:
        return ["redis-cluster"]

    @pytest.fixture
    def cache_backend_is_shared(self) -> bool:
        return True


class TestClusterConformance(RedisConformance):
    @pytest.fixture
    def cache_backend_settings(self, redis_cluster: RedisClusterProcess) -> dict[str, Any]:
        return {"urls": redis_cluster.urls[:2], "mode": "cluster"}

    async def test_it_really_is_a_cluster(self, cache_backend: Any, cache_key: str) -> None:
        await cache_backend.set(cache_key, b"v")
        assert cache_backend.mode == "cluster"


class TestAutoDetectedClusterConformance(RedisConformance):
    @pytest.fixture
    def cache_backend_settings(self, redis_cluster: RedisClusterProcess) -> dict[str, Any]:
        return {"url": redis_cluster.url}

    async def test_cluster_mode_is_detected(self, cache_backend: Any, cache_key: str) -> None:
        await cache_backend.set(cache_key, b"v")
        assert cache_backend.mode == "cluster"


class TestSingleNodeConformance(RedisConformance):
    @pytest.fixture
    def cache_backend_settings(self, redis_server: RedisServerProcess) -> dict[str, Any]:
        return {"url": redis_server.url}

    async def test_single_mode_is_detected(self, cache_backend: Any, cache_key: str) -> None:
        await cache_backend.set(cache_key, b"v")
        assert cache_backend.mode == "single"


class TestSingleNodeOtherDatabaseConformance(RedisConformance):
    @pytest.fixture
    def cache_backend_settings(self, redis_server: RedisServerProcess) -> dict[str, Any]:
        return {"url": redis_server.url + "/3"}

    async def test_keys_live_in_that_database(
        self, cache_backend: Any, cache_key: str, redis_server: RedisServerProcess
    ) -> None:
        await cache_backend.set(cache_key, b"v")
        with redis_server.client() as db0, redis_server.client(db=3) as db3:
            assert (db0.exists(cache_key), db3.exists(cache_key)) == (0, 1)
