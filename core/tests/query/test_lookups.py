"""Every lookup: the condition it compiles to, the records it selects on the emulator,
the values it refuses, and the wire form of values."""

from __future__ import annotations

import enum
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Any

import pytest

from zenoo_rpc.errors import DomainError, ZenooError
from zenoo_rpc.query import LOOKUPS, Q, compile_domain, lookups, to_domain_value
from zenoo_rpc.query.lookups import escape_like, resolve_keyword
from zenoo_rpc.query.q import SupportsOdooId
from zenoo_rpc.testing.emulator.database import Database
from zenoo_rpc.testing.emulator.exceptions import PythonError

SearchIds = Callable[[list[Any]], set[int]]
ADMIN = 2


@pytest.mark.parametrize(
    ("lookups_", "domain"),
    [
        ({"name": "x"}, [("name", "=", "x")]),
        ({"name__exact": "x"}, [("name", "=", "x")]),
        ({"email__exact": None}, [("email", "=", False)]),
        ({"email": None}, [("email", "=", False)]),
        ({"name__iexact": "A_b%"}, [("name", "=ilike", "A\\_b\\%")]),
        ({"email__iexact": None}, [("email", "=", False)]),
        ({"state__ne": "draft"}, [("state", "!=", "draft")]),
        ({"email__ne": None}, [("email", "!=", False)]),
        ({"amount__gt": 5}, [("amount", ">", 5)]),
        ({"amount__gte": 5.5}, [("amount", ">=", 5.5)]),
        ({"amount__lt": 0}, [("amount", "<", 0)]),
        ({"amount__lte": -1}, [("amount", "<=", -1)]),
        ({"id__in": (3, 1, 2)}, [("id", "in", [3, 1, 2])]),
        ({"id__in": range(2)}, [("id", "in", [0, 1])]),
        ({"code__in": frozenset({"b", "a"})}, [("code", "in", ["a", "b"])]),
        ({"id__not_in": [1]}, [("id", "not in", [1])]),
        ({"id__in": []}, [("id", "in", [])]),
        ({"name__like": "a%b_"}, [("name", "like", "a%b_")]),
        ({"name__ilike": "%x%"}, [("name", "ilike", "%x%")]),
        ({"name__not_like": "x"}, [("name", "not like", "x")]),
        ({"name__not_ilike": "x"}, [("name", "not ilike", "x")]),
        ({"name__contains": "50%_\\"}, [("name", "like", "50\\%\\_\\\\")]),
        ({"name__icontains": "Ab"}, [("name", "ilike", "Ab")]),
        ({"name__startswith": "a_"}, [("name", "=like", "a\\_%")]),
        ({"name__istartswith": "a%"}, [("name", "=ilike", "a\\%%")]),
        ({"name__endswith": "_z"}, [("name", "=like", "%\\_z")]),
        ({"name__iendswith": "z"}, [("name", "=ilike", "%z")]),
        ({"email__isnull": True}, [("email", "=", False)]),
        ({"email__isnull": False}, [("email", "!=", False)]),
        ({"parent_id__child_of": 7}, [("parent_id", "child_of", 7)]),
        ({"id__parent_of": [7, 8]}, [("id", "parent_of", [7, 8])]),
        (
            {"child_ids__any": Q(name__icontains="a") | Q(email=None)},
            [("child_ids", "any", ["|", ("name", "ilike", "a"), ("email", "=", False)])],
        ),
        (
            {"child_ids__not_any": [("a", "=", 1), ("b", "=", 2)]},
            [("child_ids", "not any", ["&", ("a", "=", 1), ("b", "=", 2)])],
        ),
        ({"child_ids__any": Q()}, [("child_ids", "any", [])]),
        (
            {"partner_id__country_id__code": "BE"},
            [("partner_id.country_id.code", "=", "BE")],
        ),
        ({"company_id__name__icontains": "x"}, [("company_id.name", "ilike", "x")]),
        ({"company_id__name__exact": "x"}, [("company_id.name", "=", "x")]),
        ({"partner_id__in__exact": 1}, [("partner_id.in", "=", 1)]),
        ({"name__ilke": "x"}, [("name.ilke", "=", "x")]),
        ({"ilike": "x"}, [("ilike", "=", "x")]),
    ],
)
def test_lookup_compiles_to(lookups_: dict[str, Any], domain: list[Any]) -> None:
    assert Q(**lookups_).to_domain() == domain
    assert compile_domain(**lookups_) == domain


