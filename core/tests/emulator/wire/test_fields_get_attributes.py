"""``fields_get`` attributes, field by field and type by type, against real Odoo 18 / 19.

The conformance replay only compares shapes, and the Odoo 19 answers were cut
at 20 KB (so it cannot compare them at all): here the fields the cut answers
still hold are parsed one by one and every emulated field must show exactly
the attribute keys real Odoo shows, with the same value types and values.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

import pytest
from wire_replay import CAPTURES

from zenoo_rpc.testing.emulator.database import Database

ADMIN = 2
CASES = {
    18: ("jsonrpc_fields_get_res_partner_full", "jsonrpc_fields_get_res_partner_attrs"),
    19: ("json2_fields_get_full", "json2_fields_get_attrs", "json2_fields_get_some"),
}
#: Attributes whose values depend on the modules installed or on prose.
FREE_VALUES = {"help", "string", "depends", "selection"}
#: Known differences: ``{(version, field): (attributes, reason)}``.
GAPS = {
    (18, "company_type"): ({"readonly"}, "no inverse: writing company_type is ignored"),
    (19, "properties"): (
        {"type", "definition_record", "definition_record_field", "groupable", "sortable"},
        "stored as a plain json field (no properties definitions)",
    ),
}


def _fields(text: str) -> dict[str, Any]:
    """Every complete ``name: description`` pair of a (possibly cut) fields_get object."""
    decoder, out, pos = json.JSONDecoder(), {}, 1
    while True:
        try:
            key, pos = decoder.raw_decode(text, pos)
            pos = text.index(":", pos) + 1
            while text[pos] == " ":
                pos += 1
            value, pos = decoder.raw_decode(text, pos)
        except (ValueError, IndexError):
            return out
        out[key] = value
        while pos < len(text) and text[pos] in ", ":
            pos += 1


def _capture(version: int, name: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The capture's fields_get arguments and its (partial) answer."""
    capture = json.loads((CAPTURES / f"odoo{version}" / f"{name}.json").read_text())
    request, body = capture["request"]["json"], capture["response"]["body"]
    if version == 18:
        args = request["params"]["args"]
        kwargs = args[6] if len(args) > 6 else {}
        body = body[body.index('"result": ') + len('"result": ') :]
    else:
        kwargs = request
    return kwargs, _fields(body)


def _kind(value: Any) -> str:
    return "number" if type(value) in (int, float) else type(value).__name__


@pytest.mark.parametrize(("version", "name"), [(v, n) for v, names in CASES.items() for n in names])
def test_fields_get_matches_capture(version: int, name: str) -> None:
    kwargs, real = _capture(version, name)
    assert len(real) >= 3, "the capture parsed"
    ours = Database("fg", version=version, size=0).call(
        ADMIN, "res.partner", "fields_get", [], kwargs
    )
    common = [field for field in ours if field in real]
    assert len(common) >= 3
    problems = []
    for field in common:
        gap = GAPS.get((version, field), (set(), ""))[0]
        mine, theirs = ours[field], real[field]
        if set(mine) - gap != set(theirs) - gap:
            problems.append(f"{field}: keys {sorted(set(mine) ^ set(theirs))}")
        for key in (set(mine) & set(theirs)) - gap:
            if _kind(mine[key]) != _kind(theirs[key]):
                problems.append(f"{field}.{key}: {_kind(mine[key])} vs {_kind(theirs[key])}")
            elif key not in FREE_VALUES and mine[key] != theirs[key]:
                problems.append(f"{field}.{key}: {mine[key]!r} vs {theirs[key]!r}")
        if "selection" in theirs and field == "tz":
            assert mine["selection"] == theirs["selection"]
    assert not problems, "\n".join(problems)


#: Keys any field has when its declaration sets them.
DECLARED = {"help", "groups", "related"}


def _keys_by_type(version: int) -> dict[str, tuple[set[str], set[str]]]:
    """Per field type: the keys every captured field has, and the keys any one may have."""
    seen: dict[str, list[set[str]]] = defaultdict(list)
    for v in sorted({18, version}):
        for desc in _capture(v, CASES[v][0])[1].values():
            seen[desc["type"]].append(set(desc))
    return {
        kind: (set.intersection(*sets) - DECLARED, set.union(*sets) | DECLARED)
        for kind, sets in seen.items()
    }


@pytest.mark.parametrize("version", [18, 19])
def test_every_model_uses_the_keys_of_its_field_type(version: int) -> None:
    """All emulated models, not just res.partner: keys per type as real Odoo has them."""
    by_type = _keys_by_type(version)
    db = Database("fg", version=version, size=0)
    problems = []
    for model in db.model_names():
        for field, desc in db.call(ADMIN, model, "fields_get", [], {}).items():
            if desc["type"] not in by_type or (version, field) in GAPS:
                continue
            required, allowed = by_type[desc["type"]]
            keys = set(desc)
            if required - keys or keys - allowed:
                problems.append(
                    f"{model}.{field} ({desc['type']}): missing {sorted(required - keys)}, "
                    f"extra {sorted(keys - allowed)}"
                )
    assert not problems, "\n".join(problems)
