"""The emulator's speed-ups answer exactly like the plain code they shortcut.

* ``leaves.filter_leaf`` against ``expression.make_predicate`` (property test);
* ``sort_ids`` through the cached table ranking against the reference sort;
* the caches (ranking, implicit search conditions) after writes, archiving,
  creation, deletion and rolled-back calls;
* ``read``/``search_read`` results stay the caller's own (they skip the copy).
"""

from __future__ import annotations

import random
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zenoo_rpc.testing.emulator.database import Database
from zenoo_rpc.testing.emulator.orm.expression import make_predicate
from zenoo_rpc.testing.emulator.orm.leaves import filter_leaf
from zenoo_rpc.testing.emulator.orm.ordering import _sort, parse_order, sort_ids

ADMIN = 2

# -- filter_leaf == make_predicate ----------------------------------------------------
_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 3),
    st.sampled_from([0.0, -0.0, 1.0, 2.5, float("nan")]),
    st.sampled_from(["", "a", "A", "ab", "Inc", "b%c", "x_y", "ß", "true"]),
    st.just([1, 2]),  # unhashable: the fast path must give up
)
_RIGHTS = st.one_of(
    _VALUES,
    st.lists(st.one_of(st.none(), st.booleans(), st.integers(-2, 2), st.sampled_from(["a", "A"]))),
    st.sampled_from(["%", "_", "a%", "%b", "A_", ""]),
)
_TYPES = st.sampled_from(
    ["boolean", "integer", "float", "monetary", "char", "text", "selection", "many2one", "date"]
)
_OPERATORS = st.sampled_from(
    ["=", "!=", "in", "not in", "like", "ilike", "not like", "not ilike", "<", "=?", "=like"]
)


@settings(max_examples=2000, deadline=None)
@given(ftype=_TYPES, operator=_OPERATORS, right=_RIGHTS, values=st.lists(_VALUES, max_size=8))
def test_filter_leaf_matches_the_predicate(
    ftype: str, operator: str, right: Any, values: list[Any]
) -> None:
    ids = list(range(1, len(values) + 1))
    fast = filter_leaf(ftype, operator, right, ids, values)
    if fast is None:
        return
    predicate = make_predicate(ftype, operator, right)
    assert fast == [rid for rid, value in zip(ids, values, strict=True) if predicate(value)]


# -- sort_ids through the cached ranking == the reference sort ------------------------
ORDERS = [
    None,
    "name",
    "name desc, id",
    "email desc nulls last",
    "email asc nulls first, id desc",
    "country_id, name",
    "country_id desc nulls last, id",
    "parent_id desc, customer_rank",
    "is_company desc, partner_latitude, id desc",
    "create_date, write_date desc",
]


