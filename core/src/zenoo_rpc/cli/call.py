"""``zenoo call MODEL METHOD [ARGS_JSON] [--kw KEY=VALUE ...]``: one model method, JSON out.

::

    zenoo call res.partner search_read '[[["is_company","=",true]]]' \\
        --kw fields='["name"]' --kw limit=5

``ARGS_JSON`` is the JSON list of positional arguments; each ``--kw`` value
is decoded as JSON when it is valid JSON, else taken as a string. The result
is printed as JSON on stdout.
"""

from __future__ import annotations

import asyncio
from typing import Any

import click

from zenoo_rpc.cli.arguments import parse_json, parse_key_values
from zenoo_rpc.cli.state import CliState, pass_state

__all__ = ["call"]


@click.command()
@click.argument("model")
@click.argument("method")
@click.argument("args_json", metavar="[ARGS_JSON]", required=False)
@click.option(
    "--kw",
    "keywords",
    multiple=True,
    metavar="KEY=VALUE",
    help="A keyword argument (repeatable); VALUE is JSON when it parses, else a string.",
)
@click.option("--context", "context_json", metavar="JSON", help="Context to add, as a JSON object.")
@pass_state
def call(
    state: CliState,
    model: str,
    method: str,
    args_json: str | None,
    keywords: tuple[str, ...],
    context_json: str | None,
) -> None:
    """Call a model method; print the result as JSON.

    MODEL.METHOD is called with the positional arguments ARGS_JSON (a JSON list)
    and the --kw keyword arguments.
    """
    args = parse_json(args_json, "ARGS_JSON") if args_json is not None else []
    if not isinstance(args, list):
        raise click.BadParameter(
            f"the positional arguments are a JSON list, not {type(args).__name__} "
            "(wrap a single argument in [ ])",
            param_hint="ARGS_JSON",
        )
    kwargs = parse_key_values(keywords)
    context: Any = None
    if context_json is not None:
        context = parse_json(context_json, "--context")
        if not isinstance(context, dict):
            raise click.BadParameter("the context is a JSON object", param_hint="--context")

    async def run() -> Any:
        async with state.client() as client:
            return await client.execute_kw(model, method, args, kwargs, context=context)

    result = asyncio.run(run())
    state.output.json(result)
