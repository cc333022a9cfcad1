"""Every hook is exported, documented and tested (datasette's ``test_docs.py`` idea).

Adding a hook to ``hookspecs.py`` without a complete docstring, without listing
it in ``__all__``, or without a test that names it makes this module fail.
"""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

from zenoo_rpc import hookspecs
from zenoo_rpc.plugins import PluginHost

TESTS = Path(__file__).parent
HOOKS = sorted(name for name in hookspecs.__all__ if name.startswith("zenoo_"))


def test_every_hookspec_is_exported() -> None:
    marker = f"{hookspecs.PROJECT_NAME}_spec"
    specs = {name for name, obj in vars(hookspecs).items() if hasattr(obj, marker)}
    assert specs == set(HOOKS)
    assert HOOKS, "no hooks found"


def test_every_hook_is_registered_with_pluggy() -> None:
    host = PluginHost(builtins=())
    assert {name for name in HOOKS if hasattr(host.manager.hook, name)} == set(HOOKS)


@pytest.mark.parametrize("name", HOOKS)
def test_hook_is_documented(name: str) -> None:
    hook = getattr(hookspecs, name)
    doc = inspect.getdoc(hook) or ""
    lines = doc.splitlines()
    assert lines, f"{name} has no docstring"
    assert lines[0].strip().endswith("."), f"{name}: first line must be a one-line purpose"
    for parameter in inspect.signature(hook).parameters:
        assert re.search(rf":param {parameter}:", doc), f"{name}: no ':param {parameter}:'"
    assert ":return:" in doc, f"{name}: no ':return:'"
    assert re.search(r"Added in \d+\.\d+", doc), f"{name}: no 'Added in <version>'"


def _test_sources() -> str:
    return "\n".join(
        path.read_text(encoding="utf-8")
        for path in TESTS.rglob("test_*.py")
        if path.name != Path(__file__).name
    )


@pytest.mark.parametrize("name", HOOKS)
def test_hook_is_tested(name: str) -> None:
    assert re.search(rf"\b{name}\b", _test_sources()), f"no test outside this file names {name}"
