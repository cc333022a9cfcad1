"""Retry strategies, the retry safety table, and the circuit breaker (no real sleeping)."""

from __future__ import annotations

import math
import pickle
import random
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zenoo_rpc.call import Call, ServiceCall
from zenoo_rpc.errors import (
    AccessError,
    CircuitOpenError,
    ConfigError,
    ConnectError,
    ConnectionLost,
    ConnectTimeout,
    LegacyRpcDisabled,
    OutcomeUnknownError,
    OutcomeUnknownTimeout,
    ProtocolError,
    ReadTimeout,
    ValidationError,
    ZenooTransportError,
)
from zenoo_rpc.retry import (
    BUILTIN_STRATEGIES,
    CircuitBreaker,
    CircuitState,
    ExponentialBackoff,
    FixedDelay,
    LinearBackoff,
    RetryDecision,
    RetryPolicy,
    RetryStrategySpec,
    decide,
    select_strategy,
)
from zenoo_rpc.retry.strategies import RetryStrategy

READ = Call(model="res.partner", method="search_read", args=([],))
WRITE = Call(model="res.partner", method="create", args=({"name": "x"},))
ACTION = Call(model="sale.order", method="action_confirm", args=([1],))
CUSTOM = Call(model="sale.order", method="compute_taxes", args=([1],))


class SinusoidalBackoffStrategy(RetryStrategy):
    """The seed document's custom strategy, verbatim in shape."""

    def __init__(self, base_delay: float = 1.0, amplitude: float = 2.0):
        super().__init__()
        self.base_delay = base_delay
        self.amplitude = amplitude

    def calculate_delay(self, attempt: int) -> float:
        delay = self.base_delay + self.amplitude * math.sin(attempt)
        return max(0.1, delay)


class FakeSleep:
    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, delay: float) -> None:
        self.delays.append(delay)


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def failing(
    *errors: BaseException, result: Any = "ok"
) -> tuple[Callable[[], Awaitable[Any]], list[int]]:
    """A send() that raises ``errors`` in turn, then returns ``result``; counts calls."""
    calls: list[int] = []

    async def send() -> Any:
        calls.append(1)
        if len(calls) <= len(errors):
            raise errors[len(calls) - 1]
        return result

    return send, calls


# ---------------------------------------------------------------------------- strategies


def test_exponential_without_jitter_doubles_and_caps() -> None:
    s = ExponentialBackoff(base_delay=0.5, max_delay=3.0, jitter=False)
    assert [s.calculate_delay(a) for a in range(1, 6)] == [0.5, 1.0, 2.0, 3.0, 3.0]


def test_exponential_huge_attempt_does_not_overflow() -> None:
    s = ExponentialBackoff(base_delay=1, max_delay=30, jitter=False)
    assert s.calculate_delay(100_000) == 30


@given(attempt=st.integers(min_value=1, max_value=200), seed=st.integers(0, 2**32))
def test_full_jitter_stays_within_bounds(attempt: int, seed: int) -> None:
    s = ExponentialBackoff(base_delay=0.5, max_delay=30.0, rng=random.Random(seed))
    assert 0.0 <= s.calculate_delay(attempt) <= s.capped_delay(attempt)


def test_jitter_is_reproducible_with_a_seeded_rng() -> None:
    a = ExponentialBackoff(rng=random.Random(42))
    b = ExponentialBackoff(rng=random.Random(42))
    assert [a.calculate_delay(n) for n in range(1, 6)] == [
        b.calculate_delay(n) for n in range(1, 6)
    ]


def test_linear_and_fixed() -> None:
    assert [LinearBackoff(1.0, 0.5, 2.0).calculate_delay(a) for a in (1, 2, 3, 4)] == [
        1.0,
        1.5,
        2.0,
        2.0,
    ]
    assert FixedDelay(0.25).calculate_delay(7) == 0.25


@pytest.mark.parametrize(
    "strategy", [ExponentialBackoff(), LinearBackoff(), FixedDelay(), SinusoidalBackoffStrategy()]
)
def test_attempt_zero_is_rejected_by_builtins(strategy: RetryStrategy) -> None:
    if isinstance(strategy, SinusoidalBackoffStrategy):
        assert strategy.calculate_delay(0) == 1.0  # user code decides for itself
        return
    with pytest.raises(ValueError, match="from 1"):
        strategy.calculate_delay(0)


