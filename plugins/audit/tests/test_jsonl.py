"""The JSON Lines sink: whole lines only, torn tails contained, fsync, rotation, reading back."""

from __future__ import annotations

import os
import stat
from datetime import timedelta
from pathlib import Path
from typing import Any

import msgspec
import pytest
from audit_clients import ClientFactory

from zenoo_rpc.errors import ConfigError, NotAuthenticated
from zenoo_rpc_audit import (
    AuditConfigError,
    AuditError,
    AuditRecord,
    JsonLinesSink,
    audit_trail,
    iter_audit_log,
    read_audit_log,
)
from zenoo_rpc_audit.record import iso_utc
from zenoo_rpc_audit.sinks import jsonl


def _record(index: int, *, pad: int = 0) -> AuditRecord:
    return AuditRecord(
        ts="2025-01-01T00:00:00.000000Z",
        server="https://odoo.example.com:443",
        db="prod",
        uid=2,
        model="res.partner",
        method="write",
        ids=(index,),
        fields=("name",),
        values=({"name": f"n{index}", "comment": "x" * pad},),
        duration_ms=1.5,
    )


def _ids(records: list[AuditRecord]) -> list[int]:
    return [r.ids[0] for r in records]


def _lines(path: Path) -> list[bytes]:
    return path.read_bytes().splitlines(keepends=True)


async def test_each_call_appends_one_line_that_reads_back(
    make_client: ClientFactory, audit_path: Path
) -> None:
    client = make_client({"path": str(audit_path)})
    await client.login("demo", "admin", "admin")
    await client.write("res.partner", [3], {"name": "Three"})
    await client.search_count("res.partner", [])
    lines = _lines(audit_path)
    assert len(lines) == 2
    assert all(line.endswith(b"\n") for line in lines)
    write, count = read_audit_log(audit_path)
    assert count.method == "search_count"
    assert (write.method, write.ids, write.fields) == ("write", (3,), ("name",))
    assert write.outcome == "ok"
    assert msgspec.json.decode(lines[1])["ts"].endswith("Z")


def test_a_new_file_is_private(audit_path: Path) -> None:
    JsonLinesSink(audit_path).close()
    assert stat.S_IMODE(audit_path.stat().st_mode) == 0o600


def test_a_torn_last_line_is_ended_before_the_next_record(audit_path: Path) -> None:
    whole = msgspec.json.encode(_record(1)) + b"\n"
    audit_path.write_bytes(whole + whole[:37])  # a writer died in the middle of a line
    sink = JsonLinesSink(audit_path)
    sink.write(_record(2))
    sink.close()
    second = msgspec.json.encode(_record(2)) + b"\n"
    assert audit_path.read_bytes() == whole + whole[:37] + b"\n" + second
    assert _ids(read_audit_log(audit_path)) == [1, 2]
    with pytest.raises(AuditError, match=r"audit\.jsonl:2: not a complete audit record"):
        read_audit_log(audit_path, strict=True)


def test_a_line_still_missing_its_end_is_not_read(audit_path: Path) -> None:
    whole = msgspec.json.encode(_record(1)) + b"\n"
    audit_path.write_bytes(whole + whole[:-1])  # complete JSON, but no newline yet
    assert _ids(read_audit_log(audit_path)) == [1]


