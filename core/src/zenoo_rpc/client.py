"""``ZenooClient``: one async client over every Odoo protocol, assembled from plugins.

A model call goes through, in order: the middleware chain (plugins, then
``add_middleware``), the read cache (when enabled), the retry policy and
circuit breaker, the protocol (JSON-2, JSON-RPC or web session) and the
transport. Events are emitted at each step. See ``docs/`` for the tour.
"""

from __future__ import annotations

import copy
import logging
import time
import warnings
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar
from urllib.parse import urlsplit

import msgspec

from zenoo_rpc.cache.call_cache import CallCache
from zenoo_rpc.cache.manager import CacheManager
from zenoo_rpc.call import Call, ServiceCall
from zenoo_rpc.config import CacheConfig, ConfigProvider, RetryConfig, ZenooConfig, load_config
from zenoo_rpc.errors import ConfigError, OutcomeUnknownError, SessionExpired, ZenooError
from zenoo_rpc.events import Event, EventListener, deliver, handler_listener
from zenoo_rpc.hookspecs import PROJECT_NAME
from zenoo_rpc.methods import ModelMethods
from zenoo_rpc.middleware import Handler, Middleware, adapt_middleware, adapt_plugin_object, compose
from zenoo_rpc.plugins import PluginHost
from zenoo_rpc.protocols import PROTOCOLS
from zenoo_rpc.protocols.base import Credentials, Protocol, ServerVersion, Session
from zenoo_rpc.retry import CircuitBreaker, RetryPolicy
from zenoo_rpc.transports.base import Transport, TransportOptions

__all__ = ["ZenooClient"]

log = logging.getLogger(__name__)

T = TypeVar("T")

#: First Odoo version with the JSON-2 API; legacy RPC is deprecated from it on.
JSON2_SINCE = 19


class _ConnectionState:
    """What a client and its ``with_context`` views share."""

    __slots__ = ("call_cache", "credentials", "protocol", "server_version", "session", "transport")

    def __init__(self) -> None:
        self.transport: Transport | None = None
        self.protocol: Protocol | None = None
        self.credentials: Credentials | None = None
        self.session: Session | None = None
        self.server_version: ServerVersion | None = None
        self.call_cache: CallCache | None = None


