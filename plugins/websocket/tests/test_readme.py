"""Every Python example of the README runs, against the emulator on a loopback port."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from typing import Any

import pytest

from zenoo_rpc import ZenooClient

README = Path(__file__).resolve().parents[1] / "README.md"


def examples() -> dict[str, Any]:
    """The README's ``python`` blocks, run in order in one namespace."""
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.DOTALL)
    assert len(blocks) == 3
    namespace: dict[str, Any] = {}
    for block in blocks:
        exec(compile(block, str(README), "exec"), namespace)  # noqa: S102 - our own README
    return namespace


async def until(condition: Any, timeout: float = 10.0) -> None:
    async def poll() -> None:
        while not condition():  # noqa: ASYNC110 - polls captured output, no event to wait on
            await asyncio.sleep(0.02)

    await asyncio.wait_for(poll(), timeout)


async def test_readme_examples(odoo_server_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    readme = examples()
    assert isinstance(readme["client"], ZenooClient)  # the ws:// example selects the plugin
    assert "websocket" in readme["client"].plugins.plugin_names()

    async with ZenooClient(odoo_server_url, plugins=[]) as other:
        await other.login("demo", "admin", "admin")
        output: list[str] = []

        def printed(text: str) -> bool:
            output.append(capsys.readouterr().out)
            return text in "".join(output)

        watcher = asyncio.ensure_future(readme["watch_partners"](odoo_server_url))
        new_id = await other.create("res.partner", {"name": "From the README"})
        try:
            await until(lambda: printed(f"create res.partner ({new_id},)"))
        finally:
            watcher.cancel()
            await asyncio.gather(watcher, return_exceptions=True)

        async with ZenooClient(odoo_server_url, plugins=["websocket"]) as client:
            await client.login("demo", "admin", "admin")
            events = readme["OrderEvents"]()
            bus = await readme["follow_orders"](client, events)
            try:
                await bus.wait_connected(5)
                [order] = await other.search("sale.order", [("state", "=", "draft")], limit=1)
                await other.call("sale.order", "action_confirm", [order])
                await until(lambda: order in events.confirmed)
                created = await other.create("res.partner", {"name": "Handled"})
                await until(lambda: printed(f"created: res.partner [{created}]"))
            finally:
                await bus.stop()
