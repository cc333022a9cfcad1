"""``zenoo shell``: top-level await on one loop, ``client`` and ``env`` ready, piped input."""

from __future__ import annotations

import os
import subprocess
import types
from collections.abc import Callable
from pathlib import Path

from cli_support import Served, Zenoo, clean_environment, read_terminal
from click.testing import Result

from zenoo_rpc import ZenooClient
from zenoo_rpc.cli.shell import ModelProxy, ModelRegistry

SCRIPT = """\
await client.search_count("res.partner", [["is_company", "=", True]])
rows = await client.search_read("res.partner", [["is_company", "=", True]], ["name"], order="id")
for row in rows[:2]:
    print(row["name"])

print(type(env["res.partner"]).__name__)
1 / 0
print("still running after the error")
"""


def test_piped_statements_run_with_top_level_await(zenoo: Zenoo, served: Served) -> None:
    companies = served.query("res.partner", [["is_company", "=", True]], ["name"])
    result = zenoo("shell", input=SCRIPT)
    assert result.returncode == 1  # one statement raised
    orm = callable(getattr(ZenooClient, "model", None))
    assert result.stdout.splitlines() == [
        str(len(companies)),
        *(row["name"] for row in companies[:2]),
        "QuerySet" if orm else "ModelProxy",
        "still running after the error",
    ]
    assert "ZeroDivisionError: division by zero" in result.stderr
    assert ">>>" not in result.stdout + result.stderr


def test_a_clean_script_exits_0(run_served: Callable[..., Result]) -> None:
    result = run_served("shell", input="uid = client.uid\nprint(uid, client.protocol)\n")
    assert result.exit_code == 0, result.output
    assert result.stdout == "2 jsonrpc\n"


async def test_without_the_orm_env_gives_proxies_whose_methods_call_the_server(
    zenoo_client: ZenooClient,
) -> None:
    without_orm = types.SimpleNamespace(call=zenoo_client.call)
    assert isinstance(ModelRegistry(without_orm)["res.partner"], ModelProxy)  # type: ignore[arg-type]
    partners = ModelProxy(zenoo_client, "res.partner")
    assert await partners.search_count([]) == await zenoo_client.search_count("res.partner", [])
    matches = dict(await partners.name_search("Azure Interior"))
    found = next(key for key, name in matches.items() if name == "Azure Interior")
    await partners.action_archive([found])  # any other name is a server call
    assert await partners.search_count([("id", "=", found)]) == 0


def _expect(leader: int, text: str, seen: list[str]) -> str:
    """Read the terminal until ``text`` shows; return what came since the last call."""
    buffer = read_terminal(leader, text, before="".join(seen))
    seen.append(buffer)
    return buffer


def test_on_a_terminal_it_asks_for_the_password_hidden_and_shows_a_banner(
    served: Served, tmp_path: Path
) -> None:
    leader, follower = os.openpty()
    env = clean_environment(
        ZENOO_URL=served.url, ZENOO_DATABASE="demo", ZENOO_USERNAME="admin", TERM="dumb"
    )
    process = subprocess.Popen(
        Zenoo(tmp_path, env).command("shell"),
        stdin=follower,
        stdout=follower,
        stderr=follower,
        cwd=tmp_path,
        env=env,
    )
    os.close(follower)
    seen: list[str] = []
    try:
        _expect(leader, "Password for admin on demo: ", seen)
        os.write(leader, b"admin\n")
        banner = _expect(leader, ">>> ", seen)
        assert "admin" not in banner  # not echoed
        assert f"zenoo shell: {served.url}, uid 2 on demo, over jsonrpc" in banner
        os.write(leader, b'await client.search_count("res.partner", [["id", "=", 1]])\n')
        assert "\r\n1\r\n" in _expect(leader, ">>> ", seen)
        os.write(leader, b"\x04")  # Ctrl-D
        assert process.wait(timeout=30) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=30)
        os.close(leader)
