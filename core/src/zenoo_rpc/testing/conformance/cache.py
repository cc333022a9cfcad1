"""The cache-backend conformance suite: what zenoo-rpc needs from an aiocache backend.

A backend plugin runs it on itself by subclassing :class:`CacheBackendConformance`
in a test module and giving the spec (and its settings)::

    import pytest
    from zenoo_rpc.testing.conformance.cache import CacheBackendConformance
    from my_plugin import MY_BACKEND

    class TestMyBackend(CacheBackendConformance):
        @pytest.fixture
        def cache_backend_spec(self):
            return MY_BACKEND

        @pytest.fixture
        def cache_backend_settings(self, my_server_url):
            return {"url": my_server_url}

        @pytest.fixture
        def cache_client_plugins(self):
            return ["my-plugin"]          # what a client loads to get the backend

        @pytest.fixture
        def cache_backend_is_shared(self):
            return True                   # two instances see the same data (a server)

It checks the aiocache contract as zenoo-rpc uses it (bytes kept exactly,
``add`` refusing an existing key, atomic ``increment``, TTLs, ``multi_*``,
``clear`` of one namespace only), then the call cache on top of the backend:
through a :class:`~zenoo_rpc.ZenooClient` on the in-memory Odoo (a read
served from the cache, a write invalidating it) and between two
:class:`~zenoo_rpc.cache.CallCache` objects (an invalidation by one is seen
by the other). Keys and namespaces are random per test, so a backend on a
shared server needs no cleaning between tests.
"""

from __future__ import annotations

import asyncio
import inspect
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any

import pytest

from zenoo_rpc.cache.base import CacheBackendSpec
from zenoo_rpc.cache.call_cache import CallCache
from zenoo_rpc.call import Call
from zenoo_rpc.client import ZenooClient
from zenoo_rpc.testing.emulator.server import Emulator
from zenoo_rpc.testing.transport import register_emulator, unregister_emulator

try:  # async fixtures must be pytest-asyncio's to work in its default strict mode
    from pytest_asyncio import fixture as async_fixture
except ImportError:  # pragma: no cover - another async plugin (anyio) handles them
    async_fixture = pytest.fixture  # type: ignore[assignment]

__all__ = ["CacheBackendConformance", "MakeBackend"]

#: ``await make_cache_backend(**overrides)``: a backend from the spec's factory.
MakeBackend = Callable[..., Awaitable[Any]]

#: Settings that are fields of ``[cache]`` itself, not ``[cache.settings]``.
_CACHE_FIELDS = ("namespace", "ttl", "max_size")

_BYTES = [
    b"",
    b"\x00",
    b"\x00zero\x00bytes\x00",
    bytes(range(256)),
    "é€😀".encode(),
    b"\xff" * 300_000,
]


