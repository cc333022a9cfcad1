"""Failure paths: each has its exit code and a message saying what is wrong.

The four the issue names (wrong password, unreachable server, unknown plugin,
bad TOML) run the real command in a subprocess; the other configuration
errors run in-process.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from cli_support import Zenoo, assert_no_secret
from click.testing import Result


def test_wrong_password_exits_4_and_is_never_printed(zenoo: Zenoo) -> None:
    secret = "not-the-password-but-secret"
    result = zenoo("-vv", "--password", secret, "call", "res.partner", "search_count", "[[]]")
    assert result.returncode == 4
    assert result.stderr.strip().endswith(
        "zenoo: error: authentication failed: AccessDenied: wrong login or password/API key "
        "for admin on demo"
    )
    assert "DEBUG zenoo_rpc" in result.stderr  # -vv logged the requests...
    assert_no_secret(secret, result)  # ...and the secret nowhere
    assert result.stdout == ""


def test_unreachable_server_exits_3(zenoo: Zenoo) -> None:
    # Port 9 (discard) is closed on loopback; one attempt keeps the test short.
    env = {"ZENOO_URL": "http://127.0.0.1:9", "ZENOO_RETRY_MAX_ATTEMPTS": "1"}
    result = zenoo("call", "res.partner", "search_count", "[[]]", env=env)
    assert result.returncode == 3
    assert "zenoo: error: cannot reach the server: cannot connect to http://127.0.0.1:9" in (
        result.stderr
    )
    assert "Traceback" not in result.stderr


def test_unknown_plugin_in_config_exits_2_listing_the_installed_ones(
    zenoo: Zenoo, tmp_path: Path
) -> None:
    (tmp_path / "zenoo.toml").write_text('plugins = ["nosuch_plugin"]\n')
    result = zenoo("call", "res.partner", "search_count", "[[]]")
    assert result.returncode == 2
    assert "zenoo: error: Unknown zenoo-rpc plugin 'nosuch_plugin'." in result.stderr
    assert "Installed plugins: " in result.stderr


def test_bad_toml_exits_2_naming_the_file_and_line(zenoo: Zenoo, tmp_path: Path) -> None:
    config = tmp_path / "zenoo.toml"
    config.write_text('url = "http://127.0.0.1:8069"\ntimeout = = 3\n')
    result = zenoo("call", "res.partner", "search_count", "[[]]")
    assert result.returncode == 2
    assert f"zenoo: error: {config}: invalid TOML" in result.stderr
    assert "line 2" in result.stderr


def test_unknown_config_key_and_profile_exit_2(
    run_served: Callable[..., Result], isolated: Path
) -> None:
    (isolated / "zenoo.toml").write_text("timout = 3\n[profiles.staging]\ndatabase = 'x'\n")
    typo = run_served("call", "res.partner", "search_count", "[[]]")
    assert typo.exit_code == 2
    assert "unknown key `timout`" in typo.stderr
    assert "did you mean `timeout`?" in typo.stderr
    (isolated / "zenoo.toml").write_text("[profiles.staging]\ndatabase = 'x'\n")
    profile = run_served("--profile", "prod", "call", "res.partner", "search_count", "[[]]")
    assert profile.exit_code == 2
    assert "Unknown profile 'prod'" in profile.stderr
    assert "staging" in profile.stderr


def test_missing_credentials_exit_2(run_served: Callable[..., Result]) -> None:
    result = run_served("call", "res.partner", "search_count", "[[]]", env={"ZENOO_PASSWORD": ""})
    assert result.exit_code == 2
    assert "login needs a database, a username and a password or API key" in result.stderr


def test_a_missing_config_file_exits_2(run_served: Callable[..., Result]) -> None:
    result = run_served("--config", "nowhere.toml", "doctor")
    assert result.exit_code == 2
    assert "nowhere.toml (from config_file argument) does not exist" in result.stderr


def test_a_password_typed_on_the_command_line_replaces_a_configured_api_key(
    run_served: Callable[..., Result], isolated: Path
) -> None:
    (isolated / "zenoo.toml").write_text('api_key = "a-revoked-key"\n')
    no_password = {"ZENOO_PASSWORD": ""}
    configured = run_served("call", "res.users", "search_count", "[[]]", env=no_password)
    assert configured.exit_code == 4
    typed = run_served(
        "--password", "admin", "call", "res.users", "search_count", "[[]]", env=no_password
    )
    assert typed.exit_code == 0, typed.output


def test_a_malformed_url_exits_2_without_a_traceback(run_served: Callable[..., Result]) -> None:
    for command in (["doctor"], ["call", "res.partner", "search_count", "[[]]"]):
        result = run_served("--url", "http://[::1", *command)
        assert result.exit_code == 2, (command, result.output)
        assert "Invalid IPv6 URL" in result.stderr
        assert result.exception is None or isinstance(result.exception, SystemExit)
