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
from collections.abc import Awaitable, Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

import msgspec

from zenoo_rpc.cache.manager import CacheManager
from zenoo_rpc.call import Call, ServiceCall
from zenoo_rpc.config import CacheConfig, ConfigProvider, RetryConfig, ZenooConfig, load_config
from zenoo_rpc.config.secret import reveal
from zenoo_rpc.connection import ConnectionState, redact_url, select_transport, server_url
from zenoo_rpc.errors import ConfigError, ZenooError
from zenoo_rpc.extensions import ClientExtensions
from zenoo_rpc.methods import ModelMethods
from zenoo_rpc.models.access import ModelAccess
from zenoo_rpc.operations.mixin import Operations
from zenoo_rpc.pipeline import CallPipeline
from zenoo_rpc.plugins import PluginHost
from zenoo_rpc.protocols import PROTOCOLS
from zenoo_rpc.protocols.base import Credentials, Protocol, ServerVersion, Session
from zenoo_rpc.protocols.second_factor import TotpSource
from zenoo_rpc.protocols.selection import choose_protocol, legacy_deprecation
from zenoo_rpc.protocols.web import WebSessionProtocol
from zenoo_rpc.retry import CircuitBreaker, CircuitState, RetryPolicy, select_strategy
from zenoo_rpc.transports.base import Transport, TransportOptions

__all__ = ["ZenooClient"]

log = logging.getLogger(__name__)


