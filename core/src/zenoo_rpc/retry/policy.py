"""When a failed call may be sent again, and what to tell the caller when it may not.

Sending a call twice is only safe when it cannot run twice on the server:

* the request never left (``ConnectError``, ``ConnectTimeout``:
  ``request_sent`` is False): any call may be retried;
* the call only reads (``Call.is_read``) and the answer was lost
  (``ReadTimeout``, ``ConnectionLost``), came back truncated or undecodable
  (a :class:`~zenoo_rpc.errors.ProtocolError` without a status or with a 2xx
  one), or a proxy answered 502/503/504 in Odoo's place: running it twice
  changes nothing.

Everything else is raised as it is: an :class:`~zenoo_rpc.errors.OdooServerError`
is the server's answer and would come back the same, and a 4xx
``ProtocolError`` (a proxy's or Odoo's own "400 Bad Request", "404 Not Found",
"415" HTML page) means the request was refused before the method ran.

A call that may change data (``create``, ``write``, ``unlink``, ``action_*``,
any non-read) whose answer was lost after the request was sent raises
:class:`~zenoo_rpc.errors.OutcomeUnknownError`: it may have run, so it is not
replayed behind the caller's back, and the caller is told to check. A
``ProtocolError`` is always raised on an *answer*, so after the request was
sent: one without a status, with a 2xx status (a truncated or garbled body:
the method ran) or with a 5xx status (a proxy gave up waiting, or the server
failed while answering) leaves the outcome unknown too. When the answer was
lost to a timeout the error is an :class:`~zenoo_rpc.errors.OutcomeUnknownTimeout`,
which ``except TimeoutError`` also catches.
"""

from __future__ import annotations

import asyncio
import enum
import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

from zenoo_rpc.call import Call, ServiceCall
from zenoo_rpc.errors import (
    ConnectionLost,
    OdooServerError,
    OutcomeUnknownError,
    OutcomeUnknownTimeout,
    ProtocolError,
    ReadTimeout,
    ZenooTransportError,
)
from zenoo_rpc.retry.circuit import CircuitBreaker
from zenoo_rpc.retry.strategies import ExponentialBackoff, RetryStrategy

__all__ = ["PROXY_STATUSES", "OnRetry", "RetryDecision", "RetryPolicy", "decide"]

log = logging.getLogger(__name__)

T = TypeVar("T")

#: HTTP statuses a reverse proxy answers when Odoo is down, restarting or too slow.
PROXY_STATUSES = frozenset({502, 503, 504})

#: ``on_retry(attempt, delay, error)``: attempt number that failed (from 1), the
#: seconds about to be waited, and the error that caused the retry.
OnRetry = Callable[[int, float, BaseException], Awaitable[None]]


class RetryDecision(enum.Enum):
    """What the policy does with one failed attempt."""

    RETRY = "retry"
    RAISE = "raise"
    OUTCOME_UNKNOWN = "outcome_unknown"


def _garbled_answer(exc: ProtocolError) -> bool:
    """The server answered, but not with something this client could read.

    No status (the HTTP response itself was malformed or cut) or a 2xx one (a
    truncated or undecodable body): the server received the call and may well
    have run it.
    """
    return exc.status is None or 200 <= exc.status < 300


def _read_may_resend(exc: BaseException) -> bool:
    """A read sent once may be sent again after ``exc``: nothing says it is refused."""
    if isinstance(exc, ProtocolError):
        return _garbled_answer(exc) or exc.status in PROXY_STATUSES
    return isinstance(exc, (ReadTimeout, ConnectionLost))


def _outcome_lost(exc: BaseException) -> bool:
    """A sent call got no usable answer, and nothing says it did not run.

    A 4xx ``ProtocolError`` is a refusal before the method ran (bad request,
    unknown route, wrong content type); every other one is an answer to a
    call that may have run, or a 5xx from a proxy or a server that may have
    run it before failing.
    """
    if isinstance(exc, ProtocolError):
        return _garbled_answer(exc) or (exc.status is not None and exc.status >= 500)
    return isinstance(exc, ZenooTransportError)


def decide(call: Call | ServiceCall, exc: BaseException) -> RetryDecision:
    """The safety table: may ``call``, which failed with ``exc``, be sent again?

    Independent of attempts left; :class:`RetryPolicy` applies the limit.
    """
    if not isinstance(exc, Exception) or isinstance(exc, OdooServerError):
        return RetryDecision.RAISE
    if isinstance(exc, ZenooTransportError) and not exc.request_sent:
        return RetryDecision.RETRY
    if call.is_read:
        return RetryDecision.RETRY if _read_may_resend(exc) else RetryDecision.RAISE
    if _outcome_lost(exc):
        return RetryDecision.OUTCOME_UNKNOWN
    return RetryDecision.RAISE


