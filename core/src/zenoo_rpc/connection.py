"""What a client connects with: the server URL, the chosen transport, shared state.

A client and every ``with_context`` view of it share one
:class:`ConnectionState`, so a login, a re-authentication after session
expiry or a close is seen by all of them.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from urllib.parse import urlsplit, urlunsplit

from zenoo_rpc.cache.call_cache import CallCache
from zenoo_rpc.config import ZenooConfig
from zenoo_rpc.errors import ConfigError
from zenoo_rpc.protocols.base import Credentials, Protocol, ServerVersion, Session
from zenoo_rpc.transports.base import Transport, TransportSpec

__all__ = ["ConnectionState", "redact_url", "select_transport", "server_url"]


class ConnectionState:
    """The connection, login and read cache of one client and its views."""

    __slots__ = (
        "auth_lock",
        "call_cache",
        "credentials",
        "protocol",
        "server_version",
        "session",
        "transport",
    )

    def __init__(self) -> None:
        self.transport: Transport | None = None
        self.protocol: Protocol | None = None
        self.credentials: Credentials | None = None
        self.session: Session | None = None
        self.server_version: ServerVersion | None = None
        self.call_cache: CallCache | None = None
        #: Held while logging in again, so concurrent calls re-authenticate once.
        self.auth_lock = asyncio.Lock()


def server_url(config: ZenooConfig) -> str:
    """``scheme://host:port[/prefix][?query]`` from ``url`` or from ``host`` and ``port``.

    A bare host (``"localhost"``, ``"[::1]"``, the seeds' form) gets ``http`` and
    port 8069, or ``https`` for port 443; an explicit ``port`` fills in a URL
    that has none. ``memory://`` URLs are kept as they are.
    """
    url = (config.url or config.host or "localhost").strip()
    if "://" not in url:
        port = config.port or 8069
        scheme = "https" if port == 443 else "http"
        url = f"{scheme}://{url}"
    try:
        parts = urlsplit(url)
    except ValueError as exc:  # "http://[bad": an unclosed IPv6 bracket
        raise ConfigError(
            f"Bad server URL {url.rpartition('@')[2]!r}: {exc}", path="$.url"
        ) from None
    if parts.scheme == "memory":
        return url
    try:
        has_port = parts.port is not None
    except ValueError:
        raise ConfigError(f"Bad port in server URL {redact_url(url)!r}", path="$.url") from None
    if not parts.hostname:
        raise ConfigError(f"No host in server URL {redact_url(url)!r}", path="$.url")
    if not has_port:
        port = config.port or (443 if parts.scheme in ("https", "wss") else 8069)
        host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
        userinfo = parts.netloc.rpartition("@")[0]
        netloc = f"{userinfo}@{host}:{port}" if userinfo else f"{host}:{port}"
        parts = parts._replace(netloc=netloc)
    return urlunsplit(parts).rstrip("/")


def redact_url(url: str) -> str:
    """``url`` with any ``user:password@`` removed."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url.rpartition("@")[2]
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc="***@" + parts.netloc.rpartition("@")[2]))


def select_transport(
    specs: Mapping[str, TransportSpec], url: str, name: str | None
) -> TransportSpec:
    """The transport named ``name``, or the highest-priority one serving ``url``'s scheme."""
    scheme = urlsplit(url).scheme
    if name is not None:
        spec = specs.get(name)
        if spec is None:
            raise ConfigError(
                f"Unknown transport {name!r}; available: {', '.join(sorted(specs))}",
                path="$.transport",
            )
        if scheme not in spec.schemes:
            raise ConfigError(
                f"Transport {name!r} serves {', '.join(spec.schemes)}, not {scheme}:// URLs",
                path="$.transport",
            )
        return spec
    candidates = [spec for spec in specs.values() if scheme in spec.schemes]
    if not candidates:
        served = sorted({s for spec in specs.values() for s in spec.schemes})
        raise ConfigError(
            f"No transport for {scheme}:// URLs (url {url!r}); installed transports serve: "
            f"{', '.join(served)}",
            path="$.url",
        )
    return max(candidates, key=lambda spec: spec.priority)
