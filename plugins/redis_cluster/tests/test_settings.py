"""Settings: what each mistake says, and that no password ever shows."""

from __future__ import annotations

from typing import Any

import pytest

from zenoo_rpc.config import Secret
from zenoo_rpc.errors import ConfigError
from zenoo_rpc_redis_cluster import RedisClusterCache
from zenoo_rpc_redis_cluster.settings import NodeAddress, parse_settings


def test_defaults_and_nodes_from_url_and_urls() -> None:
    settings = parse_settings(
        {
            "url": "redis://10.0.0.1:7000",
            "urls": ["redis://10.0.0.2:7001", "redis://10.0.0.1:7000", "rediss://h"],
        }
    )
    assert settings.nodes() == [
        NodeAddress("10.0.0.1", 7000),
        NodeAddress("10.0.0.2", 7001),
        NodeAddress("h", 6379, ssl=True),
    ]
    assert (settings.mode, settings.socket_timeout, settings.replica_acks) == ("auto", 0.5, "auto")


def test_the_clients_cache_table_keys_are_accepted() -> None:
    # The client passes [cache] max_size, ttl and namespace to every backend.
    settings = parse_settings({"url": "redis://h", "max_size": 1000, "ttl": 60, "namespace": "z"})
    assert (settings.ttl, settings.namespace) == (60, "z")


@pytest.mark.parametrize(
    ("settings", "path", "words"),
    [
        (
            {"url": "redis://h", "socket_timout": 1},
            "$.cache.settings.socket_timout",
            "socket_timeout",
        ),
        ({}, "$.cache.settings.url", "needs a node"),
        ({"url": "http://h:6379"}, "$.cache.settings.url", "redis://"),
        ({"url": "redis://h:notaport"}, "$.cache.settings.url", "invalid port"),
        ({"url": "redis://h/zero"}, "$.cache.settings.url", "database number"),
        ({"url": "redis://h", "mode": "sharded"}, "$.cache.settings.mode", "mode"),
        ({"url": "redis://h", "retries": -1}, "$.cache.settings.retries", ">= 0"),
        ({"url": "redis://h", "ttl": "soon"}, "$.cache.ttl", "ttl"),
        ({"url": "redis://h", "namespace": "a{b}"}, "$.cache.namespace", "hash slot"),
        ({"url": "redis://h/2", "mode": "cluster"}, "$.cache.settings.url", "database 0"),
        (
            {"urls": ["redis://a", "redis://b"], "mode": "single"},
            "$.cache.settings.urls",
            "one node",
        ),
        ({"urls": ["redis://a/1", "redis://b/2"]}, "$.cache.settings.urls", "different"),
        ({"url": "redis://h", "replica_acks": "all"}, "$.cache.settings.replica_acks", "auto"),
    ],
)
def test_mistakes_are_config_errors_naming_the_key(
    settings: dict[str, Any], path: str, words: str
) -> None:
    with pytest.raises(ConfigError) as info:
        parse_settings(settings)
    assert info.value.path == path
    assert words in str(info.value)


def test_passwords_never_show() -> None:
    settings = parse_settings(
        {"urls": ["redis://bot:hunter2@h:7000"], "password": Secret("s3cret"), "url": None}
    )
    assert settings.credentials() == ("bot", "s3cret")
    shown = repr(settings) + repr(RedisClusterCache(settings))
    assert "hunter2" not in shown
    assert "s3cret" not in shown
    with pytest.raises(ConfigError) as info:
        parse_settings({"url": "http://bot:hunter2@h"})
    assert "hunter2" not in str(info.value)


def test_password_from_the_url_when_not_given_alone() -> None:
    settings = parse_settings({"url": "redis://:pa%40ss@h"})
    assert settings.credentials() == (None, "pa@ss")


def test_the_backend_takes_settings_as_keywords() -> None:
    cache = RedisClusterCache(url="redis://h:7000", namespace="ns", ttl=5)
    assert (cache.namespace, cache.ttl, cache.mode) == ("ns", 5.0, None)
    assert cache.build_key("k") == "ns:k"
    with pytest.raises(ConfigError, match="did you mean 'urls'"):
        RedisClusterCache(url="redis://h", url_list=[])
