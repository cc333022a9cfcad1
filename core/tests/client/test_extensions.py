"""Middleware, events, seed-style plugins and the read cache, on a live client."""

from __future__ import annotations

from typing import Any

import pytest

from zenoo_rpc import Call, Event, ZenooClient, hookimpl
from zenoo_rpc.cache.call_cache import CallCache
from zenoo_rpc.errors import CircuitOpenError, ModelNotFound, PluginError, ProtocolError
from zenoo_rpc.middleware import Handler
from zenoo_rpc.testing.emulator.server import Emulator


async def _client(emulator: Emulator, **options: Any) -> ZenooClient:
    client = ZenooClient(emulator.memory_url, plugins=[], **options)
    await client.login("demo", "admin", "admin")
    return client


async def test_middlewares_run_in_order_and_can_change_calls(odoo_emulator: Emulator) -> None:
    client = await _client(odoo_emulator)
    seen: list[str] = []

    async def outer(call: Call, call_next: Handler) -> Any:
        seen.append(f"outer>{call.method}")
        result = await call_next(call)
        seen.append("outer<")
        return result

    async def force_limit(call: Call, call_next: Handler) -> Any:
        seen.append("inner>")
        if call.method == "search":
            call = Call(
                model=call.model,
                method=call.method,
                args=call.args,
                kwargs={**call.kwargs, "limit": 2},
                context=call.context,
            )
        return await call_next(call)

    client.add_middleware(outer)
    client.add_middleware(force_limit)
    assert len(await client.search("res.partner", [])) == 2
    assert seen == ["outer>search", "inner>", "outer<"]
    await client.close()


async def test_seed_style_middleware_and_plugin_objects(odoo_emulator: Emulator) -> None:
    client = await _client(odoo_emulator)

    class LoggingMiddleware:
        def __init__(self) -> None:
            self.requests: list[str] = []

        async def process_request(self, request: dict[str, Any]) -> dict[str, Any]:
            self.requests.append(request["method"])
            return request

        async def process_response(self, response: dict[str, Any]) -> dict[str, Any]:
            return {"result": response["result"] + 1000}

    class AuditPlugin:
        def __init__(self) -> None:
            self.audit_log: list[dict[str, Any]] = []

        async def before_request(self, method: str, params: dict[str, Any]) -> None:
            self.audit_log.append({"type": "request", "method": method})

        async def after_response(self, method: str, response: dict[str, Any]) -> None:
            self.audit_log.append({"type": "response", "method": method})

        def get_audit_log(self) -> list[dict[str, Any]]:
            return list(self.audit_log)

    middleware, plugin = LoggingMiddleware(), AuditPlugin()
    client.add_middleware(middleware)
    client.register_plugin(plugin)
    count = await client.search_count("res.partner", [])
    assert count > 1000
    assert middleware.requests == ["res.partner.search_count"]
    assert [e["type"] for e in plugin.get_audit_log()] == ["request", "response"]
    await client.close()


async def test_events_for_a_call_and_a_failing_handler_is_harmless(odoo_emulator: Emulator) -> None:
    client = await _client(odoo_emulator)
    names: list[str] = []

    class Handlers:
        def on_call_started(self, event: Event) -> None:
            names.append("started")

        async def on_call_finished(self, event: Event) -> None:
            assert event.duration is not None
            names.append("finished")

        def on_error(self, error: BaseException) -> None:
            names.append(f"error:{type(error).__name__}")

    def broken(event: Event) -> None:
        raise RuntimeError("a buggy listener")

    client.register_event_handler(broken)
    client.register_event_handler(Handlers())
    assert await client.search_count("res.partner", []) > 0
    with pytest.raises(ModelNotFound):
        await client.search("no.such.model", [])
    assert names == ["started", "finished", "started", "error:ModelNotFound"]
    await client.close()


async def test_hookimpl_plugin_object_gets_events_and_adds_middleware(
    odoo_emulator: Emulator,
) -> None:
    client = await _client(odoo_emulator)

    class Counter:
        def __init__(self) -> None:
            self.finished = 0
            self.wrapped = 0

        @hookimpl
        def zenoo_event(self, event: Event) -> None:
            if event.name == "call_finished":
                self.finished += 1

        @hookimpl
        def zenoo_middleware(self, client: ZenooClient, config: object) -> Any:
            async def count(call: Call, call_next: Handler) -> Any:
                self.wrapped += 1
                return await call_next(call)

            return count

    counter = Counter()
    client.register_plugin(counter)
    await client.search_count("res.partner", [])
    assert (counter.finished, counter.wrapped) == (1, 1)
    await client.close()


async def test_read_cache_hits_and_is_invalidated_by_writes(odoo_emulator: Emulator) -> None:
    client = await _client(odoo_emulator, cache=True)
    events: list[str] = []
    client.register_event_handler(lambda e: events.append(e.name))
    before = await client.search_count("res.partner", [("name", "ilike", "cache")])
    again = await client.search_count("res.partner", [("name", "ilike", "cache")])
    assert again == before
    assert events.count("cache_hit") == 1
    await client.create("res.partner", {"name": "Cache buster"})
    after = await client.search_count("res.partner", [("name", "ilike", "cache")])
    assert after == before + 1
    await client.close()


