"""``zenoo doctor``: every step reported, and the exit code of the first failure."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from cli_support import Served, Zenoo, clean_environment
from click.testing import Result


def test_doctor_walks_config_server_protocol_login_and_cache(
    zenoo: Zenoo, served: Served, tmp_path: Path
) -> None:
    config = tmp_path / "zenoo.toml"
    config.write_text(
        'url = "http://127.0.0.1:1"\n'
        "[profiles.local]\n"
        f'url = "{served.url}"\n'
        'database = "demo"\n'
        'username = "admin"\n'
        'password = {env = "LOCAL_ODOO_PASSWORD"}\n'
        "[profiles.local.cache]\n"
        "enabled = true\n"
    )
    zenoo.env = clean_environment(LOCAL_ODOO_PASSWORD="admin")
    result = zenoo("--profile", "local", "doctor")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert [line.split()[:2] for line in lines] == [
        ["OK", "config"],
        ["OK", "server"],
        ["OK", "plugins"],
        ["OK", "server"],
        ["OK", "protocol"],
        ["OK", "login"],
        ["OK", "deprecation"],
        ["OK", "cache"],
    ]
    assert lines[0].endswith(f"{config}, profile local")
    assert lines[1].endswith(served.url)
    assert lines[2].endswith("zenoo_rpc.builtin")
    assert "Odoo 18.0 answered in" in lines[3]
    assert lines[4].endswith("jsonrpc: Odoo 18 has no JSON-2 API")
    assert lines[5].endswith("admin on database demo (uid 2) over jsonrpc")
    assert lines[7].endswith("memory backend (enabled): set/get round trip ok")
    assert result.stderr == ""


def test_doctor_json_report(run_served: Callable[..., Result]) -> None:
    result = run_served("doctor", "--json")
    assert result.exit_code == 0
    report = json.loads(result.stdout)
    assert report["ok"] is True
    assert report["exit_code"] == 0
    steps = {step["name"]: step for step in report["steps"]}
    assert steps["protocol"]["protocol"] == "jsonrpc"
    assert steps["protocol"]["reason"] == "Odoo 18 has no JSON-2 API"
    assert steps["login"]["uid"] == 2
    assert steps["server"]["major"] == 18
    assert steps["cache"]["health"]["status"] == "ok"


def test_unreachable_server_fails_the_server_step_and_skips_login(
    run_served: Callable[..., Result],
) -> None:
    env = {"ZENOO_URL": "http://127.0.0.1:9", "ZENOO_RETRY_MAX_ATTEMPTS": "1"}
    result = run_served("doctor", env=env)
    assert result.exit_code == 3
    statuses = {line.split()[1]: line.split()[0] for line in result.stdout.splitlines()}
    assert statuses["server"] == "FAIL"
    assert statuses["login"] == "SKIP"
    assert statuses["cache"] == "OK"
    assert "zenoo: error: server: cannot reach the server" in result.stderr


def test_wrong_password_fails_the_login_step_after_the_protocol_choice(
    run_served: Callable[..., Result],
) -> None:
    secret = "wrong-and-secret"
    result = run_served("--password", secret, "--json", "doctor")
    assert result.exit_code == 4
    report = json.loads(result.stdout)
    failing = [step for step in report["steps"] if step["status"] == "fail"]
    assert failing == [
        {
            "name": "login",
            "status": "fail",
            "detail": "authentication failed: AccessDenied: wrong login or password/API key "
            "for admin on demo",
            "exit_code": 4,
            "error": "AccessDenied",
        }
    ]
    assert [step["name"] for step in report["steps"]][4] == "protocol"
    assert secret not in result.output


def test_unknown_plugin_fails_the_plugins_step_with_exit_2(
    run_served: Callable[..., Result], isolated: Path
) -> None:
    (isolated / "zenoo.toml").write_text('plugins = ["nosuch_plugin"]\n')
    result = run_served("doctor", "--json")
    assert result.exit_code == 2
    report = json.loads(result.stdout)
    assert report["steps"][-1]["name"] == "plugins"
    assert report["steps"][-1]["status"] == "fail"
    assert "Unknown zenoo-rpc plugin 'nosuch_plugin'" in report["steps"][-1]["detail"]


def test_a_cache_backend_that_fails_fails_the_cache_step(
    cli_runner: Callable[..., Result], isolated: Path
) -> None:
    (isolated / "zenoo.toml").write_text('[cache]\nenabled = true\nbackend = "redis"\n')
    result = cli_runner("doctor")
    assert result.exit_code == 2
    cache_line = result.stdout.splitlines()[-1]
    assert cache_line.startswith("FAIL  cache")
    assert "unknown cache backend 'redis'" in cache_line
    assert "pip install zenoo-rpc-redis-cluster" in cache_line
    assert "OK    login" in result.stdout


def test_a_disabled_cache_that_fails_is_only_a_warning(
    cli_runner: Callable[..., Result], isolated: Path
) -> None:
    (isolated / "zenoo.toml").write_text('[cache]\nbackend = "redis"\n')
    result = cli_runner("doctor")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1].split()[:5] == [
        "WARN",
        "cache",
        "redis",
        "backend",
        "(disabled",
    ]
