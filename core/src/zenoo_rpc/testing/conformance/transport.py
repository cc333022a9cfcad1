"""The transport contract as tests any transport runs on itself.

Subclass :class:`TransportConformance` in a test module, give it your
transport's factory and the URL scheme it serves, and pytest runs every
contract test against the emulator served on a loopback port::

    import pytest
    from zenoo_rpc.testing.conformance.transport import TransportConformance
    from my_plugin import MyTransport

    class TestMyTransportConformance(TransportConformance):
        scheme = "ws"                      # the server is reached as ws://127.0.0.1:<port>

        @pytest.fixture
        def transport_factory(self):
            return MyTransport             # TransportOptions -> Transport

What is checked (the rules of :mod:`zenoo_rpc.transports.base`): a JSON-RPC
round trip; request method, path, query, headers and body reach the server
intact (binary bodies included); repeated response headers keep their order;
binary and multi-megabyte bodies both ways; many concurrent requests each get
their own answer, whatever order the server answers in; HTTP error statuses
are answers, not exceptions; a per-request (or default) timeout raises
:class:`~zenoo_rpc.errors.ReadTimeout` and a late answer never reaches the
next request; a refused connection raises
:class:`~zenoo_rpc.errors.ConnectError` (not sent, safe to retry); a
connection the server drops raises :class:`~zenoo_rpc.errors.ConnectionLost`
and the next request gets through; a cancelled request leaves the transport
usable; ``aclose()`` is idempotent and final. Every failure is a zenoo-rpc
error that is also the matching builtin (``ConnectionError``,
``TimeoutError``).

The server is :class:`ConformanceEmulator`: the emulator plus one route,
``/zenoo/conformance/echo``, that answers what it received. Needs pytest,
pytest-asyncio and the emulator's server (``zenoo-rpc[emulator]``).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import socket
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar
from urllib.parse import parse_qsl, urlsplit

import pytest

from zenoo_rpc.errors import (
    ConnectError,
    ConnectionLost,
    ReadTimeout,
    ZenooError,
    ZenooTransportError,
)
from zenoo_rpc.protocols.web import session_cookie
from zenoo_rpc.testing.emulator.routes.http import WebRequest
from zenoo_rpc.testing.emulator.serve import serve_emulator
from zenoo_rpc.testing.emulator.server import Emulator
from zenoo_rpc.transports.base import HttpRequest, HttpResponse, Transport, TransportOptions

try:  # async fixtures must be pytest-asyncio's to work in its strict mode
    from pytest_asyncio import fixture as async_fixture
except ImportError:  # pragma: no cover - another async plugin handles them
    async_fixture = pytest.fixture  # type: ignore[assignment]

__all__ = [
    "ECHO_PATH",
    "ConformanceEmulator",
    "ConformanceServer",
    "TransportConformance",
    "TransportFactory",
]

#: The route of :class:`ConformanceEmulator` that answers what it received.
ECHO_PATH = "/zenoo/conformance/echo"
#: The cookies every echo answer sets, in this order (a repeated header).
ECHO_COOKIES = ("first=1; Path=/", "second=2; Path=/", "third=3; Path=/")

TransportFactory = Callable[[TransportOptions], Transport]

_JSON = {"Content-Type": "application/json"}


class ConformanceEmulator(Emulator):
    """The emulator plus ``/zenoo/conformance/echo``, for transport tests.

    The echo answers ``200`` with the request body as its body and says what
    arrived in headers (``X-Echo-Method``, ``X-Echo-Path`` with the query,
    ``X-Echo-Length``, ``X-Echo-Sha256``, ``X-Echo-Test`` from the request's
    ``X-Zenoo-Test``), plus three ``Set-Cookie`` headers (:data:`ECHO_COOKIES`).
    Query parameters: ``delay=<seconds>`` answers that much later;
    ``size=<n>`` answers ``n`` bytes of every byte value instead of the body.
    Faults (``emulator.faults``) apply to it as to every route.
    """

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        #: Every request the echo route answered, in order.
        self.echoed: list[HttpRequest] = []

    async def handle(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(ECHO_PATH):
            delay = float(_query(request.path).get("delay", 0))
            if delay > 0:
                await asyncio.sleep(delay)
        return await super().handle(request)

    def route(self, request: WebRequest) -> Callable[[Emulator, WebRequest], HttpResponse]:
        if request.path == ECHO_PATH:
            return _echo
        return super().route(request)


def _query(path: str) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(path).query))


def _echo(emulator: Emulator, request: WebRequest) -> HttpResponse:
    raw = request.raw
    if isinstance(emulator, ConformanceEmulator):
        emulator.echoed.append(raw)
    size = request.query.get("size")
    body = (bytes(range(256)) * (int(size) // 256 + 1))[: int(size)] if size else raw.content
    headers = [
        ("Content-Type", "application/octet-stream"),
        ("Content-Length", str(len(body))),
        ("X-Echo-Method", request.method),
        ("X-Echo-Path", raw.path),
        ("X-Echo-Length", str(len(raw.content))),
        ("X-Echo-Sha256", hashlib.sha256(raw.content).hexdigest()),
        ("X-Echo-Test", request.header("x-zenoo-test")),
        *(("Set-Cookie", cookie) for cookie in ECHO_COOKIES),
    ]
    return HttpResponse(status=200, headers=headers, content=body)


@dataclass
class ConformanceServer:
    """The served :class:`ConformanceEmulator`: ``base_url`` uses the class's ``scheme``."""

    emulator: ConformanceEmulator
    http_url: str
    base_url: str
    transports: list[Transport] = field(default_factory=list)