async def test_two_clients_sharing_a_backend_see_each_others_writes(
    odoo_emulator: Emulator,
) -> None:
    reader = await _client(odoo_emulator, cache=True)
    writer = await _client(odoo_emulator, cache=True)
    backend = reader.cache_manager.ensure_backend()
    writer.cache_manager = reader.cache_manager  # one backend, as a shared Redis would be
    assert backend is not None
    domain = [("name", "=", "Shared")]
    assert await reader.search_count("res.partner", domain) == 0
    assert await reader.search_count("res.partner", domain) == 0  # cached
    await writer.create("res.partner", {"name": "Shared"})
    assert await reader.search_count("res.partner", domain) == 1
    await reader.close()
    await writer.close()


async def test_cache_manager_seed_api(odoo_emulator: Emulator) -> None:
    client = await _client(odoo_emulator)
    await client.cache_manager.setup_memory_cache(name="pool_cache", max_size=500, strategy="lru")
    await client.cache_manager.set("customer:1", {"id": 1, "name": "A"}, ttl=300)
    assert await client.cache_manager.get("customer:1") == {"id": 1, "name": "A"}
    await client.cache_manager.delete("customer:1")
    assert await client.cache_manager.get("customer:1") is None
    await client.close()


async def test_views_share_middleware_and_handlers_added_later(odoo_emulator: Emulator) -> None:
    client = await _client(odoo_emulator)
    view = client.with_context(lang="en_US")
    await view.search_count("res.partner", [])  # the view has composed its chain once
    seen: list[str] = []

    async def spy(call: Call, call_next: Handler) -> Any:
        seen.append(f"{call.method}:{call.context.get('lang')}")
        return await call_next(call)

    client.add_middleware(spy)
    view.register_event_handler(lambda e: seen.append(e.name) if e.name == "closed" else None)
    await view.search_count("res.partner", [])
    await client.search_count("res.partner", [])
    assert seen == ["search_count:en_US", "search_count:en_US"]
    await client.close()
    assert seen[-1] == "closed"


async def test_plugin_middleware_hook_may_take_only_some_arguments(odoo_emulator: Emulator) -> None:
    client = await _client(odoo_emulator)

    class OnlyClient:
        def __init__(self) -> None:
            self.urls: list[str] = []

        @hookimpl
        def zenoo_middleware(self, client: ZenooClient) -> Any:
            async def mw(call: Call, call_next: Handler) -> Any:
                self.urls.append(client.url)
                return await call_next(call)

            return mw

    plugin = OnlyClient()
    client.register_plugin(plugin)
    await client.search_count("res.partner", [])
    assert plugin.urls == [client.url]
    await client.close()


async def test_a_broken_plugin_is_not_left_half_registered(odoo_emulator: Emulator) -> None:
    client = await _client(odoo_emulator)

    class Broken:
        @hookimpl
        def zenoo_middleware(self, client: ZenooClient) -> Any:
            raise RuntimeError("cannot start")

    names = client.plugins.plugin_names()
    with pytest.raises(PluginError, match="cannot start"):
        client.register_plugin(Broken())
    assert client.plugins.plugin_names() == names
    await client.close()


async def test_circuit_breaker_opens_and_says_so(odoo_emulator: Emulator) -> None:
    client = await _client(
        odoo_emulator,
        retry={"max_attempts": 1, "circuit_breaker": {"failure_threshold": 2}},
    )
    events: list[str] = []
    client.register_event_handler(lambda e: events.append(e.name))
    odoo_emulator.faults.bad_gateway(method="search_count", times=2)
    for _ in range(2):
        with pytest.raises(ProtocolError):
            await client.search_count("res.partner", [])
    with pytest.raises(CircuitOpenError):
        await client.search_count("res.partner", [])
    assert "circuit_opened" in events
    await client.close()


async def test_read_whose_lookup_failed_is_not_cached_under_a_later_generation(
    odoo_emulator: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A write landing between a read's answer and its storing must not be hidden by it."""
    client = await _client(odoo_emulator, cache=True)
    writer = await _client(odoo_emulator, cache=True)
    writer.cache_manager = client.cache_manager  # one backend, as a shared Redis would be
    domain = [("name", "=", "Raced")]
    assert await client.search_count("res.partner", domain) == 0  # sets the cache up
    backend = client.cache_manager.ensure_backend()
    original_get, original_store = backend.get, CallCache.store

    async def failing_get(*args: Any, **kwargs: Any) -> Any:
        raise ConnectionError("backend blinked")

    written: list[int] = []

    async def write() -> None:
        if not written:
            written.append(await writer.create("res.partner", {"name": "Raced"}))

    async def store_after_a_write(self: CallCache, *args: Any, **kwargs: Any) -> bool:
        backend.get = original_get
        await write()  # lands after the answer was computed, before it is stored
        return await original_store(self, *args, **kwargs)

    backend.get = failing_get
    monkeypatch.setattr(CallCache, "store", store_after_a_write)
    assert await client.search_count("res.partner", [*domain, ("id", ">", 0)]) == 0
    monkeypatch.setattr(CallCache, "store", original_store)
    backend.get = original_get
    await write()  # (when the answer was rightly not stored at all)
    assert await client.search_count("res.partner", [*domain, ("id", ">", 0)]) == 1
    await client.close()
    await writer.close()