def test_a_short_write_is_ended_and_the_record_written_whole(
    audit_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sink = JsonLinesSink(audit_path)
    real_write = os.write
    cut: list[int] = []

    def short_once(fd: int, data: Any) -> int:
        if not cut:
            cut.append(fd)
            return real_write(fd, bytes(data)[:25])
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", short_once)
    sink.write(_record(1))
    monkeypatch.undo()
    sink.write(_record(2))
    sink.close()
    assert cut
    assert len(audit_path.read_bytes().splitlines()) == 3
    assert _ids(read_audit_log(audit_path)) == [1, 2]


async def test_fsync_makes_each_record_durable_before_the_call_returns(
    make_client: ClientFactory, audit_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    synced: list[int] = []
    real_sync = jsonl._datasync

    def counting(fd: int) -> None:
        synced.append(len(_lines(audit_path)))
        real_sync(fd)

    monkeypatch.setattr(jsonl, "_datasync", counting)
    client = make_client({"path": str(audit_path), "fsync": True, "record_logins": True})
    opened = len(synced)
    await client.login("demo", "admin", "admin")
    await client.search_count("res.partner", [])
    with pytest.raises(Exception, match="no_such_field"):
        await client.search_count("res.partner", [("no_such_field", "=", 1)])
    # each record (the login's too) was synced while it was the file's last line
    assert synced[opened:] == [1, 2, 3]
    assert audit_trail(client).durable


async def test_closing_the_client_closes_the_file_and_a_later_call_reopens_it(
    make_client: ClientFactory, audit_path: Path
) -> None:
    client = make_client({"path": str(audit_path), "record_logins": True})
    (sink,) = audit_trail(client).sinks
    assert isinstance(sink, JsonLinesSink)
    opened = [sink.is_open]
    await client.close()
    opened.append(sink.is_open)
    with pytest.raises(NotAuthenticated):
        await client.search("res.partner", [])
    opened.append(sink.is_open)
    assert opened == [True, False, True]
    assert [r.error for r in read_audit_log(audit_path)] == ["NotAuthenticated"]


def test_an_unopenable_file_is_a_config_error_naming_path(
    make_client: ClientFactory, tmp_path: Path
) -> None:
    with pytest.raises(ConfigError, match="cannot open the audit log") as caught:
        make_client({"path": str(tmp_path / "missing-dir" / "audit.jsonl")})
    assert isinstance(caught.value, AuditConfigError)
    assert caught.value.path == "$.plugins.audit.path"


def test_rotation_keeps_files_under_max_bytes_and_backup_count_files(audit_path: Path) -> None:
    line = len(msgspec.json.encode(_record(10))) + 1
    sink = JsonLinesSink(audit_path, max_bytes=4 * line, backup_count=3)
    for index in range(10, 40):
        sink.write(_record(index))
    sink.close()
    files = sorted(p.name for p in audit_path.parent.iterdir())
    assert files == ["audit.jsonl", *(f"audit.jsonl.{n}" for n in (1, 2, 3)), "audit.jsonl.lock"]
    assert all(p.stat().st_size <= 4 * line for p in audit_path.parent.glob("audit.jsonl*"))
    kept = _ids(read_audit_log(audit_path, rotated=True))
    assert kept == list(range(40 - len(kept), 40))  # the newest, in order, none missing
    assert len(kept) == 3 * 4 + 2  # three rotated files of 4 lines, 2 lines in the current one
    assert _ids(read_audit_log(audit_path)) == [38, 39]


def test_a_record_larger_than_max_bytes_still_gets_written(audit_path: Path) -> None:
    sink = JsonLinesSink(audit_path, max_bytes=100, backup_count=2)
    sink.write(_record(1, pad=500))
    sink.write(_record(2, pad=500))
    sink.close()
    assert _ids(read_audit_log(audit_path, rotated=True)) == [1, 2]


def test_a_writer_follows_a_rotation_made_by_another_writer(audit_path: Path) -> None:
    line = len(msgspec.json.encode(_record(10))) + 1
    first = JsonLinesSink(audit_path, max_bytes=3 * line, backup_count=5)
    second = JsonLinesSink(audit_path, max_bytes=3 * line, backup_count=5)
    for index in (10, 11, 12, 13):  # the fourth makes `first` rotate
        first.write(_record(index))
    second.write(_record(14))  # must go to the new file, not to audit.jsonl.1
    first.close()
    second.close()
    assert _ids(read_audit_log(f"{audit_path}.1")) == [10, 11, 12]
    assert _ids(read_audit_log(audit_path)) == [13, 14]


def test_reading_a_missing_file_is_an_audit_error(tmp_path: Path) -> None:
    with pytest.raises(AuditError, match="cannot read audit log"):
        list(iter_audit_log(tmp_path / "nope.jsonl"))


def test_timestamps_are_iso_8601_utc_to_the_microsecond() -> None:
    assert iso_utc(0) == "1970-01-01T00:00:00.000000Z"
    assert iso_utc(1746091812_052113_999) == "2025-05-01T09:30:12.052113Z"
    assert iso_utc(1746091812_999999_000) == "2025-05-01T09:30:12.999999Z"
    assert iso_utc(1746091813_500000_000) == "2025-05-01T09:30:13.500000Z"  # the next second
    assert iso_utc(1746091812_000001_000) == "2025-05-01T09:30:12.000001Z"  # and back
    when = _record(1).when
    assert (when.year, when.utcoffset()) == (2025, timedelta(0))
