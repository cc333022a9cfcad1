"""The configuration schema: msgspec Structs, decoded once, with exact error paths.

Every struct forbids unknown fields, so a typo (``retyr``, ``max_atempts``) is
an error naming the key instead of a silently ignored setting. Structs are
frozen: a client's configuration is resolved once, when it is created; use
``msgspec.structs.replace(config, timeout=5)`` for a changed copy.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Literal, overload

import msgspec

from zenoo_rpc.config.layers import KeyPath, Layer, is_secret_name, merge
from zenoo_rpc.config.secret import Secret
from zenoo_rpc.errors import ConfigError

__all__ = [
    "CacheConfig",
    "CircuitBreakerConfig",
    "PluginsConfig",
    "RetryConfig",
    "ZenooConfig",
    "decode",
]

PositiveFloat = Annotated[float, msgspec.Meta(gt=0)]
NonNegativeFloat = Annotated[float, msgspec.Meta(ge=0)]
PositiveInt = Annotated[int, msgspec.Meta(ge=1)]
Port = Annotated[int, msgspec.Meta(ge=1, le=65535)]


class _Section(msgspec.Struct, kw_only=True, forbid_unknown_fields=True, frozen=True):
    """Base of every config struct: keyword-only, typo-proof, immutable."""


class CircuitBreakerConfig(_Section, frozen=True):
    """``[retry.circuit_breaker]``: stop calling a server that keeps failing.

    After ``failure_threshold`` consecutive outage-like failures, calls fail
    fast with :class:`~zenoo_rpc.errors.CircuitOpenError` for ``reset_timeout``
    seconds, then one trial call decides whether to close the circuit again.
    """

    #: Use a circuit breaker at all.
    enabled: bool = True
    #: Consecutive outage-like failures (transport errors, 5xx, garbled answers) that open it.
    failure_threshold: PositiveInt = 5
    #: Seconds it stays open before one trial call may close it.
    reset_timeout: PositiveFloat = 30.0


class RetryConfig(_Section, frozen=True):
    """``[retry]``: how often and how patiently to resend calls that are safe to resend.

    ``strategy`` names a registered retry strategy (built-in: ``exponential``,
    ``linear``, ``fixed``; plugins add more); ``settings`` are passed to it
    as extra options.
    """

    #: Attempts per call, the first included (``1`` disables retries).
    max_attempts: PositiveInt = 3
    #: The retry strategy's name (``exponential``, ``linear``, ``fixed`` or a plugin's).
    strategy: str = "exponential"
    #: Seconds before the first retry; the strategy grows it from there.
    base_delay: NonNegativeFloat = 0.5
    #: Upper bound of any delay, in seconds.
    max_delay: NonNegativeFloat = 30.0
    #: Randomise delays so that many clients do not retry in step.
    jitter: bool = True
    #: Extra options for the strategy (as its documentation says).
    settings: dict[str, Any] = msgspec.field(default_factory=dict)
    #: ``[retry.circuit_breaker]``: failing fast while the server is down.
    circuit_breaker: CircuitBreakerConfig = msgspec.field(default_factory=CircuitBreakerConfig)


class CacheConfig(_Section, frozen=True):
    """``[cache]``: cache read calls (off by default, since stale reads surprise people).

    ``backend`` names a registered cache backend (built-in: ``memory``);
    ``ttl = None`` keeps entries until writes invalidate them or ``max_size``
    evicts them; ``settings`` go to the backend (``url``, ``password``...).
    """

    #: Cache read calls (``search_read``, ``read``, ``fields_get``...).
    enabled: bool = False
    #: The cache backend's name (``memory`` or a plugin's, like ``redis-cluster``).
    backend: str = "memory"
    #: Seconds an entry lives; ``None`` (``ZENOO_CACHE_TTL=none``): until invalidated or evicted.
    ttl: NonNegativeFloat | None = 300.0
    #: Entries the ``memory`` backend keeps before evicting the least recently used.
    max_size: PositiveInt = 1000
    #: Prefix of every key, so that several applications can share one backend.
    namespace: str = "zenoo"
    #: Options for the backend (``url``, ``password``...), as its documentation says.
    settings: dict[str, Any] = msgspec.field(default_factory=dict)


class PluginsConfig(_Section, frozen=True):
    """``plugins = [...]`` or ``[plugins]``: which plugins to load and their settings.

    ``enabled = None`` (the default) loads the built-ins only; each name is an
    installed plugin's entry-point name or a dotted module path. ``settings``
    holds each plugin's own table (``[plugins.audit]``), read by the plugin
    with :meth:`get`.
    """

    #: Plugins to load, in order: entry-point names or dotted module paths.
    enabled: list[str] | None = None
    #: Each plugin's own table (``[plugins.<name>]``), by plugin name.
    settings: dict[str, dict[str, Any]] = msgspec.field(default_factory=dict)

    @overload
    def get(self, name: str) -> dict[str, Any] | None: ...
    @overload
    def get(self, name: str, default: dict[str, Any]) -> dict[str, Any]: ...
    @overload
    def get(self, name: str, default: Any) -> Any: ...
    def get(self, name: str, default: Any = None) -> Any:
        """The settings table of plugin ``name`` (``[plugins.<name>]``), or ``default``."""
        return self.settings.get(name, default)


class ZenooConfig(_Section, frozen=True):
    """Everything a :class:`~zenoo_rpc.ZenooClient` needs, from every source, resolved.

    Build it with :func:`~zenoo_rpc.config.load_config` (arguments > ``ZENOO_*``
    variables > ``zenoo.toml``) or :meth:`from_mapping`. When ``url`` is empty
    and ``host`` is set, ``url`` is built from ``host`` and ``port`` (Odoo's
    8069 by default, ``https`` for 443).
    """

    #: The server: ``https://host[:port]``, ``http://...`` or ``memory://name`` (the emulator).
    url: str = ""
    #: A host name, when ``url`` is not given (``url`` is built from it and ``port``).
    host: str | None = None
    #: The port that goes with ``host`` (8069 when unset).
    port: Port | None = None
    #: The database to log in to.
    database: str | None = None
    #: The login.
    username: str | None = None
    #: The password (a secret: prefer ``{env = "..."}`` or ``{file = "..."}``).
    password: Secret | None = None
    #: An API key, used instead of the password (a secret, like ``password``).
    api_key: Secret | None = None
    #: The server's master password, for the database manager (``client.databases``).
    master_password: Secret | None = None
    #: ``auto`` picks JSON-2 on Odoo 19+ with an API key, else JSON-RPC (and says why).
    protocol: Literal["auto", "json2", "jsonrpc", "web"] = "auto"
    #: Seconds one request may take.
    timeout: PositiveFloat = 30.0
    #: Check the server's TLS certificate.
    verify_ssl: bool = True
    #: The transport's name (``asyncio``, ``httpx`` or a plugin's); unset: the best for the URL.
    transport: str | None = None
    #: Context added to every call (``lang``, ``tz``, ``allowed_company_ids``...).
    context: dict[str, Any] = msgspec.field(default_factory=dict)
    #: ``[retry]``: resending calls that are safe to resend.
    retry: RetryConfig = msgspec.field(default_factory=RetryConfig)
    #: ``[cache]``: the read cache.
    cache: CacheConfig = msgspec.field(default_factory=CacheConfig)
    #: ``plugins = [...]`` or ``[plugins]``: the plugins to load and their settings.
    plugins: PluginsConfig = msgspec.field(default_factory=PluginsConfig)
    #: The ``[profiles.<name>]`` table to use (``ZENOO_PROFILE`` or ``profile=`` win).
    profile: str | None = None

    def __post_init__(self) -> None:
        if not self.url and self.host:
            if "://" in self.host:
                url = self.host
            else:
                port = self.port or 8069
                scheme = "https" if port == 443 else "http"
                url = f"{scheme}://{self.host}" + ("" if port in (80, 443) else f":{port}")
            msgspec.structs.force_setattr(self, "url", url.rstrip("/"))

    @classmethod
    def from_mapping(
        cls,
        data: Mapping[str, Any],
        source: str = "<mapping>",
        *,
        env: Mapping[str, str] | None = None,
    ) -> ZenooConfig:
        """Decode a mapping shaped like ``zenoo.toml`` (for config providers).

        Secrets may use ``{env = "VAR"}`` (looked up in ``env``, default
        ``os.environ``) or ``{file = "path"}``; errors name ``source``.
        """
        import os

        layer = Layer(data, source, env=os.environ if env is None else env, base_dir=Path.cwd())
        merged: dict[str, Any] = {}
        origins: dict[KeyPath, str] = {}
        merge(merged, layer, origins)
        return decode(merged, origins, source)

    def to_display_dict(self) -> dict[str, Any]:
        """Plain data for display (``zenoo doctor``): secrets and URL passwords masked."""
        data = msgspec.to_builtins(self, enc_hook=_mask_secret)
        masked: dict[str, Any] = _mask(data)
        return masked


def _decode_secret(type_: type, value: Any) -> Any:
    if type_ is Secret:
        if isinstance(value, Secret):
            return value
        if isinstance(value, str):
            return Secret(value)
        raise TypeError(f"Expected `str`, got `{type(value).__name__}`")
    raise NotImplementedError(type_)


def _mask_secret(value: Any) -> Any:
    if isinstance(value, Secret):
        return "***"
    raise NotImplementedError(type(value))


_URL_PASSWORD = re.compile(r"(://[^/:@\s]*:)[^/@\s]+@")


def _mask(value: Any, key: str = "") -> Any:
    if isinstance(value, dict):
        return {k: _mask(v, str(k)) for k, v in value.items()}
    if isinstance(value, list):
        return [_mask(v) for v in value]
    if value is not None and key and is_secret_name(key):
        return "***"
    if isinstance(value, str):
        return _URL_PASSWORD.sub(r"\1***@", value)
    return value


_SECTIONS: dict[str, type[_Section]] = {
    "$": ZenooConfig,
    "$.retry": RetryConfig,
    "$.retry.circuit_breaker": CircuitBreakerConfig,
    "$.cache": CacheConfig,
    "$.plugins": PluginsConfig,
}
_MSGSPEC_ERROR = re.compile(r"^(?P<text>.*?)(?: - at `(?P<path>\$[^`]*)`)?$", re.S)
_UNKNOWN_FIELD = re.compile(r"^Object contains unknown field `(?P<field>[^`]+)`$")


def decode(data: Mapping[str, Any], origins: Mapping[KeyPath, str], source: str) -> ZenooConfig:
    """Decode merged layers; a bad value raises ConfigError naming its origin and ``$.path``."""
    try:
        return msgspec.convert(data, ZenooConfig, dec_hook=_decode_secret)
    except msgspec.ValidationError as exc:
        raise _validation_error(str(exc), origins, source) from None


def _validation_error(message: str, origins: Mapping[KeyPath, str], source: str) -> ConfigError:
    match = _MSGSPEC_ERROR.match(message)
    text = match.group("text") if match else message
    path = (match.group("path") if match else None) or "$"
    unknown = _UNKNOWN_FIELD.match(text)
    if unknown:
        field = unknown.group("field")
        path = f"{path}.{field}"
        valid = list(_SECTIONS[path.rsplit(".", 1)[0]].__struct_fields__)
        close = difflib.get_close_matches(field, valid, n=1)
        hint = f"; did you mean `{close[0]}`?" if close else ""
        text = f"unknown key `{field}` (valid keys: {', '.join(valid)}){hint}"
    origin = _origin(path, origins) or source
    return ConfigError(f"{origin}: {text} - at `{path}`", path=path, source=origin)


def _origin(path: str, origins: Mapping[KeyPath, str]) -> str | None:
    parts: list[str] = []
    for token in re.findall(r"\.([^.\[]+)|\[[^\]]*\]", path):
        if not token:
            break
        parts.append(token)
    for end in range(len(parts), 0, -1):
        if tuple(parts[:end]) in origins:
            return origins[tuple(parts[:end])]
    return None
