"""Which test environment runs a block: core's, or the one of the plugin it needs.

Each package is tested in its own virtual environment (core alone, or core
and one plugin), so a block that imports a plugin or selects one in its
configuration can only run where that plugin is installed. A block *needs*
a plugin when it:

- imports the plugin's package (``from zenoo_rpc_audit import ...``);
- passes it in ``plugins=[...]`` (``ZenooClient(url, plugins=["audit"])``);
- enables it in TOML (``plugins = [...]``, ``[plugins] enabled = [...]``) or
  has a settings table for it (``[plugins.audit]``), also under ``[tool.zenoo]``;
- sets it in ``ZENOO_PLUGINS`` in a shell block.

What a block continues (``<!-- doctest: continue -->``) and the page's files
written before it count as well. Every block of a plugin's own README is that
plugin's. A block needing no plugin is core's; one needing two plugins has no
environment to run in, which :func:`claim` reports as an error.
"""

from __future__ import annotations

import ast
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from zenoo_rpc.errors import ZenooError
from zenoo_rpc.testing.markdown.blocks import CodeBlock

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]

__all__ = ["CORE", "ClaimError", "PluginProject", "block_needs", "claim", "plugin_projects"]

#: The owner of blocks that need no plugin.
CORE = "core"

_SHELL_PLUGINS = re.compile(r"ZENOO_PLUGINS=([\"']?)([^\"'\s]*)\1")


class ClaimError(ZenooError, ValueError):
    """A block needs several plugins at once, so no single test environment can run it."""


@dataclass(frozen=True)
class PluginProject:
    """A plugin of the repository: its entry-point name, import package and directory."""

    name: str
    package: str
    directory: Path


def plugin_projects(pyprojects: Iterable[Path]) -> dict[str, PluginProject]:
    """The plugins ``pyproject.toml`` files declare (``[project.entry-points.zenoo_rpc]``).

    Read statically, so that an environment where a plugin is not installed
    still knows which blocks are not its own.
    """
    found: dict[str, PluginProject] = {}
    for path in pyprojects:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        entry_points = data.get("project", {}).get("entry-points", {}).get("zenoo_rpc", {})
        for name, value in entry_points.items():
            package = str(value).split(":", 1)[0].split(".", 1)[0]
            found[str(name)] = PluginProject(str(name), package, path.parent)
    return found


def block_needs(block: CodeBlock, plugins: Mapping[str, PluginProject]) -> set[str]:
    """The repository plugins ``block`` itself needs (see the module doc)."""
    if block.language in ("python", "py") and "peer" not in block.flags:
        return _python_needs(block.source, plugins)
    if block.language == "toml":
        return _toml_needs(block.source, plugins)
    if block.language in ("bash", "sh", "shell", "console", ""):
        names = {m.group(2) for m in _SHELL_PLUGINS.finditer(block.source)}
        return {part for name in names for part in name.split(",") if part in plugins}
    return set()


def claim(
    blocks: Sequence[CodeBlock],
    plugins: Mapping[str, PluginProject],
    *,
    page_owner: str | None = None,
) -> dict[str, str]:
    """The owner (``"core"`` or a plugin name) of every block of one page, by label.

    :param blocks: the page's blocks, in order.
    :param page_owner: the owner of every block (a plugin's own README).
    :raises ClaimError: a block needs more than one plugin.
    """
    owners: dict[str, str] = {}
    own: list[set[str]] = [block_needs(block, plugins) for block in blocks]
    for position, block in enumerate(blocks):
        if page_owner is not None:
            owners[block.label] = page_owner
            continue
        needs = set(own[position])
        for earlier in range(position - 1, -1, -1):
            if blocks[earlier].attribute("file") is not None:
                needs |= own[earlier]
        for earlier in continued(blocks, position):
            needs |= own[earlier]
        if len(needs) > 1:
            raise ClaimError(
                f"{block.label} needs the plugins {', '.join(sorted(needs))} at once; each "
                "test environment has one plugin: split the example"
            )
        owners[block.label] = needs.pop() if needs else CORE
    return owners


def family(block: CodeBlock) -> str:
    """What kind of program a block is part of: ``python``, ``shell`` or its language."""
    if block.language in ("python", "py"):
        return "python"
    if block.language in ("bash", "sh", "shell", "console", ""):
        return "shell"
    return block.language


def continued(blocks: Sequence[CodeBlock], position: int) -> list[int]:
    """Positions of the blocks ``blocks[position]`` continues, first one first."""
    chain: list[int] = []
    current = position
    while blocks[current].continues:
        previous = _previous_of_family(blocks, current)
        if previous is None:
            raise ClaimError(
                f"{blocks[current].label}: `continue` but no earlier "
                f"{family(blocks[current])} block on the page"
            )
        chain.append(previous)
        current = previous
    return chain[::-1]


def _previous_of_family(blocks: Sequence[CodeBlock], position: int) -> int | None:
    wanted = family(blocks[position])
    for earlier in range(position - 1, -1, -1):
        block = blocks[earlier]
        if (
            family(block) == wanted
            and block.attribute("file") is None
            and "peer" not in block.flags
        ):
            return earlier
    return None


def _python_needs(source: str, plugins: Mapping[str, PluginProject]) -> set[str]:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set()
    by_package = {plugin.package: name for name, plugin in plugins.items()}
    needs: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules = [node.module]
        else:
            modules = []
        needs |= {by_package[m.split(".")[0]] for m in modules if m.split(".")[0] in by_package}
        if isinstance(node, ast.keyword) and node.arg == "plugins":
            needs |= {
                element.value
                for element in getattr(node.value, "elts", ())
                if isinstance(element, ast.Constant)
                and isinstance(element.value, str)
                and element.value in plugins
            }
    return needs


def _toml_needs(source: str, plugins: Mapping[str, PluginProject]) -> set[str]:
    try:
        data: dict[str, Any] = tomllib.loads(source)
    except tomllib.TOMLDecodeError:
        return set()
    tables = [data, data.get("tool", {}).get("zenoo", {})]
    needs: set[str] = set()
    for table in tables:
        selected = table.get("plugins") if isinstance(table, dict) else None
        if isinstance(selected, list):
            needs |= {name for name in selected if name in plugins}
        elif isinstance(selected, dict):
            needs |= {name for name in selected.get("enabled") or () if name in plugins}
            needs |= {name for name in selected if name in plugins}
    return needs
