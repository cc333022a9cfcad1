"""``zenoo db list | create | duplicate | drop | backup | restore``: Odoo's database manager.

::

    zenoo db list
    zenoo db create staging --admin-password '...'       # asks for it when not given
    zenoo db duplicate prod prod-copy --neutralize
    zenoo db backup prod -o prod.zip
    zenoo db restore prod-restored prod.zip --copy
    zenoo db drop prod-copy --yes

These need no login, only the server URL (``--url``, ``ZENOO_URL`` or the
config file) and, except ``list``, the master password: ``--master-password``,
else ``ZENOO_MASTER_PASSWORD`` or ``master_password`` in the config file,
else it is asked for (hidden) when stdin is a terminal; without one the
command exits with code 2. A wrong master password exits with code 4.
``drop`` asks for confirmation on a terminal and needs ``--yes`` otherwise.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar

import click

from zenoo_rpc.cli.arguments import json_option, output_file_option
from zenoo_rpc.cli.state import CliState, pass_state, stdin_is_tty

if TYPE_CHECKING:
    from zenoo_rpc.operations import DatabaseManager

__all__ = ["db"]

F = TypeVar("F", bound=Callable[..., Any])


def master_password_option(function: F) -> F:
    """``--master-password`` (falls back on ``ZENOO_MASTER_PASSWORD``, config, prompt)."""
    decorator = click.option(
        "--master-password",
        metavar="PASSWORD",
        help="The server's master password (prefer ZENOO_MASTER_PASSWORD; never printed).",
    )
    return decorator(function)


@contextlib.asynccontextmanager
async def database_manager(
    state: CliState, master_password: str | None, *, needs_password: bool = True
) -> AsyncIterator[DatabaseManager]:
    """A ``DatabaseManager`` through a client of the configured server (no login)."""
    from zenoo_rpc.operations import DatabaseManager

    config = state.load_config()
    password = state.master_password(config, master_password) if needs_password else None
    async with state.build_client(config) as client:
        yield DatabaseManager.for_client(client, master_password=password)


@click.group()
def db() -> None:
    """List, create, copy, drop, back up, restore databases."""


@db.command("list")
@json_option
@pass_state
def list_(state: CliState) -> None:
    """List the server's databases."""

    async def run() -> list[str]:
        async with database_manager(state, None, needs_password=False) as manager:
            return list(await manager.list())

    names = asyncio.run(run())
    state.output.data(names, "\n".join(names))


@db.command()
@click.argument("name")
@click.option("--admin-password", metavar="PASSWORD", help="Password of the new admin user.")
@click.option("--admin-login", default="admin", show_default=True, help="Login of the admin user.")
@click.option("--lang", default="en_US", show_default=True, help="Language to install.")
@click.option("--country", "country_code", metavar="CODE", help="Country code (be, us...).")
@click.option("--demo", is_flag=True, help="Load demo data.")
@master_password_option
@pass_state
def create(
    state: CliState,
    name: str,
    admin_password: str | None,
    admin_login: str,
    lang: str,
    country_code: str | None,
    demo: bool,
    master_password: str | None,
) -> None:
    """Create database NAME."""
    if admin_password is None:
        if not stdin_is_tty():
            raise click.BadParameter(
                "the new database needs an admin password", param_hint="--admin-password"
            )
        admin_password = click.prompt(
            f"Password for {admin_login} of {name}",
            hide_input=True,
            confirmation_prompt=True,
            err=True,
        )

    async def run() -> None:
        async with database_manager(state, master_password) as manager:
            await manager.create(
                name,
                admin_password=admin_password,
                admin_login=admin_login,
                lang=lang,
                country_code=country_code,
                demo=demo,
            )

    asyncio.run(run())
    _done(state, "created", name)


@db.command()
@click.argument("name")
@click.argument("new_name")
@click.option("--neutralize", is_flag=True, help="Neutralize the copy (no mails, no crons).")
@master_password_option
@pass_state
def duplicate(
    state: CliState, name: str, new_name: str, neutralize: bool, master_password: str | None
) -> None:
    """Copy database NAME to NEW_NAME."""

    async def run() -> None:
        async with database_manager(state, master_password) as manager:
            await manager.duplicate(name, new_name, neutralize=neutralize)

    asyncio.run(run())
    _done(state, "duplicated", new_name, source=name)


@db.command()
@click.argument("name")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@master_password_option
@pass_state
def drop(state: CliState, name: str, yes: bool, master_password: str | None) -> None:
    """Delete database NAME for good."""
    if not yes:
        if not stdin_is_tty():
            raise click.UsageError(f"dropping {name!r} needs --yes when not run on a terminal")
        click.confirm(f"Drop database {name!r} and all its data?", abort=True, err=True)

    async def run() -> None:
        async with database_manager(state, master_password) as manager:
            await manager.drop(name)

    asyncio.run(run())
    _done(state, "dropped", name)


@db.command()
@click.argument("name")
@output_file_option(stdout=False)
@click.option(
    "--format",
    "backup_format",
    type=click.Choice(["zip", "dump"]),
    default="zip",
    show_default=True,
    help="zip: database and filestore; dump: pg_dump custom format, no filestore.",
)
@master_password_option
@pass_state
def backup(
    state: CliState,
    name: str,
    output_path: Path,
    backup_format: Literal["zip", "dump"],
    master_password: str | None,
) -> None:
    """Back database NAME up into FILE."""

    async def run() -> int:
        async with database_manager(state, master_password) as manager:
            return int(await manager.backup(name, output_path, backup_format=backup_format))

    size = asyncio.run(run())
    _done(state, "backed up", name, file=str(output_path), bytes=size)


@db.command()
@click.argument("name")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--copy", is_flag=True, help="Restored as a copy (new database uuid).")
@master_password_option
@pass_state
def restore(
    state: CliState, name: str, source: Path, copy: bool, master_password: str | None
) -> None:
    """Restore backup SOURCE as database NAME."""

    async def run() -> None:
        async with database_manager(state, master_password) as manager:
            await manager.restore(name, source, copy=copy)

    asyncio.run(run())
    _done(state, "restored", name, file=str(source))


def _done(state: CliState, action: str, name: str, **details: Any) -> None:
    summary = {"database": name, "action": action, **details}
    if state.output.json_mode:
        state.output.json(summary)
    else:
        extra = "".join(f", {key} {value}" for key, value in details.items())
        state.output.note(f"{action} database {name}{extra}")
