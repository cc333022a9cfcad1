"""How long the bus listener waits before connecting again."""

from __future__ import annotations

import random

from zenoo_rpc.errors import ConfigError

__all__ = ["Backoff"]


class Backoff:
    """Exponential backoff with jitter and a cap.

    The ``n``-th wait in a row (from 0) is ``base * 2**n`` capped at ``cap``,
    times a random factor in ``[0.5, 1]``: many listeners restarted together
    (a server restart) spread out instead of reconnecting in waves, and none
    waits less than half the nominal delay. :meth:`reset` after a connection
    that worked.

    :param base: the first delay, in seconds.
    :param cap: the longest delay, in seconds.
    :param rng: the random source (seed it in tests).
    """

    __slots__ = ("attempts", "base", "cap", "rng")

    def __init__(self, base: float = 0.5, cap: float = 30.0, rng: random.Random | None = None):
        if base <= 0 or cap < base:
            raise ConfigError(f"backoff needs 0 < base <= cap, not base={base} cap={cap}")
        self.base = base
        self.cap = cap
        self.rng = rng or random.Random()
        #: Waits since the last :meth:`reset`.
        self.attempts = 0

    def nominal(self, attempt: int) -> float:
        """The delay before jitter of wait number ``attempt`` (from 0)."""
        return min(self.cap, self.base * 2.0 ** min(attempt, 64))

    def next_delay(self, *, at_least: float = 0.0) -> float:
        """The next wait, in seconds (never below ``at_least``, never above ``cap``)."""
        delay = self.nominal(self.attempts) * self.rng.uniform(0.5, 1.0)
        self.attempts += 1
        return min(self.cap, max(delay, at_least))

    def reset(self) -> None:
        """Start again from ``base`` (after a connection that worked)."""
        self.attempts = 0
