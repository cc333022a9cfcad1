"""``zenoo plugins``: every installed plugin, whether config enables it, the hooks it implements.

Installed plugins are the entry points of the ``zenoo_rpc`` group; plugins
named in config by dotted module path are listed too, and so is zenoo-rpc's
own built-in plugin. Each one is imported to list its hooks; one that fails
to import is listed with its error instead of stopping the listing. The
command exits with code 2 when a plugin that config (or ``ZENOO_PLUGINS``)
enables cannot be loaded, since every client would fail the same way.
"""

from __future__ import annotations

import os
from typing import Any

import click

from zenoo_rpc.cli.arguments import json_option
from zenoo_rpc.cli.exit_codes import CommandFailed, ExitCode
from zenoo_rpc.cli.output import format_table
from zenoo_rpc.cli.state import CliState, pass_state

__all__ = ["describe_plugins", "plugins"]


def describe_plugins(enabled: list[str] | None) -> list[dict[str, Any]]:
    """One row per plugin: ``name``, ``value``, ``distribution``, ``version``, ``enabled``,
    ``builtin``, ``hooks`` and ``error`` (``None`` when it loaded).

    :param enabled: the plugin names of the configuration (before ``ZENOO_PLUGINS``).
    """
    from zenoo_rpc.errors import PluginError
    from zenoo_rpc.plugins import BUILTIN_PLUGIN, PluginHost, available_plugins, plugins_from_env

    installed = available_plugins()
    wanted = plugins_from_env(enabled)
    host = PluginHost()
    host.load(None, env={})
    errors: dict[str, str] = {}
    for name in [*installed, *(n for n in wanted if n not in installed)]:
        try:
            host.load([name], env={})
        except PluginError as exc:
            errors[name] = str(exc)
    loaded = {row["name"]: row for row in host.describe()}
    rows: list[dict[str, Any]] = []
    for name in [BUILTIN_PLUGIN, *installed, *(n for n in wanted if n not in installed)]:
        info = installed.get(name)
        described = loaded.get(name, {})
        rows.append(
            {
                "name": name,
                "value": described.get("value") or (info.value if info else name),
                "distribution": described.get("distribution") or (info and info.distribution),
                "version": described.get("version") or (info and info.version),
                "enabled": name == BUILTIN_PLUGIN or name in wanted,
                "builtin": name == BUILTIN_PLUGIN,
                "hooks": described.get("hooks", []),
                "error": errors.get(name),
            }
        )
    return rows


@click.command()
@json_option
@pass_state
def plugins(state: CliState) -> None:
    """List installed plugins, enabled or not, and their hooks.

    Exits with code 2 when a plugin that the configuration enables cannot be
    loaded (not installed, or failing to import).
    """
    from zenoo_rpc.plugins import PLUGINS_ENV

    config = state.load_config()
    rows = describe_plugins(config.plugins.enabled)
    output = state.output
    if output.json_mode:
        output.json(rows)
    else:
        shown = [
            {**row, "enabled": "built-in" if row["builtin"] else row["enabled"]} for row in rows
        ]
        text = format_table(shown, ["name", "distribution", "version", "enabled", "hooks"])
        failed = [row for row in rows if row["error"]]
        if failed:
            text += "\n\n" + "\n".join(f"{row['name']}: {row['error']}" for row in failed)
        output.data(rows, text)
    if PLUGINS_ENV in os.environ:
        output.note(f"{PLUGINS_ENV}={os.environ[PLUGINS_ENV]!r} overrides the configured plugins")
    broken = [row for row in rows if row["enabled"] and row["error"]]
    if broken:
        names = ", ".join(repr(row["name"]) for row in broken)
        raise CommandFailed(
            f"enabled plugin(s) {names} cannot be loaded: {broken[0]['error']}", ExitCode.USAGE
        )