def test_invalid_parameters_are_rejected() -> None:
    with pytest.raises(ValueError, match="base_delay"):
        ExponentialBackoff(base_delay=-1)
    with pytest.raises(ValueError, match="multiplier"):
        ExponentialBackoff(multiplier=0.5)
    with pytest.raises(ValueError, match="max_attempts"):
        RetryPolicy(FixedDelay(0), max_attempts=0)


def test_abstract_strategy_cannot_be_instantiated() -> None:
    with pytest.raises(TypeError):
        RetryStrategy()  # type: ignore[abstract]


async def test_user_strategy_like_the_seed_drives_the_policy() -> None:
    sleep = FakeSleep()
    policy = RetryPolicy(SinusoidalBackoffStrategy(), max_attempts=3, sleep=sleep)
    send, _ = failing(ConnectError("refused"), ConnectError("refused"))
    assert await policy.run(READ, send) == "ok"
    assert sleep.delays == [max(0.1, 1 + 2 * math.sin(1)), max(0.1, 1 + 2 * math.sin(2))]
    assert "SinusoidalBackoffStrategy(base_delay=1.0" in repr(policy)


def test_builtin_specs_build_from_settings() -> None:
    names = [spec.name for spec in BUILTIN_STRATEGIES]
    assert names == ["exponential", "linear", "fixed"]
    common = {"base_delay": 2.0, "max_delay": 5.0, "jitter": False, "max_attempts": 4}
    exp = select_strategy("exponential", BUILTIN_STRATEGIES, common)
    assert isinstance(exp, ExponentialBackoff)
    assert exp.calculate_delay(3) == 5.0
    lin = select_strategy("linear", BUILTIN_STRATEGIES, common)
    assert lin.calculate_delay(2) == 4.0
    fixed = select_strategy("fixed", BUILTIN_STRATEGIES, common)
    assert fixed.calculate_delay(9) == 2.0


def test_spec_errors_name_what_is_wrong() -> None:
    with pytest.raises(ConfigError, match=r"unknown retry strategy 'sinus'; available: expo"):
        select_strategy("sinus", BUILTIN_STRATEGIES)
    with pytest.raises(ConfigError, match="amplitude") as info:
        select_strategy("fixed", BUILTIN_STRATEGIES, {"amplitude": 2})
    assert info.value.path == "$.retry.amplitude"


def test_user_spec_is_selected_by_name() -> None:
    spec = RetryStrategySpec(
        name="sinus", factory=lambda s: SinusoidalBackoffStrategy(s.get("base_delay", 1.0))
    )
    built = select_strategy("sinus", (*BUILTIN_STRATEGIES, spec), {"base_delay": 3.0})
    assert isinstance(built, SinusoidalBackoffStrategy)
    assert built.base_delay == 3.0


# ---------------------------------------------------------------------------- safety table


def proxy(status: int) -> ProtocolError:
    return ProtocolError(f"HTTP {status}", status=status, body_start="<html>")


def garbled(status: int | None) -> ProtocolError:
    """An answer that came back but could not be read: truncated, undecodable, malformed."""
    return ProtocolError("the answer could not be decoded", status=status, body_start='{"resu')


def access() -> AccessError:
    return AccessError("no", name="odoo.exceptions.AccessError")


RETRIED = "retried"
RAISED = "raised"
UNKNOWN = "unknown"