@pytest.mark.parametrize("order", ORDERS)
def test_cached_ranking_sorts_like_the_reference(db: Database, order: str | None) -> None:
    partners = db.env(ADMIN)["res.partner"]
    live = list(partners._table)
    terms = parse_order(partners, order or partners._order)
    rng = random.Random(order)
    for size in (0, 1, 5, len(live) // 3, len(live)):
        subset = rng.sample(live, size)
        expected = _sort(partners, subset, terms, 0)
        assert sort_ids(partners, subset, order) == expected
        assert sort_ids(partners, subset, order, limit=4) == expected[:4]
    key = ("order", "res.partner", tuple(terms), 0)
    assert db.registry.store.derived[key][1] is not None  # the cache was used


def test_unranked_ids_fall_back_to_the_reference(db: Database) -> None:
    partners = db.env(ADMIN)["res.partner"]
    live = list(partners._table)
    gone = db.call(ADMIN, "res.partner", "create", [{"name": "gone"}], {})
    db.call(ADMIN, "res.partner", "unlink", [[gone]], {})
    for ids in ([live[0], gone, live[1]], [live[2], live[0], live[2]], []):
        expected = _sort(partners, ids, parse_order(partners, partners._order), 0)
        assert sort_ids(partners, ids, None) == expected


def test_mixed_types_in_a_column_are_not_cached(db: Database) -> None:
    partners = db.env(ADMIN)["res.partner"]
    table = partners._table
    live = list(table)
    table.set(live[0], "ref", 7)  # not what a char column holds: ints and strings
    table.set(live[1], "ref", "x")
    terms = parse_order(partners, "ref, id")
    expected = _sort(partners, live, terms, 0)
    assert sort_ids(partners, live, "ref, id") == expected
    assert db.registry.store.derived[("order", "res.partner", tuple(terms), 0)][1] is None


# -- caches follow the data -----------------------------------------------------------
def _search(db: Database, domain: list[Any], **kwargs: Any) -> list[int]:
    result: list[int] = db.call(ADMIN, "res.partner", "search", [domain], kwargs)
    return result


def _reference(db: Database, domain: list[Any], order: str | None = None) -> list[int]:
    partners = db.env(ADMIN)["res.partner"]
    found = set(_search(db, domain))
    return _sort(partners, list(found), parse_order(partners, order or partners._order), 0)


def test_order_follows_writes_creates_and_unlinks(db: Database) -> None:
    first = _search(db, [], order="name", limit=3)
    assert first == _reference(db, [], "name")[:3]
    db.call(ADMIN, "res.partner", "write", [[first[0]], {"name": "zzz last"}], {})
    after_write = _search(db, [], order="name")
    assert after_write == _reference(db, [], "name")
    assert after_write.index(first[0]) > 3
    new = db.call(ADMIN, "res.partner", "create", [{"name": "   aaa first"}], {})
    assert _search(db, [], order="name", limit=1) == [new]
    db.call(ADMIN, "res.partner", "unlink", [[new]], {})
    assert new not in _search(db, [], order="name")
    assert _search(db, [], order="name") == _reference(db, [], "name")


def test_many2one_order_follows_the_comodel(db: Database) -> None:
    order = "country_id, id"
    before = _search(db, [("country_id", "!=", False)], order=order)
    assert before == _reference(db, [("country_id", "!=", False)], order)
    first_country = db.call(ADMIN, "res.partner", "read", [[before[0]], ["country_id"]], {})
    country_id = first_country[0]["country_id"][0]
    db.call(ADMIN, "res.country", "write", [[country_id], {"name": "Zzzland"}], {})
    after = _search(db, [("country_id", "!=", False)], order=order)
    assert after == _reference(db, [("country_id", "!=", False)], order)
    assert after != before


def test_implicit_conditions_follow_archiving_and_companies(db: Database) -> None:
    everyone = _search(db, [])
    victim = everyone[0]
    db.call(ADMIN, "res.partner", "write", [[victim], {"active": False}], {})
    assert victim not in _search(db, [])
    assert victim in _search(db, [], context={"active_test": False})
    assert db.call(ADMIN, "res.partner", "search_count", [[]], {}) == len(everyone) - 1
    db.call(ADMIN, "res.partner", "write", [[victim], {"active": True}], {})
    assert _search(db, []) == everyone
    companies = db.call(ADMIN, "res.company", "search", [[]], {})
    db.call(ADMIN, "res.partner", "write", [[victim], {"company_id": companies[-1]}], {})
    only = _search(db, [], context={"allowed_company_ids": [companies[0]]})
    assert (victim in only) == (companies[-1] == companies[0])


def test_caches_follow_a_rolled_back_transaction(db: Database) -> None:
    partners = db.env(ADMIN)["res.partner"]
    store = db.registry.store
    before, visible = _search(db, [], order="name"), partners._search([])
    store.begin()
    partners._table.set(before[0], "name", "zzz")
    partners._table.set(before[1], "active", False)
    assert partners._search([], order="name").index(before[0]) > 3  # caches filled mid-call
    assert before[1] not in partners._search([])
    store.rollback()
    assert _search(db, [], order="name") == before
    assert partners._search([]) == visible


# -- results belong to the caller -----------------------------------------------------
def test_read_results_share_nothing_with_the_database(make_db: Any) -> None:
    db = make_db(version=19, size=10)
    pid = _search(db, [], limit=1)[0]
    db.call(ADMIN, "res.partner", "write", [[pid], {"properties": {"tags": ["a"]}}], {})
    fields = ["name", "country_id", "child_ids", "category_id", "properties"]
    for method, args in (("read", [[pid], fields]), ("search_read", [[("id", "=", pid)], fields])):
        first = db.call(ADMIN, "res.partner", method, args, {})
        expected = db.call(ADMIN, "res.partner", method, args, {})
        row = first[0]
        row["properties"]["tags"].append("mutated")
        row["properties"]["new"] = 1
        if row["country_id"]:
            row["country_id"][1] = "mutated"
        row["child_ids"].append(999)
        row["name"] = "mutated"
        first.append({"id": 0})
        assert db.call(ADMIN, "res.partner", method, args, {}) == expected
