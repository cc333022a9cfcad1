"""The ``zenoo`` command group: global options, the commands, failures turned into exit codes."""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence
from typing import Any

import click

from zenoo_rpc.__about__ import __version__
from zenoo_rpc.cli import (
    attachment,
    call,
    db,
    doctor,
    emulator_cmd,
    export,
    import_,
    models_cmd,
    plugins_cmd,
    report,
    shell,
)
from zenoo_rpc.cli.exit_codes import EXIT_CODES_HELP, CommandFailed
from zenoo_rpc.cli.output import Output
from zenoo_rpc.cli.state import CliState, ConnectionOptions
from zenoo_rpc.errors import ZenooError

__all__ = ["cli", "run"]

CONTEXT_SETTINGS: dict[str, Any] = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class ZenooGroup(click.Group):
    """A click group that turns zenoo-rpc errors and file errors into exit codes."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except (ZenooError, OSError) as exc:
            state = ctx.find_object(CliState)
            verbose = bool(state is not None and state.output.verbose)
            raise CommandFailed.from_exception(exc, verbose=verbose) from exc


@click.group(
    cls=ZenooGroup,
    context_settings=CONTEXT_SETTINGS,
    epilog=EXIT_CODES_HELP,
)
@click.option(
    "--config",
    "config_file",
    metavar="FILE",
    help="zenoo.toml to read (default: $ZENOO_CONFIG, else the nearest zenoo.toml "
    "or pyproject.toml with [tool.zenoo]).",
)
@click.option("--profile", metavar="NAME", help="[profiles.NAME] of the config file to use.")
@click.option("--url", metavar="URL", help="Server URL (http(s)://host[:port], memory://name).")
@click.option("--db", "database", metavar="NAME", help="Database to log in to.")
@click.option("--user", "username", metavar="LOGIN", help="Login.")
@click.option(
    "--password",
    metavar="PASSWORD",
    help="Password (prefer ZENOO_PASSWORD or the config file; never printed).",
)
@click.option("--api-key", metavar="KEY", help="API key (prefer ZENOO_API_KEY; never printed).")
@click.option("--timeout", type=float, metavar="SECONDS", help="Per-request timeout.")
@click.option("--json", "json_mode", is_flag=True, help="Print data as JSON.")
@click.option("-v", "--verbose", count=True, help="Log more (-vv: debug); show tracebacks.")
@click.version_option(__version__, "-V", "--version", prog_name="zenoo")
@click.pass_context
def cli(
    ctx: click.Context,
    config_file: str | None,
    profile: str | None,
    url: str | None,
    database: str | None,
    username: str | None,
    password: str | None,
    api_key: str | None,
    timeout: float | None,
    json_mode: bool,
    verbose: int,
) -> None:
    """zenoo: Odoo from the command line, through zenoo-rpc.

    Connection settings come from the options below, ZENOO_* environment
    variables and zenoo.toml, in that order of precedence. Data goes to stdout
    (JSON with --json), messages and progress to stderr.
    """
    _configure_logging(verbose)
    options = ConnectionOptions(
        config_file=config_file,
        profile=profile,
        url=url,
        database=database,
        username=username,
        password=password,
        api_key=api_key,
        timeout=timeout,
    )
    ctx.obj = CliState(options, Output(json_mode=json_mode, verbose=verbose))


for _command in (
    plugins_cmd.plugins,
    doctor.doctor,
    call.call,
    export.export,
    import_.import_command,
    report.report,
    attachment.attachment,
    db.db,
    models_cmd.models,
    emulator_cmd.emulator,
    emulator_cmd.demo,
    shell.shell,
):
    cli.add_command(_command)


def _configure_logging(verbose: int) -> None:
    """Log records of zenoo-rpc go to stderr; ``-v`` shows INFO, ``-vv`` DEBUG."""
    logger = logging.getLogger("zenoo_rpc")
    if verbose > 0:
        logger.setLevel(logging.INFO if verbose == 1 else logging.DEBUG)
    if not logging.getLogger().handlers and not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        logger.addHandler(handler)


def run(argv: Sequence[str] | None = None) -> int:
    """Run ``zenoo`` with ``argv`` (default: ``sys.argv[1:]``); return the exit code."""
    try:
        cli.main(args=list(argv) if argv is not None else None, prog_name="zenoo")
    except SystemExit as exc:
        code = exc.code
        if code is None:
            return 0
        if isinstance(code, int):
            return code
        sys.stderr.write(f"{code}\n")
        return 1