TABLE: list[tuple[Call, Callable[[], Exception], str]] = [
    # (call, error factory, expected)
    (READ, lambda: ConnectError("refused"), RETRIED),
    (READ, lambda: ConnectTimeout("slow"), RETRIED),
    (READ, lambda: ReadTimeout("no answer"), RETRIED),
    (READ, lambda: ConnectionLost("reset"), RETRIED),
    (READ, lambda: proxy(502), RETRIED),
    (READ, lambda: proxy(503), RETRIED),
    (READ, lambda: proxy(504), RETRIED),
    (READ, lambda: proxy(500), RAISED),
    (READ, lambda: proxy(404), RAISED),
    (READ, lambda: proxy(400), RAISED),
    (READ, lambda: garbled(200), RETRIED),
    (READ, lambda: garbled(None), RETRIED),
    (READ, access, RAISED),
    (READ, lambda: ValidationError("bad"), RAISED),
    (READ, lambda: ValueError("bug"), RAISED),
    (READ, lambda: ZenooTransportError("other, sent"), RAISED),
    (WRITE, lambda: ConnectError("refused"), RETRIED),
    (WRITE, lambda: ConnectTimeout("slow"), RETRIED),
    (WRITE, lambda: ReadTimeout("no answer"), UNKNOWN),
    (WRITE, lambda: ConnectionLost("reset"), UNKNOWN),
    (WRITE, lambda: proxy(502), UNKNOWN),
    (WRITE, lambda: proxy(504), UNKNOWN),
    # A ProtocolError is an answer, so the request was sent: unless the server
    # refused it (4xx), the create may have run.
    (WRITE, lambda: proxy(500), UNKNOWN),
    (WRITE, lambda: garbled(200), UNKNOWN),
    (WRITE, lambda: garbled(None), UNKNOWN),
    (WRITE, lambda: proxy(400), RAISED),
    (WRITE, lambda: proxy(404), RAISED),
    (WRITE, lambda: proxy(415), RAISED),
    (WRITE, lambda: LegacyRpcDisabled("404", status=404), RAISED),
    (WRITE, access, RAISED),
    (WRITE, lambda: ValueError("bug"), RAISED),
    (WRITE, lambda: ZenooTransportError("other, sent"), UNKNOWN),
    (ACTION, lambda: ConnectTimeout("slow"), RETRIED),
    (ACTION, lambda: ReadTimeout("no answer"), UNKNOWN),
    (CUSTOM, lambda: ConnectionLost("reset"), UNKNOWN),
    (CUSTOM, lambda: proxy(503), UNKNOWN),
    (CUSTOM, lambda: garbled(204), UNKNOWN),
]


@pytest.mark.parametrize(
    ("call", "make_error", "expected"),
    TABLE,
    ids=[f"{c.method}-{type(m()).__name__}-{getattr(m(), 'status', '')}" for c, m, _ in TABLE],
)
async def test_safety_table(call: Call, make_error: Callable[[], Exception], expected: str) -> None:
    sleep = FakeSleep()
    policy = RetryPolicy(FixedDelay(0.1), max_attempts=3, sleep=sleep)
    error = make_error()
    send, calls = failing(error)
    if expected == RETRIED:
        assert await policy.run(call, send) == "ok"
        assert len(calls) == 2
        assert sleep.delays == [0.1]
    elif expected == RAISED:
        with pytest.raises(type(error)) as info:
            await policy.run(call, send)
        assert info.value is error
        assert len(calls) == 1
        assert sleep.delays == []
    else:
        with pytest.raises(OutcomeUnknownError) as unknown:
            await policy.run(call, send)
        assert unknown.value.__cause__ is error
        assert (unknown.value.model, unknown.value.method) == (call.model, call.method)
        # a lost answer to a timed-out write is caught by `except TimeoutError` too
        assert isinstance(unknown.value, TimeoutError) == isinstance(error, TimeoutError)
        assert isinstance(unknown.value, OutcomeUnknownTimeout) == isinstance(error, TimeoutError)
        assert len(calls) == 1
        assert sleep.delays == []
    decision = decide(call, error)
    assert (
        decision.value == {RETRIED: "retry", RAISED: "raise", UNKNOWN: "outcome_unknown"}[expected]
    )


async def test_outcome_unknown_message_tells_what_to_do() -> None:
    policy = RetryPolicy(FixedDelay(0), sleep=FakeSleep())
    send, _ = failing(ConnectionLost("reset by peer"))
    with pytest.raises(OutcomeUnknownError) as info:
        await policy.run(WRITE, send)
    assert str(info.value) == (
        "res.partner.create may or may not have run on the server: the connection was lost "
        "after the request was sent. It was not retried; check the records before sending "
        "it again."
    )
    assert pickle.loads(pickle.dumps(info.value)).method == "create"
    send, _ = failing(ReadTimeout("t"))
    with pytest.raises(OutcomeUnknownError, match="read timeout"):
        await policy.run(WRITE, send)
    send, _ = failing(proxy(502))
    with pytest.raises(OutcomeUnknownError, match="HTTP 502"):
        await policy.run(WRITE, send)


async def test_outcome_unknown_message_names_a_garbled_answer() -> None:
    policy = RetryPolicy(FixedDelay(0), sleep=FakeSleep())
    send, _ = failing(garbled(200))
    with pytest.raises(OutcomeUnknownError, match="HTTP 200 answer was truncated") as info:
        await policy.run(WRITE, send)
    assert not isinstance(info.value, TimeoutError)
    send, _ = failing(garbled(None))
    with pytest.raises(OutcomeUnknownError, match="could not be read"):
        await policy.run(WRITE, send)
    send, _ = failing(proxy(500))
    with pytest.raises(OutcomeUnknownError, match="server answered HTTP 500"):
        await policy.run(WRITE, send)


