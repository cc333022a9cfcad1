"""The model-call cache: answers read calls from the cache, forgets a model when it is written.

The client asks :meth:`CallCache.lookup_entry` (or :meth:`CallCache.lookup`)
before sending a read call, gives the answer to :meth:`CallCache.store` after
(with the key the lookup returned), and calls
:meth:`CallCache.invalidate_after` once any non-read call on a model has
finished (or its outcome is unknown). Only ``call.is_read`` calls are cached.

Invalidation works by *generation*: each model has a token in the backend
(see :func:`~zenoo_rpc.cache.keys.generation_key`) that is part of every key
of its cached reads. A write replaces the token, so every earlier read of
that model stops being found by every client sharing the backend, at once.
A write also invalidates its ``related`` models (:data:`DEFAULT_RELATED` unless
told otherwise), whose cached reads it changes through x2many commands or
stored computed fields.

A cache must never make a call fail: every backend error or timeout is
reported as a ``cache_error`` event and treated as a miss. If an
invalidation fails, this client stops using the cache for that model, trying
the invalidation again at each lookup, rather than serve what may be stale.
"""

from __future__ import annotations

import asyncio
import logging
import random
import types
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import Any, TypeVar

import msgspec

from zenoo_rpc.cache.keys import (
    call_fingerprint,
    decode_value,
    encode_value,
    entry_key,
    generation_key,
)
from zenoo_rpc.cache.manager import CacheManager
from zenoo_rpc.call import Call

__all__ = ["DEFAULT_RELATED", "CacheLookup", "CallCache", "OnCacheEvent", "reads_nested_records"]

log = logging.getLogger(__name__)

T = TypeVar("T")

#: ``on_event(name, key, value)``: ``cache_hit`` (value: the answer), ``cache_miss``
#: (None) or ``cache_error`` (the exception).
OnCacheEvent = Callable[[str, str, Any], Awaitable[None]]

Uid = int | str | None

#: Odoo's parent/line pairs, and the partner/user pair, whose writes change
#: the *other* model's cached reads. Used when ``CallCache(related=None)``.
#:
#: * ``sale.order``, ``purchase.order``, ``account.move``: writing the parent
#:   with x2many commands (``order_line: [(0, 0, {...})]``, ``line_ids``,
#:   ``invoice_line_ids``) creates, changes and deletes lines; writing a line
#:   recomputes the parent's stored totals (``amount_total``, ``amount_untaxed``,
#:   ``amount_residual``...) and states.
#: * ``stock.picking`` / ``stock.move``: a picking's ``move_ids`` are written
#:   through it and its actions (``action_confirm``, ``button_validate``)
#:   change its moves' states and quantities; a move's state drives the
#:   picking's computed ``state``.
#: * ``res.partner`` / ``res.users``: every user *is* a partner (``_inherits``),
#:   so writing a user's ``name``, ``email``, ``lang``... writes its partner, and
#:   writing the partner changes what reading the user returns.
#:
#: The TTL still bounds staleness for every other indirect dependency. Pass
#: ``related={}`` to invalidate only the written model, or a mapping of your
#: own (merged with ``DEFAULT_RELATED`` if you want both) for custom modules.
DEFAULT_RELATED: Mapping[str, tuple[str, ...]] = types.MappingProxyType(
    {
        "sale.order": ("sale.order.line",),
        "sale.order.line": ("sale.order",),
        "purchase.order": ("purchase.order.line",),
        "purchase.order.line": ("purchase.order",),
        "account.move": ("account.move.line",),
        "account.move.line": ("account.move",),
        "stock.picking": ("stock.move",),
        "stock.move": ("stock.picking",),
        "res.partner": ("res.users",),
        "res.users": ("res.partner",),
    }
)

_PENDING_LIMIT = 1024


def reads_nested_records(call: Call) -> bool:
    """True for a ``web_read`` / ``web_search_read`` whose specification reads other models.

    Such an answer depends on records of models the cache cannot name (the
    specification gives field names, not comodels), so a write to them could
    not invalidate it: it is never cached. A nested ``display_name`` alone is
    cached, like the ``[id, name]`` pairs of a plain ``search_read``.
    """
    if call.method not in ("web_read", "web_search_read"):
        return False
    spec = call.kwargs.get("specification")
    if spec is None and call.args:
        spec = call.args[-1] if call.method == "web_read" else None
    return isinstance(spec, Mapping) and _nests_fields(spec)


