"""The built-in HTTP transports pass the transport conformance suite plugins run too."""

from __future__ import annotations

import pytest

from zenoo_rpc.testing.conformance.transport import TransportConformance, TransportFactory
from zenoo_rpc.transports.httpx_transport import HttpxTransport
from zenoo_rpc.transports.streams import StreamsTransport


class TestStreamsTransportConformance(TransportConformance):
    @pytest.fixture
    def transport_factory(self) -> TransportFactory:
        return StreamsTransport


class TestHttpxTransportConformance(TransportConformance):
    @pytest.fixture
    def transport_factory(self) -> TransportFactory:
        return HttpxTransport
