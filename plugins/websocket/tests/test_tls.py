"""``wss://``: certificates verified unless told otherwise, for the transport and the bus."""

from __future__ import annotations

import asyncio
import contextlib
import ssl
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from zenoo_rpc import ZenooClient
from zenoo_rpc.errors import ConnectError
from zenoo_rpc.testing.emulator.serve import bind_socket, uvicorn_server
from zenoo_rpc.testing.emulator.server import Emulator
from zenoo_rpc.testing.tls import self_signed_certificate
from zenoo_rpc.transports.base import HttpRequest, TransportOptions
from zenoo_rpc_websocket import BusListener, WebSocketTransport


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for ``localhost``: (certificate, key) PEM files."""
    return self_signed_certificate(tmp_path_factory.mktemp("tls"))


@pytest.fixture
async def tls_port(certificate: tuple[Path, Path]) -> AsyncIterator[int]:
    """The emulator served over TLS on a loopback port (reached as ``localhost``)."""
    cert_path, key_path = certificate
    sock = bind_socket()
    server = uvicorn_server(
        Emulator(version=18, size=5), ssl_certfile=str(cert_path), ssl_keyfile=str(key_path)
    )
    task = asyncio.ensure_future(server.serve(sockets=[sock]))
    while not server.started:
        assert not task.done(), "the TLS server did not start"
        await asyncio.sleep(0.005)
    try:
        yield sock.getsockname()[1]
    finally:
        server.should_exit = server.force_exit = True
        with contextlib.suppress(asyncio.CancelledError):
            await task
        sock.close()


async def test_wss_transport_verifies_certificates(
    certificate: tuple[Path, Path], tls_port: int
) -> None:
    url = f"wss://localhost:{tls_port}"
    ping = HttpRequest(method="GET", path="/websocket/health")
    strict = WebSocketTransport(TransportOptions(base_url=url))
    with pytest.raises(ConnectError) as info:
        await strict.request(ping)
    assert isinstance(info.value.__cause__, ssl.SSLError)
    insecure = WebSocketTransport(TransportOptions(base_url=url, verify_ssl=False))
    trusted = WebSocketTransport(
        TransportOptions(base_url=url, settings={"ca_file": str(certificate[0])})
    )
    for transport in (insecure, trusted):
        assert (await transport.request(ping)).status == 200
        await transport.aclose()
    await strict.aclose()


async def test_client_and_bus_over_tls_without_verification(tls_port: int) -> None:
    async with ZenooClient(
        f"wss://localhost:{tls_port}", plugins=["websocket"], verify_ssl=False
    ) as client:
        await client.login("demo", "admin", "admin")
        async with BusListener(client, channels=["demo.res.partner"]) as bus:
            await bus.wait_connected(5)
            await client.create("res.partner", {"name": "Over TLS"})
            note = await asyncio.wait_for(anext(bus), 10)
    assert note.type == "zenoo.record/create"
