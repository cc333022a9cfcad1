"""Retries only when safe, session expiry, broken answers, and what never leaks."""

from __future__ import annotations

import asyncio
import logging
import pickle
from collections.abc import Callable
from typing import Any

import pytest

from zenoo_rpc import Event, ZenooClient
from zenoo_rpc.errors import AccessDenied, OutcomeUnknownError, ProtocolError, ZenooError
from zenoo_rpc.testing.emulator.server import Emulator

PASSWORD = "admin"


async def _client(emulator: Emulator, **options: object) -> ZenooClient:
    client = ZenooClient(emulator.memory_url, plugins=[], **options)  # type: ignore[arg-type]
    await client.login("demo", "admin", PASSWORD)
    return client


async def test_create_dropped_after_it_ran_is_not_sent_twice(odoo_emulator: Emulator) -> None:
    client = await _client(odoo_emulator)
    odoo_emulator.faults.drop(after_call=True, method="create", times=1)
    with pytest.raises(OutcomeUnknownError) as info:
        await client.create("res.partner", {"name": "Exactly once"})
    assert "create" in str(info.value)
    assert await client.search_count("res.partner", [("name", "=", "Exactly once")]) == 1
    await client.close()


async def test_read_dropped_is_retried(odoo_emulator: Emulator) -> None:
    client = await _client(odoo_emulator, protocol="jsonrpc")
    retries: list[Event] = []
    client.register_event_handler(lambda e: retries.append(e) if e.name == "retry" else None)
    client._retry.strategy = _NoDelay()
    odoo_emulator.faults.drop(after_call=True, method="search_count", times=1)
    assert await client.search_count("res.partner", []) > 0
    assert len(retries) == 1
    await client.close()


async def test_write_behind_a_failing_proxy_is_outcome_unknown(odoo_emulator: Emulator) -> None:
    client = await _client(odoo_emulator)
    client._retry.strategy = _NoDelay()
    odoo_emulator.faults.bad_gateway(method="create", times=1)
    # A 502 page says nothing about whether Odoo ran the call: never resent.
    with pytest.raises(OutcomeUnknownError):
        await client.create("res.partner", {"name": "Behind a proxy"})
    assert await client.search_count("res.partner", [("name", "=", "Behind a proxy")]) == 0
    await client.close()


async def test_truncated_answer_to_a_write_is_outcome_unknown(odoo_emulator: Emulator) -> None:
    client = await _client(odoo_emulator, cache=True)
    before = await client.search_count("res.partner", [("name", "=", "Half an answer")])
    odoo_emulator.faults.truncate(method="create", times=1)
    with pytest.raises(OutcomeUnknownError):
        await client.create("res.partner", {"name": "Half an answer"})
    # it ran once, and the cached count does not hide it
    assert await client.search_count("res.partner", [("name", "=", "Half an answer")]) == before + 1
    await client.close()


async def test_timed_out_write_is_a_timeout_error(odoo_emulator: Emulator) -> None:
    client = await _client(odoo_emulator)
    odoo_emulator.faults.latency(1.0, method="write", times=1)
    partner = await client.create("res.partner", {"name": "Slow"})
    with pytest.raises(TimeoutError) as info:
        await client.write("res.partner", partner, {"name": "Slower"}, timeout=0.05)
    assert isinstance(info.value, OutcomeUnknownError)
    await client.close()


async def test_html_502_and_truncated_bodies_are_protocol_errors(odoo_emulator: Emulator) -> None:
    client = await _client(odoo_emulator, retry={"max_attempts": 1})
    odoo_emulator.faults.bad_gateway(method="search_count", times=1)
    with pytest.raises(ProtocolError) as bad:
        await client.search_count("res.partner", [])
    assert bad.value.status == 502
    assert "502" in bad.value.body_start or "Bad Gateway" in bad.value.body_start
    odoo_emulator.faults.truncate(method="search_read", times=1)
    with pytest.raises(ProtocolError):
        await client.search_read("res.partner", [], ["name"])
    await client.close()


async def test_expired_web_session_logs_in_again(odoo_emulator: Emulator) -> None:
    client = await _client(odoo_emulator, protocol="web")
    events: list[str] = []
    client.register_event_handler(lambda e: events.append(e.name))
    first = await client.search_count("res.partner", [])
    odoo_emulator.expire_sessions()
    assert await client.search_count("res.partner", []) == first
    assert "session_expired" in events
    await client.close()


async def test_failed_login_leaks_the_password_nowhere(
    odoo_emulator: Emulator, caplog: pytest.LogCaptureFixture
) -> None:
    secret = "s3cr3t-Pa55word-never-shown"
    seen: list[str] = []
    caplog.set_level(logging.DEBUG)
    for protocol in ("jsonrpc", "web"):
        async with ZenooClient(odoo_emulator.memory_url, plugins=[], protocol=protocol) as client:
            client.register_event_handler(_record_into(seen))
            with pytest.raises(AccessDenied) as info:
                await client.login("demo", "admin", secret)
            seen += [
                str(info.value),
                repr(info.value),
                info.value.debug,
                repr(info.value.arguments),
                repr(client),
                repr(client.config),
            ]
            seen.append(repr(pickle.loads(pickle.dumps(info.value)).__dict__))
    seen += [record.getMessage() for record in caplog.records]
    assert seen
    assert not [text for text in seen if secret in text]


async def test_errors_pickle(odoo_emulator: Emulator) -> None:
    client = await _client(odoo_emulator)
    with pytest.raises(ZenooError) as info:
        await client.search("no.such.model", [])
    clone = pickle.loads(pickle.dumps(info.value))
    assert type(clone) is type(info.value)
    assert clone.__dict__ == info.value.__dict__
    await client.close()


def _record_into(seen: list[str]) -> Callable[[Event], None]:
    return lambda event: seen.append(repr(event) + str(event.data))


class _NoDelay:
    def calculate_delay(self, attempt: int) -> float:
        return 0.0


async def test_concurrent_calls_on_an_expired_session_log_in_once(
    odoo_emulator: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = await _client(odoo_emulator, protocol="web")
    protocol = client._state.protocol
    assert protocol is not None
    logins = 0
    authenticate = protocol.authenticate

    async def counting(*args: Any, **kwargs: Any) -> Any:
        nonlocal logins
        logins += 1
        return await authenticate(*args, **kwargs)

    monkeypatch.setattr(protocol, "authenticate", counting)
    odoo_emulator.expire_sessions()
    counts = await asyncio.gather(*(client.search_count("res.partner", []) for _ in range(20)))
    assert len(set(counts)) == 1
    assert logins == 1
    await client.close()


async def test_close_releases_everything_even_when_logout_fails(
    odoo_emulator: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = await _client(odoo_emulator, protocol="web")
    closed: list[str] = []
    client.register_event_handler(lambda e: closed.append(e.name) if e.name == "closed" else None)
    protocol, transport = client._state.protocol, client._state.transport
    assert protocol is not None
    assert transport is not None

    async def broken_logout() -> None:
        raise RuntimeError("logout exploded")

    async def aclose() -> None:
        closed.append("transport")

    monkeypatch.setattr(protocol, "logout", broken_logout)
    monkeypatch.setattr(transport, "aclose", aclose)
    with pytest.raises(RuntimeError, match="logout exploded"):
        await client.close()
    assert closed == ["transport", "closed"]
    assert not client.is_authenticated
