"""The ``memory://`` transport: requests go straight to an in-process emulated Odoo.

No sockets, no threads: ``request()`` awaits ``Emulator.handle``. The URL
names the emulator, created on first use and shared by every client of the
process that uses the same URL::

    async with ZenooClient("memory://demo?version=19&size=100") as client:
        await client.login("demo", "admin", "admin")

Query parameters: ``version`` (16-19, default 18), ``size`` (default 10),
``seed`` (default 0) and ``databases`` (comma-separated, default the name).
Tests that want their own emulator build it and :func:`register_emulator` it;
a registered name ignores the query parameters.
"""

from __future__ import annotations

import asyncio
import threading
from urllib.parse import parse_qsl, urlsplit

from zenoo_rpc.errors import ConfigError, ConnectionLost, ReadTimeout
from zenoo_rpc.testing.emulator.faults import ConnectionDropped
from zenoo_rpc.testing.emulator.server import Emulator
from zenoo_rpc.transports.base import HttpRequest, HttpResponse, TransportOptions, TransportSpec

__all__ = [
    "MEMORY_TRANSPORT",
    "MemoryTransport",
    "emulator_for_url",
    "register_emulator",
    "registered_emulators",
    "unregister_emulator",
]

_lock = threading.Lock()
_registered: dict[str, Emulator] = {}
_created: dict[tuple[str, int, int, int, tuple[str, ...]], Emulator] = {}


def register_emulator(name: str, emulator: Emulator) -> None:
    """Make ``memory://<name>`` reach ``emulator`` (replacing any earlier one)."""
    with _lock:
        _registered[name] = emulator
    emulator.memory_url = f"memory://{name}"


def unregister_emulator(name: str) -> None:
    """Forget ``memory://<name>``, registered or created from a URL. Idempotent."""
    with _lock:
        _registered.pop(name, None)
        for key in [key for key in _created if key[0] == name]:
            del _created[key]


def registered_emulators() -> dict[str, Emulator]:
    """The emulators registered by name (not those created from URLs)."""
    with _lock:
        return dict(_registered)


def emulator_for_url(url: str) -> Emulator:
    """The emulator ``url`` names, created on first use with the URL's parameters."""
    parts = urlsplit(url)
    if parts.scheme != "memory":
        raise ConfigError(f"not a memory:// URL: {url!r}")
    name = parts.hostname or parts.netloc or "demo"
    query = dict(parse_qsl(parts.query))
    with _lock:
        if name in _registered:
            return _registered[name]
        try:
            version = int(query.get("version", 18))
            size = int(query.get("size", 10))
            seed = int(query.get("seed", 0))
        except ValueError as exc:
            raise ConfigError(f"bad memory:// URL parameter in {url!r}: {exc}") from None
        databases = tuple(filter(None, query.get("databases", name).split(",")))
        key = (name, version, size, seed, databases)
        emulator = _created.get(key)
        if emulator is None:
            try:
                emulator = Emulator(version=version, size=size, seed=seed, databases=databases)
            except ValueError as exc:
                raise ConfigError(str(exc)) from None
            emulator.memory_url = url
            _created[key] = emulator
        return emulator


class MemoryTransport:
    """A transport whose server is an :class:`Emulator` in this process."""

    def __init__(
        self, emulator: Emulator, *, timeout: float | None = 30.0, url: str | None = None
    ) -> None:
        self.emulator = emulator
        self.timeout = timeout
        self.url = url or emulator.memory_url or "memory://emulator"
        self._closed = False

    @classmethod
    def from_options(cls, options: TransportOptions) -> MemoryTransport:
        """The factory the ``memory`` transport spec uses."""
        return cls(
            emulator_for_url(options.base_url), timeout=options.timeout, url=options.base_url
        )

    async def request(self, request: HttpRequest) -> HttpResponse:
        timeout = request.timeout if request.timeout is not None else self.timeout
        try:
            return await asyncio.wait_for(self.emulator.handle(request), timeout)
        except ConnectionDropped as exc:
            raise ConnectionLost(
                f"the emulated server dropped the connection ({exc})", url=self.url + request.path
            ) from exc
        except asyncio.TimeoutError:
            raise ReadTimeout(
                f"no answer within {timeout} s", url=self.url + request.path
            ) from None

    async def aclose(self) -> None:
        self._closed = True


MEMORY_TRANSPORT = TransportSpec(
    name="memory", schemes=("memory",), factory=MemoryTransport.from_options
)
