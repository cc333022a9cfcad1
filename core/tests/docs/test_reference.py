"""docs/configuration.md and docs/hooks.md are what docs/_tools/gen_reference.py writes.

The generator reads the config Structs (``#:`` comment per field) and the
hookspecs' docstrings, so a new setting or hook, or a changed docstring, makes
these tests fail until the pages are regenerated.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import msgspec
import pytest

from zenoo_rpc import hookspecs
from zenoo_rpc.config import loader
from zenoo_rpc.events import EVENT_NAMES

ROOT = Path(__file__).resolve().parents[3]


def _generator() -> ModuleType:
    path = ROOT / "docs" / "_tools" / "gen_reference.py"
    spec = importlib.util.spec_from_file_location("gen_reference", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


GENERATOR = _generator()


@pytest.mark.parametrize("name", sorted(GENERATOR.PAGES))
def test_generated_page_is_up_to_date(name: str) -> None:
    written = (ROOT / "docs" / name).read_text(encoding="utf-8")
    assert written == GENERATOR.PAGES[name](), (
        f"docs/{name} is out of date: run python docs/_tools/gen_reference.py"
    )


def test_every_config_key_and_variable_is_in_the_reference() -> None:
    page = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    for prefix, cls in GENERATOR._sections():
        for field in msgspec.inspect.type_info(cls).fields:
            assert f"| `{field.name}` |" in page, f"{prefix}.{field.name} missing"
    for name in loader.FLAT_KEYS:
        assert f"`ZENOO_{name.upper()}`" in page


def test_every_hook_and_event_is_in_the_reference() -> None:
    page = (ROOT / "docs" / "hooks.md").read_text(encoding="utf-8")
    for name in hookspecs.__all__:
        if name.startswith("zenoo_"):
            assert f"## `{name}`" in page
    for event in EVENT_NAMES:
        assert f"`{event}`" in page


def test_an_undocumented_config_field_stops_the_generator(monkeypatch: pytest.MonkeyPatch) -> None:
    class Undocumented(msgspec.Struct, kw_only=True):
        """A section."""

        #: documented
        documented: int = 1
        forgotten: int = 2

    assert GENERATOR._field_docs(Undocumented) == {"documented": "documented"}
    monkeypatch.setattr(GENERATOR, "_sections", lambda: iter([("", Undocumented)]))
    with pytest.raises(SystemExit, match=r"Undocumented\.forgotten has no `#:` comment"):
        GENERATOR.configuration_page()


def test_rest_markup_becomes_markdown() -> None:
    text = "See :class:`~zenoo_rpc.errors.ConfigError` and ``x = 1``::\n\n    print(1)\n"
    assert GENERATOR.markdown(text) == (
        "See `ConfigError` and `x = 1`:\n\n```python\nprint(1)\n```"
    )


def test_code_from_docstrings_gets_pep8_spacing() -> None:
    text = "Example::\n\n    import x\n    @deco\n    def f():\n        pass\n    x = 1\n"
    assert GENERATOR.markdown(text) == (
        "Example:\n\n```python\nimport x\n\n\n@deco\ndef f():\n    pass\nx = 1\n```"
    )
