"""The examples in the package's docstrings run (the README's run in ``test_doc_blocks.py``)."""

from __future__ import annotations

import ast
import re
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import zenoo_rpc_audit
from zenoo_rpc.config import load_config
from zenoo_rpc.testing.transport import unregister_emulator
from zenoo_rpc_audit import parse_settings, settings, sinks


def _docstring_blocks(module: Any) -> list[str]:
    """The ``::`` literal blocks of a module docstring, dedented."""
    found = re.findall(r"::\n\n((?:    .*\n|\n)+)", module.__doc__)
    return [textwrap.dedent(block) for block in found]


@pytest.fixture
def in_tmp_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A working directory of its own (no zenoo.toml around) and a fresh ``memory://demo``."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ZENOO_CONFIG", raising=False)
    unregister_emulator("demo")
    yield tmp_path
    unregister_emulator("demo")


async def _run(source: str) -> None:
    code = compile(source, "<docstring>", "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
    result = eval(code, {})  # noqa: S307 - the docs' own examples
    if result is not None:
        await result


async def test_docstring_examples_run(in_tmp_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    toml_blocks = [
        *_docstring_blocks(zenoo_rpc_audit)[:1],
        *_docstring_blocks(settings),
    ]
    for block in toml_blocks:
        (in_tmp_dir / "zenoo.toml").write_text('url = "memory://demo"\n' + block)
        config = load_config(config_file=str(in_tmp_dir / "zenoo.toml"))
        assert config.plugins.enabled == ["audit"]
        assert parse_settings(config.plugins.get("audit")).sinks
    (in_tmp_dir / "zenoo.toml").unlink()
    (python,) = _docstring_blocks(zenoo_rpc_audit)[1:]
    await _run(python)
    assert "method='write', ids=(7,)" in capsys.readouterr().out
    assert not _docstring_blocks(sinks)  # nothing untested hides there
