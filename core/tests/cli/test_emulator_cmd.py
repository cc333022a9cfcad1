"""The newcomer's walk-through on ``zenoo emulator`` in a real subprocess (the URL first
on stdout, a clean stop on SIGTERM), then ``zenoo doctor`` on Odoo 19 and ``zenoo demo``.

The emulator subprocess is the part under test in the walk-through: the
commands after it run in-process against it.
"""

from __future__ import annotations

import json
import select
import shlex
import signal
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_support import Zenoo, clean_environment
from click.testing import CliRunner, Result

from zenoo_rpc.cli.app import cli
from zenoo_rpc.testing.emulator.database import ADMIN_API_KEY
from zenoo_rpc.testing.transport import unregister_emulator

#: The newcomer's path (the README's, where the docs show it): serve, then export and print.
SERVE = "zenoo emulator --port 8069"
WALKTHROUGH = """\
export ZENOO_URL=http://127.0.0.1:8069 ZENOO_DATABASE=demo ZENOO_USERNAME=admin ZENOO_PASSWORD=admin
zenoo doctor
zenoo export res.partner --fields name,email,country_id --format csv -o partners.csv
zenoo report sale.report_saleorder 1 -o order.pdf
"""


def _run(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), env=env, prog_name="zenoo")


def _first_line(process: subprocess.Popen[bytes], timeout: float = 30) -> str:
    assert process.stdout is not None
    ready, _, _ = select.select([process.stdout], [], [], timeout)
    assert ready, "zenoo emulator printed no URL"
    return process.stdout.readline().decode().strip()


def test_the_newcomer_walkthrough_from_emulator_to_csv_and_pdf(
    tmp_path: Path, isolated: Path
) -> None:
    exports, *commands = WALKTHROUGH.splitlines()
    env = dict(item.split("=", 1) for item in shlex.split(exports)[1:])
    process = Zenoo(tmp_path, clean_environment()).popen(
        *shlex.split(SERVE.replace("--port 8069", "--port 0"))[1:],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        url = _first_line(process)
        assert url.startswith("http://127.0.0.1:")
        assert env["ZENOO_URL"] == "http://127.0.0.1:8069"
        env["ZENOO_URL"] = url
        for command in commands:
            result = _run(*shlex.split(command)[1:], env=env)
            assert result.exit_code == 0, (command, result.output)
    finally:
        process.send_signal(signal.SIGTERM)
        _, errors = process.communicate(timeout=30)
    assert process.returncode == 0
    assert "Emulated Odoo 18.0 at http://127.0.0.1:" in errors.decode()
    assert errors.decode().rstrip().endswith("emulator stopped")
    header = (isolated / "partners.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header == "id,name,email,country_id"
    assert (isolated / "order.pdf").read_bytes().startswith(b"%PDF-")


@pytest.fixture
def odoo19(isolated: Path) -> Iterator[str]:
    name = f"odoo19-{uuid.uuid4().hex[:8]}"
    yield f"memory://{name}?version=19&databases=demo"
    unregister_emulator(name)


def test_doctor_on_odoo_19_tells_the_protocol_choice_and_the_deprecation(odoo19: str) -> None:
    login = ["--url", odoo19, "--db", "demo", "--user", "admin", "--json"]
    with_password = _run(*login, "--password", "admin", "doctor")
    assert with_password.exit_code == 0, with_password.output
    steps = {step["name"]: step for step in json.loads(with_password.stdout)["steps"]}
    assert steps["server"]["server_version"] == "19.0"
    assert steps["protocol"]["reason"] == "Odoo 19 but no API key (JSON-2 needs one)"
    assert steps["deprecation"]["status"] == "warn"
    assert "Legacy JSON-RPC is deprecated on Odoo 19" in steps["deprecation"]["detail"]

    with_key = _run(*login, "--api-key", ADMIN_API_KEY, "doctor")
    assert with_key.exit_code == 0, with_key.output
    steps = {step["name"]: step for step in json.loads(with_key.stdout)["steps"]}
    assert steps["protocol"]["protocol"] == "json2"
    assert steps["deprecation"] == {"name": "deprecation", "status": "ok", "detail": "none"}
    assert ADMIN_API_KEY not in with_key.output


def test_legacy_rpc_on_19_is_one_warning_on_stderr(odoo19: str) -> None:
    login = ["--url", odoo19, "--db", "demo", "--user", "admin", "--password", "admin"]
    result = _run(*login, "call", "res.partner", "search_count", "[[]]")
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        "warning: Legacy JSON-RPC is deprecated on Odoo 19 and announced for removal in Odoo 22; "
        "log in with an API key to use JSON-2 (protocol='json2')."
    ]


def test_demo_runs_the_tour(isolated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DEMO_ODOO_PASSWORD", raising=False)  # the tour sets it
    result = _run("demo")
    assert result.exit_code == 0, result.output
    assert "== A typed query: the first five companies" in result.stdout
    # typed models: orders, customers and line products in one call, then a dirty-only save
    assert "(1 call: web_search_read with a nested spec)" in result.stdout
    assert "['phone']; save() writes only those" in result.stdout
    assert "sale.order.web_search_read" in result.stdout
    assert "Done." in result.stdout
