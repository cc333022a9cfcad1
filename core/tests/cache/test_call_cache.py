"""CallCache: stable keys, generation invalidation across clients, failures that never escape."""

from __future__ import annotations

import asyncio
from typing import Any

import msgspec
import pytest

from zenoo_rpc.cache import (
    DEFAULT_RELATED,
    CacheLookup,
    CacheManager,
    CallCache,
    LRUMemoryCache,
    generation_key,
)
from zenoo_rpc.cache.call_cache import reads_nested_records
from zenoo_rpc.cache.keys import model_tag
from zenoo_rpc.call import Call

SERVER = "https://odoo.example.com"
READ = Call(
    model="res.partner",
    method="search_read",
    args=([["is_company", "=", True]],),
    kwargs={"fields": ["name"], "limit": 80},
    context={"lang": "en_US", "tz": "UTC"},
)


class Events:
    def __init__(self) -> None:
        self.seen: list[tuple[str, str, Any]] = []

    async def __call__(self, name: str, key: str, value: Any) -> None:
        self.seen.append((name, key, value))

    @property
    def names(self) -> list[str]:
        return [name for name, _, _ in self.seen]


class BrokenCache(LRUMemoryCache):
    """Every operation fails, like a backend whose server went away or timed out."""

    def __init__(self, error: Exception, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.error = error
        self.broken = True

    async def _get(self, key: str, encoding: Any = "utf-8", _conn: Any = None) -> Any:
        if self.broken:
            raise self.error
        return await super()._get(key, encoding)

    async def _set(
        self,
        key: str,
        value: Any,
        ttl: float | None = None,
        _cas_token: Any = None,
        _conn: Any = None,
    ) -> bool | int:
        if self.broken:
            raise self.error
        return await super()._set(key, value, ttl, _cas_token)

    async def _increment(self, key: str, delta: int, _conn: Any = None) -> int:
        if self.broken:
            raise self.error
        return await super()._increment(key, delta)


class NoIncrementCache(LRUMemoryCache):
    """A backend without atomic increment (aiocache's default for custom backends)."""

    async def _increment(self, key: str, delta: int, _conn: Any = None) -> int:
        raise NotImplementedError


def make(backend: Any = None, **kwargs: Any) -> tuple[CallCache, Events]:
    events = Events()
    cache = CallCache(
        backend if backend is not None else LRUMemoryCache(),
        server=SERVER,
        on_event=events,
        **kwargs,
    )
    return cache, events


# ---------------------------------------------------------------------------- keys


def test_key_is_stable_and_canonical() -> None:
    a, _ = make()
    b, _ = make()
    same = Call(
        model="res.partner",
        method="search_read",
        args=[[["is_company", "=", True]]],
        kwargs={"limit": 80, "fields": ["name"]},
        context={"tz": "UTC", "lang": "en_US"},
        timeout=5.0,
    )
    key = a.key("prod", 2, READ, "7")
    assert key == b.key("prod", 2, same, "7")
    tag = model_tag(SERVER, "prod", "res.partner")
    assert key.startswith(f"zenoo:{tag}:call:7:")
    assert len(key.rsplit(":", 1)[1]) == 40  # blake2b-160 hex


def _hash_tag(key: str) -> str:
    """What Redis Cluster hashes: the first ``{...}`` with something inside."""
    start = key.index("{")
    return key[start + 1 : key.index("}", start + 1)]


@pytest.mark.parametrize(
    ("db", "model"), [("prod", "res.partner"), ("we{ird}", "x.y"), ("prod", "sale.order.line")]
)
def test_a_models_generation_and_entries_share_one_hash_tag(db: str, model: str) -> None:
    cache, _ = make()
    call = Call(model=model, method="search_read", args=([],))
    gen = generation_key(SERVER, db, model)
    entry = cache.key(db, 2, call, "12345")
    assert _hash_tag(gen) == _hash_tag(entry) == model_tag(SERVER, db, model).strip("{}")
    others = {
        _hash_tag(generation_key(SERVER, db, "res.users")),
        _hash_tag(generation_key("https://other.example.com", db, model)),
        _hash_tag(generation_key(SERVER, db + "2", model)),
    }
    assert _hash_tag(gen) not in others


@pytest.mark.parametrize(
    ("db", "uid", "call", "generation", "server"),
    [
        ("other", 2, READ, "7", SERVER),
        ("prod", 3, READ, "7", SERVER),
        ("prod", None, READ, "7", SERVER),
        ("prod", 2, READ, "8", SERVER),
        ("prod", 2, READ, "7", "https://other.example.com"),
        (
            "prod",
            2,
            Call(
                model=READ.model,
                method=READ.method,
                args=READ.args,
                kwargs=READ.kwargs,
                context={**READ.context, "lang": "fr_FR"},
            ),
            "7",
            SERVER,
        ),
        (
            "prod",
            2,
            Call(
                model=READ.model,
                method=READ.method,
                args=([],),
                kwargs=READ.kwargs,
                context=READ.context,
            ),
            "7",
            SERVER,
        ),
        (
            "prod",
            2,
            Call(
                model=READ.model,
                method=READ.method,
                args=READ.args,
                kwargs={"fields": ["name"], "limit": 81},
                context=READ.context,
            ),
            "7",
            SERVER,
        ),
        (
            "prod",
            2,
            Call(
                model=READ.model,
                method="search_count",
                args=READ.args,
                context=READ.context,
                kwargs=READ.kwargs,
            ),
            "7",
            SERVER,
        ),
        (
            "prod",
            2,
            Call(
                model="res.users",
                method=READ.method,
                args=READ.args,
                kwargs=READ.kwargs,
                context=READ.context,
            ),
            "7",
            SERVER,
        ),
    ],
    ids=[
        "db",
        "uid",
        "no-uid",
        "generation",
        "server",
        "context",
        "args",
        "kwargs",
        "method",
        "model",
    ],
)
def test_key_changes_with_everything_that_changes_the_answer(
    db: str, uid: int | None, call: Call, generation: str, server: str
) -> None:
    base = CallCache(LRUMemoryCache(), server=SERVER).key("prod", 2, READ, "7")
    assert CallCache(LRUMemoryCache(), server=server).key(db, uid, call, generation) != base


# ---------------------------------------------------------------------------- lookup / store


async def test_miss_store_hit_with_events() -> None:
    cache, events = make()
    assert await cache.lookup("prod", 2, READ) == (False, None)
    answer = [{"id": 1, "name": "Azure"}]
    assert await cache.store("prod", 2, READ, answer)
    hit, value = await cache.lookup("prod", 2, READ)
    assert (hit, value) == (True, answer)
    assert events.seen[1][2] == answer
    value.append("mutated")
    assert (await cache.lookup("prod", 2, READ))[1] == answer
    assert events.names == ["cache_miss", "cache_hit", "cache_hit"]
    miss_key, hit_key = events.seen[0][1], events.seen[1][1]
    assert miss_key == hit_key == await cache.current_key("prod", 2, READ)


async def test_none_and_empty_answers_are_cached() -> None:
    cache, _ = make()
    count = Call(model="res.partner", method="search_count", args=([],))
    answer: Any
    for answer in (0, [], None, False):
        await cache.store("prod", 2, count, answer)
        assert await cache.lookup("prod", 2, count) == (True, answer)


async def test_only_read_calls_are_cached() -> None:
    cache, events = make()
    write = Call(model="res.partner", method="write", args=([1], {"name": "x"}))
    assert await cache.lookup("prod", 2, write) == (False, None)
    assert not await cache.store("prod", 2, write, True)
    assert await cache.lookup("prod", 2, write) == (False, None)
    assert events.seen == []


async def test_write_invalidates_reads_of_the_model_only() -> None:
    cache, _ = make()
    countries = Call(model="res.country", method="search_read", args=([],))
    await cache.store("prod", 2, READ, [1])
    await cache.store("prod", 2, countries, [2])
    await cache.invalidate_after("prod", Call(model="res.partner", method="create", args=({},)))
    assert await cache.lookup("prod", 2, READ) == (False, None)
    assert await cache.lookup("prod", 2, countries) == (True, [2])


@pytest.mark.parametrize(
    ("written", "also_stale"),
    [
        ("sale.order", "sale.order.line"),
        ("sale.order.line", "sale.order"),
        ("purchase.order", "purchase.order.line"),
        ("purchase.order.line", "purchase.order"),
        ("account.move", "account.move.line"),
        ("account.move.line", "account.move"),
        ("stock.picking", "stock.move"),
        ("stock.move", "stock.picking"),
        ("res.partner", "res.users"),
        ("res.users", "res.partner"),
    ],
)
async def test_default_related_models_are_invalidated_with_the_written_one(
    written: str, also_stale: str
) -> None:
    cache, _ = make()  # related=None: DEFAULT_RELATED
    other = Call(model=also_stale, method="search_read", args=([],))
    await cache.store("prod", 2, other, [{"id": 1, "amount_total": 10.0}])
    await cache.invalidate_after("prod", Call(model=written, method="write", args=([1], {})))
    assert await cache.lookup("prod", 2, other) == (False, None)
    assert also_stale in DEFAULT_RELATED[written]


async def test_related_can_be_turned_off_or_replaced() -> None:
    lines = Call(model="sale.order.line", method="read", args=([1],))
    write_order = Call(model="sale.order", method="write", args=([1], {"note": "x"}))
    off, _ = make(related={})
    await off.store("prod", 2, lines, [{"id": 1}])
    await off.invalidate_after("prod", write_order)
    assert await off.lookup("prod", 2, lines) == (True, [{"id": 1}])
    custom, _ = make(related={"x.project": ["x.task"]})
    assert custom.related == {"x.project": ("x.task",)}
    await custom.store("prod", 2, lines, [{"id": 1}])
    await custom.invalidate_after("prod", write_order)
    assert await custom.lookup("prod", 2, lines) == (True, [{"id": 1}])


def test_default_related_is_read_only_and_names_pairs_both_ways() -> None:
    with pytest.raises(TypeError):
        DEFAULT_RELATED["x.model"] = ("y.model",)  # type: ignore[index]
    for model, others in DEFAULT_RELATED.items():
        assert isinstance(others, tuple)
        for other in others:
            assert model in DEFAULT_RELATED.get(other, ()), (model, other)


async def test_any_non_read_call_invalidates_and_related_models_follow() -> None:
    cache, _ = make(related={"sale.order": ["sale.order.line"]})
    lines = Call(model="sale.order.line", method="read", args=([1],))
    await cache.store("prod", 2, lines, [{"id": 1}])
    await cache.invalidate_after("prod", Call(model="sale.order", method="search", args=([],)))
    assert (await cache.lookup("prod", 2, lines))[0]  # a read changes nothing
    await cache.invalidate_after("prod", Call(model="sale.order", method="custom_confirm"))
    assert await cache.lookup("prod", 2, lines) == (False, None)


async def test_generation_lives_in_the_backend_shared_by_two_clients() -> None:
    backend = LRUMemoryCache()
    one = CallCache(backend, server=SERVER)
    two = CallCache(backend, server=SERVER)
    await one.store("prod", 2, READ, ["old"])
    assert await two.lookup("prod", 2, READ) == (True, ["old"])
    await two.invalidate("prod", "res.partner")
    assert await one.lookup("prod", 2, READ) == (False, None)
    assert await backend.exists(generation_key(SERVER, "prod", "res.partner"))


async def test_lookup_entry_gives_the_key_of_a_miss_and_of_a_hit() -> None:
    cache, events = make()
    miss = await cache.lookup_entry("prod", 2, READ)
    assert miss == CacheLookup(hit=False, value=None, key=await cache.current_key("prod", 2, READ))
    assert events.seen == [("cache_miss", miss.key, None)]
    assert miss.key is not None
    assert await cache.store("prod", 2, READ, [{"id": 7}], key=miss.key)
    hit = await cache.lookup_entry("prod", 2, READ)
    assert hit == CacheLookup(hit=True, value=[{"id": 7}], key=miss.key)
    assert events.seen[-1] == ("cache_hit", miss.key, [{"id": 7}])
    assert await cache.lookup("prod", 2, READ) == (True, [{"id": 7}])
    with pytest.raises(AttributeError):
        hit.hit = False  # type: ignore[misc]
    assert isinstance(hit, msgspec.Struct)


async def test_lookup_entry_without_a_key() -> None:
    cache, _ = make()
    write = Call(model="res.partner", method="write", args=([1], {}))
    assert await cache.lookup_entry("prod", 2, write) == CacheLookup(hit=False)
    broken, _ = make(BrokenCache(ConnectionError("down")))
    assert await broken.lookup_entry("prod", 2, READ) == CacheLookup(hit=False)


async def test_store_with_the_lookup_entry_key_ignores_a_write_during_the_read() -> None:
    backend = LRUMemoryCache()
    reader, _ = make(backend)
    writer, _ = make(backend)
    entry = await reader.lookup_entry("prod", 2, READ)
    await writer.invalidate("prod", "res.partner")  # a write lands while the read is in flight
    # an equal but distinct Call object: only the key carries the old generation
    same = msgspec.structs.replace(READ)
    assert same is not READ
    assert await reader.store("prod", 2, same, ["stale"], key=entry.key)
    assert await reader.lookup("prod", 2, READ) == (False, None)


async def test_store_uses_the_generation_seen_before_the_call_was_sent() -> None:
    backend = LRUMemoryCache()
    reader, _ = make(backend)
    writer, _ = make(backend)
    assert await reader.lookup("prod", 2, READ) == (False, None)
    await writer.invalidate("prod", "res.partner")  # a write lands while the read is in flight
    await reader.store("prod", 2, READ, ["stale"])
    assert await reader.lookup("prod", 2, READ) == (False, None)


async def test_lost_generation_never_resurrects_old_entries() -> None:
    backend = LRUMemoryCache()
    cache, _ = make(backend)
    await cache.store("prod", 2, READ, ["v1"])
    gkey = generation_key(SERVER, "prod", "res.partner")
    await backend.delete(gkey)  # evicted, or the backend restarted
    assert await cache.lookup("prod", 2, READ) == (False, None)
    await backend.delete(gkey)
    await cache.invalidate("prod", "res.partner")  # increment re-creates it: not at 1
    assert await backend.get(gkey) != 1


async def test_backend_without_increment_gets_a_new_token() -> None:
    backend = NoIncrementCache()
    cache, events = make(backend)
    await cache.store("prod", 2, READ, ["v1"])
    before = await cache.generation("prod", "res.partner")
    assert await cache.invalidate("prod", "res.partner")
    assert await cache.generation("prod", "res.partner") != before
    assert await cache.lookup("prod", 2, READ) == (False, None)
    assert "cache_error" not in events.names


async def test_works_over_a_cache_manager_with_ttl() -> None:
    manager = CacheManager()
    await manager.setup_memory_cache(name="calls", max_size=100)
    cache = CallCache(manager, server=SERVER, ttl=60)
    await cache.store("prod", 2, READ, [1])
    assert await cache.lookup("prod", 2, READ) == (True, [1])
    assert cache.backend is manager.backend


# ---------------------------------------------------------------------------- failures


@pytest.mark.parametrize(
    "error", [ConnectionError("redis down"), asyncio.TimeoutError(), RuntimeError("bug")]
)
async def test_failing_backend_never_raises_and_reports(error: Exception) -> None:
    backend = BrokenCache(error)
    cache, events = make(backend)
    assert await cache.lookup("prod", 2, READ) == (False, None)
    assert not await cache.store("prod", 2, READ, [1])
    assert not await cache.invalidate("prod", "res.partner")
    assert events.names == ["cache_error", "cache_error", "cache_error"]
    assert all(value is error for _, _, value in events.seen)
    assert events.seen[2][1] == generation_key(SERVER, "prod", "res.partner")


async def test_failed_invalidation_bypasses_the_model_until_it_succeeds() -> None:
    backend = BrokenCache(ConnectionError("flaky"))
    backend.broken = False
    cache, _ = make(backend)
    await cache.store("prod", 2, READ, ["before write"])
    backend.broken = True
    assert not await cache.invalidate("prod", "res.partner")
    backend.broken = False  # back, but the generation was never bumped
    await cache.store("prod", 2, READ, ["still stale?"])
    # the lookup retries the invalidation first, so the old answer is never served
    assert await cache.lookup("prod", 2, READ) == (False, None)
    await cache.store("prod", 2, READ, ["fresh"])
    assert await cache.lookup("prod", 2, READ) == (True, ["fresh"])


async def test_undecodable_entry_and_unencodable_values_are_misses() -> None:
    backend = LRUMemoryCache()
    cache, events = make(backend)
    await backend.set(await cache.current_key("prod", 2, READ), "not msgpack bytes")
    assert await cache.lookup("prod", 2, READ) == (False, None)
    assert not await cache.store("prod", 2, READ, object())
    odd = Call(model="res.partner", method="read", args=(object(),))
    assert await cache.lookup("prod", 2, odd) == (False, None)
    assert events.names == ["cache_error", "cache_error", "cache_error"]


async def test_timeout_option_turns_a_hanging_backend_into_a_miss() -> None:
    class Hanging(LRUMemoryCache):
        async def _get(self, key: str, encoding: Any = "utf-8", _conn: Any = None) -> Any:
            await asyncio.Event().wait()

    cache, events = make(Hanging(), timeout=0)  # 0: expires at the first await
    assert await cache.lookup("prod", 2, READ) == (False, None)
    assert events.names == ["cache_error"]
    assert isinstance(events.seen[0][2], asyncio.TimeoutError)


async def test_a_failing_event_handler_is_swallowed() -> None:
    async def explode(name: str, key: str, value: Any) -> None:
        raise RuntimeError("handler bug")

    cache = CallCache(LRUMemoryCache(), server=SERVER, on_event=explode)
    assert await cache.lookup("prod", 2, READ) == (False, None)
    assert await cache.store("prod", 2, READ, [1])
    assert await cache.lookup("prod", 2, READ) == (True, [1])


async def test_a_lost_bump_is_not_repeated_by_the_next_one() -> None:
    """After a failover loses a bump, the next bump must not reuse the lost generation."""
    backend = LRUMemoryCache()
    cache, _ = make(backend)
    gkey = generation_key(SERVER, "prod", "res.partner")
    before = await cache.generation("prod", "res.partner")
    assert await cache.invalidate("prod", "res.partner")
    lost = await cache.generation("prod", "res.partner")
    await backend.set(gkey, int(before), ttl=None)  # the promoted replica never saw the bump
    assert await cache.invalidate("prod", "res.partner")
    assert await cache.generation("prod", "res.partner") not in (before, lost)


@pytest.mark.parametrize(
    ("method", "specification", "nested"),
    [
        ("web_search_read", {"name": {}}, False),
        ("web_search_read", {"partner_id": {"fields": {"display_name": {}}}}, False),
        ("web_search_read", {"partner_id": {"fields": {"email": {}}}}, True),
        (
            "web_read",
            {"order_line": {"fields": {"product_id": {"fields": {"display_name": {}}}}}},
            True,
        ),
        ("search_read", {"partner_id": {"fields": {"email": {}}}}, False),
    ],
)
async def test_reads_of_other_models_through_a_specification_are_not_cached(
    method: str, specification: dict[str, Any], nested: bool
) -> None:
    """The cache cannot know the comodels a nested specification reads, so no write could
    invalidate such an answer: it must never be served from the cache."""
    call = Call(model="sale.order", method=method, kwargs={"specification": specification})
    assert reads_nested_records(call) is nested
    cache, _ = make(LRUMemoryCache())
    assert await cache.store("prod", 2, call, [{"id": 1}]) is not nested
    assert (await cache.lookup("prod", 2, call))[0] is not nested
