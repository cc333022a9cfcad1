"""``zenoo report``, ``zenoo attachment`` and ``zenoo db`` against the emulator."""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from cli_support import Zenoo
from click.testing import CliRunner, Result

from zenoo_rpc import ZenooClient
from zenoo_rpc.cli import models_cmd
from zenoo_rpc.cli.app import cli
from zenoo_rpc.testing.emulator.database import ADMIN_API_KEY
from zenoo_rpc.testing.emulator.server import Emulator
from zenoo_rpc.testing.transport import register_emulator, unregister_emulator

MASTER = "master-of-the-emulator"


def test_report_and_attachments_over_loopback(
    zenoo: Zenoo, run_served: Callable[..., Result], tmp_path: Path
) -> None:
    found = run_served("call", "sale.order", "search", "[[]]", "--kw", "limit=2")
    orders = json.loads(found.stdout)
    assert len(orders) == 2
    pdf = tmp_path / "orders.pdf"
    report = zenoo("report", "sale.report_saleorder", ",".join(map(str, orders)), "-o", str(pdf))
    assert report.returncode == 0, report.stderr
    assert pdf.read_bytes().startswith(b"%PDF-")
    assert report.stderr == f"wrote sale.report_saleorder ({pdf.stat().st_size} bytes) to {pdf}\n"

    source = tmp_path / "notes.txt"
    source.write_bytes("Zenoo notes: é ✓\n".encode())
    put = run_served("attachment", "put", str(source), "--model", "res.partner", "--res-id", "7")
    assert put.exit_code == 0, put.output
    attachment_id = int(put.stdout)
    info = run_served("attachment", "info", str(attachment_id), "--json")
    assert json.loads(info.stdout) == {
        "id": attachment_id,
        "name": "notes.txt",
        "mimetype": "text/plain",
        "file_size": len(source.read_bytes()),
        "checksum": hashlib.sha1(source.read_bytes()).hexdigest(),  # noqa: S324 - Odoo's checksum
        "res_model": "res.partner",
        "res_id": 7,
    }
    copy = tmp_path / "copy.txt"
    got = run_served("attachment", "get", str(attachment_id), "-o", str(copy))
    assert got.exit_code == 0, got.output
    assert copy.read_bytes() == source.read_bytes()
    piped = run_served("attachment", "get", str(attachment_id), "-o", "-")
    assert piped.exit_code == 0, piped.output
    assert piped.stdout_bytes == source.read_bytes()
    assert piped.stderr == f"wrote attachment {attachment_id} to standard output\n"
    html = run_served(
        "report", "sale.report_saleorder", str(orders[0]), "--format", "html", "-o", "-"
    )
    assert html.exit_code == 0, html.output
    assert html.stdout_bytes.startswith(b"<!DOCTYPE html>")
    assert html.stderr.endswith(" to standard output\n")


@pytest.fixture
def operations(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., Result]]:
    """The CLI against an in-process emulator whose master password is not the default."""
    for name in ("ZENOO_URL", "ZENOO_PASSWORD", "ZENOO_API_KEY", "ZENOO_MASTER_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    name = f"ops-{uuid.uuid4().hex[:10]}"
    register_emulator(name, Emulator(size=10, master_password=MASTER))

    def run(*args: str) -> Result:
        options = ["--url", f"memory://{name}", "--db", "demo", "--user", "admin"]
        return CliRunner().invoke(cli, [*options, *args], prog_name="zenoo")

    yield run
    unregister_emulator(name)


def test_report_errors(operations: Callable[..., Result]) -> None:
    unknown = operations("--password", "admin", "report", "sale.nope", "1", "-o", "x.pdf")
    assert unknown.exit_code == 1
    assert unknown.stderr.startswith("zenoo: error: report 'sale.nope'")
    assert not Path("x.pdf").exists()
    with_key = operations(
        "--api-key", ADMIN_API_KEY, "report", "sale.report_saleorder", "1", "-o", "x.pdf"
    )
    assert with_key.exit_code == 2
    assert "password" in with_key.stderr


def test_attachment_errors(operations: Callable[..., Result]) -> None:
    missing = operations("--password", "admin", "attachment", "get", "999", "-o", "x.bin")
    assert missing.exit_code == 1
    assert "MissingError" in missing.stderr
    Path("big.bin").write_bytes(b"x" * 2048)
    too_big = operations(
        "--password", "admin", "attachment", "put", "big.bin", "--max-size", "1024"
    )
    assert too_big.exit_code == 1
    assert "1024" in too_big.stderr
    orphan = operations("--password", "admin", "attachment", "put", "big.bin", "--res-id", "3")
    assert orphan.exit_code == 2
    assert "--res-id needs --model" in orphan.stderr


def test_database_lifecycle(operations: Callable[..., Result], tmp_path: Path) -> None:
    listed = operations("db", "list", "--json")
    assert listed.exit_code == 0, listed.output
    assert json.loads(listed.stdout) == ["demo"]

    no_master = operations("db", "create", "staging", "--admin-password", "pw")
    assert no_master.exit_code == 2
    assert "needs the master password" in no_master.stderr
    wrong = operations(
        "db", "create", "staging", "--admin-password", "pw", "--master-password", "no"
    )
    assert wrong.exit_code == 4
    assert wrong.stderr.startswith("zenoo: error: authentication failed:")

    master = ["--master-password", MASTER]
    assert operations("db", "create", "staging", "--admin-password", "pw", *master).exit_code == 0
    assert operations("db", "duplicate", "staging", "staging2", *master).exit_code == 0
    backup = operations("--json", "db", "backup", "staging2", "-o", "staging2.zip", *master)
    assert backup.exit_code == 0, backup.output
    assert json.loads(backup.stdout)["bytes"] == (tmp_path / "staging2.zip").stat().st_size > 0
    restored = operations("db", "restore", "restored", "staging2.zip", "--copy", *master)
    assert restored.exit_code == 0, restored.output
    assert operations("db", "drop", "staging2", "--yes", *master).exit_code == 0
    assert json.loads(operations("--json", "db", "list").stdout) == ["demo", "restored", "staging"]
    logged_in = operations(
        "--db", "restored", "--password", "pw", "call", "res.users", "search_count", "[[]]"
    )
    assert logged_in.exit_code == 0, logged_in.output
    assert MASTER not in listed.output + backup.output + restored.output


def test_models_generate_writes_what_the_generator_returns(
    cli_runner: Callable[..., Result], isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The command's plumbing, with a stand-in generator (the real one is tested with it)."""
    seen: list[list[str]] = []

    async def generate_models(
        client: ZenooClient, model_names: list[str], *, include_related: bool = False
    ) -> str:
        seen.append(list(model_names))
        fields = await client.fields_get(model_names[0], attributes=["type"])
        return f"# {len(fields)} fields\n"

    monkeypatch.setattr(models_cmd, "generate_models", generate_models)
    to_file = cli_runner("models", "generate", "res.partner", "sale.order", "-o", "models.py")
    assert to_file.exit_code == 0, to_file.output
    assert seen == [["res.partner", "sale.order"]]
    assert (isolated / "models.py").read_text().startswith("# ")
    assert to_file.stderr == "wrote 2 model(s) to models.py\n"
    to_stdout = cli_runner("models", "generate", "res.partner")
    assert to_stdout.stdout == (isolated / "models.py").read_text()
