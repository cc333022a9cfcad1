"""The path of one model call: cache, retry, protocol, and the events around them.

Middleware sees a call first (:meth:`CallPipeline.dispatch` composes the
chain once); the innermost handler, :meth:`CallPipeline._pipeline`, answers
reads from the cache when it can, sends through the retry policy, keeps the
cache right after writes, and emits ``call_started`` / ``call_finished`` /
``call_failed``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from zenoo_rpc.cache.call_cache import CallCache
from zenoo_rpc.call import Call, ServiceCall
from zenoo_rpc.errors import NotAuthenticated, OdooServerError, SessionExpired
from zenoo_rpc.middleware import compose
from zenoo_rpc.protocols.base import Protocol

if TYPE_CHECKING:
    from zenoo_rpc.cache.manager import CacheManager
    from zenoo_rpc.config import ZenooConfig
    from zenoo_rpc.connection import ConnectionState
    from zenoo_rpc.extensions import ExtensionState
    from zenoo_rpc.retry import RetryPolicy

__all__ = ["CallPipeline"]

log = logging.getLogger(__name__)


class CallPipeline:
    """Mixin of :class:`~zenoo_rpc.ZenooClient`: how a :class:`Call` is sent."""

    url: str
    config: ZenooConfig
    cache_manager: CacheManager
    _state: ConnectionState
    _retry: RetryPolicy
    _ext: ExtensionState

    if TYPE_CHECKING:

        @property
        def has_listeners(self) -> bool: ...

        async def _emit(self, name: str, **fields: Any) -> None: ...

    def _require_protocol(self) -> Protocol:
        protocol = self._state.protocol
        if protocol is None or self._state.session is None:
            raise NotAuthenticated("not logged in: call `await client.login(...)` first")
        return protocol

    async def dispatch(self, call: Call) -> Any:
        """Send a prepared :class:`Call` through middleware, cache, retry and protocol."""
        ext = self._ext
        handler = ext.handler
        if handler is None:
            handler = ext.handler = compose(
                [*ext.plugin_middlewares, *ext.user_middlewares], self._pipeline
            )
        return await handler(call)

    async def _pipeline(self, call: Call) -> Any:
        protocol = self._require_protocol()
        session = self._state.session
        assert session is not None
        cache = await self._get_call_cache()
        if cache is not None and call.is_read:
            entry = await cache.lookup_entry(session.db, session.uid, call)
            if self.has_listeners:
                name = "cache_hit" if entry.hit else "cache_miss"
                await self._emit(name, call=call, key=entry.key, result=entry.value)
            if entry.hit:
                return entry.value
        listeners = self.has_listeners
        if listeners:
            await self._emit("call_started", call=call)
        started = time.perf_counter()
        try:
            result = await self._retry.run(
                call, lambda: self._execute(protocol, call), on_retry=self._on_retry(call)
            )
        except BaseException as exc:
            if cache is not None and not call.is_read and not isinstance(exc, OdooServerError):
                # Cancelled, timed out, lost: the call may have run on the server.
                await cache.invalidate_after(session.db, call)
            if not isinstance(exc, Exception):
                raise
            if listeners:
                await self._emit(
                    "call_failed", call=call, error=exc, duration=time.perf_counter() - started
                )
            raise
        if cache is not None:
            if call.is_read:
                # Only under the key seen before sending: a lookup that was skipped or
                # failed has none, and storing under the generation current *now* could
                # hide a write that landed while this read was in flight.
                if entry.key is not None:
                    await cache.store(session.db, session.uid, call, result, key=entry.key)
            else:
                await cache.invalidate_after(session.db, call)
        if listeners:
            await self._emit(
                "call_finished", call=call, result=result, duration=time.perf_counter() - started
            )
        return result

    async def _execute(self, protocol: Protocol, call: Call) -> Any:
        state = self._state
        session = state.session
        try:
            return await protocol.execute(call)
        except SessionExpired:
            # Odoo checks the session before it runs the method, so the call did
            # not run: log in again (once for all calls that saw the same
            # expired session) and send it again.
            await self._emit("session_expired", call=call)
            if state.credentials is None:
                raise
            async with state.auth_lock:
                if state.session is session:
                    log.info("session expired on %s; logging in again", self.url)
                    state.session = await protocol.authenticate(state.credentials)
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

    async def invalidate_cache(
        self, model: str, *, db: str | None = None, related: bool = True
    ) -> bool:
        """Forget the cached reads of ``model``, as a write to it through this client does.

        For changes the client learns of otherwise (a bus notification, another
        program): every client sharing the cache backend stops finding them.

        :param model: the model that changed (``"res.partner"``).
        :param db: its database (default: the logged-in one, else ``database``
            from config).
        :param related: also forget the models whose reads a write to ``model``
            changes (see :data:`~zenoo_rpc.cache.call_cache.DEFAULT_RELATED`).
        :return: ``True`` when done; ``False`` when the cache is off or the
            backend failed (the client then bypasses the cache for ``model``
            until an invalidation works).
        """
        database = db or (self._state.session.db if self._state.session else None)
        database = database or self.config.database
        if not database:
            raise NotAuthenticated("invalidate_cache needs a database: log in or pass db=")
        cache = await self._get_call_cache()
        if cache is None:
            return False
        done = True
        for name in (model, *(cache.related.get(model, ()) if related else ())):
            done = await cache.invalidate(database, name) and done
        return done

    async def _get_call_cache(self) -> CallCache | None:
        if not self.config.cache.enabled:
            return None
        if self._state.call_cache is None:
            settings = self.config.cache
            if self.cache_manager.backend is None:
                await self.cache_manager.setup_cache(
                    "calls",
                    settings.backend,
                    max_size=settings.max_size,
                    ttl=settings.ttl,
                    namespace=settings.namespace,
                    # the backend's [plugins.<name>] table, then [cache.settings] over it
                    **{**self.config.plugins.get(settings.backend, {}), **settings.settings},
                )
            self._state.call_cache = CallCache(
                self.cache_manager, server=self.url, ttl=settings.ttl, on_event=self._on_cache_event
            )
        return self._state.call_cache

    async def _on_cache_event(self, name: str, key: str, value: Any) -> None:
        # Hits and misses are emitted by the pipeline, which knows the call.
        if name == "cache_error":
            log.warning("cache error on %s: %s", key, value)
            await self._emit(name, key=key, error=value)
