"""TOML and JSON blocks: parsed, and zenoo-rpc configuration validated the way clients load it.

A TOML block is a ``pyproject.toml`` when it has a ``[project]``,
``[build-system]`` or ``[tool]`` table; its ``[tool.zenoo]`` table, if any, is
configuration, and its ``zenoo_rpc`` entry points must be module paths. Any
other TOML block is a ``zenoo.toml``. Configuration is written to a file and
read with :func:`~zenoo_rpc.config.load_config`, so a wrong key or value fails
with the error a user would get; then, when it enables plugins or has a
``[plugins.<name>]`` table of an installed plugin, a :class:`~zenoo_rpc.ZenooClient`
is built from it with those plugins loaded, so each plugin validates its own
settings (a table named after a transport is that transport's settings).
"""

from __future__ import annotations

import asyncio
import json
import re
import sys
from typing import Any

import msgspec

from zenoo_rpc.errors import ZenooError
from zenoo_rpc.testing.markdown.blocks import CodeBlock
from zenoo_rpc.testing.markdown.sandbox import Sandbox

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]

__all__ = ["DataBlockError", "check_json", "check_toml", "is_pyproject"]

_MODULE_PATH = re.compile(r"^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*(:[A-Za-z_]\w*(\.[A-Za-z_]\w*)*)?$")


class DataBlockError(ZenooError, AssertionError):
    """A TOML or JSON block does not parse, or is not valid configuration."""


def is_pyproject(data: dict[str, Any]) -> bool:
    """Whether parsed TOML is a ``pyproject.toml`` rather than a ``zenoo.toml``."""
    return bool({"project", "build-system", "tool"} & set(data))


def check_toml(block: CodeBlock, sandbox: Sandbox) -> None:
    """Parse the block; validate its zenoo-rpc configuration (see the module doc).

    :raises DataBlockError: it does not parse, or is not valid.
    :raises ConfigError: the configuration is wrong (the error a user would get).
    """
    text = sandbox.substitute(block.source)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise DataBlockError(f"{block.label}: not valid TOML: {exc}") from None
    if not is_pyproject(data):
        _check_config(block, text, sandbox)
        return
    entry_points = data.get("project", {}).get("entry-points", {}).get("zenoo_rpc", {})
    for name, value in entry_points.items():
        if not isinstance(value, str) or not _MODULE_PATH.match(value):
            raise DataBlockError(
                f"{block.label}: entry point {name!r} = {value!r} is not a module path"
            )
    zenoo = data.get("tool", {}).get("zenoo")
    if zenoo is not None:
        _check_config(block, text, sandbox, pyproject=True)


def _check_config(
    block: CodeBlock, text: str, sandbox: Sandbox, *, pyproject: bool = False
) -> None:
    from zenoo_rpc.client import ZenooClient
    from zenoo_rpc.config import load_config
    from zenoo_rpc.plugins import available_plugins

    name = "pyproject.toml" if pyproject else block.attribute("file") or "zenoo.toml"
    path = sandbox.workdir / f".doc-check-{block.line}" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    config = load_config(config_file=path, cwd=path.parent)
    plugins = list(config.plugins.enabled or ())
    installed = available_plugins()
    plugins += [
        name for name in config.plugins.settings if name in installed and name not in plugins
    ]
    if not plugins:
        return
    config = msgspec.structs.replace(
        config, plugins=msgspec.structs.replace(config.plugins, enabled=plugins)
    )

    async def build() -> None:
        client = ZenooClient(config=config)
        await client.close()

    asyncio.run(build())


def check_json(block: CodeBlock) -> None:
    """Parse the block as JSON, or as JSON Lines (one document per line).

    :raises DataBlockError: neither parses.
    """
    try:
        json.loads(block.source)
        return
    except ValueError:
        pass
    for offset, line in enumerate(block.source.splitlines(), start=block.first_source_line):
        if not line.strip():
            continue
        try:
            json.loads(line)
        except ValueError as exc:
            raise DataBlockError(f"{block.path.name}:{offset}: not JSON: {exc}") from None
