"""``zenoo export``: what is written, and an interrupted export resumed to the same bytes."""

from __future__ import annotations

import csv
import io
import json
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

from cli_support import Served, Zenoo
from click.testing import Result

from zenoo_rpc.cli.export_state import ExportState, state_path

FIELDS = ["name", "parent_id", "category_id", "is_company", "email", "color"]


def test_csv_rows_match_the_server(
    run_served: Callable[..., Result], served: Served, isolated: Path
) -> None:
    out = isolated / "partners.csv"
    result = run_served(
        "export", "res.partner", "--fields", ",".join(FIELDS), "--m2o", "both", "-o", str(out)
    )
    assert result.exit_code == 0, result.output
    expected = served.query("res.partner", [], FIELDS)
    assert result.stderr == f"exported {len(expected)} res.partner records to {out}\n"
    assert result.stdout == ""
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8"), newline="")))
    assert rows[0] == [
        "id",
        "name",
        "parent_id",
        "parent_id/name",
        "category_id",
        "is_company",
        "email",
        "color",
    ]
    assert rows[1:] == [
        [
            str(record["id"]),
            record["name"],
            str(record["parent_id"][0]) if record["parent_id"] else "",
            record["parent_id"][1] if record["parent_id"] else "",
            " ".join(map(str, record["category_id"])),
            "true" if record["is_company"] else "false",
            record["email"] or "",
            str(record["color"]),
        ]
        for record in expected
    ]
    assert any(record["category_id"] for record in expected)  # x2many cells were exercised
    assert not state_path(out).exists()


def test_jsonl_with_a_domain(
    run_served: Callable[..., Result], served: Served, isolated: Path
) -> None:
    out = isolated / "companies.jsonl"
    domain = [["is_company", "=", True]]
    result = run_served(
        "--json",
        "export",
        "res.partner",
        "--domain",
        json.dumps(domain),
        "--fields",
        "name,country_id,child_ids,email",
        "--page-size",
        "3",
        "-o",
        str(out),
    )
    assert result.exit_code == 0, result.output
    expected = served.query("res.partner", domain, ["name", "country_id", "child_ids", "email"])
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert lines == [
        {
            "id": record["id"],
            "name": record["name"],
            "country_id": record["country_id"][0] if record["country_id"] else None,
            "child_ids": record["child_ids"],
            "email": record["email"] or None,
        }
        for record in expected
    ]
    summary = json.loads(result.stdout)
    assert summary["rows"] == len(expected)
    assert summary["last_id"] == expected[-1]["id"]


def test_default_fields_leave_out_binary_one2many_and_bookkeeping(
    cli_runner: Callable[..., Result],
) -> None:
    result = cli_runner("export", "res.partner", "--domain", '[["id", "=", 1]]', "-o", "-")
    assert result.exit_code == 0, result.output
    header = result.stdout.splitlines()[0].split(",")
    assert header[:2] == ["id", "name"]
    assert "email" in header
    for left_out in ("image_1920", "child_ids", "create_date", "write_uid", "display_name"):
        assert left_out not in header


def test_a_killed_export_resumes_to_the_same_bytes(
    zenoo: Zenoo, run_served: Callable[..., Result], served: Served, tmp_path: Path
) -> None:
    """Row for row is not enough: the resumed file must be the very same bytes."""
    reference = tmp_path / "reference.csv"
    interrupted = tmp_path / "interrupted.csv"
    args = ["export", "res.partner", "--fields", ",".join(FIELDS), "--page-size", "2"]
    assert run_served(*args, "-o", str(reference)).exit_code == 0
    rows = len(reference.read_text(encoding="utf-8").splitlines()) - 1
    assert rows > 40  # enough pages that the kill lands half-way

    # Slow pages leave seconds between the 11th line and the end of the export:
    # time enough, on a loaded machine, to see the lines and kill it half-way.
    slow = served.emulator.faults.latency(0.25, method="search_read")
    try:
        process = zenoo.popen(
            *args, "-o", str(interrupted), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        try:
            deadline = time.monotonic() + 30
            while _lines(interrupted) < 11 and time.monotonic() < deadline:
                assert process.poll() is None, "the export ended before it could be killed"
                time.sleep(0.01)
            process.send_signal(signal.SIGKILL)
        finally:
            process.wait(timeout=30)
    finally:
        served.emulator.faults.remove(slow)
    assert process.returncode == -signal.SIGKILL
    saved = ExportState.load(state_path(interrupted))
    assert saved is not None
    assert 10 <= saved.rows < rows
    # A write cut short by the kill: resuming drops it with the rest of its page.
    with interrupted.open("ab") as stream:
        stream.write(b"999999,torn row with no end")

    changed = run_served(*args[:3], "name", "-o", str(interrupted), "--resume")
    assert changed.exit_code == 2
    assert "it was exported with another fields" in changed.stderr

    resumed = run_served(*args, "-o", str(interrupted), "--resume")
    assert resumed.exit_code == 0, resumed.output
    assert f"resuming {interrupted} after id {saved.last_id} ({saved.rows} rows" in (resumed.stderr)
    assert interrupted.read_bytes() == reference.read_bytes()
    assert not state_path(interrupted).exists()

    again = run_served(*args, "-o", str(interrupted), "--resume")
    assert again.exit_code == 2
    assert "there is no interrupted.csv.export-state.json next to it" in again.stderr


def test_jsonl_resume_truncates_a_torn_line(
    cli_runner: Callable[..., Result], tmp_path: Path
) -> None:
    args = ["export", "res.partner", "--fields", "name,parent_id,category_id", "--m2o", "name"]
    assert cli_runner(*args, "-o", "full.jsonl").exit_code == 0
    full = (tmp_path / "full.jsonl").read_bytes()
    lines = full.splitlines(keepends=True)
    kept = b"".join(lines[:7])
    partial = tmp_path / "partial.jsonl"
    partial.write_bytes(kept + lines[7][:10])
    ExportState(
        model="res.partner",
        domain=[],
        fields=["name", "parent_id", "category_id"],
        format="jsonl",
        m2o="name",
        offset=len(kept),
        last_id=json.loads(lines[6])["id"],
        rows=7,
    ).save(state_path(partial))
    result = cli_runner(*args, "-o", "partial.jsonl", "--resume")
    assert result.exit_code == 0, result.output
    assert partial.read_bytes() == full


def test_resume_with_nothing_to_resume_starts_the_export(
    cli_runner: Callable[..., Result], tmp_path: Path
) -> None:
    result = cli_runner("export", "res.partner", "--fields", "name", "-o", "new.csv", "--resume")
    assert result.exit_code == 0
    assert "nothing to resume at new.csv: starting the export" in result.stderr
    assert (tmp_path / "new.csv").read_bytes().startswith(b"id,name\r\n1,YourCompany\r\n")


def _lines(path: Path) -> int:
    try:
        return path.read_bytes().count(b"\n")
    except FileNotFoundError:
        return 0
