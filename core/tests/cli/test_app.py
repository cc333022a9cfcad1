"""The command itself: help, version, usage errors, and the message when the extra is missing."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable

import pytest
from click.testing import CliRunner, Result

from zenoo_rpc.__about__ import __version__
from zenoo_rpc.cli import MISSING_EXTRA, main
from zenoo_rpc.cli.app import cli

COMMANDS = [
    "attachment",
    "call",
    "db",
    "demo",
    "doctor",
    "emulator",
    "export",
    "import",
    "models",
    "plugins",
    "report",
    "shell",
]


def test_help_lists_every_command_with_a_whole_line_of_help_and_the_exit_codes() -> None:
    result = CliRunner().invoke(cli, ["--help"], prog_name="zenoo", terminal_width=100)
    assert result.exit_code == 0
    listing = result.stdout.split("Commands:")[1]
    for command in COMMANDS:
        line = next(line for line in listing.splitlines() if line.strip().startswith(command))
        summary = line.strip()[len(command) :].strip()
        assert summary, line
        assert not summary.endswith("..."), line
    assert "Exit codes: 0 ok; 1 operation failed" in result.stdout
    assert "4 authentication failed" in result.stdout


def test_version() -> None:
    result = CliRunner().invoke(cli, ["--version"], prog_name="zenoo")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"zenoo, version {__version__}"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["call", "res.partner"], "Missing argument 'METHOD'"),
        (["call", "res.partner", "search", "[[]"], "ARGS_JSON: not valid JSON"),
        (["call", "res.partner", "search", '{"a": 1}'], "the positional arguments are a JSON list"),
        (["call", "res.partner", "search", "--kw", "limit"], "expected KEY=VALUE"),
        (["export", "res.partner"], "Missing option '-o'"),
        (["export", "res.partner", "-o", "x.csv", "--format", "xml"], "'xml' is not one of"),
        (["export", "res.partner", "-o", "-", "--resume"], "stdout cannot be resumed"),
        (["export", "res.partner", "-o", "nodir/p.csv"], "directory nodir does not exist"),
        (["export", "res.partner", "-o", "x.csv", "--domain", '{"a": 1}'], "a domain is a JSON"),
        (["import", "res.partner", "nowhere.csv"], "'nowhere.csv' does not exist"),
        (["report", "sale.report_saleorder", "7,x", "-o", "o.pdf"], "'x' is not a record id"),
        (["db", "drop", "demo"], "needs --yes when not run on a terminal"),
        (["nosuchcommand"], "No such command 'nosuchcommand'"),
    ],
)
def test_usage_errors_exit_2_before_connecting(
    cli_runner: Callable[..., Result], args: list[str], message: str
) -> None:
    result = cli_runner(*args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert result.stdout == ""


def test_a_field_the_model_lacks_is_a_usage_error(cli_runner: Callable[..., Result]) -> None:
    result = cli_runner("export", "res.partner", "--fields", "name,nope", "-o", "p.csv")
    assert result.exit_code == 2
    assert "res.partner has no field 'nope'" in result.stderr


def test_server_errors_exit_1_with_the_message_and_no_traceback(
    cli_runner: Callable[..., Result],
) -> None:
    result = cli_runner("call", "res.partner", "create", '[{"email": "x@example.com"}]')
    assert result.exit_code == 1
    assert result.stderr.startswith("zenoo: error: ValidationError:")
    assert "Traceback" not in result.stderr
    verbose = cli_runner("-v", "call", "res.partner", "create", '[{"email": "x@example.com"}]')
    assert verbose.exit_code == 1
    assert "Traceback (most recent call last)" in verbose.stderr


def test_main_returns_the_exit_code(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--version"]) == 0
    assert main(["call"]) == 2
    assert "Missing argument 'MODEL'" in capsys.readouterr().err


def test_without_rich_main_names_the_extra(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "rich", None)
    assert main(["--help"]) == 1
    assert capsys.readouterr().err.startswith(MISSING_EXTRA)


def test_without_click_the_console_script_names_the_extra() -> None:
    blocked = (
        "import sys; sys.modules['click'] = None; "
        "from zenoo_rpc.cli import main; raise SystemExit(main(['doctor']))"
    )
    result = subprocess.run(
        [sys.executable, "-c", blocked], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 1
    assert result.stderr == f"{MISSING_EXTRA} (missing: click)\n"
    assert result.stdout == ""
