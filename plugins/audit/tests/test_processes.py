"""Real processes: writers killed with SIGKILL mid-run, and several writers sharing one file.

Each writer (``audit_writer.py``) writes ``res.partner`` 1 through a client with
the audit plugin, naming the record ``<tag>-<n>``, so the file says which
write of which process each line is.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import msgspec
import pytest

from zenoo_rpc_audit import AuditRecord, read_audit_log

WRITER = Path(__file__).with_name("audit_writer.py")

pytestmark = pytest.mark.skipif(
    sys.platform == "win32", reason="POSIX append semantics and SIGKILL"
)


def _start(path: Path, tag: str, *args: str) -> subprocess.Popen[str]:
    process = subprocess.Popen(
        [sys.executable, str(WRITER), "--path", str(path), "--tag", tag, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    ready = process.stdout.readline().strip()
    if ready != "ready":
        process.kill()
        _, err = process.communicate(timeout=30)
        raise AssertionError(f"writer {tag} did not start: {ready!r} {err}")
    return process


def _wait_for_growth(path: Path, process: subprocess.Popen[str], grow_by: int) -> None:
    start = path.stat().st_size
    deadline = time.monotonic() + 60
    while path.stat().st_size < start + grow_by:
        assert process.poll() is None, "the writer stopped on its own"
        assert time.monotonic() < deadline, "the writer does not write"
        time.sleep(0.01)


def _names_by_tag(records: list[AuditRecord]) -> dict[str, list[int]]:
    names: dict[str, list[int]] = defaultdict(list)
    for record in records:
        if record.values:
            tag, number = str(record.values[0]["name"]).split("-")
            names[tag].append(int(number))
    return names


def test_killed_writers_leave_whole_lines_and_the_next_one_appends_cleanly(
    audit_path: Path,
) -> None:
    # B writes records of about 9 KB: writes that span pages, which SIGKILL can cut.
    runs = [("A", []), ("B", ["--pad", "9000"]), ("C", [])]
    for tag, args in runs:
        writer = _start(audit_path, tag, *args)
        _wait_for_growth(audit_path, writer, 64_000)
        os.kill(writer.pid, signal.SIGKILL)
        writer.communicate(timeout=30)
        assert writer.returncode == -signal.SIGKILL
    last = _start(audit_path, "D", "--count", "5")
    last.communicate(timeout=60)
    assert last.returncode == 0

    content = audit_path.read_bytes()
    assert content.endswith(b"\n")
    lines = [line for line in content.split(b"\n") if line]
    torn = []
    for index, line in enumerate(lines):
        try:
            msgspec.json.decode(line, type=AuditRecord)
        except msgspec.DecodeError:
            torn.append(index)
    # A cut can only leave the last line of a killed writer torn, never a line
    # in the middle of a run, and the next writer starts on a line of its own.
    assert len(torn) <= len(runs)
    for index in torn:
        assert msgspec.json.decode(lines[index + 1], type=AuditRecord).method == "authenticate"

    names = _names_by_tag(read_audit_log(audit_path))
    assert set(names) == {"A", "B", "C", "D"}
    for tag, numbers in names.items():
        assert numbers == list(range(len(numbers))), f"writer {tag} lost or reordered records"
    assert names["D"] == [0, 1, 2, 3, 4]
    assert len(names["A"]) > 100
    assert len(names["C"]) > 100


@pytest.mark.parametrize("max_bytes", [0, 40_000], ids=["one-file", "rotating"])
def test_concurrent_writers_never_interleave_or_lose_records(
    audit_path: Path, max_bytes: int
) -> None:
    count = 300
    writers = [
        _start(audit_path, tag, "--count", str(count), "--max-bytes", str(max_bytes))
        for tag in ("P", "Q", "R")
    ]
    for writer in writers:
        _, err = writer.communicate(timeout=120)
        assert writer.returncode == 0, err
    files = sorted(audit_path.parent.glob("audit.jsonl*"))
    for file in files:
        if file.suffix != ".lock":
            for line in file.read_bytes().splitlines():
                msgspec.json.decode(line, type=AuditRecord)  # every line is whole
    records = read_audit_log(audit_path, rotated=True)
    assert len(records) == 3 * (count + 1)  # each writer's login and writes
    names = _names_by_tag(records)
    assert dict(names) == {tag: list(range(count)) for tag in ("P", "Q", "R")}
    if max_bytes:
        assert len(files) > 3  # it did rotate
