"""What every ``zenoo`` command shares: the global options, the output, a connected client.

The global options (``--config``, ``--profile``, ``--url``, ``--db``,
``--user``, ``--password``, ``--api-key``, ``--timeout``) are the highest
layer of the usual configuration: ``ZENOO_*`` variables and ``zenoo.toml``
(with its profiles) fill in the rest, exactly as for ``ZenooClient``.
Secrets given on the command line are wrapped in
:class:`~zenoo_rpc.config.Secret` at once and never printed; prefer
``ZENOO_PASSWORD`` / ``ZENOO_API_KEY`` or ``{env = ...}`` in the file, since
command lines are visible to other users of the machine. When no password
or API key is configured and stdin is a terminal, the password is prompted
for (hidden).
"""

from __future__ import annotations

import contextlib
import os
import sys
import warnings
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from zenoo_rpc.cli.output import Output
from zenoo_rpc.config import CONFIG_ENV, ZenooConfig, find_config_file, load_config, reveal
from zenoo_rpc.errors import TwoFactorRequired

if TYPE_CHECKING:
    from zenoo_rpc.client import ZenooClient
    from zenoo_rpc.events import Event

__all__ = ["CliState", "ConnectionOptions", "pass_state", "stdin_is_tty"]


def stdin_is_tty() -> bool:
    """Whether the user can be asked something (stdin is a terminal)."""
    try:
        return sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


@dataclass
class ConnectionOptions:
    """The global options that say where to connect and as whom (``None``: not given)."""

    config_file: str | None = None
    profile: str | None = None
    url: str | None = None
    database: str | None = None
    username: str | None = None
    password: str | None = None
    api_key: str | None = None
    timeout: float | None = None

    def overrides(self) -> dict[str, Any]:
        """The options as ``load_config`` arguments."""
        return {
            "url": self.url,
            "database": self.database,
            "username": self.username,
            "password": self.password,
            "api_key": self.api_key,
            "timeout": self.timeout,
        }


class CliState:
    """The ``ctx.obj`` of every command: options, output, and how to get a client."""

    def __init__(self, options: ConnectionOptions, output: Output) -> None:
        self.options = options
        self.output = output

    def load_config(self) -> ZenooConfig:
        """The resolved configuration (arguments > ``ZENOO_*`` > file).

        A ``--password`` given without ``--api-key`` replaces a configured API
        key (which would otherwise win): what is typed on the command line is
        what logs in.

        :raises ConfigError: bad TOML, unknown key or profile (exit code 2).
        """
        config = load_config(
            config_file=self.options.config_file,
            profile=self.options.profile,
            **self.options.overrides(),
        )
        if self.options.password and not self.options.api_key and config.api_key:
            import msgspec

            config = msgspec.structs.replace(config, api_key=None)
        return config

    def config_source(self) -> str | None:
        """The configuration file that is read, or ``None`` when there is none."""
        if self.options.config_file is not None:
            return str(Path(self.options.config_file).expanduser().resolve())
        if os.environ.get(CONFIG_ENV):
            return str(Path(os.environ[CONFIG_ENV]).expanduser().resolve())
        found = find_config_file(Path.cwd())
        return str(found) if found is not None else None

    def build_client(self, config: ZenooConfig | None = None) -> ZenooClient:
        """A client for the configuration; plugins load here (errors exit with code 2)."""
        from zenoo_rpc.client import ZenooClient

        return ZenooClient(config=config or self.load_config())

    def with_prompted_password(self, config: ZenooConfig) -> ZenooConfig:
        """``config``, with a password asked for (hidden) when none is configured.

        Only when stdin is a terminal; otherwise the login fails with a
        configuration error saying what is missing.
        """
        if config.password or config.api_key or not stdin_is_tty():
            return config
        import msgspec

        from zenoo_rpc.config import Secret

        who = f"{config.username or '?'} on {config.database or '?'}"
        password = click.prompt(f"Password for {who}", hide_input=True, err=True)
        return msgspec.structs.replace(config, password=Secret(password))

    @contextlib.asynccontextmanager
    async def client(self) -> AsyncIterator[ZenooClient]:
        """A client, opened and logged in; closed afterwards.

        A deprecation the login reports (legacy RPC on Odoo 19+) is printed
        once on stderr as a warning, not raised as a Python warning.
        """
        config = self.with_prompted_password(self.load_config())
        async with self.build_client(config) as client:
            client.register_event_handler(self._on_event)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)
                await login_client(client)
            yield client

    def _on_event(self, event: Event) -> None:
        if event.name == "deprecation":
            self.output.warn(str(event.data.get("message", "")))

    def master_password(self, config: ZenooConfig, given: str | None) -> str | None:
        """The ``db`` master password: the option, else the configuration's
        (``ZENOO_MASTER_PASSWORD`` or ``master_password`` in the file), else a
        hidden prompt when stdin is a terminal, else ``None`` (the command then
        fails with a configuration error saying where to put it).
        """
        if given:
            return given
        if config.master_password:
            return str(reveal(config.master_password))
        if stdin_is_tty():
            return str(click.prompt("Master password", hide_input=True, err=True))
        return None


async def login_client(client: ZenooClient) -> None:
    """Log ``client`` in from its configuration.

    A user with two-factor authentication is asked for the code when stdin is
    a terminal (the login then happens in a web session, as Odoo requires);
    otherwise :class:`~zenoo_rpc.errors.TwoFactorRequired` ends the command
    with exit code 4.
    """
    try:
        await client.login()
    except TwoFactorRequired:
        if not stdin_is_tty():
            raise
        await client.login(totp=_prompt_totp)


def _prompt_totp() -> str:
    return str(click.prompt("Authentication code (2FA)", err=True)).strip()


pass_state = click.make_pass_decorator(CliState)
