"""Configuration: precedence, profiles, file discovery, secrets and error messages."""

from __future__ import annotations

import logging
import pickle
import textwrap
from pathlib import Path
from typing import Any

import msgspec
import pytest

from zenoo_rpc.config import (
    ConfigProvider,
    PluginsConfig,
    RetryConfig,
    Secret,
    ZenooConfig,
    find_config_file,
    load_config,
    reveal,
)
from zenoo_rpc.errors import ConfigError

PASSWORD = "hunter2-very-secret"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def load(tmp_path: Path, env: dict[str, str] | None = None, **kwargs: Any) -> ZenooConfig:
    return load_config(env=env or {}, cwd=tmp_path, **kwargs)


# --------------------------------------------------------------------------- defaults and shape


def test_defaults_without_any_source(tmp_path: Path) -> None:
    config = load(tmp_path)
    assert config == ZenooConfig()
    assert config.url == ""
    assert config.protocol == "auto"
    assert config.timeout == 30.0
    assert config.retry.max_attempts == 3
    assert config.retry.circuit_breaker.failure_threshold == 5
    assert config.cache.enabled is False
    assert config.plugins.enabled is None


@pytest.mark.parametrize(
    ("host", "port", "url"),
    [
        ("localhost", None, "http://localhost:8069"),
        ("odoo.internal", 8070, "http://odoo.internal:8070"),
        ("odoo.example.com", 443, "https://odoo.example.com"),
        ("https://odoo.example.com/", None, "https://odoo.example.com"),
    ],
)
def test_url_is_built_from_host_and_port(
    tmp_path: Path, host: str, port: int | None, url: str
) -> None:
    assert load(tmp_path, host=host, port=port).url == url


def test_structs_are_frozen_and_reject_unknown_keywords() -> None:
    config = ZenooConfig(database="demo")
    with pytest.raises(AttributeError):
        config.database = "other"  # type: ignore[misc]
    assert msgspec.structs.replace(config, database="other").database == "other"


# --------------------------------------------------------------------------- precedence


def test_arguments_beat_environment_beat_file(tmp_path: Path) -> None:
    write(
        tmp_path / "zenoo.toml",
        """
        url = "https://file.example.com"
        database = "file_db"
        username = "file_user"
        timeout = 10

        [retry]
        max_attempts = 5
        base_delay = 1.5
        """,
    )
    env = {"ZENOO_DATABASE": "env_db", "ZENOO_TIMEOUT": "20", "ZENOO_RETRY_MAX_ATTEMPTS": "7"}
    config = load(tmp_path, env, database="arg_db")
    assert config.database == "arg_db"
    assert config.timeout == 20.0
    assert config.username == "file_user"
    assert config.url == "https://file.example.com"
    assert config.retry.max_attempts == 7
    assert config.retry.base_delay == 1.5  # tables merge key by key


def test_none_arguments_mean_not_given(tmp_path: Path) -> None:
    write(tmp_path / "zenoo.toml", 'database = "file_db"\n')
    assert load(tmp_path, database=None).database == "file_db"


def test_flat_arguments_and_structs(tmp_path: Path) -> None:
    config = load(
        tmp_path,
        cache_enabled=True,
        cache_backend="redis",
        retry=RetryConfig(max_attempts=9),
        plugins=["audit"],
        context={"lang": "fr_FR"},
    )
    assert config.cache.enabled is True
    assert config.cache.backend == "redis"
    assert config.retry.max_attempts == 9
    assert config.plugins.enabled == ["audit"]
    assert config.context == {"lang": "fr_FR"}


def test_unknown_argument_is_a_type_error_with_a_suggestion(tmp_path: Path) -> None:
    with pytest.raises(TypeError, match="unknown setting 'databse'; did you mean 'database'"):
        load(tmp_path, databse="demo")


def test_host_argument_replaces_url_from_file(tmp_path: Path) -> None:
    write(tmp_path / "zenoo.toml", 'url = "https://file.example.com"\n')
    assert load(tmp_path, host="localhost", port=8069).url == "http://localhost:8069"
    write(tmp_path / "zenoo.toml", 'host = "file-host"\nport = 9000\n')
    config = load(tmp_path, env={"ZENOO_URL": "https://env.example.com"})
    assert (config.url, config.host, config.port) == ("https://env.example.com", None, None)


