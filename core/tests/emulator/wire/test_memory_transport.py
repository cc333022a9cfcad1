"""The ``memory://`` transport: URL registry, error mapping, the transport spec."""

from __future__ import annotations

import json

import pytest
from wire_helpers import jsonrpc_request

from zenoo_rpc.errors import ConfigError, ConnectionLost, ReadTimeout
from zenoo_rpc.testing.emulator.server import Emulator
from zenoo_rpc.testing.transport import (
    MEMORY_TRANSPORT,
    MemoryTransport,
    emulator_for_url,
    register_emulator,
    unregister_emulator,
)
from zenoo_rpc.transports.base import Transport, TransportOptions


def test_url_creates_one_emulator_per_name_and_parameters() -> None:
    try:
        first = emulator_for_url("memory://wire-a?version=19&size=3")
        assert first.version == 19
        assert first.size == 3
        assert list(first.databases) == ["wire-a"]
        assert emulator_for_url("memory://wire-a?version=19&size=3") is first
        assert emulator_for_url("memory://wire-a?version=17&size=3") is not first
        many = emulator_for_url("memory://wire-a?databases=one,two&size=2")
        assert sorted(many.databases) == ["one", "two"]
    finally:
        unregister_emulator("wire-a")


def test_registered_emulator_wins_over_parameters() -> None:
    emulator = Emulator(version=16, size=2)
    register_emulator("wire-registered", emulator)
    try:
        assert emulator_for_url("memory://wire-registered?version=19") is emulator
        assert emulator.memory_url == "memory://wire-registered"
    finally:
        unregister_emulator("wire-registered")
    assert emulator_for_url("memory://wire-registered?size=2") is not emulator
    unregister_emulator("wire-registered")


@pytest.mark.parametrize("url", ["http://x", "memory://x?version=12", "memory://x?size=big"])
def test_bad_urls_are_config_errors(url: str) -> None:
    with pytest.raises(ConfigError):
        emulator_for_url(url)


async def test_spec_builds_a_transport_that_answers() -> None:
    assert MEMORY_TRANSPORT.schemes == ("memory",)
    transport = MEMORY_TRANSPORT.factory(TransportOptions(base_url="memory://wire-spec?size=2"))
    try:
        assert isinstance(transport, Transport)
        response = await transport.request(jsonrpc_request("common", "version"))
        assert response.status == 200
        assert json.loads(response.content)["result"]["server_version"] == "18.0"
        await transport.aclose()
    finally:
        unregister_emulator("wire-spec")


async def test_dropped_connection_is_connection_lost(emulator18: Emulator) -> None:
    emulator18.faults.drop(times=1)
    transport = MemoryTransport(emulator18)
    with pytest.raises(ConnectionLost) as caught:
        await transport.request(jsonrpc_request("common", "version"))
    assert caught.value.request_sent
    assert (await transport.request(jsonrpc_request("common", "version"))).status == 200


async def test_latency_beyond_the_timeout_is_read_timeout(emulator18: Emulator) -> None:
    emulator18.faults.latency(1.0, times=1)
    transport = MemoryTransport(emulator18, timeout=0.05)
    with pytest.raises(ReadTimeout):
        await transport.request(jsonrpc_request("common", "version"))
