"""The errors this plugin raises, all under zenoo-rpc's ``ZenooError``.

A cached model call never sees them: :class:`~zenoo_rpc.cache.CallCache`
turns any backend error into a ``cache_error`` event and a miss. They reach
code that uses the backend directly (``client.cache_manager``, aiocache calls).
"""

from __future__ import annotations

from zenoo_rpc.errors import CacheError, ZenooError

__all__ = [
    "CacheUnavailable",
    "RedisCacheError",
    "RedisLaunchError",
    "RedisServerNotFound",
    "RedisUnreachable",
    "ReplicationUnconfirmed",
]


class RedisCacheError(CacheError):
    """A Redis operation failed (connection, timeout, cluster down, bad reply).

    The redis-py exception is chained as ``__cause__``.
    """


class RedisUnreachable(RedisCacheError, ConnectionError):
    """Redis did not answer: a connection error, a timeout, a cluster that is down or failing over.

    Counts towards opening the backend's circuit (see :class:`CacheUnavailable`).
    """


class CacheUnavailable(RedisCacheError, ConnectionError):
    """Redis is not being asked: the backend's circuit is open after repeated failures.

    :ivar retry_after: seconds until the backend tries Redis again.
    """

    def __init__(self, message: str, *, retry_after: float = 0.0) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class ReplicationUnconfirmed(RedisCacheError):
    """A counter was bumped on a Redis master but no replica confirmed it in time.

    Replication is asynchronous: if that master failed now, its replica could
    be promoted without the bump. For a generation counter that would bring
    back entries the bump invalidated, so the bump is reported as failed and
    the call cache stops caching the model until a later bump is confirmed.
    """


class RedisLaunchError(ZenooError, RuntimeError):
    """A test Redis server or cluster could not be started (see the message and its log)."""


class RedisServerNotFound(RedisLaunchError, FileNotFoundError):
    """``redis-server`` or ``redis-cli`` is missing (Debian: ``apt-get install redis-server``)."""