@pytest.mark.parametrize(
    ("variable", "text", "field", "expected"),
    [
        ("ZENOO_VERIFY_SSL", "off", "verify_ssl", False),
        ("ZENOO_VERIFY_SSL", "YES", "verify_ssl", True),
        ("ZENOO_PORT", "8070", "port", 8070),
        ("ZENOO_PROTOCOL", "json2", "protocol", "json2"),
        ("ZENOO_TRANSPORT", "httpx", "transport", "httpx"),
    ],
)
def test_environment_values_are_converted(
    tmp_path: Path, variable: str, text: str, field: str, expected: Any
) -> None:
    assert getattr(load(tmp_path, {variable: text}), field) == expected


def test_environment_nested_values(tmp_path: Path) -> None:
    env = {"ZENOO_CACHE_ENABLED": "1", "ZENOO_CACHE_TTL": "none", "ZENOO_RETRY_JITTER": "false"}
    config = load(tmp_path, env)
    assert config.cache.enabled is True
    assert config.cache.ttl is None
    assert config.retry.jitter is False


@pytest.mark.parametrize(
    ("variable", "text", "message"),
    [
        ("ZENOO_TIMEOUT", "abc", "ZENOO_TIMEOUT: 'abc' is not a valid number"),
        ("ZENOO_VERIFY_SSL", "maybe", "ZENOO_VERIFY_SSL: 'maybe' is not a valid boolean"),
        ("ZENOO_TIMEOUT", "-1", "environment variable ZENOO_TIMEOUT: Expected `float` > 0.0"),
        ("ZENOO_PROTOCOL", "soap", "environment variable ZENOO_PROTOCOL: Invalid enum value"),
    ],
)
def test_environment_errors_name_the_variable(
    tmp_path: Path, variable: str, text: str, message: str
) -> None:
    with pytest.raises(ConfigError, match=message):
        load(tmp_path, {variable: text})


def test_unknown_zenoo_variable_is_logged_with_a_suggestion(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="zenoo_rpc.config"):
        load(tmp_path, {"ZENOO_DATABSE": "demo", "ZENOO_PLUGINS": ""})
    assert "ZENOO_DATABSE; did you mean ZENOO_DATABASE?" in caplog.text
    assert "ZENOO_PLUGINS" not in caplog.text


# --------------------------------------------------------------------------- files


def test_zenoo_toml_is_found_in_a_parent_directory(tmp_path: Path) -> None:
    write(tmp_path / "zenoo.toml", 'database = "parent"\n')
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    assert load(deep).database == "parent"
    assert find_config_file(deep) == (tmp_path / "zenoo.toml").resolve()


def test_pyproject_tool_zenoo(tmp_path: Path) -> None:
    write(
        tmp_path / "pyproject.toml",
        """
        [project]
        name = "app"

        [tool.zenoo]
        database = "from_pyproject"

        [tool.zenoo.retry]
        max_attempts = 2
        """,
    )
    sub = tmp_path / "src"
    write(sub / "pyproject.toml", '[project]\nname = "inner"\n')  # no [tool.zenoo]: skipped
    config = load(sub)
    assert config.database == "from_pyproject"
    assert config.retry.max_attempts == 2


def test_zenoo_toml_wins_over_pyproject_in_the_same_directory(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[tool.zenoo]\ndatabase = "pyproject"\n')
    write(tmp_path / "zenoo.toml", 'database = "zenoo"\n')
    assert load(tmp_path).database == "zenoo"


def test_zenoo_config_variable_and_argument(tmp_path: Path) -> None:
    write(tmp_path / "zenoo.toml", 'database = "discovered"\n')
    write(tmp_path / "conf" / "prod.toml", 'database = "from_env_path"\n')
    write(tmp_path / "conf" / "explicit.toml", 'database = "explicit"\n')
    env = {"ZENOO_CONFIG": "conf/prod.toml"}
    assert load(tmp_path, env).database == "from_env_path"
    assert load(tmp_path, env, config_file=tmp_path / "conf" / "explicit.toml").database == (
        "explicit"
    )


def test_missing_named_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"nope\.toml \(from ZENOO_CONFIG\) does not exist"):
        load(tmp_path, {"ZENOO_CONFIG": "nope.toml"})


