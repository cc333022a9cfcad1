"""Choosing the backend by name: constructor arguments, zenoo.toml, the cache manager API."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from zenoo_rpc import ZenooClient
from zenoo_rpc.errors import ConfigError
from zenoo_rpc.plugins import available_plugins
from zenoo_rpc.testing.emulator.server import Emulator
from zenoo_rpc_redis_cluster import RedisClusterCache
from zenoo_rpc_redis_cluster.testing import RedisClusterProcess, RedisServerProcess


def test_the_plugin_is_installed_under_its_name() -> None:
    info = available_plugins()["redis-cluster"]
    assert info.distribution == "zenoo-rpc-redis-cluster"
    assert info.value == "zenoo_rpc_redis_cluster.plugin"


async def _two_reads(client: ZenooClient) -> list[str]:
    events: list[str] = []
    client.register_event_handler(lambda e: events.append(e.name))
    await client.login("demo", "admin", "admin")
    for _ in range(2):
        await client.search_read("res.partner", [("is_company", "=", True)], ["name"], limit=5)
    return [name for name in events if name.startswith("cache_")]


async def test_selected_by_constructor_arguments(
    odoo_emulator: Emulator,
    redis_cluster: RedisClusterProcess,
    cache_config: Callable[..., dict[str, Any]],
) -> None:
    async with ZenooClient(
        odoo_emulator.memory_url,
        plugins=["redis-cluster"],
        cache=cache_config(redis_cluster.urls[:1]),
    ) as client:
        assert await _two_reads(client) == ["cache_miss", "cache_hit"]
        backend = client.cache_manager.backend
        assert isinstance(backend, RedisClusterCache)
        assert backend.mode == "cluster"
        assert backend.namespace == "zenoo"


async def test_selected_by_a_zenoo_toml(
    odoo_emulator: Emulator,
    redis_cluster: RedisClusterProcess,
    tmp_path: Path,
) -> None:
    urls = ", ".join(f'"{url}"' for url in redis_cluster.urls[:2])
    config = tmp_path / "zenoo.toml"
    config.write_text(
        f"""
url = "{odoo_emulator.memory_url}"

[plugins]
enabled = ["redis-cluster"]

[plugins.redis-cluster]
urls = [{urls}]
socket_timeout = 0.25

[cache]
enabled = true
backend = "redis-cluster"
ttl = 120
namespace = "from-toml"
"""
    )
    async with ZenooClient(config_file=str(config)) as client:
        assert await _two_reads(client) == ["cache_miss", "cache_hit"]
        backend = client.cache_manager.backend
        assert isinstance(backend, RedisClusterCache)
        assert (backend.namespace, backend.ttl) == ("from-toml", 120.0)
        assert backend.settings.socket_timeout == 0.25
        assert [f"redis://{n.host}:{n.port}" for n in backend.settings.nodes()] == (
            redis_cluster.urls[:2]
        )


async def test_cache_settings_table_wins_over_the_plugin_table(
    odoo_emulator: Emulator, redis_server: RedisServerProcess, tmp_path: Path
) -> None:
    config = tmp_path / "zenoo.toml"
    config.write_text(
        f"""
url = "{odoo_emulator.memory_url}"
plugins = ["redis-cluster"]

[cache]
enabled = true
backend = "redis-cluster"

[cache.settings]
url = "{redis_server.url}"
mode = "single"
"""
    )
    async with ZenooClient(config_file=str(config)) as client:
        assert await _two_reads(client) == ["cache_miss", "cache_hit"]
        assert client.cache_manager.backend.mode == "single"


async def test_not_enabled_names_the_plugin_to_enable(
    odoo_emulator: Emulator, redis_server: RedisServerProcess
) -> None:
    cache = {"enabled": True, "backend": "redis-cluster", "settings": {"url": redis_server.url}}
    async with ZenooClient(odoo_emulator.memory_url, plugins=[], cache=cache) as client:
        await client.login("demo", "admin", "admin")
        with pytest.raises(ConfigError) as info:
            await client.search_count("res.partner", [])
    assert "zenoo-rpc-redis-cluster" in str(info.value)
    assert info.value.path == "$.cache.backend"


async def test_a_bad_setting_is_a_config_error_not_a_silent_miss(
    odoo_emulator: Emulator, cache_config: Callable[..., dict[str, Any]]
) -> None:
    cache = cache_config(["redis://127.0.0.1:1"], socket_timeout=-1)
    async with ZenooClient(odoo_emulator.memory_url, plugins=["redis-cluster"], cache=cache) as c:
        await c.login("demo", "admin", "admin")
        with pytest.raises(ConfigError) as info:
            await c.search_count("res.partner", [])
    assert info.value.path == "$.cache.settings.socket_timeout"


async def test_cache_manager_seed_api(
    odoo_emulator: Emulator, redis_cluster: RedisClusterProcess
) -> None:
    async with ZenooClient(odoo_emulator.memory_url, plugins=["redis-cluster"]) as client:
        manager = client.cache_manager
        assert "redis-cluster" in manager.available_backends()
        await manager.setup_redis_cache(url=redis_cluster.url, namespace="seed-api")
        await manager.set("customer:7", {"id": 7, "name": "Azure"}, ttl=300)
        assert await manager.get("customer:7") == {"id": 7, "name": "Azure"}
        assert await manager.delete("customer:7") is True
        assert await manager.get("customer:7") is None
        await manager.set("customer:8", [1, 2])
        await manager.clear()
        assert await manager.get("customer:8") is None
        assert manager.health()["caches"]["redis"]["backend"] == "RedisClusterCache"
