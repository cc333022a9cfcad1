"""Retries that never run a call twice by accident, with backoff and a circuit breaker.

:class:`RetryPolicy` decides whether a failed call may be sent again (only
when provably safe) and how many times; a :class:`RetryStrategy` decides how
long to wait; a :class:`CircuitBreaker` stops calls to a server that is down.
Strategies are registered by name (:data:`BUILTIN_STRATEGIES`, or a plugin's
``zenoo_register_retry_strategies``) and chosen in config.
"""

from __future__ import annotations

from zenoo_rpc.retry.circuit import CircuitBreaker, CircuitState, counts_as_outage
from zenoo_rpc.retry.policy import PROXY_STATUSES, OnRetry, RetryDecision, RetryPolicy, decide
from zenoo_rpc.retry.strategies import (
    BUILTIN_STRATEGIES,
    ExponentialBackoff,
    FixedDelay,
    LinearBackoff,
    RetryStrategy,
    RetryStrategySpec,
    select_strategy,
)

__all__ = [
    "BUILTIN_STRATEGIES",
    "PROXY_STATUSES",
    "CircuitBreaker",
    "CircuitState",
    "ExponentialBackoff",
    "FixedDelay",
    "LinearBackoff",
    "OnRetry",
    "RetryDecision",
    "RetryPolicy",
    "RetryStrategy",
    "RetryStrategySpec",
    "counts_as_outage",
    "decide",
    "select_strategy",
]
