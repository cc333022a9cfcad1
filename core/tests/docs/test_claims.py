"""Every block of every page is run by exactly one test environment, and none is ignored."""

from __future__ import annotations

import re
from pathlib import Path

from zenoo_rpc.testing.markdown import CORE, how_run, load_docs

ROOT = Path(__file__).resolve().parents[3]
DOCS = load_docs(ROOT)
CORE_RUNNER = Path(__file__).with_name("test_blocks.py")


def _runners() -> dict[str, Path]:
    runners = {CORE: CORE_RUNNER}
    for name, plugin in DOCS.plugins.items():
        runners[name] = plugin.directory / "tests" / "test_doc_blocks.py"
    return runners


def test_every_block_has_one_runner() -> None:
    runners = _runners()
    for owner, path in runners.items():
        text = path.read_text(encoding="utf-8")
        wanted = "CORE" if owner == CORE else f'"{owner}"'
        assert re.search(rf"DOCS\.pytest_params\({wanted}\)", text), (
            f"{path} must run the blocks claimed by {owner!r}"
        )
    claimed = [label for owner in runners for label in (b.label for b, _ in DOCS.blocks(owner))]
    everything = [block.label for block, _ in DOCS.blocks()]
    assert sorted(claimed) == sorted(everything)
    assert len(set(claimed)) == len(claimed)


def test_every_page_is_collected() -> None:
    pages = {path.relative_to(ROOT).as_posix() for path in DOCS.pages}
    assert {"README.md", "docs/index.md", "docs/getting-started.md"} <= pages
    assert {f"plugins/{p.directory.name}/README.md" for p in DOCS.plugins.values()} <= pages
    assert set(DOCS.plugins) == {"audit", "redis-cluster", "websocket"}


def test_every_block_is_in_a_known_language_and_says_what_is_done() -> None:
    not_run = {}
    for block, page in DOCS.blocks():
        description = how_run(block, page)
        if description.startswith("not run"):
            not_run[block.label] = description
    # what is shown but not run, with why: installs, nox, peers' code, output
    assert all(": " in reason for reason in not_run.values())
    assert not_run["README.md:8"] == "not run: runs nox sessions; CI runs each of them"


def test_the_readme_starts_with_the_two_commands() -> None:
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    fence = lines.index("```bash")
    assert lines[0] == "# zenoo-rpc"
    assert lines[fence + 1].startswith("python -m pip install -q nox uv && nox -s demo ")
    assert lines[fence + 2].startswith("python -m pip install -q nox uv && nox -s tests ")
    assert "```" not in "\n".join(lines[:fence])
