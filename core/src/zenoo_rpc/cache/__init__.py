"""Caching: named caches on pluggable aiocache backends, and the model-call cache.

:class:`CacheManager` is ``client.cache_manager`` (set up caches, get/set
values); :class:`CallCache` answers read calls from the active cache and
invalidates a model's reads when it is written (and those of the models
:data:`DEFAULT_RELATED` says it changes); :class:`LRUMemoryCache` is the
built-in bounded in-process backend, registered as :data:`MEMORY_BACKEND`.
Other backends (Redis Cluster...) come from plugins as :class:`CacheBackendSpec`.
"""

from __future__ import annotations

from zenoo_rpc.cache.base import CacheBackendSpec
from zenoo_rpc.cache.call_cache import DEFAULT_RELATED, CacheLookup, CallCache, OnCacheEvent
from zenoo_rpc.cache.keys import call_fingerprint, generation_key
from zenoo_rpc.cache.manager import BackendsProvider, CacheManager, default_backends
from zenoo_rpc.cache.memory import MEMORY_BACKEND, LRUMemoryCache

__all__ = [
    "DEFAULT_RELATED",
    "MEMORY_BACKEND",
    "BackendsProvider",
    "CacheBackendSpec",
    "CacheLookup",
    "CacheManager",
    "CallCache",
    "LRUMemoryCache",
    "OnCacheEvent",
    "call_fingerprint",
    "default_backends",
    "generation_key",
]
