"""A circuit breaker: stop hammering a server that is down, and notice when it is back.

After ``failure_threshold`` consecutive failures that say "the server is not
reachable or not healthy" the circuit opens and every call fails at once with
:class:`~zenoo_rpc.errors.CircuitOpenError` (no network, no waiting on
timeouts). After ``reset_timeout`` seconds one trial call goes through
(half-open): its success closes the circuit, its failure opens it again.

Only transport errors and protocol errors that say the server is unhealthy
count: a 5xx, no status at all (a malformed HTTP answer) or a 2xx whose body
came back truncated or undecodable (a server or proxy cutting answers short).
A 4xx protocol error (the request refused before it ran) does not. An
:class:`~zenoo_rpc.errors.OdooServerError` (``AccessError``,
``ValidationError``...) is the server answering, so it counts as a sign of
health, as does any successful call.
"""

from __future__ import annotations

import enum
import inspect
import logging
import time
from collections.abc import Awaitable, Callable

from zenoo_rpc.errors import (
    CircuitOpenError,
    OdooServerError,
    ProtocolError,
    ZenooTransportError,
)

__all__ = ["CircuitBreaker", "CircuitState", "StateChangeCallback", "counts_as_outage"]

log = logging.getLogger(__name__)


class CircuitState(str, enum.Enum):
    """Where the breaker stands; the value is what events and ``health()`` report."""

    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"


#: Called with the new state on every transition (a ``str`` enum: ``"open"``...);
#: may return an awaitable, which is awaited.
StateChangeCallback = Callable[[CircuitState], "Awaitable[None] | None"]


def counts_as_outage(exc: BaseException) -> bool:
    """True when ``exc`` says the server is unreachable or unhealthy (not that it said no)."""
    if isinstance(exc, ZenooTransportError):
        return True
    if isinstance(exc, ProtocolError):
        # None: malformed HTTP; 2xx: a truncated or garbled body; 5xx: a failing
        # server or a proxy that cannot reach it. 3xx/4xx: a refusal, i.e. an answer.
        return exc.status is None or 200 <= exc.status < 300 or exc.status >= 500
    return False


class CircuitBreaker:
    """Fail fast while a server is down; one breaker per server, shared by its calls.

    :param failure_threshold: consecutive outage failures that open the circuit.
    :param reset_timeout: seconds the circuit stays open before a trial call.
    :param clock: monotonic clock in seconds; tests inject a fake one.
    :param on_state_change: told the new state on each transition, e.g. to emit
        ``circuit_opened`` / ``circuit_closed`` events. Its errors are logged.
    """

    def __init__(
        self,
        failure_threshold: int = 5,
        reset_timeout: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
        *,
        on_state_change: StateChangeCallback | None = None,
    ) -> None:
        if failure_threshold < 1:
            raise ValueError(f"failure_threshold must be >= 1, got {failure_threshold}")
        if reset_timeout < 0:
            raise ValueError(f"reset_timeout must be >= 0, got {reset_timeout}")
        self.failure_threshold = failure_threshold
        self.reset_timeout = float(reset_timeout)
        self.on_state_change = on_state_change
        self._clock = clock
        self._state = CircuitState.CLOSED
        self._failures = 0
        self._opened_at = 0.0
        self._trial_running = False

    @property
    def state(self) -> CircuitState:
        """The current state. ``OPEN`` turns ``HALF_OPEN`` when the next call is let through."""
        return self._state

    @property
    def consecutive_failures(self) -> int:
        """Outage failures since the last success (or since the circuit last closed)."""
        return self._failures

    def retry_after(self) -> float:
        """Seconds until an open circuit lets a trial call through (0 when not open)."""
        if self._state is not CircuitState.OPEN:
            return 0.0
        return max(0.0, self._opened_at + self.reset_timeout - self._clock())

    async def before_call(self) -> None:
        """Ask to send one call: returns when allowed, raises ``CircuitOpenError`` otherwise.

        Every allowed call must be followed by :meth:`record_success` or
        :meth:`record_failure`, or a half-open circuit stays waiting on its trial.
        """
        if self._state is CircuitState.CLOSED:
            return
        if self._state is CircuitState.OPEN:
            wait = self.retry_after()
            if wait > 0:
                raise CircuitOpenError(
                    f"circuit open after {self._failures} consecutive failures; "
                    f"retry in {wait:.1f}s",
                    retry_after=wait,
                )
            await self._move_to(CircuitState.HALF_OPEN)
        if self._trial_running:
            raise CircuitOpenError(
                "circuit half-open: a trial call is running; retry when it ends",
                retry_after=0.0,
            )
        self._trial_running = True

    async def record_success(self) -> None:
        """The call got an answer from the server: close the circuit."""
        self._trial_running = False
        self._failures = 0
        if self._state is not CircuitState.CLOSED:
            await self._move_to(CircuitState.CLOSED)

    async def record_failure(self, exc: BaseException) -> None:
        """The call failed with ``exc``; only outages count towards opening.

        A server error (the server answered) counts as a success. Anything else
        (a bug, a cancellation) changes nothing except releasing a half-open
        trial, so the next call can try.
        """
        if isinstance(exc, OdooServerError) or (
            isinstance(exc, ProtocolError) and not counts_as_outage(exc)
        ):
            await self.record_success()
            return
        self._trial_running = False
        if not counts_as_outage(exc):
            return
        self._failures += 1
        if self._state is CircuitState.HALF_OPEN or (
            self._state is CircuitState.CLOSED and self._failures >= self.failure_threshold
        ):
            self._opened_at = self._clock()
            await self._move_to(CircuitState.OPEN)

    async def _move_to(self, new: CircuitState) -> None:
        old, self._state = self._state, new
        log.info("circuit breaker %s -> %s", old.value, new.value)
        if self.on_state_change is None:
            return
        try:
            result = self.on_state_change(new)
            if inspect.isawaitable(result):
                await result
        except Exception:
            log.exception("circuit breaker state-change callback failed")

    def __repr__(self) -> str:
        return (
            f"CircuitBreaker(state={self._state.value}, failures={self._failures}/"
            f"{self.failure_threshold}, reset_timeout={self.reset_timeout})"
        )
