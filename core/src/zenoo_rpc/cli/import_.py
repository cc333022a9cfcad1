"""``zenoo import MODEL FILE``: create records from a CSV or JSON Lines file, in chunks.

::

    zenoo import res.partner partners.csv --chunk-size 200

Rows are created ``--chunk-size`` at a time (one ``create`` call with a list
of values). When the server refuses a chunk, its rows are created one by one
to find the bad ones; each bad row (or a row whose values do not fit their
fields, found before sending) goes to the reject file, ``FILE.rejects.jsonl``
unless ``--rejects`` says otherwise, as one JSON object per line with the
row number, the file line, the row as read and the error. The import goes on
after a bad row. At the end a summary is printed on stderr (``--json``: on
stdout), and the exit code is 1 when any row was rejected, 0 when all were
created.

An error that is not about a row stops the import: the server cannot be
reached (exit 3), the login fails (4), or a chunk's answer was lost so its
rows may or may not exist (1; the message says which lines). Rows before
that point are created; the summary says how many.
"""

from __future__ import annotations

import asyncio
import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Literal

import click

from zenoo_rpc.cli.exit_codes import CommandFailed, ExitCode
from zenoo_rpc.cli.import_values import ValueConverter, ignored_column
from zenoo_rpc.cli.output import ProgressReporter, to_json
from zenoo_rpc.cli.state import CliState, pass_state
from zenoo_rpc.errors import AccessDenied, OdooServerError, OutcomeUnknownError, SessionExpired

if TYPE_CHECKING:
    from zenoo_rpc.client import ZenooClient

__all__ = ["FileRow", "import_command", "read_rows"]

ImportFormat = Literal["csv", "jsonl"]


@dataclass
class FileRow:
    """One data row: its number (from 1), the file line it ends on, and its values.

    ``error`` says why the row cannot be imported as read (it is then rejected
    without being sent).
    """

    number: int
    line: int
    values: dict[str, Any]
    error: str | None = None


def read_rows(path: Path, file_format: ImportFormat) -> Iterator[FileRow]:
    """The data rows of ``path``; a JSON Lines line that is not an object is a row error.

    CSV is read as UTF-8 (a BOM, as spreadsheets write it, is skipped) with
    its first line as the header.
    """
    with path.open(newline="", encoding="utf-8-sig") as stream:
        if file_format == "csv":
            reader = csv.DictReader(stream)
            for number, values in enumerate(reader, start=1):
                row = dict(values)
                extra = row.pop(None, None)
                error = None
                if extra is not None:
                    columns = len(reader.fieldnames or ())
                    error = (
                        f"{columns + len(extra)} cells where the header has {columns} columns "
                        f"(extra: {extra!r})"
                    )
                yield FileRow(number, reader.line_num, row, error)
            return
        number = 0
        for line, text in enumerate(stream, start=1):
            if not text.strip():
                continue
            number += 1
            parsed: Any
            error = None
            try:
                parsed = json.loads(text)
            except json.JSONDecodeError as exc:
                parsed, error = None, f"not valid JSON: {exc.msg}"
            if error is None and not isinstance(parsed, dict):
                error = "not a JSON object"
            if error is not None:
                parsed = {"__text__": text.rstrip()}
            yield FileRow(number, line, parsed, error)


def _columns(path: Path, file_format: ImportFormat) -> tuple[list[str], int]:
    """The field names the file sets, and how many rows it has (for the progress bar)."""
    names: dict[str, None] = {}
    if file_format == "csv":
        with path.open(newline="", encoding="utf-8-sig") as stream:
            names.update(dict.fromkeys(next(csv.reader(stream), [])))
    count = 0
    for row in read_rows(path, file_format):
        count += 1
        if file_format == "jsonl" and row.error is None:
            names.update(dict.fromkeys(row.values))
    return [name for name in names if not ignored_column(name)], count


