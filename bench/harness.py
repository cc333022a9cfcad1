"""What the benchmark scripts share besides the emulator process: JSON children, medians, tables.

Stdlib only, like :mod:`emulator_process`, and found the same way (the
scripts' directory is ``sys.path[0]``).
"""

from __future__ import annotations

import json
import statistics
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent


def run_json(command: list[str], *, timeout: float, label: str = "") -> dict[str, Any]:
    """Run ``command`` to completion in ``bench/``; its last stdout line, a JSON object.

    Else ``{"error": ...}``: it timed out, or the last line of its stderr (or its
    exit code); ``label`` (a role's name) opens the message when given.
    """
    prefix = f"{label}: " if label else ""
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=timeout, check=False, cwd=BENCH
        )
    except subprocess.TimeoutExpired:
        return {"error": f"{prefix}timed out after {timeout:.0f} s"}
    lines = done.stdout.strip().splitlines()
    try:
        result = json.loads(lines[-1])
    except (IndexError, ValueError):
        err = done.stderr.strip().splitlines() or [f"exit code {done.returncode}"]
        return {"error": f"{prefix}{err[-1]}"}
    return result if isinstance(result, dict) else {"error": f"{prefix}not a JSON object"}


def median(runs: list[dict[str, Any]], key: str) -> float | None:
    """The median of ``key`` over the runs that have it; None when none has."""
    values = [run[key] for run in runs if run.get(key) is not None]
    return statistics.median(values) if values else None


def fmt(value: float | None, spec: str) -> str:
    """``value`` formatted by ``spec``; ``-`` for None."""
    return "-" if value is None else format(value, spec)


def print_table(rows: Sequence[Sequence[str]]) -> None:
    """Left-aligned columns, the first row a header underlined with dashes."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for index, row in enumerate(rows):
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
        if index == 0:
            print("  ".join("-" * w for w in widths))
