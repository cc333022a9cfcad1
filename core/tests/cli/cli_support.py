"""Helpers of the ``zenoo`` command tests (imported by their conftest and tests)."""

from __future__ import annotations

import asyncio
import os
import select
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from zenoo_rpc import ZenooClient
from zenoo_rpc.testing.emulator.server import Emulator

LOGIN = {"ZENOO_DATABASE": "demo", "ZENOO_USERNAME": "admin", "ZENOO_PASSWORD": "admin"}


def clean_environment(**extra: str) -> dict[str, str]:
    """The test process's environment without ``ZENOO_*`` variables, plus ``extra``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZENOO_")}
    env.update(extra)
    return env


@dataclass
class Served:
    """An emulator served over HTTP on loopback for the whole session."""

    emulator: Emulator
    url: str

    def query(self, model: str, domain: Sequence[Any], fields: Sequence[str]) -> list[Any]:
        """Ground truth, read with a client of this process: rows in id order."""

        async def read() -> list[Any]:
            async with ZenooClient(self.url, plugins=[], retry={"max_attempts": 1}) as client:
                await client.login("demo", "admin", "admin")
                return await client.search_read(model, domain, fields, order="id")

        return asyncio.run(read())


@dataclass
class Zenoo:
    """Runs ``zenoo`` (``python -m zenoo_rpc.cli``) in a subprocess, in ``cwd``."""

    cwd: Path
    env: dict[str, str] = field(default_factory=dict)

    def command(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "zenoo_rpc.cli", *args]

    def __call__(
        self,
        *args: str,
        input: str | None = None,
        env: Mapping[str, str] | None = None,
        timeout: float = 60,
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            self.command(*args),
            cwd=self.cwd,
            env={**self.env, **(env or {})},
            input=input if input is not None else "",
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def popen(self, *args: str, **options: Any) -> subprocess.Popen[bytes]:
        return subprocess.Popen(self.command(*args), cwd=self.cwd, env=self.env, **options)


def assert_no_secret(secret: str, result: subprocess.CompletedProcess[str]) -> None:
    """``secret`` appears neither on stdout nor on stderr."""
    assert secret not in result.stdout
    assert secret not in result.stderr


def read_terminal(leader: int, text: str, *, timeout: float = 30, before: str = "") -> str:
    """Read a pseudo-terminal's ``leader`` side until ``text`` shows (or the process is gone).

    Returns what was read; fails the test after ``timeout`` seconds, quoting
    ``before`` (what earlier reads saw) and what this one got.
    """
    deadline = time.monotonic() + timeout
    buffer = ""
    while text not in buffer:
        remaining = deadline - time.monotonic()
        assert remaining > 0, f"waited for {text!r}, got {before + buffer!r}"
        ready, _, _ = select.select([leader], [], [], remaining)
        if ready:
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # the terminal closed: the process is gone
                break
            if not chunk:
                break
            buffer += chunk.decode("utf-8", "replace")
    return buffer