@dataclass
class _Import:
    """One import run: creates chunks, falls back to single rows, writes rejects."""

    client: ZenooClient
    model: str
    converter: ValueConverter
    rejects_path: Path
    created: int = 0
    rejected: int = 0
    last_line: int = 0
    _rejects: IO[str] | None = field(default=None, repr=False)

    def reject(self, row: FileRow, error: str, error_type: str = "") -> None:
        if self._rejects is None:
            self._rejects = self.rejects_path.open("w", encoding="utf-8")
        record = {"row": row.number, "line": row.line, "values": row.values, "error": error}
        if error_type:
            record["error_type"] = error_type
        self._rejects.write(to_json(record) + "\n")
        self._rejects.flush()
        self.rejected += 1

    def close(self) -> None:
        if self._rejects is not None:
            self._rejects.close()

    async def create_chunk(self, chunk: list[tuple[FileRow, dict[str, Any]]]) -> None:
        if not chunk:
            return
        try:
            ids = await self.client.create(self.model, [values for _, values in chunk])
        except (AccessDenied, SessionExpired):
            raise
        except OdooServerError:
            for row, values in chunk:
                await self.create_one(row, values)
        except OutcomeUnknownError as exc:
            first, last = chunk[0][0].line, chunk[-1][0].line
            raise CommandFailed(
                f"the answer to creating the rows of lines {first}-{last} was lost ({exc}); they "
                f"may or may not exist now. Check, then import the rest of the file from line "
                f"{last + 1}",
                ExitCode.UNREACHABLE if isinstance(exc, TimeoutError) else ExitCode.FAILED,
                cause=exc,
            ) from exc
        else:
            self.created += len(ids)
        self.last_line = chunk[-1][0].line

    async def create_one(self, row: FileRow, values: dict[str, Any]) -> None:
        try:
            await self.client.create(self.model, values)
        except (AccessDenied, SessionExpired):
            raise
        except OdooServerError as exc:
            self.reject(row, str(exc), exc.name or type(exc).__name__)
        except OutcomeUnknownError as exc:
            raise CommandFailed(
                f"the answer to creating the row of line {row.line} was lost ({exc}); it may "
                "or may not exist now",
                cause=exc,
            ) from exc
        else:
            self.created += 1

    async def run(
        self, rows: Iterator[FileRow], chunk_size: int, progress: ProgressReporter
    ) -> None:
        chunk: list[tuple[FileRow, dict[str, Any]]] = []
        for row in rows:
            if row.error is not None:
                self.reject(row, row.error, "ValueError")
                progress.advance(1)
                continue
            try:
                values = self.converter.convert(row.values)
            except ValueError as exc:
                self.reject(row, str(exc), "ValueError")
                progress.advance(1)
                continue
            chunk.append((row, values))
            if len(chunk) >= chunk_size:
                await self.create_chunk(chunk)
                progress.advance(len(chunk))
                chunk = []
        await self.create_chunk(chunk)
        progress.advance(len(chunk))


@click.command("import")
@click.argument("model")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--format",
    "file_format",
    type=click.Choice(["csv", "jsonl"]),
    help="File format (default: from the file name, else csv).",
)
@click.option(
    "--chunk-size",
    type=click.IntRange(1, 10_000),
    default=100,
    show_default=True,
    help="Records created per request.",
)
@click.option(
    "--rejects",
    "rejects_option",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where rejected rows go (default: FILE.rejects.jsonl).",
)
@pass_state
def import_command(
    state: CliState,
    model: str,
    file: Path,
    file_format: ImportFormat | None,
    chunk_size: int,
    rejects_option: Path | None,
) -> None:
    """Create records from a CSV or JSON Lines file.

    Rows are created in chunks; rows the server refuses go to a reject file
    and the import goes on. Exits with code 1 when any row was rejected.
    """
    if file_format is None:
        file_format = "jsonl" if file.name.endswith((".jsonl", ".ndjson")) else "csv"
    rejects_path = rejects_option or file.with_name(file.name + ".rejects.jsonl")
    try:
        columns, total = _columns(file, file_format)
    except (UnicodeDecodeError, csv.Error) as exc:
        raise CommandFailed(
            f"{file} cannot be read as {file_format.upper()} in UTF-8: {exc}", ExitCode.USAGE
        ) from exc
    output = state.output

    async def run() -> _Import:
        async with state.client() as client:
            described = await client.fields_get(model, attributes=["type"])
            unknown = [name for name in columns if name not in described]
            if unknown:
                raise click.BadParameter(
                    f"{model} has no field {', '.join(map(repr, unknown))} (columns of {file})",
                    param_hint="FILE",
                )
            types = {name: str(described[name].get("type", "")) for name in columns}
            job = _Import(client, model, ValueConverter(types), rejects_path)
            rejects_path.unlink(missing_ok=True)
            try:
                with output.progress(f"import {model}", total) as bar:
                    await job.run(read_rows(file, file_format), chunk_size, bar)
            except BaseException:
                output.note(
                    f"stopped: {job.created} records created, {job.rejected} rows rejected so far"
                )
                raise
            finally:
                job.close()
            return job

    job = asyncio.run(run())
    summary = {
        "model": model,
        "file": str(file),
        "rows": total,
        "created": job.created,
        "rejected": job.rejected,
        "rejects_file": str(rejects_path) if job.rejected else None,
    }
    if output.json_mode:
        output.json(summary)
    else:
        output.note(f"imported {job.created} of {total} rows into {model}")
    if job.rejected:
        raise CommandFailed(f"{job.rejected} row(s) rejected; see {rejects_path}", ExitCode.FAILED)
