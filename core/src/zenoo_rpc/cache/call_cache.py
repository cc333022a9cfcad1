"""The model-call cache: answers read calls from the cache, forgets a model when it is written.

The client asks :meth:`CallCache.lookup` before sending a read call, gives the
answer to :meth:`CallCache.store` after, and calls
:meth:`CallCache.invalidate_after` once any non-read call on a model has
finished (or its outcome is unknown). Only ``call.is_read`` calls are cached.

Invalidation works by *generation*: each model has a token in the backend
(see :func:`~zenoo_rpc.cache.keys.generation_key`) that is part of every key
of its cached reads. A write replaces the token, so every earlier read of
that model stops being found by every client sharing the backend, at once.

A cache must never make a call fail: every backend error or timeout is
reported as a ``cache_error`` event and treated as a miss. If an
invalidation fails, this client stops using the cache for that model, trying
the invalidation again at each lookup, rather than serve what may be stale.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import Any, TypeVar

from zenoo_rpc.cache.keys import (
    call_fingerprint,
    decode_value,
    encode_value,
    entry_key,
    generation_key,
)
from zenoo_rpc.cache.manager import CacheManager
from zenoo_rpc.call import Call

__all__ = ["CallCache", "OnCacheEvent"]

log = logging.getLogger(__name__)

T = TypeVar("T")

#: ``on_event(name, key, value)``: ``cache_hit`` (value: the answer), ``cache_miss``
#: (None) or ``cache_error`` (the exception).
OnCacheEvent = Callable[[str, str, Any], Awaitable[None]]

Uid = int | str | None

_MISS: tuple[bool, Any] = (False, None)
_PENDING_LIMIT = 1024


def _new_token() -> int:
    """A generation token no earlier one is likely to equal, even after the backend lost it."""
    return random.getrandbits(62) | (1 << 61)


def _token_text(value: Any) -> str:
    if isinstance(value, bytes | bytearray):
        return bytes(value).decode("ascii", "replace")
    return str(value)


class CallCache:
    """Caches read calls' answers in a cache backend, keyed by server, db, uid and call.

    :param cache: a :class:`CacheManager` (its active backend is used at each
        call) or an aiocache ``BaseCache``. The backend must keep ``bytes``
        values as they are.
    :param server: identifies the server in keys (its base URL), so that clients
        of different servers can share a backend.
    :param ttl: seconds an answer stays cached (None: the backend's default).
        The only bound on staleness for changes made by other programs, or by
        writes to *other* models that change this one's computed fields.
    :param on_event: awaited on each hit, miss and backend error; its own
        errors are logged and swallowed.
    :param related: model -> models whose cached reads a write to it also
        invalidates (e.g. ``{"sale.order": ["sale.order.line"]}``).
    :param timeout: seconds before a backend operation counts as failed (None:
        the backend's own timeout).
    """

    def __init__(
        self,
        cache: CacheManager | Any,
        *,
        server: str,
        ttl: float | None = None,
        on_event: OnCacheEvent | None = None,
        related: Mapping[str, Iterable[str]] | None = None,
        timeout: float | None = None,
    ) -> None:
        self._source = cache
        self.server = server
        self.ttl = ttl
        self.on_event = on_event
        self.related = {model: tuple(others) for model, others in (related or {}).items()}
        self.timeout = timeout
        # Keys computed at lookup, so that store() files the answer under the
        # generation seen *before* the call was sent: a write that lands while
        # the read is in flight then hides the answer instead of being hidden by it.
        self._pending: OrderedDict[int, tuple[Call, str]] = OrderedDict()
        # (db, model) whose last invalidation failed: not cached until one succeeds.
        self._unsure: set[tuple[str, str]] = set()

    @property
    def backend(self) -> Any:
        """The aiocache ``BaseCache`` in use now."""
        if isinstance(self._source, CacheManager):
            return self._source.ensure_backend()
        return self._source

    # ------------------------------------------------------------------ keys

    def key(self, db: str, uid: Uid, call: Call, generation: str = "0") -> str:
        """The key of ``call``'s answer while its model's generation is ``generation``.

        Pure and stable: the same inputs give the same key in any process.
        Raises ``TypeError`` when an argument cannot be encoded.
        """
        fingerprint = call_fingerprint(self.server, db, uid, call)
        return entry_key(self.server, db, call.model, generation, fingerprint)

    async def generation(self, db: str, model: str) -> str:
        """``model``'s current generation token, created in the backend when missing.

        A missing token gets a fresh random value, never a counter restarting
        at 0, so entries from before the backend lost it are not found again.
        """
        backend = self.backend
        gkey = generation_key(self.server, db, model)
        value = await self._op(backend.get(gkey))
        if value is not None:
            return _token_text(value)
        token = _new_token()
        try:
            await self._op(backend.add(gkey, token, ttl=None))
        except ValueError:  # another client created it first
            value = await self._op(backend.get(gkey))
        except NotImplementedError:
            await self._op(backend.set(gkey, token, ttl=None))
        return _token_text(token if value is None else value)

    async def current_key(self, db: str, uid: Uid, call: Call) -> str:
        """The key ``call``'s answer has now (with its model's current generation)."""
        return self.key(db, uid, call, await self.generation(db, call.model))

    # ------------------------------------------------------------------ reads

    async def lookup(self, db: str, uid: Uid, call: Call) -> tuple[bool, Any]:
        """``(True, answer)`` when ``call``'s answer is cached, else ``(False, None)``.

        Never raises (except cancellation): a backend failure is a miss.
        """
        if not call.is_read:
            return _MISS
        if (db, call.model) in self._unsure and not await self.invalidate(db, call.model):
            return _MISS
        key = ""
        try:
            key = await self.current_key(db, uid, call)
            data = await self._op(self.backend.get(key))
            if data is not None:
                value = decode_value(data)
                await self._emit("cache_hit", key, value)
                return True, value
        except Exception as exc:
            await self._emit("cache_error", key, exc)
            return _MISS
        self._remember(call, key)
        await self._emit("cache_miss", key, None)
        return _MISS

    async def store(
        self, db: str, uid: Uid, call: Call, value: Any, *, key: str | None = None
    ) -> bool:
        """Cache ``value`` as ``call``'s answer; True when stored. Never raises.

        :param key: the key to store under. By default, the key computed by the
            :meth:`lookup` of this same ``call`` object, else the current one.
        """
        remembered = self._pending.pop(id(call), None)
        if not call.is_read or (db, call.model) in self._unsure:
            return False
        if key is None and remembered is not None and remembered[0] is call:
            key = remembered[1]
        try:
            if key is None:
                key = await self.current_key(db, uid, call)
            data = encode_value(value)
            if self.ttl is None:
                await self._op(self.backend.set(key, data))
            else:
                await self._op(self.backend.set(key, data, ttl=self.ttl))
        except Exception as exc:
            await self._emit("cache_error", key or "", exc)
            return False
        return True

    # ------------------------------------------------------------------ writes

    async def invalidate(self, db: str, model: str) -> bool:
        """Forget every cached read of ``model`` in ``db``, for every client of the backend.

        Bumps the generation: ``increment`` where the backend has it (atomic on
        Redis), else a new random token. True when it worked; on failure this
        client bypasses the cache for ``model`` until a later attempt (made at
        each lookup of that model) succeeds.
        """
        backend = self.backend
        gkey = generation_key(self.server, db, model)
        try:
            try:
                bumped = await self._op(backend.increment(gkey, 1))
            except (NotImplementedError, TypeError):
                bumped = None
            if bumped is None or bumped == 1:
                # No counter to bump (or it was just re-created at 1, a value an
                # earlier generation may have had): a fresh random token instead.
                await self._op(backend.set(gkey, _new_token(), ttl=None))
        except Exception as exc:
            self._unsure.add((db, model))
            log.warning("cache invalidation of %s failed; not caching it for now", model)
            await self._emit("cache_error", gkey, exc)
            return False
        self._unsure.discard((db, model))
        return True

    async def invalidate_after(self, db: str, call: Call) -> None:
        """Invalidate what ``call`` may have changed: its model and ``related`` ones.

        Call it after any non-read call, including one that failed with an
        unknown outcome; reads are ignored.
        """
        if call.is_read:
            return
        for model in (call.model, *self.related.get(call.model, ())):
            await self.invalidate(db, model)

    # ------------------------------------------------------------------ internals

    async def _op(self, awaitable: Awaitable[T]) -> T:
        if self.timeout is None:
            return await awaitable
        return await asyncio.wait_for(awaitable, self.timeout)

    def _remember(self, call: Call, key: str) -> None:
        self._pending[id(call)] = (call, key)
        if len(self._pending) > _PENDING_LIMIT:
            self._pending.popitem(last=False)

    async def _emit(self, name: str, key: str, value: Any) -> None:
        if name == "cache_error":
            log.debug("cache error on %s: %r", key, value)
        if self.on_event is None:
            return
        try:
            await self.on_event(name, key, value)
        except Exception:
            log.exception("cache event handler failed on %s", name)

    def __repr__(self) -> str:
        return f"CallCache(server={self.server!r}, ttl={self.ttl!r}, backend={self.backend!r})"