def _nests_fields(spec: Mapping[str, Any]) -> bool:
    for sub in spec.values():
        if isinstance(sub, Mapping):
            fields = sub.get("fields")
            if isinstance(fields, Mapping) and set(fields) - {"display_name"}:
                return True
    return False


def _new_token() -> int:
    """A generation token no earlier one is likely to equal, even after the backend lost it."""
    return random.getrandbits(62) | (1 << 61)


def _token_text(value: Any) -> str:
    if isinstance(value, bytes | bytearray):
        return bytes(value).decode("ascii", "replace")
    return str(value)


class CacheLookup(msgspec.Struct, frozen=True):
    """What :meth:`CallCache.lookup_entry` found.

    :ivar hit: True when ``value`` is the cached answer.
    :ivar value: the cached answer on a hit, else None.
    :ivar key: the entry's key: the one found on a hit, the one to give
        :meth:`CallCache.store` on a miss (computed with the generation seen
        *before* the call is sent). None when no key could be computed (not a
        read, the model's invalidation is pending, or a backend error).
    """

    hit: bool
    value: Any = None
    key: str | None = None


_NO_ENTRY = CacheLookup(hit=False)


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
        invalidates (e.g. ``{"sale.order": ["sale.order.line"]}``). None:
        :data:`DEFAULT_RELATED`; ``{}``: only the written model.
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
        self.related = {
            model: tuple(others)
            for model, others in (DEFAULT_RELATED if related is None else related).items()
        }
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

        Never raises (except cancellation): a backend failure is a miss. Same
        as :meth:`lookup_entry` without the key.
        """
        entry = await self.lookup_entry(db, uid, call)
        return entry.hit, entry.value

    async def lookup_entry(self, db: str, uid: Uid, call: Call) -> CacheLookup:
        """Look ``call``'s answer up, and say under which key.

        On a miss, pass ``key`` to :meth:`store` with the answer: it was
        computed with the model's generation seen now, before the call is
        sent, so a write that lands while the read is in flight hides the
        answer instead of being hidden by it. (:meth:`store` also finds that
        key by itself when given the same ``call`` object.)

        Never raises (except cancellation): a backend failure is a miss.
        """
        if not call.is_read or reads_nested_records(call):
            return _NO_ENTRY
        if (db, call.model) in self._unsure and not await self.invalidate(db, call.model):
            return _NO_ENTRY
        key = ""
        try:
            key = await self.current_key(db, uid, call)
            data = await self._op(self.backend.get(key))
            if data is not None:
                value = decode_value(data)
                await self._emit("cache_hit", key, value)
                return CacheLookup(hit=True, value=value, key=key)
        except Exception as exc:
            await self._emit("cache_error", key, exc)
            return _NO_ENTRY
        self._remember(call, key)
        await self._emit("cache_miss", key, None)
        return CacheLookup(hit=False, key=key)

    async def store(
        self, db: str, uid: Uid, call: Call, value: Any, *, key: str | None = None
    ) -> bool:
        """Cache ``value`` as ``call``'s answer; True when stored. Never raises.

        :param key: the key to store under: the ``key`` of the
            :meth:`lookup_entry` made before sending ``call``. By default, the
            key computed by the lookup of this same ``call`` object, else the
            current one.
        """
        remembered = self._pending.pop(id(call), None)
        if not call.is_read or reads_nested_records(call) or (db, call.model) in self._unsure:
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
            # A random step, not 1: if a bump is lost (a Redis master failing over
            # before replicating it), the next bump must not land on the number the
            # lost one had, under which other clients may have cached answers.
            # (Small enough that a 64-bit counter takes billions of bumps to overflow.)
            step = random.randint(2, 1 << 31)
            try:
                bumped = await self._op(backend.increment(gkey, step))
            except (NotImplementedError, TypeError):
                bumped = None
            if bumped is None or bumped == step:
                # No counter to bump (or it was just re-created from nothing, a value
                # unrelated to earlier generations): a fresh random token instead.
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
