"""The ``redis-cluster`` backend's settings: decoded once, every mistake a ``ConfigError``.

They come from the client's config, merged in this order (later wins)::

    [cache]                              # namespace, ttl (max_size is ignored here)
    enabled = true
    backend = "redis-cluster"
    ttl = 300

    [plugins.redis-cluster]              # or [cache.settings]
    urls = ["redis://10.0.0.1:7000", "redis://10.0.0.2:7000"]
    password = {env = "REDIS_PASSWORD"}

or from ``client.cache_manager.setup_cache("calls", "redis-cluster", url=...)``.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import Annotated, Any, Literal
from urllib.parse import unquote, urlsplit

import msgspec

from zenoo_rpc.config import reveal
from zenoo_rpc.errors import ConfigError

__all__ = ["NodeAddress", "RedisCacheSettings", "parse_settings"]

NonNegativeFloat = Annotated[float, msgspec.Meta(ge=0)]
PositiveFloat = Annotated[float, msgspec.Meta(gt=0)]
NonNegativeInt = Annotated[int, msgspec.Meta(ge=0)]
PositiveInt = Annotated[int, msgspec.Meta(ge=1)]

#: Keys of the ``[cache]`` table itself (the client passes them along); the rest
#: are backend settings, reported under ``$.cache.settings``.
_CACHE_TABLE_KEYS = frozenset({"namespace", "ttl", "max_size"})
_EXPECTED = {
    "mode": '"auto", "cluster" or "single"',
    "replica_acks": '"auto" or a number of replicas >= 0',
}


class NodeAddress(msgspec.Struct, frozen=True):
    """One Redis node to connect to, from a ``redis://`` or ``rediss://`` URL."""

    host: str
    port: int
    db: int = 0
    ssl: bool = False