def test_every_lookup_is_in_the_documented_table() -> None:
    doc = lookups.__doc__ or ""
    table = re.findall(r"^``(\w+)``(?:\s+``(\w+)``)?", doc, flags=re.MULTILINE)
    documented = {name for row in table for name in row if name}
    assert documented == set(LOOKUPS)
    assert all(name == lookup.name for name, lookup in LOOKUPS.items())


def test_lookups_table_is_read_only() -> None:
    with pytest.raises(TypeError):
        LOOKUPS["startswith"] = LOOKUPS["exact"]  # type: ignore[index]


@pytest.mark.parametrize(
    ("keyword", "path", "lookup"),
    [
        ("name", "name", "exact"),
        ("name__in", "name", "in"),
        ("partner_id__country_id__code__in", "partner_id.country_id.code", "in"),
        ("partner_id.name__ilike", "partner_id.name", "ilike"),
        ("x_studio_field_1__gt", "x_studio_field_1", "gt"),
        ("_private", "_private", "exact"),
    ],
)
def test_resolve_keyword(keyword: str, path: str, lookup: str) -> None:
    assert resolve_keyword(keyword) == (path, LOOKUPS[lookup])


@pytest.mark.parametrize(
    ("keyword", "text"),
    [
        ("name____x", "empty path segment"),
        ("name__", "empty path segment"),
        ("__name", "empty path segment"),
        ("a____ilike", "empty path segment"),
        ("__ilike", "the lookup 'ilike' needs a field"),
        ("", "needs a field"),
        ("name___ilike", "three underscores"),
        ("name ilike", "'name ilike' is not a field name"),
        ("partner_id..name", "is not a field name"),
        ("partner_id.", "is not a field name"),
    ],
)
def test_malformed_keywords_raise_domain_error(keyword: str, text: str) -> None:
    with pytest.raises(DomainError, match=re.escape(text)) as info:
        Q(**{keyword: 1})
    assert info.value.term == keyword
    assert keyword in str(info.value) or not keyword


@pytest.mark.parametrize(
    ("lookups_", "text"),
    [
        ({"name__in": "abc"}, "name__in takes a list (or another iterable) of values, got str"),
        ({"id__not_in": 5}, "id__not_in takes a list (or another iterable) of values, got int"),
        ({"id__in": {"a": 1}}, "got dict"),
        ({"id__in": b"ab"}, "got bytes"),
        ({"email__isnull": 1}, "email__isnull takes True or False, got int"),
        ({"email__isnull": None}, "takes True or False, got NoneType"),
        ({"amount__gt": None}, "amount__gt=None: an unset value has no order; use amount__isnull"),
        ({"date__lte": None}, "use date__isnull=True"),
        ({"name__contains": 5}, "name__contains takes a str, got int"),
        (
            {"name__startswith": None},
            "name__startswith=None: this lookup takes a str; use name__isnull=True",
        ),
        ({"name__iexact": 3}, "name__iexact takes a str, got int"),
        ({"child_ids__any": "name"}, "child_ids__any takes a Q or a domain"),
        ({"child_ids__any": 3}, "got int"),
        ({"child_ids__any": [("name", "=")]}, "domain term 0 is ('name', '=')"),
        ({"child_ids__not_any": ["|", ("a", "=", 1)]}, "domain term 0 '|' takes 2 expressions"),
    ],
)
def test_values_a_lookup_cannot_take_raise_domain_error(
    lookups_: dict[str, Any], text: str
) -> None:
    with pytest.raises(DomainError, match=re.escape(text)):
        Q(**lookups_)
    with pytest.raises(ValueError, match=re.escape(text)):  # DomainError is a ValueError too
        compile_domain(**lookups_)


def test_escape_like_escapes_the_escape_character_first() -> None:
    assert escape_like("a\\%b_c") == "a\\\\\\%b\\_c"
    assert escape_like("plain") == "plain"


# --------------------------------------------------------------------------- on the emulator


def _names(db: Database, ids: set[int]) -> set[str]:
    rows = db.call(ADMIN, "res.partner", "read", [sorted(ids), ["name"]], {})
    return {row["name"] for row in rows}


def _all(db: Database) -> list[dict[str, Any]]:
    fields = ["name", "email"]
    rows: list[dict[str, Any]] = db.call(
        ADMIN, "res.partner", "search_read", [[]], {"fields": fields}
    )
    return rows


