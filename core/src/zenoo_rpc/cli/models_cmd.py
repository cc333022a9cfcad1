"""``zenoo models generate MODEL... -o FILE``: typed model classes from a live server.

::

    zenoo models generate res.partner sale.order -o myapp/odoo_models.py

The module is generated from the server's field definitions by
:func:`zenoo_rpc.models.codegen.generate_models`; without ``-o`` (or with
``-o -``) it is printed on stdout.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import click

from zenoo_rpc.cli.state import CliState, pass_state
from zenoo_rpc.models.codegen import generate_models

__all__ = ["models"]


@click.group()
def models() -> None:
    """Typed Python models for Odoo models."""


@models.command()
@click.argument("model_names", nargs=-1, required=True, metavar="MODEL...")
@click.option("-o", "--output", "output_path", default="-", metavar="FILE", help="File to write.")
@click.option(
    "--include-related", is_flag=True, help="Also generate the models these models relate to."
)
@pass_state
def generate(
    state: CliState, model_names: tuple[str, ...], output_path: str, include_related: bool
) -> None:
    """Generate a Python module with typed classes for each MODEL."""

    async def run() -> str:
        async with state.client() as client:
            return await generate_models(client, list(model_names), include_related=include_related)

    source = asyncio.run(run())
    if output_path == "-":
        state.output.stdout.write(source)
        state.output.stdout.flush()
        return
    Path(output_path).write_text(source, encoding="utf-8")
    state.output.note(f"wrote {len(model_names)} model(s) to {output_path}")
