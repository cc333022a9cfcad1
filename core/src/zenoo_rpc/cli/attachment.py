"""``zenoo attachment get | put | info``: move files in and out of ``ir.attachment``.

::

    zenoo attachment put contract.pdf --model res.partner --res-id 7   # prints the new id
    zenoo attachment get 42 -o contract.pdf
    zenoo attachment info 42

Downloads are streamed to the file and checked against the server's
checksum; ``--max-size`` refuses attachments larger than that many bytes.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
import msgspec

from zenoo_rpc.cli.arguments import json_option, output_file_option
from zenoo_rpc.cli.state import CliState, pass_state

if TYPE_CHECKING:
    from zenoo_rpc.operations import AttachmentInfo

__all__ = ["attachment", "plain_info"]


def plain_info(info: AttachmentInfo) -> dict[str, Any]:
    """An :class:`~zenoo_rpc.operations.AttachmentInfo` as plain data."""
    data: dict[str, Any] = msgspec.to_builtins(info)
    return data


def _show(state: CliState, data: dict[str, Any]) -> None:
    text = "\n".join(f"{key}: {value}" for key, value in data.items())
    state.output.data(data, text)


@click.group()
def attachment() -> None:
    """Download, upload and describe attachments (ir.attachment)."""


@attachment.command("get")
@click.argument("attachment_id", type=click.IntRange(min=1), metavar="ID")
@output_file_option(stdout=True)
@click.option(
    "--max-size", type=click.IntRange(min=0), metavar="BYTES", help="Refuse larger files."
)
@json_option
@pass_state
def get(state: CliState, attachment_id: int, output_path: Path, max_size: int | None) -> None:
    """Download attachment ID into FILE."""
    to_stdout = str(output_path) == "-"
    destination = sys.stdout.buffer if to_stdout else output_path

    async def run() -> AttachmentInfo:
        async with state.client() as client:
            return await client.attachments.download(attachment_id, destination, max_size=max_size)

    info = plain_info(asyncio.run(run()))
    if to_stdout:  # the file itself is on stdout: the summary goes to stderr
        state.output.note(f"wrote attachment {attachment_id} to standard output")
    elif state.output.json_mode:
        state.output.json(info)
    else:
        state.output.note(f"wrote attachment {attachment_id} to {output_path}")


@attachment.command("put")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--name", help="Attachment name (default: the file name).")
@click.option("--model", "res_model", help="Model of the record to attach to.")
@click.option("--res-id", type=click.IntRange(min=1), help="Id of the record to attach to.")
@click.option("--mimetype", help="MIME type (default: guessed by the server).")
@click.option(
    "--max-size", type=click.IntRange(min=0), metavar="BYTES", help="Refuse larger files."
)
@json_option
@pass_state
def put(
    state: CliState,
    source: Path,
    name: str | None,
    res_model: str | None,
    res_id: int | None,
    mimetype: str | None,
    max_size: int | None,
) -> None:
    """Upload SOURCE as an attachment; print its id."""
    if res_id is not None and res_model is None:
        raise click.BadParameter("--res-id needs --model", param_hint="--res-id")
    options: dict[str, Any] = {
        "name": name,
        "res_model": res_model,
        "res_id": res_id,
        "mimetype": mimetype,
    }
    if max_size is not None:
        options["max_size"] = max_size

    async def run() -> int:
        async with state.client() as client:
            return int(await client.attachments.upload(source, **options))

    new_id = asyncio.run(run())
    state.output.data({"id": new_id}, str(new_id))


@attachment.command("info")
@click.argument("attachment_id", type=click.IntRange(min=1), metavar="ID")
@json_option
@pass_state
def info(state: CliState, attachment_id: int) -> None:
    """Describe attachment ID (name, size, type, record it belongs to)."""

    async def run() -> AttachmentInfo:
        async with state.client() as client:
            return await client.attachments.info(attachment_id)

    _show(state, plain_info(asyncio.run(run())))