_TEXT_CASES = ["50%", "%", "_", "a_b", "\\", "\\\\", "\\s", "%_\\", "Off", "azure", ""]


@pytest.mark.parametrize("text", _TEXT_CASES)
def test_text_lookups_match_the_literal_text_on_the_emulator(
    partners_db: Database, search_ids: SearchIds, text: str
) -> None:
    rows = _all(partners_db)
    names = [(row["id"], row["name"]) for row in rows if row["name"]]
    expected = {
        "contains": {i for i, n in names if text in n},
        "icontains": {i for i, n in names if text.lower() in n.lower()},
        "startswith": {i for i, n in names if n.startswith(text)},
        "istartswith": {i for i, n in names if n.lower().startswith(text.lower())},
        "endswith": {i for i, n in names if n.endswith(text)},
        "iendswith": {i for i, n in names if n.lower().endswith(text.lower())},
        "iexact": {i for i, n in names if n.lower() == text.lower()},
    }
    for lookup, ids in expected.items():
        assert search_ids(Q(**{f"name__{lookup}": text}).to_domain()) == ids, lookup


def test_awkward_names_are_found_only_literally(
    partners_db: Database, search_ids: SearchIds
) -> None:
    assert _names(partners_db, search_ids(Q(name__contains="50%").to_domain())) == {"50% Off"}
    assert _names(partners_db, search_ids(Q(name__like="50%").to_domain())) >= {"50% Off", "50 Off"}
    assert _names(partners_db, search_ids(Q(name__startswith="a_b").to_domain())) == {"a_b Corp"}
    assert _names(partners_db, search_ids(Q(name__contains="\\\\").to_domain())) == {
        "Back\\\\slash"
    }
    assert _names(partners_db, search_ids(Q(name__endswith="\\").to_domain())) == {"Ends\\", "%_\\"}
    assert _names(partners_db, search_ids(Q(email__icontains="%").to_domain())) == {
        "50% Off",
        "%_\\",
    }


def test_seed_ilike_with_percents_is_the_same_as_plain_ilike(search_ids: SearchIds) -> None:
    for query in ("azure", "Off", "corp", "e"):
        wrapped = search_ids(
            (Q(name__ilike=f"%{query}%") | Q(email__ilike=f"%{query}%")).to_domain()
        )
        plain = search_ids((Q(name__ilike=query) | Q(email__ilike=query)).to_domain())
        assert wrapped == plain
        assert plain  # each query finds something, so the comparison means something


def test_like_wildcards_are_odoos(partners_db: Database, search_ids: SearchIds) -> None:
    assert _names(partners_db, search_ids(Q(name__like="a_b C").to_domain())) == {
        "a_b Corp",
        "axb Corp",
    }
    assert _names(partners_db, search_ids(Q(name__ilike="A_B c").to_domain())) == {
        "a_b Corp",
        "axb Corp",
    }


def test_emulator_like_honours_backslash_escapes_as_postgresql(search_ids: SearchIds) -> None:
    both = search_ids([("name", "like", "_b Corp")])
    literal = search_ids([("name", "like", "\\_b Corp")])
    assert len(both) == 2
    assert len(literal) == 1
    assert literal < both
    # a trailing backslash escapes the % Odoo appends: 'Ends\' holds no literal '%'
    assert search_ids([("name", "like", "Ends\\")]) == set()
    assert search_ids([("name", "=like", "Ends\\\\")]) == search_ids([("name", "=", "Ends\\")])
    assert search_ids([("name", "not like", "\\%")]) == search_ids([]) - search_ids(
        [("name", "like", "\\%")]
    )


def test_emulator_refuses_a_like_pattern_ending_with_the_escape(partners_db: Database) -> None:
    with pytest.raises(PythonError, match="must not end with escape character"):
        partners_db.call(ADMIN, "res.partner", "search", [[("name", "=like", "Ends\\")]], {})


def test_isnull_and_none(partners_db: Database, search_ids: SearchIds) -> None:
    rows = _all(partners_db)
    without = {row["id"] for row in rows if row["email"] is False}
    assert without  # the data has partners without email
    assert search_ids(Q(email__isnull=True).to_domain()) == without
    assert search_ids(Q(email=None).to_domain()) == without
    assert search_ids(Q(email__isnull=False).to_domain()) == {row["id"] for row in rows} - without


