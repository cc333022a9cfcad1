"""``zenoo plugins``: installed plugins found by entry point, enabled or not, with hooks."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from cli_support import Zenoo
from click.testing import Result

FAKE_PLUGIN = """
from zenoo_rpc import hookimpl


@hookimpl
def zenoo_event(event):
    return None
"""


@pytest.fixture
def fake_site(tmp_path: Path) -> Iterator[Path]:
    """A directory holding two installed plugins: one sound, one broken."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "zenoo_fake_plugin.py").write_text(FAKE_PLUGIN)
    (site / "zenoo_broken_plugin.py").write_text("raise ImportError('needs libfoo')\n")
    dist = site / "zenoo_fake_plugin-1.2.3.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: zenoo-fake-plugin\nVersion: 1.2.3\n"
    )
    (dist / "entry_points.txt").write_text(
        "[zenoo_rpc]\nfake = zenoo_fake_plugin\nbroken = zenoo_broken_plugin\n"
    )
    yield site
    sys.modules.pop("zenoo_fake_plugin", None)


@pytest.fixture
def on_path(fake_site: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The fake plugins installed in this process (for in-process runs)."""
    monkeypatch.syspath_prepend(str(fake_site))
    return fake_site


def test_lists_installed_plugins_with_distribution_hooks_and_import_errors(
    zenoo: Zenoo, fake_site: Path, tmp_path: Path
) -> None:
    (tmp_path / "zenoo.toml").write_text('plugins = ["fake", "zenoo_rpc.demo.call_log"]\n')
    path = os.pathsep.join(p for p in (str(fake_site), zenoo.env.get("PYTHONPATH")) if p)
    result = zenoo("plugins", "--json", env={"PYTHONPATH": path})
    assert result.returncode == 0, result.stderr
    rows = {row["name"]: row for row in json.loads(result.stdout)}
    assert rows["fake"] == {
        "name": "fake",
        "value": "zenoo_fake_plugin",
        "distribution": "zenoo-fake-plugin",
        "version": "1.2.3",
        "enabled": True,
        "builtin": False,
        "hooks": ["zenoo_event"],
        "error": None,
    }
    assert rows["broken"]["enabled"] is False
    assert rows["broken"]["hooks"] == []
    assert "failed to import: ImportError: needs libfoo" in rows["broken"]["error"]
    assert rows["zenoo_rpc.demo.call_log"]["enabled"] is True
    assert rows["zenoo_rpc.demo.call_log"]["hooks"] == ["zenoo_event"]
    assert rows["zenoo_rpc.builtin"]["builtin"] is True
    assert "zenoo_register_transports" in rows["zenoo_rpc.builtin"]["hooks"]


def test_an_enabled_plugin_that_cannot_load_exits_2_after_the_listing(
    run_served: Callable[..., Result], on_path: Path
) -> None:
    result = run_served("plugins", env={"ZENOO_PLUGINS": "broken,fake"})
    assert result.exit_code == 2
    header, *rows = result.stdout.split("\n\n")[0].splitlines()
    assert header.split() == ["NAME", "DISTRIBUTION", "VERSION", "ENABLED", "HOOKS"]
    fake = next(row for row in rows if row.startswith("fake "))
    assert fake.split() == ["fake", "zenoo-fake-plugin", "1.2.3", "yes", "zenoo_event"]
    assert "broken: zenoo-rpc plugin 'broken'" in result.stdout
    assert "ZENOO_PLUGINS='broken,fake' overrides the configured plugins" in result.stderr
    assert "zenoo: error: enabled plugin(s) 'broken' cannot be loaded" in result.stderr


def test_a_configured_name_that_is_not_installed_is_listed_as_unknown(
    run_served: Callable[..., Result], isolated: Path
) -> None:
    (isolated / "zenoo.toml").write_text('plugins = ["nosuch_plugin"]\n')
    result = run_served("--json", "plugins")
    assert result.exit_code == 2
    rows = {row["name"]: row for row in json.loads(result.stdout)}
    assert rows["nosuch_plugin"]["enabled"] is True
    assert "Unknown zenoo-rpc plugin 'nosuch_plugin'" in rows["nosuch_plugin"]["error"]
