"""Every code block of README.md, docs/ and the plugin READMEs runs (core's share of them).

Blocks are claimed by the test environment that can run them (see
``zenoo_rpc.testing.markdown.claims``): core runs those that need no plugin;
each plugin's ``tests/test_doc_blocks.py`` runs those that need it. Each block
is one test, named after its page and line (``README.md:42``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from zenoo_rpc.testing.markdown import CORE, CodeBlock, load_docs, run_block

ROOT = Path(__file__).resolve().parents[3]
DOCS = load_docs(ROOT)


@pytest.mark.parametrize(("block", "page"), DOCS.pytest_params(CORE))
def test_block(block: CodeBlock, page: list[CodeBlock], tmp_path: Path) -> None:
    run_block(block, page, tmp_path)
