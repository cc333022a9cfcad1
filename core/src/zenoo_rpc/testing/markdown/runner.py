"""Run the code blocks of Markdown pages: find them, decide who runs each, run one.

What happens to a block depends on its language (:func:`how_run` says it in
words):

==============================  =================================================================
``python``                      run as a program (:mod:`.python_blocks`)
``python peer``                 not run: another library's code, shown for comparison
``toml``                        parsed; configuration validated (:mod:`.data_blocks`)
``json``                        parsed (JSON, or JSON Lines)
``bash`` ``sh`` ``shell``       commands run, or not run for a listed reason (:mod:`.shell_blocks`)
``console``, no language
``text`` ``output`` ``csv``     not run: data or output shown to the reader
any block with ``file=PATH``    written to PATH for the blocks below it (:mod:`.projects`);
                                Python compiled, TOML checked as above
==============================  =================================================================

A language not in this table fails, so that no block is silently ignored.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from zenoo_rpc.errors import ZenooError
from zenoo_rpc.testing.markdown.blocks import CodeBlock, parse_page
from zenoo_rpc.testing.markdown.claims import (
    PluginProject,
    claim,
    continued,
    family,
    plugin_projects,
)
from zenoo_rpc.testing.markdown.data_blocks import check_json, check_toml
from zenoo_rpc.testing.markdown.projects import page_files, write_files
from zenoo_rpc.testing.markdown.python_blocks import compile_block, run_python
from zenoo_rpc.testing.markdown.sandbox import Sandbox
from zenoo_rpc.testing.markdown.shell_blocks import (
    not_executed_reason,
    parse_commands,
    run_shell,
)

__all__ = [
    "DEFAULT_PAGES",
    "DEFAULT_PLUGIN_PROJECTS",
    "SHOWN_ONLY",
    "DocSet",
    "UnknownLanguageError",
    "how_run",
    "load_docs",
    "run_block",
]

#: The pages of a repository laid out like zenoo-rpc's (glob patterns from its root).
DEFAULT_PAGES = ("README.md", "docs/**/*.md", "plugins/*/README.md")
#: Where that repository's plugins are declared.
DEFAULT_PLUGIN_PROJECTS = "plugins/*/pyproject.toml"
#: Languages of blocks that are data or output: shown to the reader, never run.
SHOWN_ONLY = {
    "text": "output shown to the reader",
    "output": "output shown to the reader",
    "csv": "data shown to the reader",
}
_PEER = "another library's code, shown for comparison; only the zenoo-rpc side runs"


class UnknownLanguageError(ZenooError, AssertionError):
    """A block's language is not one the runner knows how to check."""


@dataclass(frozen=True)
class DocSet:
    """The blocks of a set of pages and the environment each must run in.

    :ivar root: the directory the page patterns start from.
    :ivar pages: each page's blocks, in page order.
    :ivar plugins: the repository's plugins, by entry-point name.
    :ivar owners: block label -> ``"core"`` or the plugin whose environment runs it.
    """

    root: Path
    pages: dict[Path, list[CodeBlock]]
    plugins: dict[str, PluginProject]
    owners: dict[str, str] = field(default_factory=dict)

    def blocks(self, owner: str | None = None) -> list[tuple[CodeBlock, list[CodeBlock]]]:
        """``(block, its page's blocks)`` for every block, or those of ``owner``."""
        return [
            (block, page)
            for page in self.pages.values()
            for block in page
            if owner is None or self.owners[block.label] == owner
        ]

    def pytest_params(self, owner: str) -> list[Any]:
        """One ``pytest.param(block, page, id="README.md:42")`` per block of ``owner``."""
        import pytest

        return [pytest.param(block, page, id=block.label) for block, page in self.blocks(owner)]


def load_docs(
    root: Path,
    pages: Iterable[str] = DEFAULT_PAGES,
    plugin_projects_pattern: str = DEFAULT_PLUGIN_PROJECTS,
) -> DocSet:
    """Read the pages under ``root`` and claim each block for core or one plugin.

    A page inside a plugin's directory belongs to that plugin.

    :raises ClaimError: a block needs two plugins at once.
    :raises MarkdownError: a page has an unclosed fence or an unknown directive.
    """
    plugins = (
        plugin_projects(sorted(root.glob(plugin_projects_pattern)))
        if plugin_projects_pattern
        else {}
    )
    found: dict[Path, list[CodeBlock]] = {}
    for pattern in pages:
        for path in sorted(root.glob(pattern)):
            if path not in found and path.is_file():
                found[path] = parse_page(path, root)
    owners: dict[str, str] = {}
    for path, blocks in found.items():
        page_owner = next(
            (
                name
                for name, plugin in plugins.items()
                if path.resolve().is_relative_to(plugin.directory.resolve())
            ),
            None,
        )
        owners.update(claim(blocks, plugins, page_owner=page_owner))
    return DocSet(root=root, pages=found, plugins=plugins, owners=owners)


def how_run(block: CodeBlock, page: Sequence[CodeBlock] = ()) -> str:
    """What the runner does with ``block``, in words (``not run: <reason>`` when it is not run).

    :raises UnknownLanguageError: the runner does not know the block's language.
    """
    kind = family(block)
    target = block.attribute("file")
    if target is not None:
        checked = {"python": ", compiled", "toml": ", checked", "json": ", parsed"}
        return f"written to {target}{checked.get(kind, '')}"
    if kind == "python":
        return f"not run: {_PEER}" if "peer" in block.flags else "run"
    if kind == "toml":
        return "parsed and validated"
    if kind == "json":
        return "parsed"
    if kind == "shell":
        commands = parse_commands(block)
        reasons = [not_executed_reason(command) for command in commands]
        if commands and all(reasons):
            return "not run: " + "; ".join(dict.fromkeys(r for r in reasons if r))
        return "run"
    if kind in SHOWN_ONLY:
        return f"not run: {SHOWN_ONLY[kind]}"
    raise UnknownLanguageError(
        f"{block.label}: the documentation runner does not know the language {block.language!r}"
        f" (known: python, toml, json, bash, sh, shell, console, {', '.join(SHOWN_ONLY)})"
    )


def run_block(block: CodeBlock, page: Sequence[CodeBlock], workdir: Path) -> str:
    """Check ``block`` of ``page`` the way :func:`how_run` says, in the empty ``workdir``.

    The page's ``file=`` blocks above it are written first, and the blocks it
    continues run before it. Returns :func:`how_run`'s description.
    """
    description = how_run(block, page)
    if description.startswith("not run") and family(block) != "shell":
        return description
    with Sandbox(workdir) as sandbox:
        sys.path.insert(0, str(workdir))
        write_files(page_files(page, block.index), sandbox)
        kind = family(block)
        chain = [page[position] for position in continued(page, block.index)] + [block]
        if block.attribute("file") is not None:
            if kind == "python":
                compile_block(block)
            elif kind == "toml":
                check_toml(block, sandbox)
            elif kind == "json":
                check_json(block)
        elif kind == "python":
            run_python(chain, sandbox)
        elif kind == "toml":
            check_toml(block, sandbox)
        elif kind == "json":
            check_json(block)
        elif kind == "shell":
            run_shell(chain, sandbox)
    return description