def _refused_port() -> int:
    """A loopback port nobody listens on (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def _jsonrpc(service: str, method: str, *args: Any, request_id: int = 1) -> bytes:
    params = {"service": service, "method": method, "args": list(args)}
    return json.dumps(
        {"jsonrpc": "2.0", "method": "call", "params": params, "id": request_id}
    ).encode()


def _execute_kw(model: str, method: str, *args: Any) -> HttpRequest:
    """A ``/jsonrpc`` ``execute_kw`` request as the emulator's admin on ``demo``."""
    content = _jsonrpc("object", "execute_kw", "demo", 2, "admin", model, method, *args)
    return HttpRequest(path="/jsonrpc", headers=_JSON, content=content)


class TransportConformance:
    """Contract tests for a transport; subclass it as ``Test...`` and override the fixtures.

    :cvar scheme: the URL scheme your transport serves (``http``, ``ws``...);
        the loopback server is reached as ``<scheme>://127.0.0.1:<port>``.
    :cvar closed_transport_error: what a request on a closed transport raises.
    """

    scheme: ClassVar[str] = "http"
    closed_transport_error: ClassVar[type[BaseException] | tuple[type[BaseException], ...]] = (
        ConnectError
    )
    pytestmark: ClassVar[list[pytest.MarkDecorator]] = [pytest.mark.asyncio]

    # ------------------------------------------------------------------ fixtures to override

    @pytest.fixture
    def transport_factory(self) -> TransportFactory:
        """Override: return the factory that builds your transport from ``TransportOptions``."""
        raise NotImplementedError(
            f"{type(self).__name__} must override the transport_factory fixture"
        )

    @pytest.fixture
    def transport_settings(self) -> Mapping[str, Any]:
        """Override to pass settings (``TransportOptions.settings``) to every transport."""
        return {}

    # ------------------------------------------------------------------ provided fixtures

    @async_fixture
    async def conformance_server(self) -> AsyncIterator[ConformanceServer]:
        """A fresh :class:`ConformanceEmulator` (Odoo 18) served on a loopback port."""
        emulator = ConformanceEmulator(version=18, size=5)
        async with serve_emulator(emulator) as http_url:
            server = ConformanceServer(
                emulator, http_url, http_url.replace("http://", f"{self.scheme}://", 1)
            )
            try:
                yield server
            finally:
                for transport in server.transports:
                    await transport.aclose()

    @pytest.fixture
    def make_transport(
        self,
        conformance_server: ConformanceServer,
        transport_factory: TransportFactory,
        transport_settings: Mapping[str, Any],
    ) -> Callable[..., Transport]:
        """``make_transport(base_url=None, timeout=30.0)``: a transport closed after the test."""

        def make(base_url: str | None = None, timeout: float = 30.0) -> Transport:
            options = TransportOptions(
                base_url=base_url or conformance_server.base_url,
                timeout=timeout,
                settings=dict(transport_settings),
            )
            transport = transport_factory(options)
            conformance_server.transports.append(transport)
            return transport

        return make

    # ------------------------------------------------------------------ round trips

    async def test_jsonrpc_round_trip(self, make_transport: Callable[..., Transport]) -> None:
        transport = make_transport()
        response = await transport.request(
            HttpRequest(path="/jsonrpc", headers=_JSON, content=_jsonrpc("common", "version"))
        )
        assert response.status == 200
        assert response.content_type == "application/json"
        answer = json.loads(response.content)
        assert answer["id"] == 1
        assert answer["result"]["server_version"] == "18.0"

    async def test_request_reaches_the_server_intact(
        self, conformance_server: ConformanceServer, make_transport: Callable[..., Transport]
    ) -> None:
        transport = make_transport()
        body = bytes(range(256)) + "é ünïcode".encode() + b"\x00\xff\r\n"
        path = f"{ECHO_PATH}?q=a%20b&n=1"
        response = await transport.request(
            HttpRequest(
                path=path,
                headers={"Content-Type": "application/octet-stream", "X-Zenoo-Test": "kept"},
                content=body,
            )
        )
        assert response.status == 200
        assert response.header("x-echo-method") == "POST"
        assert response.header("X-Echo-Path") == path
        assert response.header("x-echo-test") == "kept"
        assert int(response.header("x-echo-length")) == len(body)
        assert response.header("x-echo-sha256") == hashlib.sha256(body).hexdigest()
        assert response.content == body
        (seen,) = conformance_server.emulator.echoed
        assert seen.content == body
        assert {k.lower(): v for k, v in seen.headers.items()}["content-type"] == (
            "application/octet-stream"
        )

    async def test_get_without_body(self, make_transport: Callable[..., Transport]) -> None:
        transport = make_transport()
        response = await transport.request(HttpRequest(method="GET", path=ECHO_PATH))
        assert response.status == 200
        assert response.header("x-echo-method") == "GET"
        assert response.header("x-echo-length") == "0"
        assert response.content == b""

    async def test_repeated_headers_keep_their_order(
        self, make_transport: Callable[..., Transport]
    ) -> None:
        transport = make_transport()
        response = await transport.request(HttpRequest(path=ECHO_PATH, content=b"x"))
        assert response.header_values("set-cookie") == list(ECHO_COOKIES)
        assert response.header_values("SET-COOKIE") == list(ECHO_COOKIES)

    async def test_binary_answer(self, make_transport: Callable[..., Transport]) -> None:
        transport = make_transport()
        response = await transport.request(
            HttpRequest(method="GET", path=f"{ECHO_PATH}?size=70000")
        )
        assert response.content == (bytes(range(256)) * 274)[:70000]
        assert response.content_type == "application/octet-stream"

    async def test_pdf_report_over_a_web_session(
        self, make_transport: Callable[..., Transport]
    ) -> None:
        transport = make_transport()
        login = await transport.request(
            HttpRequest(
                path="/web/session/authenticate",
                headers=_JSON,
                content=json.dumps(
                    {
                        "jsonrpc": "2.0",
                        "id": 1,
                        "params": {"db": "demo", "login": "admin", "password": "admin"},
                    }
                ).encode(),
            )
        )
        cookie = session_cookie(login)
        assert cookie
        found = await transport.request(_execute_kw("sale.order", "search", [[]], {"limit": 1}))
        (order_id,) = json.loads(found.content)["result"]
        report = await transport.request(
            HttpRequest(
                method="GET",
                path=f"/report/pdf/sale.report_saleorder/{order_id}",
                headers={"Cookie": f"session_id={cookie}"},
            )
        )
        assert report.status == 200
        assert report.content_type == "application/pdf"
        assert report.content.startswith(b"%PDF-")

    async def test_large_bodies_both_ways(self, make_transport: Callable[..., Transport]) -> None:
        transport = make_transport()
        body = os.urandom(3 * 2**20 + 17)
        response = await transport.request(HttpRequest(path=ECHO_PATH, content=body))
        assert response.header("x-echo-sha256") == hashlib.sha256(body).hexdigest()
        assert response.content == body

    async def test_large_json_text(self, make_transport: Callable[..., Transport]) -> None:
        """A multi-megabyte JSON-RPC write and read of it (text bodies, not only bytes)."""
        transport = make_transport()
        comment = "Large text " * 250_000
        created = await transport.request(
            _execute_kw("res.partner", "create", [{"name": "Large", "comment": comment}])
        )
        new_id = json.loads(created.content)["result"]
        read = await transport.request(
            _execute_kw("res.partner", "read", [[new_id]], {"fields": ["comment"]})
        )
        assert json.loads(read.content)["result"][0]["comment"] == comment

    async def test_concurrent_requests_each_get_their_own_answer(
        self, make_transport: Callable[..., Transport]
    ) -> None:
        transport = make_transport()
        count = 64

        async def one(n: int) -> tuple[int, HttpResponse]:
            delay = ((n * 37) % 11) / 200  # the server answers out of order
            request = HttpRequest(path=f"{ECHO_PATH}?delay={delay}&n={n}", content=b"%d" % n * n)
            return n, await transport.request(request)

        answers = await asyncio.gather(*(one(n) for n in range(count)))
        for n, response in answers:
            assert response.status == 200
            assert response.content == b"%d" % n * n
            assert response.header("x-echo-path").endswith(f"&n={n}")

    async def test_http_errors_are_answers(self, make_transport: Callable[..., Transport]) -> None:
        transport = make_transport()
        response = await transport.request(HttpRequest(method="GET", path="/no/such/page"))
        assert response.status == 404
        assert response.content_type == "text/html"
        wrong = await transport.request(HttpRequest(path="/jsonrpc", content=b"{not json"))
        assert wrong.status == 400

    # ------------------------------------------------------------------ failures

    async def test_request_timeout_is_a_read_timeout(
        self, conformance_server: ConformanceServer, make_transport: Callable[..., Transport]
    ) -> None:
        transport = make_transport()
        # Connected first: the short timeout below must cover only the answer (a
        # slow machine may take longer than it to open a connection).
        warm = await transport.request(HttpRequest(path=ECHO_PATH, content=b"warm", timeout=30))
        assert warm.status == 200
        slow = f"{ECHO_PATH}?delay=0.6&slow=1"
        with pytest.raises(ReadTimeout) as info:
            await transport.request(HttpRequest(path=slow, content=b"slow", timeout=0.1))
        self._check_error(info.value, sent=True)
        assert isinstance(info.value, TimeoutError)
        fast = await transport.request(HttpRequest(path=ECHO_PATH, content=b"fast"))
        assert fast.content == b"fast"
        await asyncio.sleep(0.7)  # the slow answer comes now: it must reach no one
        after = await transport.request(HttpRequest(path=ECHO_PATH, content=b"after"))
        assert after.content == b"after"
        assert after.header("x-echo-path") == ECHO_PATH

    async def test_default_timeout_applies(
        self, conformance_server: ConformanceServer, make_transport: Callable[..., Transport]
    ) -> None:
        transport = make_transport(timeout=0.1)
        warm = await transport.request(HttpRequest(path=ECHO_PATH, content=b"warm", timeout=30))
        assert warm.status == 200  # connected: the default timeout covers only the answer
        conformance_server.emulator.faults.latency(0.5, path=ECHO_PATH, times=1)
        with pytest.raises(ReadTimeout):
            await transport.request(HttpRequest(path=ECHO_PATH, content=b"slow"))

    async def test_refused_connection_is_a_connect_error(
        self, make_transport: Callable[..., Transport]
    ) -> None:
        transport = make_transport(f"{self.scheme}://127.0.0.1:{_refused_port()}", timeout=5.0)
        with pytest.raises(ConnectError) as info:
            await transport.request(HttpRequest(path="/jsonrpc", content=b"{}"))
        self._check_error(info.value, sent=False)
        assert not isinstance(info.value, TimeoutError)

    @pytest.mark.parametrize("after_call", [False, True], ids=["before_call", "after_call"])
    async def test_dropped_connection_is_connection_lost(
        self,
        conformance_server: ConformanceServer,
        make_transport: Callable[..., Transport],
        after_call: bool,
    ) -> None:
        transport = make_transport()
        warm = await transport.request(HttpRequest(path=ECHO_PATH, content=b"warm"))
        assert warm.status == 200
        conformance_server.emulator.faults.drop(after_call=after_call, path=ECHO_PATH, times=1)
        with pytest.raises(ConnectionLost) as info:
            await transport.request(HttpRequest(path=ECHO_PATH, content=b"dropped"))
        self._check_error(info.value, sent=True)
        again = await transport.request(HttpRequest(path=ECHO_PATH, content=b"again"))
        assert again.content == b"again"

    async def test_cancelled_request_leaves_the_transport_usable(
        self, make_transport: Callable[..., Transport]
    ) -> None:
        transport = make_transport()
        slow = asyncio.ensure_future(
            transport.request(HttpRequest(path=f"{ECHO_PATH}?delay=0.3", content=b"cancelled"))
        )
        await asyncio.sleep(0.05)
        slow.cancel()
        with pytest.raises(asyncio.CancelledError):
            await slow
        answers = await asyncio.gather(
            *(transport.request(HttpRequest(path=ECHO_PATH, content=b"%d" % n)) for n in range(5))
        )
        assert [a.content for a in answers] == [b"%d" % n for n in range(5)]

    async def test_aclose_is_idempotent_and_final(
        self, conformance_server: ConformanceServer, make_transport: Callable[..., Transport]
    ) -> None:
        transport = make_transport()
        await transport.request(HttpRequest(path=ECHO_PATH, content=b"before"))
        await transport.aclose()
        await transport.aclose()
        with pytest.raises(self.closed_transport_error) as info:
            await transport.request(HttpRequest(path=ECHO_PATH, content=b"after close"))
        if isinstance(info.value, ZenooTransportError):
            assert info.value.request_sent is False
        assert [r.content for r in conformance_server.emulator.echoed] == [b"before"]

    # ------------------------------------------------------------------ helpers

    @staticmethod
    def _check_error(error: BaseException, *, sent: bool) -> None:
        assert isinstance(error, ZenooError)
        assert isinstance(error, ZenooTransportError)
        assert isinstance(error, ConnectionError)
        assert error.request_sent is sent
        text = str(error)
        assert text
        assert "session_id=" not in text
