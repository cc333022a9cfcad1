"""A user with two-factor authentication: asked for the code on a terminal, exit 4 otherwise."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_support import Zenoo, clean_environment, read_terminal
from click.testing import CliRunner

from zenoo_rpc.cli.app import cli
from zenoo_rpc.testing.emulator.serve import serve_emulator_in_thread
from zenoo_rpc.testing.emulator.server import Emulator
from zenoo_rpc.testing.emulator.totp import totp_code


@pytest.fixture(scope="module")
def two_factor() -> Iterator[tuple[str, str]]:
    """A served emulator whose admin has 2FA on: ``(url, secret)``."""
    emulator = Emulator(size=5)
    secret = emulator.databases["demo"].enable_totp("admin")
    with serve_emulator_in_thread(emulator) as url:
        yield url, secret


def _environment(url: str) -> dict[str, str]:
    return clean_environment(
        ZENOO_URL=url,
        ZENOO_DATABASE="demo",
        ZENOO_USERNAME="admin",
        ZENOO_PASSWORD="admin",
        ZENOO_PROTOCOL="web",  # 2FA logins happen in a web session
        TERM="dumb",
    )


def test_without_a_terminal_the_login_fails_with_exit_4(
    two_factor: tuple[str, str], isolated: Path
) -> None:
    url, _ = two_factor
    result = CliRunner().invoke(
        cli, ["call", "res.users", "search_count", "[[]]"], env=_environment(url)
    )
    assert result.exit_code == 4
    assert "zenoo: error: authentication failed:" in result.stderr
    assert "two-factor" in result.stderr.lower()


def test_on_a_terminal_the_code_is_asked_for(two_factor: tuple[str, str], tmp_path: Path) -> None:
    url, secret = two_factor
    env = _environment(url)
    leader, follower = os.openpty()
    process = subprocess.Popen(
        Zenoo(tmp_path, env).command("call", "res.users", "search_count", "[[]]"),
        stdin=follower,
        stdout=follower,
        stderr=follower,
        cwd=tmp_path,
        env=env,
    )
    os.close(follower)
    try:
        shown = read_terminal(leader, "Authentication code (2FA): ")
        assert "Password" not in shown  # the configured password was used
        os.write(leader, totp_code(secret).encode() + b"\n")
        assert process.wait(timeout=30) == 0
        assert read_terminal(leader, "\n").strip().splitlines()[-1].isdigit()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=30)
        os.close(leader)
