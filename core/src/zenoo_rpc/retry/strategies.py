"""How long to wait between attempts: retry strategies, built-in and user-defined.

A strategy only computes delays. Whether a failed call may be sent again at
all is decided by :class:`~zenoo_rpc.retry.policy.RetryPolicy`, and no
strategy (or plugin) can widen that. Write your own by subclassing
:class:`RetryStrategy`::

    from zenoo_rpc.retry.strategies import RetryStrategy

    class SinusoidalBackoffStrategy(RetryStrategy):
        def __init__(self, base_delay: float = 1.0, amplitude: float = 2.0):
            super().__init__()
            self.base_delay = base_delay
            self.amplitude = amplitude

        def calculate_delay(self, attempt: int) -> float:
            return max(0.1, self.base_delay + self.amplitude * math.sin(attempt))

and register it by name with a ``zenoo_register_retry_strategies`` hook that
returns a :class:`RetryStrategySpec`.
"""

from __future__ import annotations

import random
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import msgspec

from zenoo_rpc.errors import ConfigError

__all__ = [
    "BUILTIN_STRATEGIES",
    "ExponentialBackoff",
    "FixedDelay",
    "LinearBackoff",
    "RetryStrategy",
    "RetryStrategySpec",
    "select_strategy",
]


class RetryStrategy(ABC):
    """The delay before each new attempt of a call that the policy decided to retry.

    ``attempt`` counts failed attempts from 1: ``calculate_delay(1)`` is the
    wait before the second try. Subclasses call ``super().__init__()`` with no
    arguments and implement :meth:`calculate_delay`.
    """

    @abstractmethod
    def calculate_delay(self, attempt: int) -> float:
        """Seconds to wait after failed attempt number ``attempt`` (from 1)."""

    def __repr__(self) -> str:
        fields = ", ".join(f"{k}={v!r}" for k, v in vars(self).items() if not k.startswith("_"))
        return f"{type(self).__name__}({fields})"


def _check_attempt(attempt: int) -> None:
    if attempt < 1:
        raise ValueError(f"attempt counts from 1, got {attempt}")


def _non_negative(name: str, value: float) -> float:
    value = float(value)
    if value < 0:
        raise ValueError(f"{name} must be >= 0, got {value}")
    return value


class ExponentialBackoff(RetryStrategy):
    """``base_delay * multiplier ** (attempt - 1)``, capped at ``max_delay``.

    With ``jitter`` (the default) the delay is drawn uniformly from
    ``[0, capped]`` ("full jitter"), so that many clients failing together do
    not all come back at the same instant. Pass a seeded ``random.Random`` as
    ``rng`` for reproducible delays in tests.
    """

    def __init__(
        self,
        base_delay: float = 0.5,
        max_delay: float = 30.0,
        multiplier: float = 2.0,
        jitter: bool = True,
        *,
        rng: random.Random | None = None,
    ) -> None:
        super().__init__()
        self.base_delay = _non_negative("base_delay", base_delay)
        self.max_delay = _non_negative("max_delay", max_delay)
        if multiplier < 1:
            raise ValueError(f"multiplier must be >= 1, got {multiplier}")
        self.multiplier = float(multiplier)
        self.jitter = bool(jitter)
        self._rng = rng if rng is not None else random.Random()

    def capped_delay(self, attempt: int) -> float:
        """The delay before jitter: the upper bound of what :meth:`calculate_delay` returns."""
        _check_attempt(attempt)
        try:
            raw = self.base_delay * self.multiplier ** (attempt - 1)
        except OverflowError:
            return self.max_delay
        return min(self.max_delay, raw)

    def calculate_delay(self, attempt: int) -> float:
        capped = self.capped_delay(attempt)
        return self._rng.uniform(0.0, capped) if self.jitter else capped


class LinearBackoff(RetryStrategy):
    """``base_delay + increment * (attempt - 1)``, capped at ``max_delay``.

    For servers behind a rate limiter, where waiting a little longer each
    time is enough and exponential growth would wait too long.
    """

    def __init__(
        self, base_delay: float = 0.5, increment: float = 0.5, max_delay: float = 30.0
    ) -> None:
        super().__init__()
        self.base_delay = _non_negative("base_delay", base_delay)
        self.increment = _non_negative("increment", increment)
        self.max_delay = _non_negative("max_delay", max_delay)

    def calculate_delay(self, attempt: int) -> float:
        _check_attempt(attempt)
        return min(self.max_delay, self.base_delay + self.increment * (attempt - 1))