def test_related_path_and_any_on_the_emulator(partners_db: Database, search_ids: SearchIds) -> None:
    fields = ["parent_id", "country_id"]
    rows = partners_db.call(ADMIN, "res.partner", "search_read", [[]], {"fields": fields})
    azure = {row["id"] for row in rows if row["parent_id"] and "Azure" in row["parent_id"][1]}
    assert azure
    assert search_ids(Q(parent_id__name__icontains="azure").to_domain()) == azure
    assert search_ids(Q(parent_id__any=Q(name__icontains="azure")).to_domain()) == azure
    belgians = {
        row["id"] for row in rows if row["country_id"] and row["country_id"][1] == "Belgium"
    }
    assert belgians
    assert search_ids(Q(country_id__code="BE").to_domain()) == belgians
    assert search_ids(Q(country_id__code__in=["BE"]).to_domain()) == belgians


def test_emulator_accepts_the_false_leaf_of_a_negated_empty_q(search_ids: SearchIds) -> None:
    assert (~Q()).to_domain() == [(0, "=", 1)]
    assert search_ids((~Q()).to_domain()) == set()
    assert search_ids((~Q() | Q(name="50 Off")).to_domain()) == search_ids(
        [("name", "=", "50 Off")]
    )


def test_awkward_partners_were_created(
    partners_db: Database, awkward_partners: list[dict[str, Any]]
) -> None:
    names = {row["name"] for row in _all(partners_db)}
    assert {p["name"] for p in awkward_partners} <= names


# --------------------------------------------------------------------------- values


class Color(enum.Enum):
    RED = "red"
    DAY = date(2024, 2, 29)


class Level(enum.IntEnum):
    HIGH = 3


@dataclass
class Record:
    id: int
    _odoo_model_name: str = "res.partner"


@dataclass
class NoModel:
    id: int


def test_to_domain_value_datetimes() -> None:
    plus_two = timezone(timedelta(hours=2))
    assert to_domain_value(datetime(2025, 1, 1, 10, 0, 5, 999_999, tzinfo=plus_two)) == (
        "2025-01-01 08:00:05"
    )
    assert to_domain_value(datetime(2025, 1, 1, 0, 30, tzinfo=plus_two)) == "2024-12-31 22:30:00"
    assert to_domain_value(datetime(2025, 1, 1, 10, 0)) == "2025-01-01 10:00:00"  # naive: UTC
    assert to_domain_value(date(2024, 2, 29)) == "2024-02-29"


def test_to_domain_value_other_values() -> None:
    assert to_domain_value(None) is False
    assert to_domain_value(Color.RED) == "red"
    assert to_domain_value(Color.DAY) == "2024-02-29"
    assert to_domain_value(Level.HIGH) == 3
    assert type(to_domain_value(Level.HIGH)) is int
    assert to_domain_value(Record(7)) == 7
    assert to_domain_value(Record(0)) is False
    assert to_domain_value((Record(1), None, {Level.HIGH})) == [1, False, [3]]
    assert to_domain_value({3, 1, 2}) == [1, 2, 3]
    mixed = to_domain_value({1, "a"})
    assert sorted(mixed, key=str) == [1, "a"]
    no_model = NoModel(4)
    assert to_domain_value(no_model) is no_model
    marker = object()
    assert to_domain_value(marker) is marker
    for plain in ("x", 3, 2.5, True, False, b"raw"):
        assert to_domain_value(plain) is plain


def test_records_satisfy_the_protocol_and_become_ids() -> None:
    assert isinstance(Record(1), SupportsOdooId)
    assert not isinstance(NoModel(1), SupportsOdooId)
    assert Q(partner_id=Record(9)).to_domain() == [("partner_id", "=", 9)]
    assert Q(partner_id__in=[Record(9), Record(4)]).to_domain() == [("partner_id", "in", [9, 4])]
    assert Q(partner_id__in=(r for r in [Record(2)])).to_domain() == [("partner_id", "in", [2])]
    assert Q(create_date__gte=datetime(2025, 1, 1, tzinfo=timezone.utc)).to_domain() == [
        ("create_date", ">=", "2025-01-01 00:00:00")
    ]


def test_domain_error_is_a_zenoo_error() -> None:
    assert issubclass(DomainError, ZenooError)
    assert issubclass(DomainError, ValueError)
