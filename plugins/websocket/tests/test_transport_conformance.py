"""The websocket transport passes the transport conformance suite every transport runs."""

from __future__ import annotations

import pytest

from zenoo_rpc.testing.conformance.transport import TransportConformance, TransportFactory
from zenoo_rpc_websocket import WebSocketTransport


class TestWebSocketTransportConformance(TransportConformance):
    scheme = "ws"

    @pytest.fixture
    def transport_factory(self) -> TransportFactory:
        return WebSocketTransport
