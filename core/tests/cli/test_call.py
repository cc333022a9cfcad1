"""``zenoo call``: positional JSON arguments, ``--kw`` pairs, JSON out."""

from __future__ import annotations

import json
from collections.abc import Callable

from cli_support import Served, Zenoo
from click.testing import Result


def test_call_prints_the_result_as_json(zenoo: Zenoo, served: Served) -> None:
    result = zenoo(
        "call",
        "res.partner",
        "search_read",
        '[[["is_company", "=", true]]]',
        "--kw",
        'fields=["name", "country_id"]',
        "--kw",
        "limit=4",
        "--kw",
        "order=id",  # not JSON: taken as the string "id"
    )
    assert result.returncode == 0, result.stderr
    expected = served.query("res.partner", [["is_company", "=", True]], ["name", "country_id"])
    assert json.loads(result.stdout) == expected[:4]
    assert result.stderr == ""


def test_kw_values_parse_as_json_else_stay_strings(cli_runner: Callable[..., Result]) -> None:
    created = cli_runner("call", "res.partner", "create", '[[{"name": "Kw Test", "color": 3}]]')
    assert created.exit_code == 0, created.output
    [new_id] = json.loads(created.stdout)
    read = cli_runner(
        "call",
        "res.partner",
        "read",
        f"[[{new_id}]]",
        "--kw",
        'fields=["name", "color", "lang"]',
        "--context",
        '{"lang": "en_US"}',
    )
    assert json.loads(read.stdout) == [
        {"id": new_id, "name": "Kw Test", "color": 3, "lang": "en_US"}
    ]
    counted = cli_runner(
        "call", "res.partner", "search_count", "--kw", 'domain=[["name", "=", "Kw Test"]]'
    )
    assert json.loads(counted.stdout) == 1