# --------------------------------------------------------------------------- profiles

PROFILES = """
    url = "https://prod.example.com"
    database = "prod"
    username = "bot"

    [retry]
    max_attempts = 5

    [profiles.staging]
    url = "https://staging.example.com"
    database = "staging"

    [profiles.staging.retry]
    base_delay = 2.0

    [profiles.local]
    host = "localhost"
    port = 8069
    """


def test_profile_overlays_top_level(tmp_path: Path) -> None:
    write(tmp_path / "zenoo.toml", PROFILES)
    config = load(tmp_path, profile="staging")
    assert config.profile == "staging"
    assert config.url == "https://staging.example.com"
    assert config.database == "staging"
    assert config.username == "bot"
    assert config.retry.max_attempts == 5
    assert config.retry.base_delay == 2.0
    assert load(tmp_path, profile="local").url == "http://localhost:8069"


def test_profile_from_environment_and_from_file(tmp_path: Path) -> None:
    write(tmp_path / "zenoo.toml", 'profile = "staging"\n' + textwrap.dedent(PROFILES))
    assert load(tmp_path).database == "staging"
    assert load(tmp_path, {"ZENOO_PROFILE": "local"}).host == "localhost"
    assert load(tmp_path, {"ZENOO_PROFILE": "local"}, profile="staging").profile == "staging"


def test_without_profile_the_top_level_is_used(tmp_path: Path) -> None:
    write(tmp_path / "zenoo.toml", PROFILES)
    config = load(tmp_path)
    assert (config.database, config.profile) == ("prod", None)


def test_unknown_profile_lists_the_available_ones(tmp_path: Path) -> None:
    write(tmp_path / "zenoo.toml", PROFILES)
    with pytest.raises(ConfigError, match=r"Unknown profile 'stagin'.*: local, staging") as info:
        load(tmp_path, profile="stagin")
    assert info.value.path == "$.profiles.stagin"


def test_unknown_profile_without_any_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"Unknown profile 'x'; .*no zenoo.toml.*: none"):
        load(tmp_path, profile="x")


def test_bad_value_in_a_profile_names_the_profile(tmp_path: Path) -> None:
    write(tmp_path / "zenoo.toml", '[profiles.bad]\ntimeout = "slow"\n')
    with pytest.raises(ConfigError, match=r"zenoo\.toml \[profiles\.bad\]: .* `\$\.timeout`"):
        load(tmp_path, profile="bad")


# --------------------------------------------------------------------------- bad files


def test_wrong_type_names_file_and_key_path(tmp_path: Path) -> None:
    path = write(tmp_path / "zenoo.toml", '[retry]\nmax_attempts = "five"\n')
    with pytest.raises(ConfigError) as info:
        load(tmp_path)
    assert str(path) in str(info.value)
    assert "`$.retry.max_attempts`" in str(info.value)
    assert "Expected `int`, got `str`" in str(info.value)
    assert info.value.path == "$.retry.max_attempts"
    assert info.value.source == str(path)


def test_constraint_violation(tmp_path: Path) -> None:
    write(tmp_path / "zenoo.toml", "[retry]\nmax_attempts = 0\n")
    with pytest.raises(ConfigError, match=r"Expected `int` >= 1 - at `\$\.retry\.max_attempts`"):
        load(tmp_path)


@pytest.mark.parametrize(
    ("toml", "path", "hint"),
    [
        ("retyr = 3\n", "$.retyr", "did you mean `retry`?"),
        ("[retry]\nmax_atempts = 3\n", "$.retry.max_atempts", "did you mean `max_attempts`?"),
        ("[cache]\nbackned = 'redis'\n", "$.cache.backned", "did you mean `backend`?"),
    ],
)
def test_unknown_key_is_an_error(tmp_path: Path, toml: str, path: str, hint: str) -> None:
    write(tmp_path / "zenoo.toml", toml)
    with pytest.raises(ConfigError) as info:
        load(tmp_path)
    assert info.value.path == path
    assert "unknown key" in str(info.value)
    assert hint in str(info.value)
    assert "zenoo.toml" in str(info.value)


