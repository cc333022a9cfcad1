"""The transport contract: one coroutine that turns a request into a response.

A transport moves bytes and nothing else; it knows no Odoo. Protocols build a
:class:`HttpRequest` (a path relative to the server's base URL) and read the
:class:`HttpResponse`. Transport errors are raised as zenoo-rpc errors
(:class:`~zenoo_rpc.errors.ConnectError` when the request never left,
:class:`~zenoo_rpc.errors.ReadTimeout` or :class:`~zenoo_rpc.errors.ConnectionLost`
when it did), never as the underlying library's exceptions, so the library can
change behind one module. Transports are registered by URL scheme through the
``zenoo_register_transports`` hook.

Streaming is optional: a transport that also has ``stream()``
(:class:`StreamingTransport`) hands a response body over chunk by chunk as it
arrives and can send a request body read from a file; :func:`open_stream`
uses it when it is there and falls back to the buffered ``request()``
otherwise, so report downloads and backups work on every transport and stay
in constant memory on the built-in HTTP ones.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterable, AsyncIterator, Callable, Mapping, Sequence
from typing import Any, Protocol, runtime_checkable

import msgspec

from zenoo_rpc.errors import InvalidRequestError

__all__ = [
    "HttpRequest",
    "HttpResponse",
    "HttpStream",
    "RequestBody",
    "StreamingTransport",
    "Transport",
    "TransportOptions",
    "TransportSpec",
    "open_stream",
]


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


class RequestBody:
    """A request body sent as it is read: exactly ``length`` bytes from ``chunks``.

    Replaces :attr:`HttpRequest.content` for uploads too large to hold in
    memory (a database backup). ``Content-Length`` is ``length``; a source
    that yields more or fewer bytes makes the transport fail the request.
    """

    __slots__ = ("chunks", "length")

    def __init__(self, length: int, chunks: AsyncIterable[bytes]) -> None:
        if length < 0:
            raise ValueError(f"a request body cannot have a negative length ({length})")
        self.length = length
        self.chunks = chunks

    def __repr__(self) -> str:
        return f"RequestBody(length={self.length})"


class HttpStream:
    """A response whose body is read as it arrives: ``async for chunk in stream``.

    ``status`` and ``headers`` are known before the first byte of the body;
    :meth:`read` collects what is left (for error pages). Iterate it once.
    """

    __slots__ = ("_chunks", "head")

    def __init__(
        self, status: int, headers: Sequence[tuple[str, str]], chunks: AsyncIterator[bytes]
    ) -> None:
        #: Status and headers, as an :class:`HttpResponse` without content.
        self.head = HttpResponse(status=status, headers=headers)
        self._chunks = chunks

    @classmethod
    def buffered(cls, response: HttpResponse) -> HttpStream:
        """A stream over a response already read whole (the fallback of :func:`open_stream`)."""

        async def one_chunk() -> AsyncIterator[bytes]:
            if response.content:
                yield response.content

        return cls(response.status, response.headers, one_chunk())

    @property
    def status(self) -> int:
        return self.head.status

    @property
    def headers(self) -> Sequence[tuple[str, str]]:
        return self.head.headers

    def header(self, name: str, default: str = "") -> str:
        """The first value of header ``name`` (case-insensitive)."""
        return self.head.header(name, default)

    @property
    def content_type(self) -> str:
        return self.head.content_type

    def __aiter__(self) -> AsyncIterator[bytes]:
        return self._chunks

    async def read(self, limit: int | None = None) -> bytes:
        """The rest of the body (at most about ``limit`` bytes: reading stops past it)."""
        parts: list[bytes] = []
        size = 0
        async for chunk in self._chunks:
            parts.append(chunk)
            size += len(chunk)
            if limit is not None and size >= limit:
                break
        return b"".join(parts)

    async def aclose(self) -> None:
        """Stop reading the body (what is left of it is never read). Idempotent."""
        close = getattr(self._chunks, "aclose", None)
        if close is not None:
            await close()

    def __repr__(self) -> str:
        return f"<HttpStream {self.status} {self.content_type or '-'}>"


@runtime_checkable
class StreamingTransport(Protocol):
    """A transport that can also stream: the optional ``stream()`` method.

    ``stream(request)`` is an async context manager yielding an
    :class:`HttpStream` once the response head arrived; leaving it releases
    the connection (closing it when the body was not read to the end). With
    ``body``, the request body is sent from it instead of ``request.content``.
    ``request.timeout`` (else the transport's) bounds each wait for bytes,
    not the whole transfer, so a large download never times out while data
    keeps coming.
    """

    def stream(
        self, request: HttpRequest, *, body: RequestBody | None = None
    ) -> contextlib.AbstractAsyncContextManager[HttpStream]:
        """Send ``request``; yield the response as it arrives."""
        ...


@contextlib.asynccontextmanager
async def open_stream(
    transport: Transport, request: HttpRequest, *, body: RequestBody | None = None
) -> AsyncIterator[HttpStream]:
    """``transport.stream(...)`` when the transport streams, else its buffered ``request()``.

    The fallback reads ``body`` into memory to send it and hands the whole
    response over as one chunk: it works everywhere, in memory proportional
    to the transfer.
    """
    if isinstance(transport, StreamingTransport):
        async with transport.stream(request, body=body) as stream:
            yield stream
        return
    if body is not None:
        content = b"".join([chunk async for chunk in body.chunks])
        if len(content) != body.length:
            raise InvalidRequestError(
                f"the request body yielded {len(content)} bytes, not its declared {body.length}"
            )
        request = msgspec.structs.replace(request, content=content)
    response = await transport.request(request)
    stream = HttpStream.buffered(response)
    try:
        yield stream
    finally:
        await stream.aclose()


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
