"""``zenoo export MODEL --format csv|jsonl -o FILE``: stream records to a file, resumably.

::

    zenoo export res.partner --fields name,email,country_id --format csv -o partners.csv
    zenoo export res.partner --domain '[["is_company","=",true]]' --format jsonl -o co.jsonl
    zenoo export res.partner --fields name,email --format csv -o partners.csv --resume

The number of records is asked first (``search_count``) for the progress
bar; then pages of ``--page-size`` records are read in id order with an id
cursor (``id > last id``, never an offset, so records created or deleted
meanwhile do not shift pages), each page written and flushed before the next
is asked for. Without ``--fields``, every stored field except binary,
one2many and the ``create_*`` / ``write_*`` bookkeeping fields is exported.
See :mod:`~zenoo_rpc.cli.export_format` for how values are written and
:mod:`~zenoo_rpc.cli.export_state` for how ``--resume`` continues an
interrupted export exactly.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import click

from zenoo_rpc.cli.arguments import parse_domain, parse_fields
from zenoo_rpc.cli.exit_codes import CommandFailed, ExitCode
from zenoo_rpc.cli.export_format import FORMATS, M2O_MODES, ExportFormat, M2oMode, RowWriter
from zenoo_rpc.cli.export_state import ExportState, state_path
from zenoo_rpc.cli.output import Output
from zenoo_rpc.cli.state import CliState, pass_state

if TYPE_CHECKING:
    from zenoo_rpc.client import ZenooClient

__all__ = ["export", "export_fields"]

_SKIPPED_TYPES = ("binary", "one2many")
_BOOKKEEPING = ("create_uid", "create_date", "write_uid", "write_date", "__last_update")


async def export_fields(
    client: ZenooClient, model: str, wanted: list[str]
) -> tuple[list[str], dict[str, str]]:
    """The fields to export (``wanted``, or the default set) and each one's type.

    :raises click.BadParameter: a wanted field does not exist on ``model``.
    """
    described = await client.fields_get(model, attributes=["type", "store"])
    if wanted:
        unknown = [name for name in wanted if name not in described and name != "id"]
        if unknown:
            raise click.BadParameter(
                f"{model} has no field {', '.join(map(repr, unknown))}", param_hint="--fields"
            )
        fields = [name for name in wanted if name != "id"]
    else:
        fields = [
            name
            for name, info in described.items()
            if info.get("store", True)
            and info.get("type") not in _SKIPPED_TYPES
            and name not in _BOOKKEEPING
            and name != "id"
        ]
    return fields, {name: str(described[name].get("type", "")) for name in fields}


class _Export:
    """One export run: where it writes, the checkpoint, and the page loop."""

    def __init__(
        self,
        client: ZenooClient,
        output: Output,
        state: ExportState,
        writer: RowWriter,
        page_size: int,
        path: Path | None,
    ) -> None:
        self.client = client
        self.output = output
        self.state = state
        self.writer = writer
        self.page_size = page_size
        self.path = path
        self.state_file = state_path(path) if path is not None else None

    def checkpoint(self) -> None:
        if self.state_file is not None:
            self.state.save(self.state_file)

    async def run(self, stream: IO[bytes]) -> None:
        state = self.state
        if state.offset == 0:
            header = self.writer.header()
            stream.write(header)
            stream.flush()
            state.offset = len(header)
            self.checkpoint()
        total = await self.client.search_count(state.model, state.domain)
        with self.output.progress(
            f"export {state.model}", max(total, state.rows), completed=state.rows
        ) as bar:
            while True:
                rows = await self.client.search_read(
                    state.model,
                    [("id", ">", state.last_id), *state.domain],
                    ["id", *self.writer.fields],
                    order="id",
                    limit=self.page_size,
                )
                if not rows:
                    break
                data = self.writer.encode(rows)
                stream.write(data)
                stream.flush()
                state.offset += len(data)
                state.last_id = int(rows[-1]["id"])
                state.rows += len(rows)
                self.checkpoint()
                bar.advance(len(rows))
                if len(rows) < self.page_size:
                    break


def _resume_point(path: Path, wanted: ExportState, output: Output) -> ExportState:
    """The state to continue from, with ``path`` truncated to its last complete page."""
    saved = ExportState.load(state_path(path))
    if saved is None:
        if path.exists():
            raise CommandFailed(
                f"cannot resume {path}: there is no {state_path(path).name} next to it (the "
                "export finished, or the file was not written by zenoo export); run without "
                "--resume to export again",
                ExitCode.USAGE,
            )
        output.note(f"nothing to resume at {path}: starting the export")
        return wanted
    different = saved.same_export(wanted)
    if different:
        raise CommandFailed(
            f"cannot resume {path}: it was exported with another {', '.join(different)} "
            f"(was {', '.join(repr(getattr(saved, name)) for name in different)}); run without "
            "--resume to start over",
            ExitCode.USAGE,
        )
    size = path.stat().st_size if path.exists() else 0
    if size < saved.offset:
        raise CommandFailed(
            f"cannot resume {path}: it holds {size} bytes but {saved.offset} were written; it "
            "was changed since the export stopped. Run without --resume to start over",
        )
    if size > saved.offset:
        with path.open("r+b") as stream:
            stream.truncate(saved.offset)
    output.note(f"resuming {path} after id {saved.last_id} ({saved.rows} rows already written)")
    return saved


@click.command()
@click.argument("model")
@click.option("--domain", metavar="JSON", help='Search domain as JSON: [["is_company","=",true]].')
@click.option(
    "--fields",
    "field_options",
    multiple=True,
    metavar="NAMES",
    help="Fields to export, comma-separated or repeated (default: stored, non-binary fields).",
)
@click.option(
    "--format",
    "file_format",
    type=click.Choice(FORMATS),
    help="File format (default: from the file name, else csv).",
)
@click.option(
    "-o",
    "--output",
    "output_path",
    required=True,
    metavar="FILE",
    help="File to write ('-': stdout, not resumable).",
)
@click.option(
    "--m2o",
    type=click.Choice(M2O_MODES),
    default="id",
    show_default=True,
    help="Write many2one values as the id, the display name, or both (<field>/name).",
)
@click.option(
    "--page-size",
    type=click.IntRange(1, 100_000),
    default=500,
    show_default=True,
    help="Records read per request.",
)
@click.option("--resume", is_flag=True, help="Continue an interrupted export of FILE.")
@pass_state
def export(
    state: CliState,
    model: str,
    domain: str | None,
    field_options: tuple[str, ...],
    file_format: ExportFormat | None,
    output_path: str,
    m2o: M2oMode,
    page_size: int,
    resume: bool,
) -> None:
    """Export records to CSV or JSON Lines (resumable).

    Streams MODEL's records in id order, page by page, to FILE; --resume
    continues an interrupted export exactly where it stopped.
    """
    search_domain = parse_domain(domain)
    wanted = parse_fields(field_options)
    to_stdout = output_path == "-"
    if to_stdout and resume:
        raise click.BadParameter("stdout cannot be resumed; write to a file", param_hint="--resume")
    if file_format is None:
        file_format = "jsonl" if output_path.endswith((".jsonl", ".ndjson")) else "csv"
    path = None if to_stdout else Path(output_path)
    if path is not None and not path.parent.is_dir():
        raise click.BadParameter(f"directory {path.parent} does not exist", param_hint="-o")

    async def run() -> ExportState:
        async with state.client() as client:
            fields, types = await export_fields(client, model, wanted)
            plan = ExportState(
                model=model, domain=search_domain, fields=fields, format=file_format, m2o=m2o
            )
            writer = RowWriter(fields, types, file_format, m2o)
            if path is None:
                job = _Export(client, state.output, plan, writer, page_size, None)
                await job.run(sys.stdout.buffer)
                return job.state
            start = _resume_point(path, plan, state.output) if resume else plan
            job = _Export(client, state.output, start, writer, page_size, path)
            if start.offset == 0:
                job.checkpoint()
                mode = "wb"
            else:
                mode = "ab"
            with path.open(mode) as stream:
                await job.run(stream)
            if job.state_file is not None:
                job.state_file.unlink(missing_ok=True)
            return job.state

    done = asyncio.run(run())
    summary: dict[str, Any] = {
        "model": model,
        "file": output_path,
        "format": file_format,
        "rows": done.rows,
        "last_id": done.last_id,
    }
    if to_stdout:
        state.output.note(f"exported {done.rows} {model} records")
        return
    if state.output.json_mode:
        state.output.json(summary)
    else:
        state.output.note(f"exported {done.rows} {model} records to {output_path}")
