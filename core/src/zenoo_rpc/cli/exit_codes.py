"""The exit codes of ``zenoo`` and the error each failure is turned into.

=====  ==========================================================================
code   meaning
=====  ==========================================================================
0      success
1      the operation failed: the server refused it (a typed Odoo error), a file
       could not be read or written, ``zenoo import`` rejected rows
2      usage or configuration error: bad arguments, bad TOML, an unknown key,
       profile or plugin name, missing credentials, an API key where Odoo
       needs the password (reports)
3      the server cannot be reached: connection refused, DNS, TLS, timeouts
4      authentication failed: wrong login, password, API key or master password
=====  ==========================================================================

A failure prints one line, ``zenoo: error: <message>``, on stderr; ``-v``
adds the traceback.
"""

from __future__ import annotations

import enum
import sys
import traceback
from typing import IO, Any

import click

from zenoo_rpc.errors import (
    AccessDenied,
    CircuitOpenError,
    ConfigError,
    DomainError,
    InvalidArgument,
    OutcomeUnknownError,
    PasswordRequired,
    PluginError,
    SessionExpired,
    ZenooError,
    ZenooTransportError,
)

__all__ = ["EXIT_CODES_HELP", "CommandFailed", "ExitCode", "classify", "describe"]


class ExitCode(enum.IntEnum):
    """What ``zenoo``'s exit status means."""

    OK = 0
    FAILED = 1
    USAGE = 2
    UNREACHABLE = 3
    AUTH = 4


#: The table for ``zenoo --help``.
EXIT_CODES_HELP = (
    "Exit codes: 0 ok; 1 operation failed (server error, file error, rejected rows); "
    "2 usage or configuration error; 3 server unreachable or timed out; "
    "4 authentication failed."
)


def classify(exc: BaseException) -> ExitCode:
    """The exit code for a failure."""
    if isinstance(
        exc,
        (
            ConfigError,
            PluginError,
            InvalidArgument,
            DomainError,
            PasswordRequired,
            click.UsageError,
        ),
    ):
        return ExitCode.USAGE
    if isinstance(exc, (AccessDenied, SessionExpired)):
        return ExitCode.AUTH
    if isinstance(exc, (ZenooTransportError, CircuitOpenError, ConnectionError)) or (
        isinstance(exc, TimeoutError) and isinstance(exc, ZenooError)
    ):
        return ExitCode.UNREACHABLE
    return ExitCode.FAILED


def describe(exc: BaseException) -> str:
    """One line saying what went wrong, without secrets or server tracebacks."""
    if isinstance(exc, click.ClickException):
        return exc.format_message()
    code = classify(exc)
    if isinstance(exc, OutcomeUnknownError):
        return str(exc)
    if code is ExitCode.UNREACHABLE:
        return f"cannot reach the server: {exc}"
    if code is ExitCode.AUTH:
        return f"authentication failed: {exc}"
    if isinstance(exc, OSError) and not isinstance(exc, ZenooError):
        where = f"{exc.filename}: " if exc.filename else ""
        return f"{where}{exc.strerror or exc}"
    return str(exc) or type(exc).__name__


class CommandFailed(click.ClickException):
    """A failure turned into an exit code and a one-line message (plus traceback with ``-v``)."""

    def __init__(
        self, message: str, exit_code: int = ExitCode.FAILED, *, cause: BaseException | None = None
    ) -> None:
        super().__init__(message)
        self._code = int(exit_code)
        self.cause = cause
        self.show_traceback = False

    @property  # click declares ``exit_code`` a class variable; ours is per failure
    def exit_code(self) -> int:  # type: ignore[override]
        return self._code

    @classmethod
    def from_exception(cls, exc: BaseException, *, verbose: bool = False) -> CommandFailed:
        failure = cls(describe(exc), classify(exc), cause=exc)
        failure.show_traceback = verbose
        return failure

    def show(self, file: IO[Any] | None = None) -> None:
        stream = file or sys.stderr  # click.get_text_stream is deprecated from click 8.5
        if self.show_traceback and self.cause is not None:
            stream.write("".join(traceback.format_exception(self.cause)))
        click.echo(f"zenoo: error: {self.format_message()}", file=stream, err=True)