def test_toml_syntax_error_names_file_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path / "zenoo.toml", 'database = "demo"\ntimeout = = 3\n')
    with pytest.raises(ConfigError, match=r"invalid TOML: .*line 2, column") as info:
        load(tmp_path)
    assert str(path) in str(info.value)


def test_bad_pyproject_value_names_the_table(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", "[tool.zenoo]\ntimeout = 0\n")
    with pytest.raises(ConfigError, match=r"pyproject\.toml \[tool\.zenoo\]: .*`\$\.timeout`"):
        load(tmp_path)


# --------------------------------------------------------------------------- plugins table


def test_plugins_as_a_list(tmp_path: Path) -> None:
    write(tmp_path / "zenoo.toml", 'plugins = ["audit", "mycompany.hooks"]\n')
    config = load(tmp_path)
    assert config.plugins.enabled == ["audit", "mycompany.hooks"]
    assert config.plugins.get("audit") is None
    assert config.plugins.get("audit", {}) == {}


def test_plugins_as_a_table_with_settings(tmp_path: Path) -> None:
    write(
        tmp_path / "zenoo.toml",
        """
        [plugins]
        enabled = ["audit"]

        [plugins.audit]
        path = "audit.jsonl"
        """,
    )
    config = load(tmp_path)
    assert config.plugins == PluginsConfig(
        enabled=["audit"], settings={"audit": {"path": "audit.jsonl"}}
    )
    assert config.plugins.get("audit") == {"path": "audit.jsonl"}


def test_plugin_settings_merge_across_layers(tmp_path: Path) -> None:
    write(tmp_path / "zenoo.toml", '[plugins.audit]\npath = "a.jsonl"\nlevel = 1\n')
    config = load(tmp_path, plugins={"enabled": ["audit"], "audit": {"level": 2}})
    assert config.plugins.get("audit") == {"path": "a.jsonl", "level": 2}
    assert config.plugins.enabled == ["audit"]


def test_plugin_entry_that_is_not_a_table_explains_the_toml_rule(tmp_path: Path) -> None:
    write(tmp_path / "zenoo.toml", "[plugins]\naudit = true\n")
    with pytest.raises(ConfigError, match="TOML cannot have both") as info:
        load(tmp_path)
    assert info.value.path == "$.plugins.audit"


# --------------------------------------------------------------------------- secrets


def test_plain_secret_is_wrapped(tmp_path: Path) -> None:
    config = load(tmp_path, password=PASSWORD)
    assert isinstance(config.password, Secret)
    assert config.password.get_secret_value() == PASSWORD


def test_secret_from_environment_variable(tmp_path: Path) -> None:
    write(tmp_path / "zenoo.toml", 'password = {env = "ODOO_PASSWORD"}\n')
    config = load(tmp_path, {"ODOO_PASSWORD": PASSWORD})
    assert config.password is not None
    assert config.password.get_secret_value() == PASSWORD


def test_secret_from_unset_variable_names_variable_and_key(tmp_path: Path) -> None:
    write(tmp_path / "zenoo.toml", 'api_key = {env = "ODOO_API_KEY"}\n')
    with pytest.raises(ConfigError, match=r"ODOO_API_KEY is not set \(for `\$\.api_key`\)") as info:
        load(tmp_path)
    assert info.value.path == "$.api_key"


def test_secret_from_file_relative_to_the_config_file(tmp_path: Path) -> None:
    write(tmp_path / "secrets" / "odoo", f"  {PASSWORD}\n")
    write(tmp_path / "conf" / "zenoo.toml", 'password = {file = "../secrets/odoo"}\n')
    config = load(tmp_path, config_file="conf/zenoo.toml")
    assert config.password == Secret(PASSWORD)


def test_secret_from_absolute_file_path(tmp_path: Path) -> None:
    secret = write(tmp_path / "odoo.secret", PASSWORD)
    config = ZenooConfig.from_mapping({"api_key": {"file": str(secret)}})
    assert reveal(config.api_key) == PASSWORD


def test_missing_secret_file_is_an_error(tmp_path: Path) -> None:
    write(tmp_path / "zenoo.toml", 'password = {file = "/nonexistent/odoo"}\n')
    with pytest.raises(ConfigError, match=r"secret file /nonexistent/odoo .*cannot be read"):
        load(tmp_path)


@pytest.mark.parametrize(
    "value", ["password = 5", 'password = {env = "A", file = "b"}', "password = {vault = 'x'}"]
)
def test_secret_of_the_wrong_shape(tmp_path: Path, value: str) -> None:
    write(tmp_path / "zenoo.toml", value + "\n")
    with pytest.raises(ConfigError, match=r'`\$\.password` must be a string, \{env = "VAR"\}'):
        load(tmp_path)


def test_secrets_in_plugin_and_cache_settings(tmp_path: Path) -> None:
    write(
        tmp_path / "zenoo.toml",
        """
        [cache.settings]
        url = "redis://cache:6379"
        password = {env = "REDIS_PASSWORD"}

        [plugins.audit]
        file = "audit.jsonl"
        auth_token = {env = "AUDIT_TOKEN"}
        """,
    )
    config = load(tmp_path, {"REDIS_PASSWORD": PASSWORD, "AUDIT_TOKEN": "tok-123"})
    assert config.cache.settings["password"] == Secret(PASSWORD)
    audit = config.plugins.get("audit", {})
    assert audit["file"] == "audit.jsonl"  # not a secret name: left alone
    assert reveal(audit) == {"file": "audit.jsonl", "auth_token": "tok-123"}


def test_secret_never_shows_in_repr_str_display_or_errors(tmp_path: Path) -> None:
    write(
        tmp_path / "zenoo.toml",
        f"""
        url = "https://bot:pw-in-url@odoo.example.com"
        password = "{PASSWORD}"
        api_key = "{PASSWORD}"

        [cache.settings]
        token = "{PASSWORD}"
        """,
    )
    config = load(tmp_path)
    secret = config.password
    assert secret is not None
    for text in (repr(config), str(config), repr(secret), str(secret), f"{secret}"):
        assert PASSWORD not in text
    display = config.to_display_dict()
    assert PASSWORD not in repr(display)
    assert display["password"] == "***"
    assert display["url"] == "https://bot:***@odoo.example.com"
    assert "pw-in-url" not in repr(display)
    assert display["cache"]["settings"]["token"] == "***"

    write(tmp_path / "zenoo.toml", f'password = "{PASSWORD}"\ntimeout = "x"\n')
    with pytest.raises(ConfigError) as info:
        load(tmp_path)
    assert PASSWORD not in str(info.value)
    assert PASSWORD not in repr(info.value)


def test_secret_value_semantics() -> None:
    assert Secret("a") == Secret("a")
    assert Secret("a") != Secret("b")
    assert Secret("a") != "a"
    assert not Secret("")
    assert repr(Secret("a")) == "Secret('***')"
    assert pickle.loads(pickle.dumps(Secret("a"))) == Secret("a")
    with pytest.raises(TypeError):
        Secret(5)  # type: ignore[arg-type]


def test_config_pickles_and_round_trips_through_from_mapping(tmp_path: Path) -> None:
    config = load(tmp_path, password=PASSWORD, plugins=["audit"], cache_enabled=True)
    assert pickle.loads(pickle.dumps(config)) == config
    data = {f: getattr(config, f) for f in config.__struct_fields__}
    assert ZenooConfig.from_mapping(data) == config


# --------------------------------------------------------------------------- mappings and providers


def test_from_mapping_errors_name_the_source() -> None:
    with pytest.raises(ConfigError, match=r"^DatabaseConfigProvider: .*`\$\.timeout`"):
        ZenooConfig.from_mapping({"timeout": "slow"}, source="DatabaseConfigProvider")


async def test_config_provider_protocol() -> None:
    class DatabaseConfigProvider:
        async def load_config(self) -> dict[str, Any]:
            return {"url": "https://odoo.example.com", "password": {"env": "ODOO_PASSWORD"}}

    provider = DatabaseConfigProvider()
    assert isinstance(provider, ConfigProvider)
    data = await provider.load_config()
    config = ZenooConfig.from_mapping(data, env={"ODOO_PASSWORD": PASSWORD})
    assert config.url == "https://odoo.example.com"
    assert reveal(config.password) == PASSWORD
