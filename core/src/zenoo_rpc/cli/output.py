"""Where the ``zenoo`` command writes: data to stdout, everything else to stderr.

Data (JSON with ``--json``, plain text or tables otherwise) goes to stdout so
it can be piped; notes, warnings, errors and progress go to stderr. Colours
and progress bars (rich) appear only when stderr is a terminal, and rich
honours ``NO_COLOR``; piped or redirected, stderr gets plain lines and no
progress bar. rich is imported only when it is used, which keeps
``zenoo --help`` and scripted runs quick to start.
"""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Iterator, Mapping, Sequence
from typing import IO, TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from rich.console import Console

__all__ = ["Output", "ProgressReporter", "format_table", "to_json"]


class ProgressReporter(Protocol):
    """What a command tells about its progress: ``advance(n)`` after each batch."""

    def advance(self, count: int) -> None:
        """``count`` more items are done."""


class _SilentProgress:
    def advance(self, count: int) -> None:
        pass


class _RichProgress:
    def __init__(self, progress: Any, task: Any) -> None:
        self._progress = progress
        self._task = task

    def advance(self, count: int) -> None:
        self._progress.advance(self._task, count)


def _json_default(value: Any) -> Any:
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


def to_json(value: Any, *, indent: int | None = None) -> str:
    """``value`` as JSON text (non-ASCII kept as is; dates and other objects as strings)."""
    return json.dumps(value, ensure_ascii=False, indent=indent, default=_json_default)


def format_table(rows: Sequence[Mapping[str, Any]], columns: Sequence[str]) -> str:
    """A plain, left-aligned text table with a header line (no colours, no box drawing)."""

    def cell(value: Any) -> str:
        if value is None:
            return "-"
        if isinstance(value, bool):
            return "yes" if value else "no"
        if isinstance(value, (list, tuple)):
            return ", ".join(str(v) for v in value) or "-"
        return str(value)

    cells = [[cell(row.get(column)) for column in columns] for row in rows]
    widths = [
        max([len(column)] + [len(line[i]) for line in cells]) for i, column in enumerate(columns)
    ]
    lines = ["  ".join(c.upper().ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip()]
    lines += [
        "  ".join(v.ljust(w) for v, w in zip(line, widths, strict=True)).rstrip() for line in cells
    ]
    return "\n".join(lines)


class Output:
    """The streams of one ``zenoo`` run.

    :param json_mode: print data as JSON (``--json``).
    :param verbose: ``-v`` count; ``>= 1`` shows tracebacks of failures.
    :param stdout: where data goes (default ``sys.stdout``).
    :param stderr: where diagnostics go (default ``sys.stderr``).
    """

    def __init__(
        self,
        *,
        json_mode: bool = False,
        verbose: int = 0,
        stdout: IO[str] | None = None,
        stderr: IO[str] | None = None,
    ) -> None:
        self.json_mode = json_mode
        self.verbose = verbose
        self._stdout = stdout
        self._stderr = stderr
        self._console: Console | None = None

    @property
    def stdout(self) -> IO[str]:
        return self._stdout or sys.stdout

    @property
    def stderr(self) -> IO[str]:
        return self._stderr or sys.stderr

    @property
    def interactive(self) -> bool:
        """Whether stderr is a terminal (rich colours and progress bars are shown)."""
        return _isatty(self.stderr)

    def _rich(self) -> Console | None:
        if not self.interactive:
            return None
        if self._console is None:
            from rich.console import Console

            self._console = Console(file=self.stderr, stderr=True, highlight=False)
        return self._console

    # ------------------------------------------------------------------ data (stdout)

    def json(self, value: Any) -> None:
        """Print ``value`` as JSON: indented on a terminal, one line otherwise."""
        self._write_out(to_json(value, indent=2 if _isatty(self.stdout) else None))

    def data(self, value: Any, text: str | None = None) -> None:
        """Print ``value`` as JSON with ``--json`` (or when there is no ``text`` form)."""
        if self.json_mode or text is None:
            self.json(value)
        else:
            self._write_out(text)

    def table(self, rows: Sequence[Mapping[str, Any]], columns: Sequence[str]) -> None:
        """Print rows as JSON with ``--json``, else as a plain table of ``columns``."""
        self.data(list(rows), format_table(rows, columns))

    def _write_out(self, text: str) -> None:
        stream = self.stdout
        stream.write(text if text.endswith("\n") else text + "\n")
        stream.flush()

    # ------------------------------------------------------------------ diagnostics (stderr)

    def note(self, message: str) -> None:
        """A diagnostic line on stderr (dimmed on a terminal)."""
        self._say(message, "dim")

    def warn(self, message: str) -> None:
        self._say(f"warning: {message}", "yellow")

    def error(self, message: str) -> None:
        self._say(f"zenoo: error: {message}", "bold red")

    def _say(self, message: str, style: str) -> None:
        console = self._rich()
        if console is not None:
            console.print(message, style=style, markup=False, soft_wrap=True)
        else:
            self.stderr.write(message + "\n")
            self.stderr.flush()

    @contextlib.contextmanager
    def progress(
        self, description: str, total: int | None, *, completed: int = 0
    ) -> Iterator[ProgressReporter]:
        """A progress bar on stderr when it is a terminal; silent otherwise."""
        console = self._rich()
        if console is None:
            yield _SilentProgress()
            return
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=console,
            transient=False,
        ) as bar:
            task = bar.add_task(description, total=total, completed=completed)
            yield _RichProgress(bar, task)


def _isatty(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