class ZenooClient(CallPipeline, ClientExtensions, ModelMethods, ModelAccess, Operations):
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
        self.url = server_url(config)
        self._http_client = http_client
        self.plugins = PluginHost()
        self.plugins.load(config.plugins.enabled)
        self._state = ConnectionState()
        self._context_overrides: dict[str, Any] = {}
        self._owner = True
        self._init_extensions()
        self._init_model_access()
        self.cache_manager = CacheManager(backends=self.plugins.cache_backends)
        self._retry = self._build_retry_policy()

    # Connection state lives in one object shared with ``with_context`` views.

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

    @property
    def credentials(self) -> Credentials | None:
        """What the current login used (database, login, password or API key), or ``None``.

        For plugins that open a session of their own as the same user (the bus
        websocket needs a web session). Their repr hides the secret; never log
        or store ``credentials.secret``.
        """
        return self._state.credentials

    # ------------------------------------------------------------------ construction

    @classmethod
    async def from_config_provider(cls, provider: ConfigProvider, **overrides: Any) -> ZenooClient:
        """Build a client from a provider whose ``await load_config()`` returns a mapping."""
        data = dict(await provider.load_config())
        data.update({k: v for k, v in overrides.items() if v is not None})
        return cls(config=ZenooConfig.from_mapping(data, source=type(provider).__name__))

    def _build_retry_policy(self) -> RetryPolicy:
        settings = self.config.retry
        strategy = select_strategy(
            settings.strategy,
            self.plugins.retry_strategies().values(),
            {
                "base_delay": settings.base_delay,
                "max_delay": settings.max_delay,
                "jitter": settings.jitter,
                **settings.settings,
            },
        )
        breaker = None
        if settings.circuit_breaker.enabled:
            breaker = CircuitBreaker(
                failure_threshold=settings.circuit_breaker.failure_threshold,
                reset_timeout=settings.circuit_breaker.reset_timeout,
                on_state_change=self._on_circuit_change,
            )
        return RetryPolicy(strategy, settings.max_attempts, breaker=breaker)

    async def _on_circuit_change(self, state: CircuitState) -> None:
        log.warning("circuit breaker for %s is now %s", self.redacted_url, state.value)
        if state is CircuitState.OPEN:
            await self._emit("circuit_opened", data={"url": self.redacted_url})
        elif state is CircuitState.CLOSED:
            await self._emit("circuit_closed", data={"url": self.redacted_url})

    # ------------------------------------------------------------------ lifecycle

    async def __aenter__(self) -> ZenooClient:
        await self.open()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    async def open(self) -> None:
        """Create the transport. Called by ``async with``; other calls do it when needed."""
        if self._state.transport is None:
            self._state.transport = self._make_transport()

    def _make_transport(self) -> Transport:
        name = self.config.transport or ("httpx" if self._http_client is not None else None)
        spec = select_transport(self.plugins.transports(), self.url, name)
        log.debug("transport %s for %s", spec.name, self.redacted_url)
        return spec.factory(
            TransportOptions(
                base_url=self.url,
                timeout=self.config.timeout,
                verify_ssl=self.config.verify_ssl,
                client=self._http_client,
                settings=reveal(self.config.plugins.get(spec.name, {})),
            )
        )

    async def close(self) -> None:
        """Log out of a web session and release connections and cache backends. Idempotent.

        Each step runs even when an earlier one fails; the first failure is raised
        after all of them.
        """
        if not self._owner:
            return
        state = self._state
        protocol, transport = state.protocol, state.transport
        state.protocol = state.session = state.transport = None
        try:
            if protocol is not None:
                try:
                    await protocol.logout()
                except ZenooError as exc:
                    log.debug("logout failed: %s", exc)
        finally:
            try:
                if transport is not None:
                    await transport.aclose()
            finally:
                try:
                    await self.cache_manager.close()
                finally:
                    await self._emit("closed")

    @property
    def transport(self) -> Transport:
        if self._state.transport is None:
            self._state.transport = self._make_transport()
        return self._state.transport

    @property
    def redacted_url(self) -> str:
        """The server URL without any user or password it may carry (for logs and repr)."""
        return redact_url(self.url)

    @property
    def host(self) -> str:
        return urlsplit(self.url).hostname or self.url

    @property
    def is_authenticated(self) -> bool:
        return self.session is not None and self._state.protocol is not None

    @property
    def uid(self) -> int | None:
        return self.session.uid if self.session else None

    @property
    def database(self) -> str | None:
        return self.session.db if self.session else self.config.database

    @property
    def protocol(self) -> str | None:
        """Name of the protocol in use after login (``json2``, ``jsonrpc`` or ``web``)."""
        return self._state.protocol.name if self._state.protocol else None

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
        probe = self._state.protocol or PROTOCOLS["web"](self.transport)
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
        totp: TotpSource | None = None,
    ) -> Session:
        """Authenticate and load the user's context; return the session.

        Raises :class:`~zenoo_rpc.errors.AccessDenied` for wrong credentials.
        ``protocol="auto"`` uses JSON-2 on Odoo 19+ with an API key, else legacy
        JSON-RPC, and logs the choice.

        ``totp`` supplies the code of a user with two-factor authentication: a
        function (or coroutine function) returning the current 6-digit code,
        called when the server asks for it (and again on a later re-login).
        2FA logins happen in a web session, so with a password ``"auto"`` then
        picks the web protocol. Without ``totp`` such a login raises
        :class:`~zenoo_rpc.errors.TwoFactorRequired`; a wrong code raises
        :class:`~zenoo_rpc.errors.AccessDenied`. API keys (JSON-RPC, JSON-2)
        skip 2FA, as Odoo designed them to.
        """
        cfg = self.config
        database = database or cfg.database
        username = username or cfg.username
        if password is None and api_key is None:
            api_key = reveal(cfg.api_key)
            password = reveal(cfg.password) if api_key is None else None
        if not database or not username or not (password or api_key):
            raise ConfigError(
                "login needs a database, a username and a password or API key "
                "(arguments, ZENOO_DATABASE / ZENOO_USERNAME / ZENOO_PASSWORD / ZENOO_API_KEY, "
                "or zenoo.toml)"
            )
        credentials = Credentials(db=database, login=username, password=password, api_key=api_key)
        protocol = await self._choose_protocol(
            credentials, timeout=timeout, second_factor=totp is not None
        )
        if totp is not None and isinstance(protocol, WebSessionProtocol):
            protocol.second_factor = totp
        started = time.perf_counter()
        # Logging in changes nothing that a second login would not redo: retried
        # like a read, so a dropped connection during login is not fatal.
        session = await self._retry.run(
            ServiceCall(service="common", method="authenticate"),
            lambda: protocol.authenticate(credentials, timeout=timeout),
            on_retry=self._on_retry(ServiceCall(service="common", method="authenticate")),
        )
        previous = self._state.protocol
        self._state.protocol = protocol
        self._state.credentials = credentials
        self.session = session
        if previous is not None and previous is not protocol:
            await _quietly(previous.logout())  # do not leave a web session behind
        if self.server_version is None:
            self.server_version = session.server_version
            await self._emit(
                "connection_established",
                duration=time.perf_counter() - started,
                data={"server_version": getattr(session.server_version, "server_version", None)},
            )
        log.info(
            "logged in to %s db=%s as %s (uid %s) over %s",
            self.redacted_url,
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
        self, credentials: Credentials, *, timeout: float | None, second_factor: bool = False
    ) -> Protocol:
        wanted = self.config.protocol
        major = None
        if second_factor and wanted == "auto" and credentials.password:
            name, reason = "web", "a two-factor login (totp=) happens in a web session"
        else:
            if wanted in ("auto", "jsonrpc"):
                major = (await self.version(timeout=timeout)).major
            name, reason = choose_protocol(wanted, major, has_api_key=bool(credentials.api_key))
        log.info("protocol %s for %s: %s", name, self.redacted_url, reason)
        await self._emit("protocol_selected", data={"protocol": name, "reason": reason})
        message = legacy_deprecation(name, major)
        if message is not None:
            warnings.warn(message, DeprecationWarning, stacklevel=4)
            await self._emit("deprecation", data={"message": message})
        return PROTOCOLS[name](self.transport)

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

    async def call_method(
        self, service: str, method: str, *args: Any, timeout: float | None = None
    ) -> Any:
        """Call a legacy RPC service method: ``call_method("db", "list")``."""
        call = ServiceCall(service=service, method=method, args=args, timeout=timeout)
        protocol = (
            self._state.protocol
            if self._state.protocol and self._state.protocol.name == "jsonrpc"
            else None
        )
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
        return f"<ZenooClient {self.redacted_url}{who}>"


async def _quietly(awaitable: Awaitable[None]) -> None:
    try:
        await awaitable
    except ZenooError as exc:
        log.debug("ignored while replacing a login: %s", exc)
