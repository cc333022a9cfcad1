"""``zenoo import``: chunks, bad rows to the reject file, the import going on, exit code 1."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from cli_support import Served, Zenoo
from click.testing import Result

CSV = """\
name,email,is_company,parent_id,category_id,color
Import Alpha,alpha@example.com,true,,,3
,nameless@example.com,false,,,
Import Beta,beta@example.com,maybe,,,
Import Gamma,gamma@example.com,false,999999,,
Import Delta,delta@example.com,1,,1 2,7
Import Epsilon,epsilon@example.com,no,1,,
"""


def test_bad_rows_go_to_the_reject_file_and_the_rest_is_created(
    zenoo: Zenoo, served: Served, tmp_path: Path
) -> None:
    source = tmp_path / "partners.csv"
    source.write_text(CSV, encoding="utf-8")
    result = zenoo("import", "res.partner", str(source), "--chunk-size", "2")
    assert result.returncode == 1
    rejects_file = tmp_path / "partners.csv.rejects.jsonl"
    assert result.stderr.splitlines() == [
        "imported 3 of 6 rows into res.partner",
        f"zenoo: error: 3 row(s) rejected; see {rejects_file}",
    ]
    rejects = [json.loads(line) for line in rejects_file.read_text().splitlines()]
    assert [(r["row"], r["line"]) for r in rejects] == [(2, 3), (3, 4), (4, 5)]
    assert rejects[0]["error"].startswith("ValidationError: ")
    assert rejects[0]["error_type"] == "odoo.exceptions.ValidationError"
    assert rejects[0]["values"]["email"] == "nameless@example.com"
    assert rejects[1]["error"] == "field 'is_company' (boolean): 'maybe' is not true/false"
    assert "999999" in rejects[2]["error"]

    created = served.query(
        "res.partner",
        [["name", "like", "Import "]],
        ["name", "is_company", "parent_id", "category_id", "color"],
    )
    assert [(r["name"], r["is_company"], r["color"]) for r in created] == [
        ("Import Alpha", True, 3),
        ("Import Delta", True, 7),
        ("Import Epsilon", False, 0),
    ]
    assert sorted(created[1]["category_id"]) == [1, 2]
    assert created[2]["parent_id"][0] == 1


def test_an_export_imports_back(cli_runner: Callable[..., Result], tmp_path: Path) -> None:
    exported = cli_runner(
        "export",
        "res.partner",
        "--domain",
        '[["is_company", "=", true]]',
        "--fields",
        "name,email,country_id,category_id,is_company",
        "--m2o",
        "both",
        "-o",
        "companies.jsonl",
    )
    assert exported.exit_code == 0, exported.output
    rows = (tmp_path / "companies.jsonl").read_text().splitlines()
    before = cli_runner("call", "res.partner", "search_count", '[[["is_company", "=", true]]]')
    result = cli_runner("--json", "import", "res.partner", "companies.jsonl")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["created"] == summary["rows"] == len(rows)
    assert summary["rejected"] == 0
    assert summary["rejects_file"] is None
    after = cli_runner("call", "res.partner", "search_count", '[[["is_company", "=", true]]]')
    assert json.loads(after.stdout) == 2 * json.loads(before.stdout)
    assert not (tmp_path / "companies.jsonl.rejects.jsonl").exists()


def test_malformed_jsonl_lines_are_rejected_not_fatal(
    cli_runner: Callable[..., Result], tmp_path: Path
) -> None:
    (tmp_path / "in.jsonl").write_text(
        '{"name": "Json One"}\nnot json\n[1, 2]\n\n{"name": "Json Two", "parent_id": [1, "x"]}\n'
    )
    result = cli_runner("import", "res.partner", "in.jsonl", "--rejects", "bad.jsonl")
    assert result.exit_code == 1
    rejects = [json.loads(line) for line in (tmp_path / "bad.jsonl").read_text().splitlines()]
    assert [(r["line"], r["error"]) for r in rejects] == [
        (2, "not valid JSON: Expecting value"),
        (3, "not a JSON object"),
    ]
    names = cli_runner(
        "call", "res.partner", "search_read", '[[["name", "like", "Json "]]]', "--kw", "fields=name"
    )
    assert [row["name"] for row in json.loads(names.stdout)] == ["Json One", "Json Two"]


def test_unknown_columns_stop_before_anything_is_created(
    cli_runner: Callable[..., Result], tmp_path: Path
) -> None:
    (tmp_path / "in.csv").write_text("name,nickname\nNick Import,Nicky\n")
    result = cli_runner("import", "res.partner", "in.csv")
    assert result.exit_code == 2
    assert "res.partner has no field 'nickname'" in result.stderr
    count = cli_runner("call", "res.partner", "search_count", '[[["name", "=", "Nick Import"]]]')
    assert json.loads(count.stdout) == 0


def test_a_file_that_is_not_utf8_is_a_usage_error(
    cli_runner: Callable[..., Result], tmp_path: Path
) -> None:
    (tmp_path / "latin1.csv").write_bytes("name\nCaf\xe9 Latin\n".encode("latin-1"))
    result = cli_runner("import", "res.partner", "latin1.csv")
    assert result.exit_code == 2
    assert "latin1.csv cannot be read as CSV in UTF-8" in result.stderr


def test_a_csv_row_with_more_cells_than_the_header_is_rejected_not_fatal(
    cli_runner: Callable[..., Result], tmp_path: Path
) -> None:
    (tmp_path / "ragged.csv").write_text(
        "name,email\nRagged One,one@example.com\nRagged Two,two@example.com,stray\n"
        "Ragged Three,three@example.com\n"
    )
    result = cli_runner("import", "res.partner", "ragged.csv", "--rejects", "bad.jsonl")
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    rejects = [json.loads(line) for line in (tmp_path / "bad.jsonl").read_text().splitlines()]
    assert [(r["row"], r["line"]) for r in rejects] == [(2, 3)]
    assert "2 columns" in rejects[0]["error"]
    assert rejects[0]["values"]["name"] == "Ragged Two"
    names = cli_runner(
        "call",
        "res.partner",
        "search_read",
        '[[["name", "like", "Ragged "]]]',
        "--kw",
        "fields=name",
    )
    assert [row["name"] for row in json.loads(names.stdout)] == ["Ragged One", "Ragged Three"]