async def _wait_until(predicate: Callable[[], Awaitable[bool]], limit: float = 10.0) -> bool:
    """Poll ``predicate`` until true or ``limit`` seconds pass; whether it became true."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + limit
    while loop.time() < deadline:
        if await predicate():
            return True
        await asyncio.sleep(0.05)
    return await predicate()


class CacheBackendConformance:
    """Tests any cache backend must pass; subclass it and override the fixtures below."""

    # ------------------------------------------------------------------ what a plugin overrides

    @pytest.fixture
    def cache_backend_spec(self) -> CacheBackendSpec:
        """The backend under test, as its plugin registers it."""
        pytest.fail("override the cache_backend_spec fixture to return your CacheBackendSpec")

    @pytest.fixture
    def cache_backend_settings(self) -> dict[str, Any]:
        """Settings the factory needs (``url``...), as ``[cache.settings]`` would give them."""
        return {}

    @pytest.fixture
    def cache_client_plugins(self) -> list[str]:
        """Plugin names a client must load for the backend to be registered."""
        return []

    @pytest.fixture
    def cache_backend_is_shared(self) -> bool:
        """True when two instances built from the same settings share their data."""
        return False

    # ------------------------------------------------------------------ built here

    @async_fixture
    async def make_cache_backend(
        self, cache_backend_spec: CacheBackendSpec, cache_backend_settings: dict[str, Any]
    ) -> AsyncIterator[MakeBackend]:
        """Builds backends through the spec's factory; closes them all after the test."""
        built: list[Any] = []

        async def make(**overrides: Any) -> Any:
            backend = cache_backend_spec.factory({**cache_backend_settings, **overrides})
            if inspect.isawaitable(backend):
                backend = await backend
            built.append(backend)
            return backend

        yield make
        for backend in built:
            await backend.close()

    @async_fixture
    async def cache_backend(self, make_cache_backend: MakeBackend) -> Any:
        """A backend with the settings as given."""
        return await make_cache_backend()

    @pytest.fixture
    def cache_key(self) -> str:
        """A key no other test uses."""
        return f"conformance:{uuid.uuid4().hex}"

    @pytest.fixture
    def conformance_emulator(self) -> Iterator[Emulator]:
        """An in-memory Odoo reachable at its ``memory://`` URL."""
        emulator = Emulator()
        name = f"cache-conformance-{uuid.uuid4().hex[:12]}"
        register_emulator(name, emulator)
        try:
            yield emulator
        finally:
            unregister_emulator(name)

    @async_fixture
    async def make_cached_client(
        self,
        conformance_emulator: Emulator,
        cache_backend_spec: CacheBackendSpec,
        cache_backend_settings: dict[str, Any],
        cache_client_plugins: list[str],
    ) -> AsyncIterator[Callable[[], Awaitable[ZenooClient]]]:
        """Builds logged-in clients caching reads on the backend under test, one namespace."""
        settings = dict(cache_backend_settings)
        cache: dict[str, Any] = {
            "enabled": True,
            "backend": cache_backend_spec.name,
            "ttl": None,
            "namespace": f"conformance-{uuid.uuid4().hex[:12]}",
        }
        cache.update({k: settings.pop(k) for k in _CACHE_FIELDS if k in settings})
        cache["settings"] = settings
        clients: list[ZenooClient] = []

        async def make() -> ZenooClient:
            assert conformance_emulator.memory_url is not None
            client = ZenooClient(
                conformance_emulator.memory_url, plugins=cache_client_plugins, cache=cache
            )
            clients.append(client)
            await client.login("demo", "admin", "admin")
            return client

        yield make
        for client in clients:
            await client.close()

    # ------------------------------------------------------------------ get / set / add / delete

    async def test_missing_key_is_none(self, cache_backend: Any, cache_key: str) -> None:
        assert await cache_backend.get(cache_key) is None
        assert await cache_backend.get(cache_key, default=b"d") == b"d"
        assert await cache_backend.exists(cache_key) is False

    @pytest.mark.parametrize("value", _BYTES, ids=lambda v: f"{len(v)}-bytes")
    async def test_bytes_round_trip_exactly(
        self, cache_backend: Any, cache_key: str, value: bytes
    ) -> None:
        await cache_backend.set(cache_key, value)
        got = await cache_backend.get(cache_key)
        assert isinstance(got, bytes | bytearray | memoryview)
        assert bytes(got) == value

    async def test_set_replaces(self, cache_backend: Any, cache_key: str) -> None:
        await cache_backend.set(cache_key, b"one")
        await cache_backend.set(cache_key, b"two")
        assert bytes(await cache_backend.get(cache_key)) == b"two"

    async def test_add_refuses_an_existing_key(self, cache_backend: Any, cache_key: str) -> None:
        assert await cache_backend.add(cache_key, b"first") is True
        with pytest.raises(ValueError, match="already exists"):
            await cache_backend.add(cache_key, b"second")
        assert bytes(await cache_backend.get(cache_key)) == b"first"

    async def test_concurrent_adds_have_one_winner(
        self, cache_backend: Any, cache_key: str
    ) -> None:
        async def add(n: int) -> bool:
            try:
                return bool(await cache_backend.add(cache_key, str(n).encode()))
            except ValueError:
                return False

        won = await asyncio.gather(*(add(n) for n in range(20)))
        assert won.count(True) == 1
        assert bytes(await cache_backend.get(cache_key)) == str(won.index(True)).encode()

    async def test_delete_and_exists(self, cache_backend: Any, cache_key: str) -> None:
        await cache_backend.set(cache_key, b"v")
        assert await cache_backend.exists(cache_key) is True
        assert await cache_backend.delete(cache_key) == 1
        assert await cache_backend.exists(cache_key) is False
        assert await cache_backend.get(cache_key) is None
        assert await cache_backend.delete(cache_key) == 0

    async def test_integer_values_read_back_as_their_number(
        self, cache_backend: Any, cache_key: str
    ) -> None:
        # The call cache stores generation tokens as ints and compares their text.
        token = (1 << 61) | 12345
        await cache_backend.set(cache_key, token)
        value = await cache_backend.get(cache_key)
        text = bytes(value).decode() if isinstance(value, bytes | bytearray) else str(value)
        assert int(text) == token

    # ------------------------------------------------------------------ increment

    async def test_increment_creates_then_adds(self, cache_backend: Any, cache_key: str) -> None:
        assert await cache_backend.increment(cache_key, 5) == 5
        assert await cache_backend.increment(cache_key, 1) == 6
        assert await cache_backend.increment(cache_key, -10) == -4

    async def test_increment_is_atomic_under_concurrency(
        self, cache_backend: Any, cache_key: str
    ) -> None:
        results = await asyncio.gather(*(cache_backend.increment(cache_key, 1) for _ in range(200)))
        assert sorted(results) == list(range(1, 201))

    async def test_increment_of_a_non_integer_is_a_type_error(
        self, cache_backend: Any, cache_key: str
    ) -> None:
        await cache_backend.set(cache_key, b"not a number")
        with pytest.raises(TypeError):
            await cache_backend.increment(cache_key, 1)

    # ------------------------------------------------------------------ TTL

    async def test_ttl_expires_a_key_and_spares_others(
        self, cache_backend: Any, cache_key: str
    ) -> None:
        await cache_backend.set(cache_key + ":short", b"v", ttl=0.2)
        await cache_backend.set(cache_key + ":long", b"v", ttl=600)
        await cache_backend.set(cache_key + ":forever", b"v")

        async def gone() -> bool:
            return not await cache_backend.exists(cache_key + ":short")

        assert await _wait_until(gone)
        assert await cache_backend.get(cache_key + ":short") is None
        assert bytes(await cache_backend.get(cache_key + ":long")) == b"v"
        assert bytes(await cache_backend.get(cache_key + ":forever")) == b"v"

    async def test_default_ttl_comes_from_the_settings(
        self, make_cache_backend: MakeBackend, cache_key: str
    ) -> None:
        backend = await make_cache_backend(ttl=0.2)
        await backend.set(cache_key, b"v")
        await backend.set(cache_key + ":kept", b"v", ttl=600)

        async def gone() -> bool:
            return await backend.get(cache_key) is None

        assert await _wait_until(gone)
        assert bytes(await backend.get(cache_key + ":kept")) == b"v"

    async def test_add_with_ttl_expires(self, cache_backend: Any, cache_key: str) -> None:
        await cache_backend.add(cache_key, b"v", ttl=0.2)

        async def gone() -> bool:
            return not await cache_backend.exists(cache_key)

        assert await _wait_until(gone)
        assert await cache_backend.add(cache_key, b"again") is True

    async def test_expire_sets_a_ttl_on_an_existing_key_only(
        self, cache_backend: Any, cache_key: str
    ) -> None:
        assert await cache_backend.expire(cache_key, 10) is False
        await cache_backend.set(cache_key, b"v")
        assert await cache_backend.expire(cache_key, 0.2) is True

        async def gone() -> bool:
            return not await cache_backend.exists(cache_key)

        assert await _wait_until(gone)

    # ------------------------------------------------------------------ several keys

    async def test_multi_set_and_multi_get(self, cache_backend: Any, cache_key: str) -> None:
        pairs = [(f"{cache_key}:{n}", f"value {n}".encode()) for n in range(50)]
        assert await cache_backend.multi_set(pairs) is True
        keys = [k for k, _ in pairs]
        got = await cache_backend.multi_get([*keys[:10], cache_key + ":missing", *keys[10:]])
        expected = [v for _, v in pairs[:10]] + [None] + [v for _, v in pairs[10:]]
        assert [None if g is None else bytes(g) for g in got] == expected

    async def test_multi_set_with_ttl_expires(self, cache_backend: Any, cache_key: str) -> None:
        await cache_backend.multi_set([(cache_key + ":a", b"1"), (cache_key + ":b", b"2")], ttl=0.2)

        async def gone() -> bool:
            return bool(
                await cache_backend.multi_get([cache_key + ":a", cache_key + ":b"]) == [None, None]
            )

        assert await _wait_until(gone)

    # ------------------------------------------------------------------ namespaces

    async def test_namespaces_keep_keys_apart(self, cache_backend: Any) -> None:
        first, second = f"ns-a-{uuid.uuid4().hex}", f"ns-b-{uuid.uuid4().hex}"
        await cache_backend.set("k", b"a", namespace=first)
        await cache_backend.set("k", b"b", namespace=second)
        assert bytes(await cache_backend.get("k", namespace=first)) == b"a"
        assert bytes(await cache_backend.get("k", namespace=second)) == b"b"

    async def test_clear_removes_one_namespace_only(self, cache_backend: Any) -> None:
        doomed, kept = f"ns-doomed-{uuid.uuid4().hex}", f"ns-kept-{uuid.uuid4().hex}"
        for n in range(30):
            await cache_backend.set(f"k{n}", b"x", namespace=doomed)
            await cache_backend.set(f"k{n}", b"y", namespace=kept)
        assert await cache_backend.clear(namespace=doomed) is True
        for n in range(30):
            assert await cache_backend.get(f"k{n}", namespace=doomed) is None
            assert bytes(await cache_backend.get(f"k{n}", namespace=kept)) == b"y"

    async def test_clear_of_the_backends_own_namespace(
        self, make_cache_backend: MakeBackend
    ) -> None:
        namespace = f"ns-own-{uuid.uuid4().hex}"
        backend = await make_cache_backend(namespace=namespace)
        other = await make_cache_backend(namespace=namespace + "-other")
        await backend.set("k", b"x")
        await other.set("k", b"y")
        await backend.clear(namespace=namespace)
        assert await backend.get("k") is None
        assert bytes(await other.get("k")) == b"y"

    # ------------------------------------------------------------------ the call cache on top

    @staticmethod
    def _read(name: str) -> Call:
        return Call(
            model="res.partner",
            method="search_read",
            args=([["name", "=", name]],),
            kwargs={"fields": ["name"]},
        )

    async def test_call_cache_round_trip_and_invalidation(
        self, cache_backend: Any, cache_key: str
    ) -> None:
        cache = CallCache(cache_backend, server=f"https://{cache_key}.example.com")
        call = self._read("x")
        assert (await cache.lookup_entry("db", 2, call)).hit is False
        assert await cache.store("db", 2, call, [{"id": 1, "name": "x"}]) is True
        found = await cache.lookup_entry("db", 2, call)
        assert (found.hit, found.value) == (True, [{"id": 1, "name": "x"}])
        assert await cache.invalidate("db", "res.partner") is True
        assert (await cache.lookup_entry("db", 2, call)).hit is False

    async def test_call_caches_share_generations(
        self,
        make_cache_backend: MakeBackend,
        cache_backend: Any,
        cache_backend_is_shared: bool,
        cache_key: str,
    ) -> None:
        server = f"https://{cache_key}.example.com"
        other_backend = await make_cache_backend() if cache_backend_is_shared else cache_backend
        reader = CallCache(cache_backend, server=server)
        writer = CallCache(other_backend, server=server)
        call = self._read("y")
        await reader.lookup_entry("db", 2, call)
        await reader.store("db", 2, call, [{"id": 7, "name": "y"}])
        assert (await writer.lookup_entry("db", 2, call)).hit is True  # what reader stored
        assert await writer.invalidate("db", "res.partner") is True
        assert (await reader.lookup_entry("db", 2, call)).hit is False

    async def test_client_read_is_served_from_the_cache(
        self,
        make_cached_client: Callable[[], Awaitable[ZenooClient]],
        conformance_emulator: Emulator,
    ) -> None:
        client = await make_cached_client()
        hits: list[str] = []
        client.register_event_handler(
            lambda e: hits.append(e.name) if e.name == "cache_hit" else None
        )
        partner = await client.create("res.partner", {"name": "Cached name"})
        first = await client.read("res.partner", [partner], ["name"])
        # Changed behind the client's back: only a cache hit still says the old name.
        conformance_emulator.database("demo").call(
            2, "res.partner", "write", [[partner], {"name": "Changed elsewhere"}], {}
        )
        second = await client.read("res.partner", [partner], ["name"])
        assert first == second == [{"id": partner, "name": "Cached name"}]
        assert hits == ["cache_hit"]

    async def test_client_write_invalidates_its_reads(
        self, make_cached_client: Callable[[], Awaitable[ZenooClient]]
    ) -> None:
        client = await make_cached_client()
        partner = await client.create("res.partner", {"name": "Before"})
        assert await client.read("res.partner", [partner], ["name"]) == [
            {"id": partner, "name": "Before"}
        ]
        await client.write("res.partner", [partner], {"name": "After"})
        assert await client.read("res.partner", [partner], ["name"]) == [
            {"id": partner, "name": "After"}
        ]

    async def test_clients_sharing_the_backend_see_each_others_writes(
        self,
        make_cached_client: Callable[[], Awaitable[ZenooClient]],
        cache_backend_is_shared: bool,
    ) -> None:
        reader = await make_cached_client()
        writer = await make_cached_client()
        if not cache_backend_is_shared:
            writer.cache_manager = reader.cache_manager  # one in-process backend for both
        domain = [("name", "=", f"Shared {uuid.uuid4().hex}")]
        assert await reader.search_count("res.partner", domain) == 0
        assert await reader.search_count("res.partner", domain) == 0  # now cached
        await writer.create("res.partner", {"name": domain[0][2]})
        assert await reader.search_count("res.partner", domain) == 1