class RedisCacheSettings(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Settings of the ``redis-cluster`` cache backend.

    :ivar url: one node: ``redis://[user:password@]host:port[/db]`` (``rediss://``
        for TLS). In a cluster any node will do: the others are discovered.
    :ivar urls: several startup nodes (a cluster client tries them in turn).
    :ivar mode: ``"cluster"``, ``"single"`` (one plain Redis, any ``db``) or
        ``"auto"``: ask the first node that answers whether cluster mode is on.
    :ivar username: ACL user (or in the URL).
    :ivar password: password (or in the URL); ``{env = "..."}`` works in files.
    :ivar namespace: prefix of every key (``<namespace>:<key>``); ``[cache] namespace``.
    :ivar ttl: default seconds a value lives (None: until invalidated); ``[cache] ttl``.
    :ivar max_size: accepted and ignored: bound Redis' memory with ``maxmemory``.
    :ivar timeout: seconds one cache operation may take in all (connecting,
        redirections, retries) before it counts as failed; None: no bound but
        the socket timeouts.
    :ivar socket_timeout: seconds to wait for a node's reply.
    :ivar socket_connect_timeout: seconds to wait for a connection to a node.
    :ivar retries: times redis-py retries a command after a connection error
        or a cluster-down reply, refreshing the slot map in between.
    :ivar max_connections: connections per node.
    :ivar replica_acks: replicas that must confirm a counter bump (``increment``,
        which is how the call cache invalidates) before it counts as done.
        ``"auto"``: one when the master has a connected replica, none otherwise.
    :ivar replica_ack_timeout: seconds to wait for that confirmation (``WAIT``).
    :ivar replica_check_interval: seconds a master's replica count (``ROLE``)
        is trusted before it is asked again (``replica_acks = "auto"``).
    :ivar circuit_failures: consecutive outage failures after which Redis is
        skipped (operations fail at once) for ``circuit_reset`` seconds; 0: never.
    :ivar circuit_reset: seconds Redis is skipped before one trial operation.
    :ivar scan_count: ``COUNT`` hint of each ``SCAN`` step of ``clear()``.
    :ivar client_name: the name the connections give themselves (``CLIENT LIST``).
    :ivar ssl_ca_certs: CA bundle file for ``rediss://`` URLs.
    """

    url: str | None = None
    urls: list[str] = msgspec.field(default_factory=list)
    mode: Literal["auto", "cluster", "single"] = "auto"
    username: str | None = None
    password: str | None = None
    namespace: str | None = None
    ttl: NonNegativeFloat | None = None
    max_size: int | None = None
    timeout: PositiveFloat | None = 1.0
    socket_timeout: PositiveFloat = 0.5
    socket_connect_timeout: PositiveFloat = 0.5
    retries: NonNegativeInt = 1
    max_connections: PositiveInt = 32
    replica_acks: Literal["auto"] | NonNegativeInt = "auto"
    replica_ack_timeout: PositiveFloat = 0.1
    replica_check_interval: NonNegativeFloat = 1.0
    circuit_failures: NonNegativeInt = 3
    circuit_reset: NonNegativeFloat = 1.0
    scan_count: PositiveInt = 500
    client_name: str | None = "zenoo-rpc"
    ssl_ca_certs: str | None = None

    def nodes(self) -> list[NodeAddress]:
        """The nodes named by ``url`` and ``urls``, in order, without duplicates."""
        found: list[NodeAddress] = []
        for url in [*([self.url] if self.url else []), *self.urls]:
            node = _address(url)
            if node not in found:
                found.append(node)
        return found

    def credentials(self) -> tuple[str | None, str | None]:
        """``(username, password)``: the settings' own, else the first URL's."""
        username, password = self.username, self.password
        for url in [*([self.url] if self.url else []), *self.urls]:
            parts = urlsplit(url)
            username = username or (unquote(parts.username) if parts.username else None)
            password = password or (unquote(parts.password) if parts.password else None)
        return username, password

    def __repr__(self) -> str:
        # Never show a password, whether given alone or inside a URL.
        shown = msgspec.structs.replace(
            self,
            url=_masked(self.url) if self.url else None,
            urls=[_masked(u) for u in self.urls],
            password="***" if self.password else None,
        )
        fields = ", ".join(f"{f}={getattr(shown, f)!r}" for f in shown.__struct_fields__)
        return f"RedisCacheSettings({fields})"


def _masked(url: str) -> str:
    parts = urlsplit(url)
    if parts.password is None:
        return url
    user = parts.username or ""
    host = parts.netloc.rsplit("@", 1)[1]
    return parts._replace(netloc=f"{user}:***@{host}").geturl()


def _address(url: str) -> NodeAddress:
    """Parse one node URL; raises ``ValueError`` with a message naming what is wrong."""
    parts = urlsplit(url)
    if parts.scheme not in ("redis", "rediss"):
        raise ValueError(
            f"{_masked(url)!r} is not a redis:// or rediss:// URL (redis://host:port[/db])"
        )
    try:
        port = parts.port or 6379
    except ValueError:
        raise ValueError(f"{_masked(url)!r} has an invalid port") from None
    if not parts.hostname:
        raise ValueError(f"{_masked(url)!r} has no host")
    path = parts.path.strip("/")
    if path and not path.isdigit():
        raise ValueError(f"{_masked(url)!r}: the path must be a database number, not {path!r}")
    return NodeAddress(
        host=parts.hostname, port=port, db=int(path or 0), ssl=parts.scheme == "rediss"
    )


def _path(key: str) -> str:
    return f"$.cache.{key}" if key in _CACHE_TABLE_KEYS else f"$.cache.settings.{key}"


def parse_settings(settings: Mapping[str, Any]) -> RedisCacheSettings:
    """Decode the backend's settings mapping (secrets unwrapped) and check them together.

    :raises ConfigError: an unknown key (with the closest known one), a wrong
        type or value (naming its ``$.cache...`` path), no node to connect to, a
        namespace with ``{`` or ``}`` (it would break hash-slot colocation), or
        cluster mode asked with a database other than 0.
    """
    data = {key: value for key, value in reveal(dict(settings)).items() if value is not None}
    known = RedisCacheSettings.__struct_fields__
    for key in data:
        if key not in known:
            close = difflib.get_close_matches(key, known, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise ConfigError(
                f"unknown setting {key!r} for cache backend 'redis-cluster'{hint} "
                f"(known: {', '.join(sorted(known))})",
                path=_path(key),
            )
    try:
        parsed = msgspec.convert(data, RedisCacheSettings, strict=False)
    except msgspec.ValidationError as exc:
        text, _, where = str(exc).partition(" - at `$.")
        key = where.rstrip("`").split(".")[0].split("[")[0]
        path = _path(key) if key in known else "$.cache.settings"
        hint = f" (expected {_EXPECTED[key]})" if key in _EXPECTED else ""
        raise ConfigError(
            f"cache backend 'redis-cluster': {text}{hint} - at `{path}`", path=path
        ) from None
    try:
        nodes = parsed.nodes()
    except ValueError as exc:
        raise ConfigError(f"cache backend 'redis-cluster': {exc}", path=_path("url")) from None
    if not nodes:
        raise ConfigError(
            "cache backend 'redis-cluster' needs a node to connect to: set "
            'url = "redis://host:port" (or urls = [...]) under [plugins.redis-cluster] '
            "or [cache.settings]",
            path=_path("url"),
        )
    if parsed.namespace and ("{" in parsed.namespace or "}" in parsed.namespace):
        raise ConfigError(
            f"cache namespace {parsed.namespace!r} contains '{{' or '}}', which would move "
            "keys out of their model's Redis hash slot; choose one without braces",
            path=_path("namespace"),
        )
    databases = {node.db for node in nodes}
    if len(databases) > 1:
        raise ConfigError(
            "cache backend 'redis-cluster': the URLs name different databases "
            f"({', '.join(map(str, sorted(databases)))})",
            path=_path("urls"),
        )
    if parsed.mode == "cluster" and databases != {0}:
        raise ConfigError(
            "a Redis Cluster has only database 0; drop the /<db> from the URL or set "
            'mode = "single"',
            path=_path("url"),
        )
    if parsed.mode == "single" and len(nodes) > 1:
        raise ConfigError(
            'mode = "single" takes one node; give one url, or use mode = "cluster"',
            path=_path("urls"),
        )
    return parsed
