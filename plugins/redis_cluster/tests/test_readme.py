"""Every example in the README runs."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from zenoo_rpc import ZenooClient
from zenoo_rpc.config import load_config
from zenoo_rpc_redis_cluster.settings import parse_settings

README = Path(__file__).parent.parent / "README.md"


def _blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README.read_text(), re.S)


def test_the_toml_example_configures_the_backend(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (toml,) = _blocks("toml")
    config_file = tmp_path / "zenoo.toml"
    config_file.write_text(toml)
    env = {"ODOO_API_KEY": "key", "REDIS_PASSWORD": "pw"}
    config = load_config(config_file=config_file, env=env)
    assert config.plugins.enabled == ["redis-cluster"]
    assert (config.cache.enabled, config.cache.backend) == (True, "redis-cluster")
    settings = parse_settings(
        {**config.plugins.get("redis-cluster", {}), "namespace": config.cache.namespace}
    )
    assert len(settings.nodes()) == 2
    assert settings.credentials() == (None, "pw")


async def test_the_python_examples_run(tmp_path_factory: pytest.TempPathFactory) -> None:
    client_example, fixture_example = _blocks("python")
    scope: dict[str, Any] = {"ZenooClient": ZenooClient}
    exec(client_example, scope)  # noqa: S102 - the README's own example
    client = scope["client"]
    assert client.config.cache.backend == "redis-cluster"
    assert "redis-cluster" in client.plugins.plugin_names()
    await client.close()

    exec(fixture_example, scope)  # noqa: S102
    fixture = scope["redis_urls"].__wrapped__  # the function under @pytest.fixture
    running = fixture(tmp_path_factory)
    urls = next(running)
    assert len(urls) == 6
    running.close()  # ends the with block: every node killed