async def test_write_timeout_is_caught_by_except_timeout_error() -> None:
    policy = RetryPolicy(FixedDelay(0), sleep=FakeSleep())
    timeout = ReadTimeout("no complete answer in time")
    send, calls = failing(timeout)
    try:
        await policy.run(WRITE, send)
    except TimeoutError as exc:
        caught: BaseException = exc
    assert isinstance(caught, OutcomeUnknownTimeout)
    assert isinstance(caught, OutcomeUnknownError)
    assert caught.__cause__ is timeout
    assert "read timeout" in str(caught)
    assert len(calls) == 1
    again = pickle.loads(pickle.dumps(caught))
    assert type(again) is OutcomeUnknownTimeout
    assert (again.model, again.method) == ("res.partner", "create")


async def test_write_retried_before_send_then_lost_after_send_is_unknown() -> None:
    policy = RetryPolicy(FixedDelay(0), max_attempts=5, sleep=FakeSleep())
    lost = ReadTimeout("t")
    send, calls = failing(ConnectError("refused"), lost)
    with pytest.raises(OutcomeUnknownError) as info:
        await policy.run(WRITE, send)
    assert info.value.__cause__ is lost
    assert len(calls) == 2


async def test_write_on_last_attempt_is_still_unknown_not_raw() -> None:
    policy = RetryPolicy(FixedDelay(0), max_attempts=1, sleep=FakeSleep())
    send, _ = failing(ConnectionLost("x"))
    with pytest.raises(OutcomeUnknownError):
        await policy.run(WRITE, send)


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        (ServiceCall(service="common", method="version"), RetryDecision.RETRY),
        (ServiceCall(service="common", method="about"), RetryDecision.RETRY),
        (
            ServiceCall(service="common", method="login", args=("db", "u", "pw")),
            RetryDecision.RETRY,
        ),
        (
            ServiceCall(service="common", method="authenticate", args=("db", "u", "pw", {})),
            RetryDecision.RETRY,
        ),
        (ServiceCall(service="db", method="drop", args=("pw", "x")), RetryDecision.OUTCOME_UNKNOWN),
    ],
)
async def test_service_calls_follow_is_read(call: ServiceCall, expected: RetryDecision) -> None:
    assert decide(call, ReadTimeout("t")) is expected
    assert decide(call, ConnectError("x")) is RetryDecision.RETRY
    assert decide(call, garbled(200)) is expected
    assert decide(call, proxy(400)) is RetryDecision.RAISE
    if expected is RetryDecision.OUTCOME_UNKNOWN:
        policy = RetryPolicy(FixedDelay(0), sleep=FakeSleep())
        send, _ = failing(ReadTimeout("t"))
        with pytest.raises(OutcomeUnknownError, match=r"^db\.drop may or may not"):
            await policy.run(call, send)


async def test_max_attempts_then_the_last_error_is_raised() -> None:
    sleep = FakeSleep()
    policy = RetryPolicy(LinearBackoff(1.0, 1.0, 10.0), max_attempts=3, sleep=sleep)
    errors = [ReadTimeout("1"), ConnectionLost("2"), ReadTimeout("3"), ReadTimeout("4")]
    send, calls = failing(*errors)
    with pytest.raises(ReadTimeout) as info:
        await policy.run(READ, send)
    assert info.value is errors[2]
    assert len(calls) == 3
    assert sleep.delays == [1.0, 2.0]


async def test_on_retry_gets_failed_attempt_delay_and_error() -> None:
    seen: list[tuple[int, float, BaseException]] = []

    async def on_retry(attempt: int, delay: float, error: BaseException) -> None:
        seen.append((attempt, delay, error))

    e1, e2 = ConnectError("a"), ReadTimeout("b")
    policy = RetryPolicy(LinearBackoff(0.5, 0.5, 9), max_attempts=4, sleep=FakeSleep())
    send, _ = failing(e1, e2, result=[1, 2])
    assert await policy.run(READ, send, on_retry=on_retry) == [1, 2]
    assert seen == [(1, 0.5, e1), (2, 1.0, e2)]


async def test_cancellation_is_never_retried() -> None:
    import asyncio

    policy = RetryPolicy(FixedDelay(0), sleep=FakeSleep())
    send, calls = failing(asyncio.CancelledError())
    with pytest.raises(asyncio.CancelledError):
        await policy.run(READ, send)
    assert len(calls) == 1


# ---------------------------------------------------------------------------- circuit breaker