class FixedDelay(RetryStrategy):
    """The same ``delay`` before every attempt: simple and predictable, for tests and scripts."""

    def __init__(self, delay: float = 1.0) -> None:
        super().__init__()
        self.delay = _non_negative("delay", delay)

    def calculate_delay(self, attempt: int) -> float:
        _check_attempt(attempt)
        return self.delay


class RetryStrategySpec(msgspec.Struct, frozen=True, kw_only=True):
    """A retry strategy, as returned by ``zenoo_register_retry_strategies``.

    :ivar name: unique name used in config (``[retry] strategy = "exponential"``).
    :ivar factory: builds the strategy from the ``[retry]`` settings
        (``base_delay``, ``max_delay``, ``jitter``...). It may ignore settings
        that do not apply to it, and should raise
        :class:`~zenoo_rpc.errors.ConfigError` on ones it does not know.
    """

    name: str
    factory: Callable[[Mapping[str, Any]], RetryStrategy]


#: ``[retry]`` keys that configure the policy, not the strategy; factories skip them
#: so that the whole table can be handed over.
POLICY_SETTINGS = frozenset(
    {"strategy", "max_attempts", "enabled", "failure_threshold", "reset_timeout", "circuit_breaker"}
)
#: Delay settings a built-in strategy accepts even when it has no use for them, so that
#: switching ``strategy`` does not force editing the rest of the table.
_SHARED_DELAY_SETTINGS = frozenset(
    {"base_delay", "max_delay", "multiplier", "jitter", "increment", "delay", "seed"}
)


def _settings(name: str, settings: Mapping[str, Any]) -> dict[str, Any]:
    unknown = sorted(set(settings) - POLICY_SETTINGS - _SHARED_DELAY_SETTINGS)
    if unknown:
        raise ConfigError(
            f"unknown setting(s) {', '.join(unknown)} for retry strategy {name!r}; "
            f"known: {', '.join(sorted(_SHARED_DELAY_SETTINGS))}",
            path=f"$.retry.{unknown[0]}",
        )
    return {k: v for k, v in settings.items() if k in _SHARED_DELAY_SETTINGS}


def _exponential(settings: Mapping[str, Any]) -> RetryStrategy:
    s = _settings("exponential", settings)
    seed = s.get("seed")
    return ExponentialBackoff(
        base_delay=s.get("base_delay", 0.5),
        max_delay=s.get("max_delay", 30.0),
        multiplier=s.get("multiplier", 2.0),
        jitter=s.get("jitter", True),
        rng=random.Random(seed) if seed is not None else None,
    )


def _linear(settings: Mapping[str, Any]) -> RetryStrategy:
    s = _settings("linear", settings)
    base = s.get("base_delay", 0.5)
    return LinearBackoff(
        base_delay=base, increment=s.get("increment", base), max_delay=s.get("max_delay", 30.0)
    )


def _fixed(settings: Mapping[str, Any]) -> RetryStrategy:
    s = _settings("fixed", settings)
    return FixedDelay(delay=s.get("delay", s.get("base_delay", 1.0)))


#: The strategies the core registers through its own ``zenoo_register_retry_strategies``.
BUILTIN_STRATEGIES: tuple[RetryStrategySpec, ...] = (
    RetryStrategySpec(name="exponential", factory=_exponential),
    RetryStrategySpec(name="linear", factory=_linear),
    RetryStrategySpec(name="fixed", factory=_fixed),
)


def select_strategy(
    name: str, specs: Iterable[RetryStrategySpec], settings: Mapping[str, Any] | None = None
) -> RetryStrategy:
    """Build the strategy called ``name`` from the registered ``specs``.

    Raises :class:`~zenoo_rpc.errors.ConfigError` naming the available
    strategies when none has that name.
    """
    by_name = {spec.name: spec for spec in specs}
    spec = by_name.get(name)
    if spec is None:
        raise ConfigError(
            f"unknown retry strategy {name!r}; available: {', '.join(sorted(by_name)) or 'none'}",
            path="$.retry.strategy",
        )
    return spec.factory(settings or {})
