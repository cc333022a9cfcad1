"""The ``httpx`` transport: one reused :class:`httpx.AsyncClient` per zenoo client.

Connections are kept alive between calls. Every httpx exception is mapped to
a zenoo-rpc transport error that says whether the request could have reached
the server (:attr:`~zenoo_rpc.errors.ZenooTransportError.request_sent`), which
is what the retry policy needs to know; no httpx exception escapes.

Settings (``[transport]`` in config, :attr:`TransportOptions.settings`):
``max_connections``, ``max_keepalive_connections``, ``keepalive_expiry``
(seconds) and ``connect_timeout`` (seconds, defaults to the timeout).
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

import httpx

from zenoo_rpc.__about__ import __version__
from zenoo_rpc.errors import (
    ConfigError,
    ConnectError,
    ConnectionLost,
    ConnectTimeout,
    InvalidRequestError,
    ProtocolError,
    ReadTimeout,
    ZenooError,
)
from zenoo_rpc.transports.base import (
    HttpRequest,
    HttpResponse,
    HttpStream,
    RequestBody,
    TransportOptions,
    TransportSpec,
)

__all__ = ["TRANSPORT_SPEC", "HttpxTransport"]

USER_AGENT = f"zenoo-rpc/{__version__}"


class HttpxTransport:
    """A :class:`~zenoo_rpc.transports.base.Transport` on :mod:`httpx`.

    :param options: base URL, timeout, TLS verification and settings. When
        ``options.client`` is an :class:`httpx.AsyncClient` it is used as is
        (its own timeouts, TLS and limits apply unless a request sets a
        timeout) and :meth:`aclose` leaves it open: whoever made it closes it.
    """

    __slots__ = ("_base_url", "_client", "_closed", "_owns_client", "_timeouts")

    def __init__(self, options: TransportOptions) -> None:
        self._base_url = options.base_url.rstrip("/")
        self._timeouts: dict[float, httpx.Timeout] = {}
        self._closed = False
        if options.client is not None:
            if not isinstance(options.client, httpx.AsyncClient):
                raise ConfigError(
                    "the httpx transport needs an httpx.AsyncClient as client, "
                    f"not {type(options.client).__name__}"
                )
            self._client = options.client
            self._owns_client = False
            return
        settings = options.settings
        limits = httpx.Limits(
            max_connections=_int_setting(settings, "max_connections", 100),
            max_keepalive_connections=_int_setting(settings, "max_keepalive_connections", 20),
            keepalive_expiry=float(settings.get("keepalive_expiry", 5.0)),
        )
        timeout = httpx.Timeout(
            options.timeout, connect=float(settings.get("connect_timeout", options.timeout))
        )
        self._client = httpx.AsyncClient(
            timeout=timeout,
            verify=options.verify_ssl,
            limits=limits,
            headers={"User-Agent": USER_AGENT},
            follow_redirects=False,
        )
        self._owns_client = True

    def __repr__(self) -> str:
        return f"HttpxTransport({self._base_url!r})"

    def _build(self, request: HttpRequest, content: Any, headers: Any) -> tuple[httpx.Request, str]:
        url = self._base_url + request.path
        timeout: Any = httpx.USE_CLIENT_DEFAULT
        if request.timeout is not None:
            timeout = self._timeouts.get(request.timeout)
            if timeout is None:
                timeout = self._timeouts[request.timeout] = httpx.Timeout(request.timeout)
        if self._client.is_closed:
            raise self._closed_error(url)
        try:
            built = self._client.build_request(
                request.method, url, content=content, headers=headers, timeout=timeout
            )
        except httpx.InvalidURL as exc:
            raise ConfigError(f"invalid URL {url!r}: {exc}") from exc
        except UnicodeEncodeError as exc:
            raise InvalidRequestError(
                f"{request.method} {url}: header values must be ASCII text ({exc.reason})",
                url=url,
            ) from None
        return built, url

    async def _send(self, built: httpx.Request, method: str, url: str) -> httpx.Response:
        client = self._client
        try:
            return await client.send(built, stream=True)
        except httpx.HTTPError as exc:
            raise _map_error(exc, method, url) from exc
        except RuntimeError as exc:
            if client.is_closed:  # closed while we waited (or by whoever injected it)
                raise self._closed_error(url) from exc
            raise

    async def request(self, request: HttpRequest) -> HttpResponse:
        """Send ``request``; raise a zenoo-rpc transport error if that fails."""
        built, url = self._build(request, request.content or None, request.headers)
        response = await self._send(built, request.method, url)
        try:
            content = await response.aread()
        except httpx.DecodingError as exc:
            raise ProtocolError(
                f"{request.method} {url}: the answer could not be decoded "
                f"({str(exc) or type(exc).__name__})",
                status=response.status_code,
                content_type=response.headers.get("content-type"),
                url=url,
            ) from exc
        except httpx.HTTPError as exc:
            raise _map_error(exc, request.method, url) from exc
        finally:
            await response.aclose()
        return HttpResponse(
            status=response.status_code,
            headers=response.headers.multi_items(),
            content=content,
        )

    @contextlib.asynccontextmanager
    async def stream(
        self, request: HttpRequest, *, body: RequestBody | None = None
    ) -> AsyncIterator[HttpStream]:
        """Send ``request`` (its body from ``body`` when given); yield the response as it arrives.

        The timeout bounds each read, not the whole transfer. Leaving the block
        closes the response (its connection goes back to the pool when the
        body was read to the end).
        """
        content: Any = request.content or None
        headers: Any = request.headers
        if body is not None:
            headers = {**request.headers, "Content-Length": str(body.length)}
            content = _exactly(body)
        built, url = self._build(request, content, headers)
        response = await self._send(built, request.method, url)
        stream = HttpStream(
            response.status_code,
            response.headers.multi_items(),
            _body_chunks(response, request.method, url),
        )
        try:
            yield stream
        finally:
            try:
                await stream.aclose()
            finally:
                await response.aclose()

    def _closed_error(self, url: str) -> ConnectError:
        if self._owns_client:
            return ConnectError("the transport is closed", url=url)
        return ConnectError("the injected httpx.AsyncClient is closed", url=url)

    async def aclose(self) -> None:
        """Close the connections, unless the client was injected. Idempotent."""
        if self._closed:
            return
        self._closed = True
        if self._owns_client:
            await self._client.aclose()

    async def __aenter__(self) -> HttpxTransport:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()


def _int_setting(settings: Any, key: str, default: int) -> int:
    value = settings.get(key, default)
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ConfigError(
            f"transport setting {key} must be an integer, not {value!r}",
            path=f"$.transport.{key}",
        ) from None


async def _exactly(body: RequestBody) -> AsyncIterator[bytes]:
    """``body``'s chunks, failing when they do not add up to its declared length."""
    sent = 0
    async for chunk in body.chunks:
        sent += len(chunk)
        if sent > body.length:
            raise InvalidRequestError(
                f"the request body yielded more than its declared {body.length} bytes"
            )
        yield chunk
    if sent != body.length:
        raise InvalidRequestError(
            f"the request body yielded {sent} bytes, not its declared {body.length}"
        )