def _call_name(call: Call | ServiceCall) -> tuple[str, str]:
    if isinstance(call, Call):
        return call.model, call.method
    return call.service, call.method


def _what_happened(exc: BaseException) -> str:
    if isinstance(exc, ReadTimeout):
        return "no answer came before the read timeout"
    if isinstance(exc, TimeoutError):
        return "no answer came in time"
    if isinstance(exc, ProtocolError):
        if exc.status in PROXY_STATUSES:
            return f"a proxy answered HTTP {exc.status} instead of Odoo"
        if exc.status is None:
            return "the answer could not be read (malformed or cut short)"
        if exc.status < 300:
            return f"the HTTP {exc.status} answer was truncated or could not be decoded"
        return f"the server answered HTTP {exc.status} instead of the call's result"
    return "the connection was lost"


def outcome_unknown(call: Call | ServiceCall, exc: BaseException) -> OutcomeUnknownError:
    """The error raised for a data-changing ``call`` whose answer ``exc`` lost.

    An :class:`~zenoo_rpc.errors.OutcomeUnknownTimeout` (also a
    ``TimeoutError``) when ``exc`` is a timeout.
    """
    model, method = _call_name(call)
    cls = OutcomeUnknownTimeout if isinstance(exc, TimeoutError) else OutcomeUnknownError
    return cls(
        f"{model}.{method} may or may not have run on the server: {_what_happened(exc)} "
        "after the request was sent. It was not retried; check the records before "
        "sending it again.",
        model=model,
        method=method,
    )


class RetryPolicy:
    """Sends a call, and sends it again only when that is provably safe (see module doc).

    :param strategy: computes the wait before each new attempt.
    :param max_attempts: attempts in all, including the first (1 = never retry).
    :param breaker: consulted before every attempt and told every outcome; an
        open circuit raises :class:`~zenoo_rpc.errors.CircuitOpenError`, which
        is not retried.
    :param sleep: how to wait; tests pass a fake that records the delays.
    """

    def __init__(
        self,
        strategy: RetryStrategy | None = None,
        max_attempts: int = 3,
        *,
        breaker: CircuitBreaker | None = None,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    ) -> None:
        if max_attempts < 1:
            raise ValueError(f"max_attempts must be >= 1, got {max_attempts}")
        self.strategy = strategy if strategy is not None else ExponentialBackoff()
        self.max_attempts = max_attempts
        self.breaker = breaker
        self._sleep = sleep

    async def run(
        self,
        call: Call | ServiceCall,
        send: Callable[[], Awaitable[T]],
        *,
        on_retry: OnRetry | None = None,
    ) -> T:
        """Await ``send()`` for ``call`` until it succeeds or may not be retried.

        :param send: sends ``call`` once; called again for each attempt.
        :param on_retry: awaited before each wait, e.g. to emit a ``retry`` event.
        :raises OutcomeUnknownError: a data-changing call lost its answer after
            being sent; ``__cause__`` is the transport or protocol error. An
            :class:`~zenoo_rpc.errors.OutcomeUnknownTimeout` when it timed out.
        :raises CircuitOpenError: the breaker refused the attempt.
        """
        attempt = 1
        while True:
            if self.breaker is not None:
                await self.breaker.before_call()
            try:
                result = await send()
            except BaseException as exc:
                if self.breaker is not None:
                    await self.breaker.record_failure(exc)
                decision = decide(call, exc)
                if decision is RetryDecision.OUTCOME_UNKNOWN:
                    raise outcome_unknown(call, exc) from exc
                if decision is RetryDecision.RAISE or attempt >= self.max_attempts:
                    raise
                delay = self.strategy.calculate_delay(attempt)
                log.info(
                    "retrying %r after attempt %d failed (%s); waiting %.2fs",
                    call,
                    attempt,
                    type(exc).__name__,
                    delay,
                )
                if on_retry is not None:
                    await on_retry(attempt, delay, exc)
                await self._sleep(delay)
                attempt += 1
                continue
            if self.breaker is not None:
                await self.breaker.record_success()
            return result

    def __repr__(self) -> str:
        return (
            f"RetryPolicy(strategy={self.strategy!r}, max_attempts={self.max_attempts}, "
            f"breaker={self.breaker!r})"
        )
