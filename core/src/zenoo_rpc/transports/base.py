"""The transport contract: one coroutine that turns a request into a response.

A transport moves bytes and nothing else; it knows no Odoo. Protocols build a
:class:`HttpRequest` (a path relative to the server's base URL) and read the
:class:`HttpResponse`. Transport errors are raised as zenoo-rpc errors
(:class:`~zenoo_rpc.errors.ConnectError` when the request never left,
:class:`~zenoo_rpc.errors.ReadTimeout` or :class:`~zenoo_rpc.errors.ConnectionLost`
when it did), never as the underlying library's exceptions, so the library can
change behind one module. Transports are registered by URL scheme through the
``zenoo_register_transports`` hook.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Protocol, runtime_checkable

import msgspec

__all__ = ["HttpRequest", "HttpResponse", "Transport", "TransportOptions", "TransportSpec"]


class HttpRequest(msgspec.Struct, kw_only=True):
    """An HTTP request relative to the transport's base URL."""

    method: str = "POST"
    path: str
    headers: Mapping[str, str] = msgspec.field(default_factory=dict)
    content: bytes = b""
    timeout: float | None = None


class HttpResponse(msgspec.Struct, kw_only=True):
    """An HTTP response; ``headers`` keeps repeated headers (``Set-Cookie``) in order."""

    status: int
    headers: Sequence[tuple[str, str]] = ()
    content: bytes = b""

    def header(self, name: str, default: str = "") -> str:
        """The first value of header ``name`` (case-insensitive)."""
        lname = name.lower()
        for key, value in self.headers:
            if key.lower() == lname:
                return value
        return default

    def header_values(self, name: str) -> list[str]:
        """Every value of header ``name`` (case-insensitive), in order."""
        lname = name.lower()
        return [value for key, value in self.headers if key.lower() == lname]

    @property
    def content_type(self) -> str:
        return self.header("content-type").split(";", 1)[0].strip().lower()


class TransportOptions(msgspec.Struct, kw_only=True):
    """What a transport factory receives.

    :ivar base_url: ``scheme://host[:port][/prefix]`` of the server.
    :ivar timeout: default timeout in seconds for one request.
    :ivar verify_ssl: verify TLS certificates (``https`` / ``wss``).
    :ivar settings: the transport's own settings from config (``[transport]``).
    :ivar client: an object to use instead of creating one (e.g. an injected
        ``httpx.AsyncClient`` for the httpx transport); transports that do not
        understand it ignore it.
    """

    base_url: str
    timeout: float = 30.0
    verify_ssl: bool = True
    settings: Mapping[str, Any] = msgspec.field(default_factory=dict)
    client: Any = None


@runtime_checkable
class Transport(Protocol):
    """What every transport implements."""

    async def request(self, request: HttpRequest) -> HttpResponse:
        """Send ``request`` and return the complete response."""
        ...

    async def aclose(self) -> None:
        """Release connections. Idempotent."""
        ...


class TransportSpec(msgspec.Struct, frozen=True, kw_only=True):
    """A transport implementation, as returned by ``zenoo_register_transports``.

    :ivar name: unique name, used in config (``transport = "h11"``).
    :ivar schemes: URL schemes it serves by default (``("http", "https")``).
    :ivar factory: builds a transport for one client.
    :ivar priority: among transports serving the same scheme, the highest wins
        unless config names one.
    """

    name: str
    schemes: tuple[str, ...]
    factory: Callable[[TransportOptions], Transport]
    priority: int = 0
