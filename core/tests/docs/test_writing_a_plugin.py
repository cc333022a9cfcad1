"""docs/writing-a-plugin.md holds a complete third-party plugin in under 40 lines, and it works.

The page's ``file=`` blocks are written to a directory, built into a wheel by
their own build backend (hatchling, from core's test extra), installed, and
the plugin is then selected by name in the page's zenoo.toml and used on the
emulator. test_blocks.py runs each block; this checks what the page promises.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from zenoo_rpc.testing.markdown import CodeBlock, parse_page, run_block

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[3]
PAGE = parse_page(ROOT / "docs" / "writing-a-plugin.md", ROOT)


def _file(name: str) -> CodeBlock:
    (block,) = [block for block in PAGE if block.attribute("file") == name]
    return block


def test_the_plugin_is_under_40_lines() -> None:
    plugin_files = [_file("pyproject.toml"), _file("zenoo_slowlog.py")]
    lines = sum(len(block.source.splitlines()) for block in plugin_files)
    assert lines < 40
    for page in ("README.md", "docs/index.md", "docs/plugins.md", "docs/writing-a-plugin.md"):
        assert f"{lines} lines" in (ROOT / page).read_text(encoding="utf-8"), (
            f"{page} must say how long the plugin of docs/writing-a-plugin.md is: {lines} lines"
        )


def test_the_config_selects_the_entry_point_the_project_declares() -> None:
    project = tomllib.loads(_file("pyproject.toml").source)
    entry_points = project["project"]["entry-points"]["zenoo_rpc"]
    config = tomllib.loads(_file("zenoo.toml").source)
    assert config["plugins"]["enabled"] == list(entry_points)
    assert entry_points == {"slowlog": "zenoo_slowlog"}


def test_the_installed_plugin_logs_slow_calls_on_the_emulator(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    usage = next(b for b in PAGE if b.language == "python" and b.attribute("file") is None)
    with caplog.at_level("WARNING", logger="zenoo_slowlog"):
        run_block(usage, PAGE, tmp_path / "run")
    messages = [r.getMessage() for r in caplog.records if r.name == "zenoo_slowlog"]
    assert any(m.startswith("res.partner.search_count took ") for m in messages), messages
    site = tmp_path / "run-site"
    assert (site / "zenoo_slowlog.py").is_file()
    assert (site / "zenoo_slowlog-1.0.0.dist-info" / "entry_points.txt").read_text().split() == [
        "[zenoo_rpc]",
        "slowlog",
        "=",
        "zenoo_slowlog",
    ]


def test_without_installing_the_name_is_unknown(tmp_path: Path) -> None:
    from zenoo_rpc import ZenooClient
    from zenoo_rpc.errors import UnknownPluginError

    with pytest.raises(UnknownPluginError, match="slowlog"):
        ZenooClient("memory://demo", plugins=["slowlog"])
