"""Enabling the plugin by name (arguments, zenoo.toml, ZENOO_PLUGINS) and checking its settings."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest
from audit_clients import ClientFactory, audit_config

from zenoo_rpc import ZenooClient
from zenoo_rpc.errors import ConfigError, PluginError
from zenoo_rpc.plugins import available_plugins
from zenoo_rpc.testing.emulator.server import Emulator
from zenoo_rpc_audit import (
    AuditConfigError,
    AuditError,
    AuditSettings,
    JsonLinesSink,
    LoggingSink,
    MemorySink,
    audit_trail,
    get_audit_log,
    parse_settings,
    read_audit_log,
)


def test_the_plugin_is_installed_under_the_name_audit() -> None:
    info = available_plugins()["audit"]
    assert (info.value, info.distribution) == ("zenoo_rpc_audit.plugin", "zenoo-rpc-audit")


async def test_enabled_by_name_in_the_constructor(odoo_emulator: Emulator) -> None:
    async with ZenooClient(odoo_emulator.memory_url, plugins=["audit"]) as client:
        await client.login("demo", "admin", "admin")
        await client.search_count("res.partner", [])
        assert [r.method for r in get_audit_log(client)] == ["search_count"]
        assert "audit" in client.plugins.plugin_names()


async def test_enabled_with_settings_in_zenoo_toml(
    odoo_emulator: Emulator, tmp_path: Path, audit_path: Path
) -> None:
    config = tmp_path / "zenoo.toml"
    config.write_text(
        f"""
url = "{odoo_emulator.memory_url}"
database = "demo"
username = "admin"
password = "admin"

[plugins]
enabled = ["audit"]

[plugins.audit]
sink = ["jsonl", "memory"]
path = "{audit_path.as_posix()}"
include_values = ["res.partner"]
redact_fields = ["phone"]
record_logins = true
""",
        encoding="utf-8",
    )
    async with ZenooClient(config_file=str(config)) as client:
        await client.login()
        await client.write("res.partner", [1], {"phone": "+32 555", "city": "Gent"})
    login, write = read_audit_log(audit_path)
    assert write.values == ({"phone": "***", "city": "Gent"},)
    assert get_audit_log(client) == [login, write]


async def test_zenoo_plugins_env_leaves_the_audit_plugin_out(
    odoo_emulator: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ZENOO_PLUGINS", "")
    async with ZenooClient(odoo_emulator.memory_url, plugins=["audit"]) as client:
        with pytest.raises(AuditError, match="not enabled"):
            audit_trail(client)


def test_defaults_keep_records_in_memory() -> None:
    settings = parse_settings(None)
    assert settings == AuditSettings()
    assert settings.sinks == ("memory",)
    assert parse_settings({"path": "a.jsonl"}).sinks == ("jsonl",)
    both = parse_settings({"sink": ["logging", "memory", "logging"], "level": "warning"})
    assert both.sinks == ("logging", "memory")
    assert both.log_level == logging.WARNING


async def test_each_named_sink_is_built(make_client: ClientFactory, audit_path: Path) -> None:
    client = make_client(
        {"sink": ["jsonl", "logging", "memory"], "path": str(audit_path), "level": 15}
    )
    jsonl, logger, memory = audit_trail(client).sinks
    assert isinstance(jsonl, JsonLinesSink)
    assert jsonl.path == str(audit_path)
    assert isinstance(logger, LoggingSink)
    assert logger.level == 15
    assert isinstance(memory, MemorySink)
    assert memory.max_records == 1000


@pytest.mark.parametrize(
    ("settings", "path", "message"),
    [
        ({"max_byte": 10}, "$.plugins.audit.max_byte", "did you mean `max_bytes`"),
        ({"max_bytes": "big"}, "$.plugins.audit.max_bytes", "Expected `int`"),
        ({"max_bytes": -1}, "$.plugins.audit.max_bytes", ">= 0"),
        ({"sink": "file"}, "$.plugins.audit.sink", "Invalid enum value 'file'"),
        ({"sink": []}, "$.plugins.audit.sink", "names no sink"),
        ({"sink": "jsonl"}, "$.plugins.audit.path", "needs `path`"),
        ({"path": "a.jsonl", "sink": "memory"}, "$.plugins.audit.sink", 'has no "jsonl"'),
        (
            {"path": "a.jsonl", "max_bytes": 10, "backup_count": 0},
            "$.plugins.audit.backup_count",
            "backup_count >= 1",
        ),
        ({"level": "LOUD"}, "$.plugins.audit.level", "unknown logging level 'LOUD'"),
        ({"max_records": 0}, "$.plugins.audit.max_records", ">= 1"),
        ({"redact_fields": ["ok", ""]}, "$.plugins.audit.redact_fields[1]", "length >= 1"),
        ({"include_values": "res.partner"}, "$.plugins.audit.include_values", "Expected `array`"),
    ],
)
def test_a_bad_setting_names_its_key(settings: dict[str, Any], path: str, message: str) -> None:
    with pytest.raises(AuditConfigError) as caught:
        parse_settings(settings)
    assert caught.value.path == path
    assert message in str(caught.value)
    assert f"`{path}`" in str(caught.value)


def test_a_bad_setting_fails_the_client_as_a_config_error(odoo_emulator: Emulator) -> None:
    with pytest.raises(ConfigError) as caught:
        ZenooClient(config=audit_config(odoo_emulator.memory_url, {"fsync": "yes"}))
    assert isinstance(caught.value, PluginError)  # and a plugin's error, passed on unwrapped
    assert caught.value.path == "$.plugins.audit.fsync"
