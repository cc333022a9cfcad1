"""Where output goes: data on stdout, rich only when stderr is a terminal, NO_COLOR honoured."""

from __future__ import annotations

import io
import os
import select
from collections.abc import Iterator

import pytest

from zenoo_rpc.cli.output import Output, format_table


@pytest.fixture
def terminal() -> Iterator[tuple[io.TextIOWrapper, int]]:
    """A pseudo-terminal: the writable end as a text stream, the fd to read what it shows."""
    leader, follower = os.openpty()
    stream = io.TextIOWrapper(os.fdopen(follower, "wb"), encoding="utf-8", write_through=True)
    try:
        yield stream, leader
    finally:
        stream.close()
        os.close(leader)


def _shown(leader: int) -> str:
    chunks: list[bytes] = []
    while True:
        ready, _, _ = select.select([leader], [], [], 0.2)
        if not ready:
            return b"".join(chunks).decode("utf-8", "replace")
        chunks.append(os.read(leader, 65536))


def test_piped_stderr_gets_plain_lines_and_no_progress_bar() -> None:
    stdout, stderr = io.StringIO(), io.StringIO()
    output = Output(stdout=stdout, stderr=stderr)
    with output.progress("export res.partner", 10) as bar:
        bar.advance(10)
    output.error("it broke")
    output.warn("careful")
    assert stderr.getvalue() == "zenoo: error: it broke\nwarning: careful\n"
    assert stdout.getvalue() == ""


def test_a_terminal_gets_colours_and_a_progress_bar(
    terminal: tuple[io.TextIOWrapper, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    stream, leader = terminal
    output = Output(stdout=io.StringIO(), stderr=stream)
    assert output.interactive
    with output.progress("export res.partner", 40) as bar:
        bar.advance(40)
    output.error("it broke")
    shown = _shown(leader)
    assert "export res.partner" in shown
    assert "40/40" in shown
    assert "\x1b[1;31mzenoo: error: it broke" in shown


def test_no_color_keeps_the_terminal_plain(
    terminal: tuple[io.TextIOWrapper, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("TERM", "xterm-256color")
    stream, leader = terminal
    Output(stdout=io.StringIO(), stderr=stream).error("it broke")
    shown = _shown(leader)
    assert "zenoo: error: it broke" in shown
    assert "\x1b[1;31m" not in shown


def test_json_mode_and_tables() -> None:
    stdout = io.StringIO()
    output = Output(stdout=stdout)
    rows = [{"name": "audit", "version": "1.0", "hooks": ["zenoo_event", "zenoo_middleware"]}]
    output.table(rows, ["name", "version", "hooks"])
    assert stdout.getvalue() == (
        "NAME   VERSION  HOOKS\naudit  1.0      zenoo_event, zenoo_middleware\n"
    )
    output.json_mode = True
    output.table(rows, ["name"])
    assert stdout.getvalue().splitlines()[-1] == (
        '[{"name": "audit", "version": "1.0", "hooks": ["zenoo_event", "zenoo_middleware"]}]'
    )


def test_format_table_shows_missing_values_and_booleans() -> None:
    table = format_table([{"a": None, "b": True}, {"a": [], "b": False}], ["a", "b"])
    assert table.splitlines() == ["A  B", "-  yes", "-  no"]
