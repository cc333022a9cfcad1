"""The code blocks of README.md, docs/ and this plugin's README that need this plugin run here.

Each package's tests run in a venv holding only core and that package, so the
blocks that need this plugin cannot run in core's: the runner
(``zenoo_rpc.testing.markdown``) claims them for this one. Each block is one
test, named after its page and line (``plugins/redis_cluster/README.md:16``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from zenoo_rpc.testing.markdown import CodeBlock, load_docs, run_block

ROOT = Path(__file__).resolve().parents[3]
DOCS = load_docs(ROOT)


@pytest.mark.parametrize(("block", "page"), DOCS.pytest_params("redis-cluster"))
def test_block(block: CodeBlock, page: list[CodeBlock], tmp_path: Path) -> None:
    run_block(block, page, tmp_path)
