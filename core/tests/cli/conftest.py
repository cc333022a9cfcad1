"""Fixtures of the ``zenoo`` command tests.

End-to-end tests run ``python -m zenoo_rpc.cli`` in a subprocess against an
emulated Odoo served on a loopback port (``served``), from an empty
temporary directory and with no ``ZENOO_*`` variable of the caller's, so no
configuration leaks in. Cheap tests run the click command in-process
(``cli_runner``) against a ``memory://`` emulator of their own. The helpers
live in ``cli_support.py``; this directory is put on ``sys.path`` so they
import the same way under every pytest import mode.
"""

from __future__ import annotations

import logging
import os
import sys
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

_HERE = str(Path(__file__).resolve().parent)
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)

from cli_support import LOGIN, Served, Zenoo, clean_environment  # noqa: E402

from zenoo_rpc.cli.app import cli  # noqa: E402
from zenoo_rpc.testing.emulator.serve import serve_emulator_in_thread  # noqa: E402
from zenoo_rpc.testing.emulator.server import Emulator  # noqa: E402
from zenoo_rpc.testing.transport import unregister_emulator  # noqa: E402


@pytest.fixture(scope="session")
def served() -> Iterator[Served]:
    emulator = Emulator(version=18, size=60)
    with serve_emulator_in_thread(emulator) as url:
        yield Served(emulator, url)


@pytest.fixture
def zenoo(tmp_path: Path, served: Served) -> Zenoo:
    """``zenoo`` logged in to the served emulator as admin, through ``ZENOO_*`` variables."""
    return Zenoo(tmp_path, clean_environment(ZENOO_URL=served.url, **LOGIN))


@pytest.fixture
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """No ``ZENOO_*`` variable, an empty working directory, ``-v`` undone afterwards."""
    for name in list(os.environ):
        if name.startswith("ZENOO_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    yield tmp_path
    logging.getLogger("zenoo_rpc").setLevel(logging.NOTSET)


@pytest.fixture
def run_served(isolated: Path, served: Served) -> Callable[..., Result]:
    """Runs the click command in-process, logged in to the served emulator as admin."""

    def run(*args: str, input: str | None = None, env: dict[str, str] | None = None) -> Result:
        variables = {"ZENOO_URL": served.url, **LOGIN, **(env or {})}
        return CliRunner().invoke(cli, list(args), input=input, env=variables, prog_name="zenoo")

    return run


@pytest.fixture
def cli_runner(isolated: Path) -> Iterator[Callable[..., Result]]:
    """Runs the click command in-process against a fresh ``memory://`` emulator."""
    name = f"cli-{uuid.uuid4().hex[:10]}"
    url = f"memory://{name}?size=30&databases=demo"

    def run(*args: str, input: str | None = None, login: bool = True) -> Result:
        options = ["--url", url, "--db", "demo", "--user", "admin", "--password", "admin"]
        return CliRunner().invoke(
            cli, [*(options if login else []), *args], input=input, prog_name="zenoo"
        )

    yield run
    unregister_emulator(name)
