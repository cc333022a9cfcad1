"""Run the code blocks of your Markdown pages (a plugin's README, your docs) against the emulator.

Every example a reader may copy should run. This is the runner zenoo-rpc
uses on its own README and ``docs/``; a plugin uses it on its README with a
test module like this one::

    # tests/test_readme.py
    from pathlib import Path

    import pytest

    from zenoo_rpc.testing.markdown import load_docs, run_block

    DOCS = load_docs(Path(__file__).parents[1], pages=["README.md"], plugin_projects_pattern="")


    @pytest.mark.parametrize(("block", "page"), DOCS.pytest_params("core"))
    def test_block(block, page, tmp_path):
        run_block(block, page, tmp_path)

Each block is one test, named after its page and line (``README.md:42``).
Python blocks run as programs (``asyncio.run(main())``); ``memory://demo``
URLs reach a fresh in-process emulator, and production URLs shown on the
page (``https://odoo.example.com``) are served by emulators through the
table in :mod:`~zenoo_rpc.testing.markdown.sandbox`, without changing what
the page shows. TOML configuration is loaded as clients load it; ``zenoo``
commands run; ``pip install`` and the like are listed as not run, with a
reason. :mod:`~zenoo_rpc.testing.markdown.runner` has the table of
languages and ``<!-- doctest: continue -->`` chains blocks.

Run the tests from a synchronous test function: the blocks start their own
event loops.
"""

from zenoo_rpc.testing.markdown.blocks import DIRECTIVES, CodeBlock, MarkdownError, parse_page
from zenoo_rpc.testing.markdown.claims import CORE, ClaimError, PluginProject, block_needs
from zenoo_rpc.testing.markdown.runner import (
    DEFAULT_PAGES,
    DEFAULT_PLUGIN_PROJECTS,
    DocSet,
    UnknownLanguageError,
    how_run,
    load_docs,
    run_block,
)
from zenoo_rpc.testing.markdown.sandbox import ENVIRONMENT, SUBSTITUTIONS, Sandbox
from zenoo_rpc.testing.markdown.shell_blocks import NOT_EXECUTED

__all__ = [
    "CORE",
    "DEFAULT_PAGES",
    "DEFAULT_PLUGIN_PROJECTS",
    "DIRECTIVES",
    "ENVIRONMENT",
    "NOT_EXECUTED",
    "SUBSTITUTIONS",
    "ClaimError",
    "CodeBlock",
    "DocSet",
    "MarkdownError",
    "PluginProject",
    "Sandbox",
    "UnknownLanguageError",
    "block_needs",
    "how_run",
    "load_docs",
    "parse_page",
    "run_block",
]
