"""Parsing what users type: JSON arguments, ``KEY=VALUE`` pairs, id lists, field lists.

Bad input raises :class:`click.BadParameter`, which exits with code 2 and
names the argument, instead of reaching the server.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

import click

__all__ = [
    "json_option",
    "output_file_option",
    "parse_domain",
    "parse_fields",
    "parse_ids",
    "parse_json",
    "parse_key_values",
]

F = TypeVar("F", bound=Callable[..., Any])


def parse_json(text: str, what: str) -> Any:
    """``text`` decoded as JSON, or a usage error naming ``what`` and the position."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise click.BadParameter(
            f"not valid JSON ({exc.msg} at line {exc.lineno} column {exc.colno}): {text!r}",
            param_hint=what,
        ) from None


def parse_key_values(items: Iterable[str], what: str = "--kw") -> dict[str, Any]:
    """``["limit=5", "fields=[\\"name\\"]", "lang=fr_FR"]`` -> keyword arguments.

    Each value is decoded as JSON when it is valid JSON (``5``, ``true``,
    ``["name"]``, ``null``), else kept as a string (``fr_FR``).
    """
    values: dict[str, Any] = {}
    for item in items:
        key, sep, raw = item.partition("=")
        key = key.strip()
        if not sep or not key.isidentifier():
            raise click.BadParameter(f"expected KEY=VALUE, got {item!r}", param_hint=what)
        try:
            values[key] = json.loads(raw)
        except json.JSONDecodeError:
            values[key] = raw
    return values


def parse_domain(text: str | None) -> list[Any]:
    """A search domain given as JSON (``[["is_company", "=", true]]``); ``None`` is ``[]``."""
    if text is None:
        return []
    domain = parse_json(text, "--domain")
    if not isinstance(domain, list):
        raise click.BadParameter(
            f"a domain is a JSON list of conditions, not {type(domain).__name__}",
            param_hint="--domain",
        )
    return domain


def parse_ids(text: str, what: str = "IDS") -> list[int]:
    """``"7,8, 9"`` (or a JSON list) -> ``[7, 8, 9]``; every id a positive integer."""
    stripped = text.strip()
    parts: list[Any]
    if stripped.startswith("["):
        loaded = parse_json(stripped, what)
        parts = loaded if isinstance(loaded, list) else [loaded]
    else:
        parts = [part.strip() for part in stripped.split(",") if part.strip()]
    ids: list[int] = []
    for part in parts:
        try:
            value = int(part)
        except (TypeError, ValueError):
            value = 0
        if value <= 0 or isinstance(part, bool):
            raise click.BadParameter(f"{part!r} is not a record id", param_hint=what)
        ids.append(value)
    if not ids:
        raise click.BadParameter("no record id given", param_hint=what)
    return ids


def parse_fields(values: Iterable[str]) -> list[str]:
    """``("name,email", "phone")`` -> ``["name", "email", "phone"]``, duplicates removed."""
    names = [name.strip() for value in values for name in value.split(",")]
    return list(dict.fromkeys(name for name in names if name))


def _set_json_mode(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value:
        from zenoo_rpc.cli.state import CliState

        state = ctx.find_object(CliState)
        if state is not None:
            state.output.json_mode = True


def json_option(function: F) -> F:
    """``--json`` on a command, the same as the global ``zenoo --json``."""
    decorator = click.option(
        "--json",
        "json_mode",
        is_flag=True,
        expose_value=False,
        callback=_set_json_mode,
        help="Print data as JSON.",
    )
    return decorator(function)


def output_file_option(*, stdout: bool) -> Callable[[F], F]:
    """The required ``-o/--output FILE`` of commands that download a file.

    :param stdout: whether the command takes ``-`` for standard output.
    """
    return click.option(
        "-o",
        "--output",
        "output_path",
        required=True,
        type=click.Path(dir_okay=False, path_type=Path),
        help="File to write (- for standard output)." if stdout else "File to write.",
    )