class ZenooClient(ModelMethods):
    """An async Odoo client.

    ::

        async with ZenooClient("https://odoo.example.com") as client:
            await client.login("prod", "admin", api_key="...")
            partners = await client.search_read("res.partner", [("is_company", "=", True)],
                                                fields=["name", "email"], limit=80)

    Every argument can also come from ``ZENOO_*`` environment variables or a
    ``zenoo.toml`` (see :func:`zenoo_rpc.config.load_config`); arguments win.

    :param url: ``http(s)://host[:port]``, a bare host name (``"localhost"``),
        or ``memory://name`` for the built-in in-memory Odoo.
    :param port: port for a bare host name.
    :param http_client: an ``httpx.AsyncClient`` to send requests with (selects
        the ``httpx`` transport; the client is not closed by ``close()``).
    :param cache: ``True`` to cache read calls, or the ``[cache]`` settings.
    :param retry: the ``[retry]`` settings (``{"max_attempts": 1}`` disables retries).
    """

    def __init__(
        self,
        url: str | None = None,
        *,
        port: int | None = None,
        database: str | None = None,
        username: str | None = None,
        password: str | None = None,
        api_key: str | None = None,
        protocol: str | None = None,
        timeout: float | None = None,
        verify_ssl: bool | None = None,
        transport: str | None = None,
        http_client: Any = None,
        plugins: Sequence[str] | None = None,
        cache: bool | Mapping[str, Any] | CacheConfig | None = None,
        retry: Mapping[str, Any] | RetryConfig | None = None,
        context: Mapping[str, Any] | None = None,
        config: ZenooConfig | None = None,
        config_file: str | None = None,
        profile: str | None = None,
    ) -> None:
        if config is None:
            overrides: dict[str, Any] = {
                key: value
                for key, value in {
                    "port": port,
                    "database": database,
                    "username": username,
                    "password": password,
                    "api_key": api_key,
                    "protocol": protocol,
                    "timeout": timeout,
                    "verify_ssl": verify_ssl,
                    "transport": transport,
                    "context": dict(context) if context is not None else None,
                }.items()
                if value is not None
            }
            if url is not None:
                overrides["url"] = url
            if plugins is not None:
                overrides["plugins"] = list(plugins)
            if isinstance(cache, bool):
                overrides["cache_enabled"] = cache
            elif cache is not None:
                overrides["cache"] = msgspec.convert(cache, CacheConfig, from_attributes=True)
            if retry is not None:
                overrides["retry"] = msgspec.convert(retry, RetryConfig, from_attributes=True)
            config = load_config(config_file=config_file, profile=profile, **overrides)
        self.config = config
        self.url = _base_url(config)
        self._http_client = http_client
        self.plugins = PluginHost()
        self.plugins.load(config.plugins.enabled)

        self._state = _ConnectionState()
        self._context_overrides: dict[str, Any] = {}
        self._owner = True

        self._plugin_middlewares: list[Middleware] = self.plugins.middlewares(self, config)
        self._user_middlewares: list[Middleware] = []
        self._handler: Handler | None = None
        self._plugin_listeners: list[EventListener] = self.plugins.event_listeners()
        self._handler_listeners: list[EventListener] = []

        self.cache_manager = CacheManager(backends=self.plugins.cache_backends)
        self._retry = self._build_retry_policy()

    # Connection state lives in one object shared with ``with_context`` views.

    @property
    def _transport(self) -> Transport | None:
        return self._state.transport

    @_transport.setter
    def _transport(self, value: Transport | None) -> None:
        self._state.transport = value

    @property
    def _protocol(self) -> Protocol | None:
        return self._state.protocol

    @_protocol.setter
    def _protocol(self, value: Protocol | None) -> None:
        self._state.protocol = value

    @property
    def _credentials(self) -> Credentials | None:
        return self._state.credentials

    @_credentials.setter
    def _credentials(self, value: Credentials | None) -> None:
        self._state.credentials = value

    @property
    def _call_cache(self) -> CallCache | None:
        return self._state.call_cache

    @_call_cache.setter
    def _call_cache(self, value: CallCache | None) -> None:
        self._state.call_cache = value

    @property
    def session(self) -> Session | None:
        """The login's session (db, uid, user context), or ``None`` before login."""
        return self._state.session

    @session.setter
    def session(self, value: Session | None) -> None:
        self._state.session = value

    @property
    def server_version(self) -> ServerVersion | None:
        """The server's version, once the client has asked for it."""
        return self._state.server_version

    @server_version.setter
    def server_version(self, value: ServerVersion | None) -> None:
        self._state.server_version = value

    # ------------------------------------------------------------------ construction

    @classmethod
    async def from_config_provider(cls, provider: ConfigProvider, **overrides: Any) -> ZenooClient:
        """Build a client from a provider whose ``await load_config()`` returns a mapping."""
        data = dict(await provider.load_config())
        data.update({k: v for k, v in overrides.items() if v is not None})
        return cls(config=ZenooConfig.from_mapping(data, source=type(provider).__name__))

    def _build_retry_policy(self) -> RetryPolicy:
        settings = self.config.retry
        strategies = self.plugins.retry_strategies()
        spec = strategies.get(settings.strategy)
        if spec is None:
            raise ConfigError(
                f"Unknown retry strategy {settings.strategy!r}; available: "
                f"{', '.join(sorted(strategies))}",
                path="$.retry.strategy",
            )
        strategy = spec.factory(
            {
                "base_delay": settings.base_delay,
                "max_delay": settings.max_delay,
                "jitter": settings.jitter,
                **settings.settings,
            }
        )
        breaker = None
        if settings.circuit_breaker.enabled:
            breaker = CircuitBreaker(
                failure_threshold=settings.circuit_breaker.failure_threshold,
                reset_timeout=settings.circuit_breaker.reset_timeout,
                on_state_change=self._on_circuit_change,
            )
        return RetryPolicy(strategy, settings.max_attempts, breaker=breaker)

    def _on_circuit_change(self, state: str) -> None:
        log.warning("circuit breaker for %s is now %s", self.url, state)

    # ------------------------------------------------------------------ lifecycle

    async def __aenter__(self) -> ZenooClient:
        await self.open()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    async def open(self) -> None:
        """Create the transport. Called by ``async with``; other calls do it when needed."""
        if self._transport is None:
            self._transport = self._make_transport()

    def _make_transport(self) -> Transport:
        scheme = urlsplit(self.url).scheme
        specs = self.plugins.transports()
        name = self.config.transport or ("httpx" if self._http_client is not None else None)
        if name is not None:
            spec = specs.get(name)
            if spec is None:
                raise ConfigError(
                    f"Unknown transport {name!r}; available: {', '.join(sorted(specs))}",
                    path="$.transport",
                )
            if scheme not in spec.schemes:
                raise ConfigError(
                    f"Transport {name!r} does not serve {scheme}:// URLs", path="$.transport"
                )
        else:
            candidates = [s for s in specs.values() if scheme in s.schemes]
            if not candidates:
                raise ConfigError(
                    f"No transport for {scheme}:// URLs (url {self.url!r}); installed transports "
                    f"serve: {', '.join(sorted({x for s in specs.values() for x in s.schemes}))}",
                    path="$.url",
                )
            spec = max(candidates, key=lambda s: s.priority)
        options = TransportOptions(
            base_url=self.url,
            timeout=self.config.timeout,
            verify_ssl=self.config.verify_ssl,
            client=self._http_client,
        )
        log.debug("transport %s for %s", spec.name, self.url)
        return spec.factory(options)

    async def close(self) -> None:
        """Log out of a web session and release connections and cache backends. Idempotent."""
        if not self._owner:
            return
        if self._protocol is not None:
            try:
                await self._protocol.logout()
            except ZenooError as exc:
                log.debug("logout failed: %s", exc)
        if self._transport is not None:
            await self._transport.aclose()
            self._transport = None
        await self.cache_manager.close()
        self._protocol = None
        self.session = None
        await self._emit("closed")

    @property
    def transport(self) -> Transport:
        if self._transport is None:
            self._transport = self._make_transport()
        return self._transport

    @property
    def host(self) -> str:
        return urlsplit(self.url).hostname or self.url

    @property
    def is_authenticated(self) -> bool:
        return self.session is not None and self._protocol is not None

    @property
    def uid(self) -> int | None:
        return self.session.uid if self.session else None

    @property
    def database(self) -> str | None:
        return self.session.db if self.session else self.config.database

    @property
    def protocol(self) -> str | None:
        """Name of the protocol in use after login (``json2``, ``jsonrpc`` or ``web``)."""
        return self._protocol.name if self._protocol else None

    # ------------------------------------------------------------------ extension points

    def add_middleware(self, middleware: object) -> None:
        """Wrap every model call in ``middleware`` (innermost among those added so far)."""
        self._user_middlewares.append(adapt_middleware(middleware))
        self._handler = None

    def register_plugin(self, plugin: object) -> None:
        """Register a plugin object: pluggy ``@hookimpl`` methods and/or seed-style
        ``before_request`` / ``after_response`` methods."""
        if isinstance(plugin, type):
            raise TypeError(f"register_plugin() takes an instance, not the class {plugin.__name__}")
        adapted = adapt_plugin_object(plugin)
        if _has_hookimpls(plugin):
            self.plugins.register(plugin)
            self._plugin_listeners = self.plugins.event_listeners()
            factory = getattr(plugin, "zenoo_middleware", None)
            middleware = factory(client=self, config=self.config) if factory else None
            if middleware is not None:
                self._plugin_middlewares.append(middleware)
                self._handler = None
        elif adapted is None:
            raise TypeError(
                f"{plugin!r} has no @hookimpl methods and no before_request / after_response"
            )
        if adapted is not None:
            self._user_middlewares.append(adapted)
            self._handler = None

    def register_event_handler(self, handler: object) -> None:
        """Receive events: a callable ``(event)`` or an object with ``on_<event name>`` methods."""
        has_on = any(name.startswith("on_") for name in dir(handler))
        listener: EventListener = handler_listener(handler) if has_on else handler  # type: ignore[assignment]
        if not callable(listener):
            raise TypeError(f"{handler!r} is neither callable nor has on_<event> methods")
        self._handler_listeners.append(listener)

    @property
    def _listeners(self) -> list[EventListener]:
        return self._plugin_listeners + self._handler_listeners

    async def _emit(self, name: str, **fields: Any) -> None:
        if self._plugin_listeners or self._handler_listeners:
            await deliver(self._listeners, Event(name=name, client=self, **fields))

    # ------------------------------------------------------------------ context

    def with_context(self, context: Mapping[str, Any] | None = None, **values: Any) -> ZenooClient:
        """A view of this client whose calls add ``values`` to the context.

        It shares the connection, login, cache and plugins; closing it does nothing.
        """
        view = copy.copy(self)
        view._context_overrides = {**self._context_overrides, **(context or {}), **values}
        view._owner = False
        return view

    def with_company(self, company_id: int, *other_company_ids: int) -> ZenooClient:
        """A view whose calls run in ``company_id`` (``allowed_company_ids`` in context)."""
        return self.with_context(allowed_company_ids=[company_id, *other_company_ids])

    @property
    def context(self) -> dict[str, Any]:
        """The context sent with every call: user context, config context, overrides."""
        base = dict(self.session.context) if self.session else {}
        base.update(self.config.context)
        base.update(self._context_overrides)
        return base

    # ------------------------------------------------------------------ login

    async def version(self, *, timeout: float | None = None) -> ServerVersion:
        """The server's version (no login needed)."""
        probe = self._protocol or PROTOCOLS["web"](self.transport)
        started = time.perf_counter()
        version = await self._retry.run(
            ServiceCall(service="common", method="version"),
            lambda: probe.version(timeout=timeout),
        )
        if self.server_version is None:
            self.server_version = version
            await self._emit(
                "connection_established",
                duration=time.perf_counter() - started,
                data={"server_version": version.server_version},
            )
        return version

    async def login(
        self,
        database: str | None = None,
        username: str | None = None,
        password: str | None = None,
        *,
        api_key: str | None = None,
        timeout: float | None = None,
    ) -> Session:
        """Authenticate and load the user's context; return the session.

        Raises :class:`~zenoo_rpc.errors.AccessDenied` for wrong credentials.
        ``protocol="auto"`` uses JSON-2 on Odoo 19+ with an API key, else legacy
        JSON-RPC, and logs the choice.
        """
        cfg = self.config
        database = database or cfg.database
        username = username or cfg.username
        if password is None and api_key is None:
            api_key = _reveal(cfg.api_key)
            password = _reveal(cfg.password) if api_key is None else None
        if not database or not username or not (password or api_key):
            raise ConfigError(
                "login needs a database, a username and a password or API key "
                "(arguments, ZENOO_DATABASE / ZENOO_USERNAME / ZENOO_PASSWORD / ZENOO_API_KEY, "
                "or zenoo.toml)"
            )
        credentials = Credentials(db=database, login=username, password=password, api_key=api_key)
        protocol = await self._choose_protocol(credentials, timeout=timeout)
        session = await protocol.authenticate(credentials, timeout=timeout)
        self._protocol = protocol
        self._credentials = credentials
        self.session = session
        if session.server_version is not None and self.server_version is None:
            self.server_version = session.server_version
        log.info(
            "logged in to %s db=%s as %s (uid %s) over %s",
            self.url,
            database,
            username,
            session.uid,
            protocol.name,
        )
        await self._emit(
            "authenticated", data={"uid": session.uid, "db": database, "protocol": protocol.name}
        )
        return session

    async def _choose_protocol(
        self, credentials: Credentials, *, timeout: float | None
    ) -> Protocol:
        wanted = self.config.protocol
        if wanted != "auto":
            reason = "chosen in configuration"
            major = None
            if wanted == "jsonrpc":
                major = (await self.version(timeout=timeout)).major
        else:
            major = (await self.version(timeout=timeout)).major
            if major >= JSON2_SINCE and credentials.api_key:
                wanted, reason = "json2", f"Odoo {major} with an API key"
            elif major >= JSON2_SINCE:
                wanted = "jsonrpc"
                reason = f"Odoo {major} but no API key (JSON-2 needs one)"
            else:
                wanted, reason = "jsonrpc", f"Odoo {major} has no JSON-2 API"
        log.info("protocol %s for %s: %s", wanted, self.url, reason)
        await self._emit("protocol_selected", data={"protocol": wanted, "reason": reason})
        if wanted == "jsonrpc" and major is not None and major >= JSON2_SINCE:
            message = (
                f"Legacy JSON-RPC is deprecated on Odoo {major} and announced for removal in "
                "Odoo 22; log in with an API key to use JSON-2 (protocol='json2')."
            )
            warnings.warn(message, DeprecationWarning, stacklevel=4)
            await self._emit("deprecation", data={"message": message})
        return PROTOCOLS[wanted](self.transport)

    def _require_protocol(self) -> Protocol:
        if self._protocol is None:
            raise ZenooError("not logged in: call `await client.login(...)` first")
        return self._protocol

    # ------------------------------------------------------------------ calls

    async def execute_kw(
        self,
        model: str,
        method: str,
        args: Sequence[Any] | None = None,
        kwargs: Mapping[str, Any] | None = None,
        *,
        context: Mapping[str, Any] | None = None,
        timeout: float | None = None,
    ) -> Any:
        """Call ``model.method(*args, **kwargs)`` on the server (Odoo's ``execute_kw``)."""
        kwargs = dict(kwargs or {})
        call_context = self.context
        call_context.update(kwargs.pop("context", None) or {})
        if context:
            call_context.update(context)
        call = Call(
            model=model,
            method=method,
            args=tuple(args or ()),
            kwargs=kwargs,
            context=call_context,
            timeout=timeout,
        )
        return await self.dispatch(call)

    async def call(self, model: str, method: str, *args: Any, **kwargs: Any) -> Any:
        """``call("res.partner", "action_archive", [7])``: positional and keyword arguments."""
        timeout = kwargs.pop("timeout", None)
        context = kwargs.pop("context", None)
        return await self.execute_kw(model, method, args, kwargs, context=context, timeout=timeout)

    async def dispatch(self, call: Call) -> Any:
        """Send a prepared :class:`Call` through middleware, cache, retry and protocol."""
        handler = self._handler
        if handler is None:
            handler = self._handler = compose(
                [*self._plugin_middlewares, *self._user_middlewares], self._pipeline
            )
        return await handler(call)

    async def _pipeline(self, call: Call) -> Any:
        protocol = self._require_protocol()
        session = self.session
        assert session is not None
        cache = await self._get_call_cache()
        if cache is not None and call.is_read:
            hit, value = await cache.lookup(session.db, session.uid, call)
            await self._emit("cache_hit" if hit else "cache_miss", call=call, result=value)
            if hit:
                return value
        listeners = bool(self._plugin_listeners or self._handler_listeners)
        if listeners:
            await self._emit("call_started", call=call)
        started = time.perf_counter()
        try:
            result = await self._retry.run(
                call, lambda: self._execute(protocol, call), on_retry=self._on_retry(call)
            )
        except Exception as exc:
            if cache is not None and isinstance(exc, OutcomeUnknownError):
                await cache.invalidate_after(session.db, call)  # it may have run
            if listeners:
                await self._emit(
                    "call_failed", call=call, error=exc, duration=time.perf_counter() - started
                )
            raise
        if cache is not None:
            if call.is_read:
                await cache.store(session.db, session.uid, call, result)
            else:
                await cache.invalidate_after(session.db, call)
        if listeners:
            await self._emit(
                "call_finished", call=call, result=result, duration=time.perf_counter() - started
            )
        return result

    async def _execute(self, protocol: Protocol, call: Call) -> Any:
        try:
            return await protocol.execute(call)
        except SessionExpired:
            # Odoo checks the session before it runs the method, so the call did
            # not run: log in again once and send it again.
            await self._emit("session_expired", call=call)
            if self._credentials is None:
                raise
            log.info("session expired on %s; logging in again", self.url)
            self.session = await protocol.authenticate(self._credentials)
            return await protocol.execute(call)

    def _on_retry(self, call: Call | ServiceCall) -> Callable[[int, float, BaseException], Any]:
        async def on_retry(attempt: int, delay: float, error: BaseException) -> None:
            log.info(
                "retrying %r (attempt %d) in %.2fs after %s",
                call,
                attempt + 1,
                delay,
                type(error).__name__,
            )
            if isinstance(call, Call):
                await self._emit("retry", call=call, attempt=attempt, delay=delay, error=error)
            else:
                await self._emit("retry", attempt=attempt, delay=delay, error=error)

        return on_retry

    async def _get_call_cache(self) -> CallCache | None:
        if not self.config.cache.enabled:
            return None
        if self._call_cache is None:
            settings = self.config.cache
            if self.cache_manager.backend is None:
                await self.cache_manager.setup_cache(
                    "calls",
                    settings.backend,
                    max_size=settings.max_size,
                    ttl=settings.ttl,
                    namespace=settings.namespace,
                    **settings.settings,
                )
            self._call_cache = CallCache(
                self.cache_manager, server=self.url, ttl=settings.ttl, on_event=self._on_cache_event
            )
        return self._call_cache

    async def _on_cache_event(self, name: str, key: str, value: Any) -> None:
        # Hits and misses are emitted by the pipeline, which knows the call.
        if name == "cache_error":
            log.warning("cache error on %s: %s", key, value)
            await self._emit(name, key=key, error=value)

    async def call_method(
        self, service: str, method: str, *args: Any, timeout: float | None = None
    ) -> Any:
        """Call a legacy RPC service method: ``call_method("db", "list")``."""
        call = ServiceCall(service=service, method=method, args=args, timeout=timeout)
        protocol = self._protocol if self._protocol and self._protocol.name == "jsonrpc" else None
        protocol = protocol or PROTOCOLS["jsonrpc"](self.transport)
        return await self._retry.run(
            call, lambda: protocol.service(call), on_retry=self._on_retry(call)
        )

    async def list_databases(self, *, timeout: float | None = None) -> list[str]:
        """Names of the server's databases (``db.list``; fails where the list is disabled)."""
        result = await self.call_method("db", "list", timeout=timeout)
        return list(result)

    def __repr__(self) -> str:
        who = f" db={self.session.db!r} uid={self.session.uid}" if self.session else ""
        return f"<ZenooClient {self.url}{who}>"


def _base_url(config: ZenooConfig) -> str:
    url = config.url
    if not url:
        host = config.host or "localhost"
        url = host
    if "://" not in url:
        port = config.port or 8069
        scheme = "https" if port == 443 else "http"
        url = f"{scheme}://{url}:{port}" if ":" not in url else f"{scheme}://{url}"
    elif config.port and urlsplit(url).port is None:
        parts = urlsplit(url)
        url = f"{parts.scheme}://{parts.hostname}:{config.port}{parts.path}"
    return url.rstrip("/")


def _has_hookimpls(obj: object) -> bool:
    marker = f"{PROJECT_NAME}_impl"
    return any(
        hasattr(getattr(obj, name, None), marker) for name in dir(obj) if name.startswith("zenoo_")
    )


def _reveal(secret: Any) -> str | None:
    if secret is None:
        return None
    getter = getattr(secret, "get_secret_value", None)
    return str(getter()) if getter else str(secret)
