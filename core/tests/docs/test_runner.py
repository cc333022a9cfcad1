"""The documentation runner fails when a block is wrong: it is only worth what it catches."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest

from zenoo_rpc.errors import ConfigError, UnknownPluginError
from zenoo_rpc.testing.markdown import (
    ClaimError,
    MarkdownError,
    PluginProject,
    UnknownLanguageError,
    how_run,
    parse_page,
    run_block,
)
from zenoo_rpc.testing.markdown.claims import claim
from zenoo_rpc.testing.markdown.python_blocks import PythonBlockError
from zenoo_rpc.testing.markdown.shell_blocks import ShellBlockError

FENCE = "```"


def page(tmp_path: Path, text: str) -> list:
    path = tmp_path / "page.md"
    path.write_text(textwrap.dedent(text).replace("'''", FENCE), encoding="utf-8")
    return parse_page(path, tmp_path)


def run(tmp_path: Path, blocks: list, index: int = -1) -> str:
    block = blocks[index]
    return run_block(block, blocks, tmp_path / f"run-{block.line}")


# ------------------------------------------------------------------ parsing


def test_blocks_have_their_language_attributes_and_lines(tmp_path: Path) -> None:
    blocks = page(
        tmp_path,
        """\
        # Title

        '''toml file=zenoo.toml
        url = "memory://demo"
        '''

        <!-- doctest: continue -->

        '''python peer
        import odoorpc
        '''
        """,
    )
    assert [(b.label, b.language, b.flags, b.attribute("file")) for b in blocks] == [
        ("page.md:3", "toml", (), "zenoo.toml"),
        ("page.md:9", "python", ("peer",), None),
    ]
    assert blocks[0].source == 'url = "memory://demo"\n'
    assert blocks[1].directives == ("continue",)


def test_an_unclosed_fence_and_an_unknown_directive_are_errors(tmp_path: Path) -> None:
    with pytest.raises(MarkdownError, match=r"page.md:1: the code block opened here"):
        page(tmp_path, "'''python\nprint(1)\n")
    with pytest.raises(MarkdownError, match=r"unknown doctest directive 'skip'"):
        page(tmp_path, "<!-- doctest: skip -->\n'''python\n'''\n")


def test_an_unknown_language_fails(tmp_path: Path) -> None:
    (block,) = page(tmp_path, "'''ruby\nputs 1\n'''\n")
    with pytest.raises(UnknownLanguageError, match="'ruby'"):
        how_run(block)


# ------------------------------------------------------------------ python


def test_a_failing_python_block_fails_at_its_page_line(tmp_path: Path) -> None:
    blocks = page(tmp_path, "intro\n\n'''python\nx = 1\nassert x == 2, 'wrong'\n'''\n")
    with pytest.raises(AssertionError, match="wrong") as info:
        run(tmp_path, blocks)
    frame = info.traceback[-1]
    assert Path(str(frame.path)).name == "page.md"
    assert frame.lineno + 1 == 5  # pytest counts from 0


def test_sys_exit_with_a_failure_status_fails(tmp_path: Path) -> None:
    blocks = page(tmp_path, "'''python\nimport sys\nsys.exit(3)\n'''\n")
    with pytest.raises(PythonBlockError, match="exited with status 3"):
        run(tmp_path, blocks)


def test_a_block_continues_the_previous_one(tmp_path: Path) -> None:
    blocks = page(
        tmp_path,
        """\
        '''python
        total = 40
        '''

        <!-- doctest: continue -->
        '''python
        total += 2
        assert total == 42
        '''
        """,
    )
    assert run(tmp_path, blocks) == "run"
    alone = page(tmp_path, "'''python\ntotal += 2\n'''\n")
    with pytest.raises(NameError):
        run(tmp_path, alone)


def test_production_urls_run_against_the_production_emulator(tmp_path: Path) -> None:
    text = """\
    '''python
    import asyncio, os
    from zenoo_rpc import ZenooClient

    async def main():
        async with ZenooClient("https://odoo.example.com") as client:
            await client.login("prod", "integration-bot", api_key=os.environ["ODOO_API_KEY"])
            assert client.protocol == "json2"
            assert client.url.startswith("http://127.0.0.1:")

    asyncio.run(main())
    '''
    """
    blocks = page(tmp_path, text)
    before = dict(os.environ)
    run(tmp_path, blocks)
    assert "https://odoo.example.com" in (tmp_path / "page.md").read_text()
    assert dict(os.environ) == before


def test_memory_emulators_are_fresh_for_each_block(tmp_path: Path) -> None:
    text = """\
    '''python
    import asyncio
    from zenoo_rpc import ZenooClient

    async def main():
        async with ZenooClient("memory://fresh") as client:
            await client.login("fresh", "admin", "admin")
            assert await client.search_count("res.partner", [("name", "=", "Once")]) == 0
            await client.create("res.partner", {"name": "Once"})

    asyncio.run(main())
    '''
    """
    blocks = page(tmp_path, text)
    run(tmp_path, blocks)
    run(tmp_path, blocks)  # the partner created by the first run is gone


# ------------------------------------------------------------------ toml and json


def test_a_config_with_a_wrong_key_fails(tmp_path: Path) -> None:
    blocks = page(tmp_path, "'''toml\nurl = 'memory://demo'\n\n[retry]\nmax_atempts = 3\n'''\n")
    with pytest.raises(
        ConfigError, match=r"unknown key `max_atempts`.*did you mean `max_attempts`"
    ):
        run(tmp_path, blocks)


def test_a_config_enabling_an_unknown_plugin_fails(tmp_path: Path) -> None:
    blocks = page(tmp_path, "'''toml\n[plugins]\nenabled = ['no-such-plugin']\n'''\n")
    with pytest.raises(UnknownPluginError, match="no-such-plugin"):
        run(tmp_path, blocks)


def test_a_pyproject_entry_point_must_be_a_module_path(tmp_path: Path) -> None:
    blocks = page(
        tmp_path, "'''toml\n[project.entry-points.zenoo_rpc]\nmine = 'not a module'\n'''\n"
    )
    with pytest.raises(AssertionError, match="not a module path"):
        run(tmp_path, blocks)


def test_json_and_json_lines_parse_and_garbage_fails(tmp_path: Path) -> None:
    good = page(tmp_path, "'''json\n{\"a\": 1}\n{\"b\": 2}\n'''\n")
    assert run(tmp_path, good) == "parsed"
    bad = page(tmp_path, "'''json\n{\"a\": 1,}\n'''\n")
    with pytest.raises(AssertionError, match="not JSON"):
        run(tmp_path, bad)


# ------------------------------------------------------------------ shell


def test_zenoo_commands_run_and_their_exit_status_is_checked(tmp_path: Path) -> None:
    login = "zenoo --url memory://demo --db demo --user admin"
    ok = page(
        tmp_path, f"'''bash\n{login} --password admin call res.partner search_count '[[]]'\n'''\n"
    )
    run(tmp_path, ok)
    refused = page(
        tmp_path, f"'''bash\n{login} --password wrong call res.partner search_count\n'''\n"
    )
    with pytest.raises(ShellBlockError, match="exited with 4, expected 0"):
        run(tmp_path, refused)
    expected = page(
        tmp_path,
        f"'''bash\n{login} --password wrong call res.partner search_count   # exit 4\n'''\n",
    )
    run(tmp_path, expected)


def test_an_unknown_command_fails_and_installs_are_listed_not_run(tmp_path: Path) -> None:
    unknown = page(tmp_path, "'''bash\ncurl http://127.0.0.1:8069/web/health\n'''\n")
    with pytest.raises(ShellBlockError, match="cannot run `curl"):
        run(tmp_path, unknown)
    install = page(tmp_path, "'''bash\npip install zenoo-rpc\n'''\n")
    assert how_run(install[0]).startswith("not run: installs packages")


# ------------------------------------------------------------------ files and claims


def test_files_above_a_block_are_written_and_importable(tmp_path: Path) -> None:
    blocks = page(
        tmp_path,
        """\
        '''python file=acme/hooks.py
        from zenoo_rpc import hookimpl

        SEEN = []

        @hookimpl
        def zenoo_event(event):
            SEEN.append(event.name)
        '''

        '''toml file=zenoo.toml
        url = "memory://demo"
        plugins = ["acme.hooks"]
        '''

        '''python
        import asyncio
        from zenoo_rpc import ZenooClient
        from acme.hooks import SEEN

        async def main():
            async with ZenooClient() as client:
                await client.login("demo", "admin", "admin")
            assert "authenticated" in SEEN

        asyncio.run(main())
        '''
        """,
    )
    assert how_run(blocks[0]) == "written to acme/hooks.py, compiled"
    run(tmp_path, blocks)


def test_blocks_needing_a_plugin_are_claimed_for_it(tmp_path: Path) -> None:
    plugins = {
        "audit": PluginProject("audit", "zenoo_rpc_audit", tmp_path),
        "websocket": PluginProject("websocket", "zenoo_rpc_websocket", tmp_path),
    }
    blocks = page(
        tmp_path,
        """\
        '''python
        from zenoo_rpc_audit import get_audit_log
        '''

        '''python
        client = ZenooClient("memory://demo", plugins=["websocket"])
        '''

        '''toml
        [plugins.audit]
        path = "a.jsonl"
        '''

        <!-- doctest: continue -->
        '''python
        print("continues the websocket block")
        '''

        '''python
        print("core")
        '''
        """,
    )
    owners = claim(blocks, plugins)
    assert list(owners.values()) == ["audit", "websocket", "audit", "websocket", "core"]
    both = page(tmp_path, "'''toml\nplugins = ['audit', 'websocket']\n'''\n")
    with pytest.raises(ClaimError, match="audit, websocket"):
        claim(both, plugins)


def test_a_block_starting_a_server_runs_its_commands_as_processes(tmp_path: Path) -> None:
    blocks = page(
        tmp_path,
        """\
        '''bash
        zenoo emulator --port 8069 &
        export ZENOO_URL=http://127.0.0.1:8069
        python -c "import os; open('pid', 'w').write(f'{os.getpid()} {os.getenv(\\"ZENOO_URL\\")}')"
        zenoo --db demo --user admin --password admin call res.partner search_count '[[]]'
        kill %1
        '''
        """,
    )
    run(tmp_path, blocks)
    pid, url = (tmp_path / f"run-{blocks[0].line}" / "pid").read_text().split()
    assert int(pid) != os.getpid()
    assert url.startswith("http://127.0.0.1:")
    assert not url.endswith(":8069")
