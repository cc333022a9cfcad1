"""The built-in memory backend passes the cache-backend conformance suite plugins run."""

from __future__ import annotations

import pytest

from zenoo_rpc.cache import MEMORY_BACKEND, CacheBackendSpec
from zenoo_rpc.testing.conformance.cache import CacheBackendConformance


class TestMemoryBackendConformance(CacheBackendConformance):
    @pytest.fixture
    def cache_backend_spec(self) -> CacheBackendSpec:
        return MEMORY_BACKEND
