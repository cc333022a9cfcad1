"""``zenoo report REPORT_NAME IDS -o FILE``: download a printed report (PDF or HTML).

::

    zenoo report sale.report_saleorder 7,8 -o orders.pdf

Reports are rendered by Odoo's web controllers, which need a web session:
the login must use a password (not only an API key).
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import Literal

import click

from zenoo_rpc.cli.arguments import output_file_option, parse_ids
from zenoo_rpc.cli.state import CliState, pass_state

__all__ = ["report"]


@click.command()
@click.argument("report_name")
@click.argument("ids")
@output_file_option(stdout=True)
@click.option(
    "--format",
    "converter",
    type=click.Choice(["pdf", "html"]),
    default="pdf",
    show_default=True,
    help="Rendered as PDF or HTML.",
)
@pass_state
def report(
    state: CliState,
    report_name: str,
    ids: str,
    output_path: Path,
    converter: Literal["pdf", "html"],
) -> None:
    """Download a report (PDF or HTML) for records.

    Renders REPORT_NAME (sale.report_saleorder...) for the record IDS (7 or
    7,8,9) into FILE.
    """
    record_ids = parse_ids(ids)
    to_stdout = str(output_path) == "-"
    destination = sys.stdout.buffer if to_stdout else output_path

    async def run() -> int:
        async with state.client() as client:
            return int(
                await client.download_report(
                    report_name, record_ids, destination, converter=converter
                )
            )

    size = asyncio.run(run())
    summary = {"report": report_name, "ids": record_ids, "file": str(output_path), "bytes": size}
    if to_stdout:  # the report itself is on stdout: the summary goes to stderr
        state.output.note(f"wrote {report_name} ({size} bytes) to standard output")
    elif state.output.json_mode:
        state.output.json(summary)
    else:
        state.output.note(f"wrote {report_name} ({size} bytes) to {output_path}")