async def test_breaker_opens_fails_fast_half_opens_and_closes() -> None:
    clock = FakeClock()
    changes: list[str] = []
    breaker = CircuitBreaker(
        failure_threshold=2, reset_timeout=10, clock=clock, on_state_change=changes.append
    )
    for _ in range(2):
        await breaker.before_call()
        await breaker.record_failure(ConnectError("down"))
    assert breaker.state is CircuitState.OPEN
    clock.now += 4
    with pytest.raises(CircuitOpenError) as info:
        await breaker.before_call()
    assert info.value.retry_after == pytest.approx(6)
    clock.now += 6
    await breaker.before_call()  # the trial
    assert breaker.state.value == "half_open"
    with pytest.raises(CircuitOpenError, match="trial"):
        await breaker.before_call()  # only one trial at a time
    await breaker.record_success()
    assert breaker.state.value == "closed"
    assert changes == ["open", "half_open", "closed"]


async def test_failed_trial_reopens() -> None:
    clock = FakeClock()
    breaker = CircuitBreaker(failure_threshold=1, reset_timeout=5, clock=clock)
    await breaker.record_failure(ReadTimeout("t"))
    clock.now += 5
    await breaker.before_call()
    await breaker.record_failure(proxy(503))
    assert breaker.state is CircuitState.OPEN
    assert breaker.retry_after() == 5


async def test_server_answers_do_not_count_and_reset_the_count() -> None:
    breaker = CircuitBreaker(failure_threshold=2, clock=FakeClock())
    await breaker.record_failure(ConnectError("x"))
    await breaker.record_failure(access())
    await breaker.record_failure(proxy(404))
    assert breaker.consecutive_failures == 0
    await breaker.record_failure(ConnectError("x"))
    await breaker.record_failure(ValueError("a bug, not an outage"))
    assert breaker.state is CircuitState.CLOSED
    assert breaker.consecutive_failures == 1


@pytest.mark.parametrize(
    ("error", "counts"),
    [
        (proxy(500), True),
        (proxy(503), True),
        (garbled(200), True),  # a server or proxy cutting answers short
        (garbled(None), True),  # not even valid HTTP
        (proxy(400), False),
        (proxy(404), False),
        (proxy(302), False),
        (access(), False),
    ],
    ids=lambda v: getattr(v, "status", v),
)
async def test_which_protocol_errors_count_as_outage(error: Exception, counts: bool) -> None:
    breaker = CircuitBreaker(failure_threshold=1, clock=FakeClock())
    await breaker.record_failure(error)
    assert breaker.state is (CircuitState.OPEN if counts else CircuitState.CLOSED)


async def test_async_state_callback_is_awaited_and_its_errors_swallowed() -> None:
    seen: list[str] = []

    async def on_change(state: CircuitState) -> None:
        seen.append(state.value)
        raise RuntimeError("listener bug")

    breaker = CircuitBreaker(failure_threshold=1, clock=FakeClock(), on_state_change=on_change)
    await breaker.record_failure(ConnectionLost("x"))
    assert seen == ["open"]


async def test_policy_consults_breaker_and_open_circuit_is_not_retried() -> None:
    clock = FakeClock()
    breaker = CircuitBreaker(failure_threshold=2, reset_timeout=30, clock=clock)
    sleep = FakeSleep()
    policy = RetryPolicy(FixedDelay(1), max_attempts=5, breaker=breaker, sleep=sleep)
    send, calls = failing(*[ConnectError("down")] * 10)
    with pytest.raises(CircuitOpenError):
        await policy.run(READ, send)
    assert len(calls) == 2  # third attempt refused by the open circuit
    send2, calls2 = failing()
    with pytest.raises(CircuitOpenError):
        await policy.run(READ, send2)
    assert calls2 == []
    clock.now += 30
    assert await policy.run(READ, send2) == "ok"
    assert breaker.state is CircuitState.CLOSED


async def test_cancelled_trial_releases_half_open() -> None:
    import asyncio

    clock = FakeClock()
    breaker = CircuitBreaker(failure_threshold=1, reset_timeout=1, clock=clock)
    await breaker.record_failure(ConnectError("x"))
    clock.now += 1
    policy = RetryPolicy(FixedDelay(0), breaker=breaker, sleep=FakeSleep())
    send, _ = failing(asyncio.CancelledError())
    with pytest.raises(asyncio.CancelledError):
        await policy.run(READ, send)
    await breaker.before_call()  # a new trial may go
    assert breaker.state is CircuitState.HALF_OPEN