async def _body_chunks(response: httpx.Response, method: str, url: str) -> AsyncIterator[bytes]:
    try:
        async for chunk in response.aiter_bytes():
            if chunk:
                yield chunk
    except httpx.DecodingError as exc:
        raise ProtocolError(
            f"{method} {url}: the answer could not be decoded ({str(exc) or type(exc).__name__})",
            status=response.status_code,
            content_type=response.headers.get("content-type"),
            url=url,
        ) from exc
    except httpx.HTTPError as exc:
        raise _map_error(exc, method, url) from exc


def _map_error(exc: httpx.HTTPError, method: str, url: str) -> ZenooError:
    """The zenoo-rpc error for an httpx one; the message never holds headers or bodies."""
    what = f"{method} {url}"
    detail = str(exc) or type(exc).__name__
    # Order matters: ConnectTimeout and PoolTimeout are TimeoutExceptions too.
    if isinstance(exc, (httpx.ConnectTimeout, httpx.PoolTimeout)):
        return ConnectTimeout(f"{what}: connecting timed out ({detail})", url=url)
    if isinstance(exc, (httpx.ConnectError, httpx.ProxyError, httpx.UnsupportedProtocol)):
        return ConnectError(f"{what}: could not connect ({detail})", url=url)
    if isinstance(exc, httpx.TimeoutException):
        return ReadTimeout(f"{what}: no complete answer in time ({detail})", url=url)
    if isinstance(exc, httpx.DecodingError):
        # Raised while the body is read, where the status is known (see request()).
        return ProtocolError(f"{what}: the answer could not be decoded ({detail})", url=url)
    # RemoteProtocolError, ReadError, WriteError, CloseError, LocalProtocolError and
    # anything new: the request may have been sent, so its outcome is unknown.
    return ConnectionLost(f"{what}: the connection broke ({detail})", url=url)


TRANSPORT_SPEC = TransportSpec(name="httpx", schemes=("http", "https"), factory=HttpxTransport)
