"""The domain engine: syntax, operators, NULL semantics, paths, and a property test
against a naive evaluator written independently here."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zenoo_rpc.testing.emulator.database import Database
from zenoo_rpc.testing.emulator.exceptions import PythonError
from zenoo_rpc.testing.emulator.orm.domain import AND, OR, TRUE_LEAF, normalize_domain

ADMIN = 2


def ids(db: Database, domain: list[Any], **context: Any) -> set[int]:
    return set(db.call(ADMIN, "res.partner", "search", [domain], {"context": context}))


# -- syntax -------------------------------------------------------------------------
def test_normalize_makes_implicit_and_explicit() -> None:
    assert normalize_domain([]) == [TRUE_LEAF]
    assert normalize_domain([("a", "=", 1), ("b", "=", 2)]) == ["&", ("a", "=", 1), ("b", "=", 2)]
    assert normalize_domain(["|", ("a", "=", 1), ("b", "=", 2), ("c", "=", 3)]) == [
        "&", "|", ("a", "=", 1), ("b", "=", 2), ("c", "=", 3),
    ]  # fmt: skip
    assert normalize_domain(["!", ["a", "=", 1]]) == ["!", ("a", "=", 1)]


@pytest.mark.parametrize(
    ("domain", "text"),
    [
        (["|", ("name", "=", "x")], "syntactically not correct"),
        ([("name", "=")], "Invalid leaf"),
        ([("name", "bogus", 1)], "Invalid leaf ('name', 'bogus', 1)"),
        (["^", ("name", "=", 1)], "Invalid leaf '^'"),
    ],
)
def test_invalid_domains_raise_value_error(db: Database, domain: list[Any], text: str) -> None:
    with pytest.raises(PythonError) as info:
        db.call(ADMIN, "res.partner", "search", [domain], {})
    assert info.value.name == "builtins.ValueError"
    assert text in info.value.message


def test_and_or_combinators() -> None:
    assert AND([[], [("a", "=", 1)]]) == [("a", "=", 1)]
    assert AND([[("a", "=", 1)], [("b", "=", 2)]]) == ["&", ("a", "=", 1), ("b", "=", 2)]
    assert OR([[("a", "=", 1)], []]) == [TRUE_LEAF]
    assert OR([[("a", "=", 1)], [("b", "=", 2)]]) == ["|", ("a", "=", 1), ("b", "=", 2)]


def test_unknown_field_message_differs_between_18_and_19(make_db: Any) -> None:
    for version, word in ((18, "leaf"), (19, "condition")):
        with pytest.raises(PythonError) as info:
            make_db(version).call(ADMIN, "res.partner", "search", [[("no_such_field", "=", 1)]], {})
        assert info.value.message == (
            f"Invalid field res.partner.no_such_field in {word} ('no_such_field', '=', 1)"
        )


# -- operators ----------------------------------------------------------------------
def test_false_semantics_on_char(db: Database) -> None:
    new = db.call(
        ADMIN,
        "res.partner",
        "create",
        [[{"name": "No Mail"}, {"name": "Mail", "email": "m@x.example"}]],
        {},
    )
    unset = ids(db, [("email", "=", False)])
    assert new[0] in unset
    assert new[1] not in unset
    assert new[1] in ids(db, [("email", "!=", False)])
    # != a value also matches NULL, like Odoo's "x != v OR x IS NULL"
    assert new[0] in ids(db, [("email", "!=", "m@x.example")])
    assert new[0] in ids(db, [("email", "in", [False, "m@x.example"])])
    assert new[0] not in ids(db, [("email", "in", ["m@x.example"])])
    assert new[0] in ids(db, [("email", "not ilike", "x.example")])


def test_like_wildcards_and_case(db: Database) -> None:
    pid = db.call(ADMIN, "res.partner", "create", [{"name": "Ab_cD%ef"}], {})
    assert pid in ids(db, [("name", "ilike", "b_cd")])
    assert pid in ids(db, [("name", "like", "Ab%ef")])
    assert pid not in ids(db, [("name", "like", "ab")])
    assert pid in ids(db, [("name", "=ilike", "ab_cd%")])
    assert pid not in ids(db, [("name", "=like", "b_cD")])
    assert pid in ids(db, [("name", "=?", False)])
    assert ids(db, [("name", "=?", "Ab_cD%ef")]) == {pid}


def test_comparisons_and_true_false_leaves(db: Database) -> None:
    everything = ids(db, [])
    assert ids(db, [(1, "=", 1)]) == everything
    assert ids(db, [(0, "=", 1)]) == set()
    ranked = ids(db, [("customer_rank", ">", 1)])
    assert ranked
    assert ranked == ids(db, [("customer_rank", ">=", 2)])
    assert ranked.isdisjoint(ids(db, [("customer_rank", "<=", 1)]))


def test_active_test_and_explicit_active(db: Database) -> None:
    active = ids(db, [])
    archived = ids(db, [("active", "=", False)])
    assert archived
    assert active.isdisjoint(archived)
    assert ids(db, [], active_test=False) == active | archived


def test_dotted_paths_through_many2one_and_x2many(db: Database) -> None:
    us = ids(db, [("country_id.code", "=", "US")])
    assert us == ids(db, [("country_id", "=", 233)])
    assert ids(db, [("country_id", "=", "United States")]) == us
    assert ids(db, [("country_id", "ilike", "united st")]) == us
    # negative operator through a many2one: partners without a country stay out
    not_us = ids(db, [("country_id.code", "!=", "US")])
    assert not_us == ids(db, [("country_id", "!=", False), ("country_id", "!=", 233)])
    parents_with_us_child = ids(db, [("child_ids.country_id.code", "=", "US")])
    for pid in parents_with_us_child:
        children = db.call(ADMIN, "res.partner", "read", [[pid], ["child_ids"]], {})[0]
        assert children["child_ids"]
    companies = ids(db, [("is_company", "=", True)])
    assert ids(db, [("parent_id.is_company", "=", True)]) == ids(
        db, [("parent_id", "in", sorted(companies))]
    )


def test_x2many_equals_means_any_element(db: Database) -> None:
    rows = db.call(ADMIN, "res.partner", "search_read", [[]], {"fields": ["category_id"]})
    tag = next(t for row in rows for t in row["category_id"])
    tagged = {row["id"] for row in rows if tag in row["category_id"]}
    assert ids(db, [("category_id", "=", tag)]) == tagged
    assert ids(db, [("category_id", "in", [tag])]) == tagged
    assert ids(db, [("category_id", "!=", tag)]) == {r["id"] for r in rows} - tagged
    untagged = {row["id"] for row in rows if not row["category_id"]}
    assert ids(db, [("category_id", "=", False)]) == untagged


def test_any_not_any_child_of_parent_of(db: Database) -> None:
    company = db.call(
        ADMIN,
        "res.partner",
        "search",
        [[("is_company", "=", True), ("child_ids", "!=", False)]],
        {"limit": 1},
    )[0]
    children = db.call(ADMIN, "res.partner", "read", [[company], ["child_ids"]], {})[0]
    family = {company, *children["child_ids"]}
    assert ids(db, [("id", "child_of", company)]) == family
    assert ids(db, [("id", "parent_of", children["child_ids"][0])]) == {
        company,
        children["child_ids"][0],
    }
    assert ids(db, [("parent_id", "any", [("id", "=", company)])]) == set(children["child_ids"])
    with_children = ids(db, [("child_ids", "any", [])])
    assert company in with_children
    assert ids(db, [("child_ids", "not any", [])]).isdisjoint(with_children)


# -- property test ------------------------------------------------------------------
@pytest.fixture(scope="module")
def frozen_db() -> Database:
    return Database("prop", version=18, size=60, seed=3)


def _rows(db: Database) -> tuple[dict[int, dict[str, Any]], dict[int, dict[str, Any]]]:
    fields = [
        "name",
        "email",
        "is_company",
        "customer_rank",
        "country_id",
        "parent_id",
        "category_id",
        "active",
    ]
    partners = db.call(
        ADMIN,
        "res.partner",
        "search_read",
        [[]],
        {"fields": fields, "load": None, "context": {"active_test": False}},
    )
    countries = db.call(ADMIN, "res.country", "search_read", [[]], {"fields": ["code"]})
    return {r["id"]: r for r in partners}, {r["id"]: r for r in countries}


def _naive_leaf(
    row: dict[str, Any],
    leaf: tuple[str, str, Any],
    partners: dict[int, Any],
    countries: dict[int, Any],
) -> bool:
    """The documented semantics, reimplemented on ``read`` output."""
    left, op, right = leaf
    if left == "country_id.code":
        country = row["country_id"]
        return bool(country) and _naive_leaf(countries[country], ("code", op, right), {}, {})
    if left == "parent_id.is_company":
        parent = row["parent_id"]
        return bool(parent) and _naive_leaf(partners[parent], ("is_company", op, right), {}, {})
    value = row[left]
    if isinstance(value, list):  # many2many: "any element" semantics
        wanted = right if op in ("in", "not in") else [right]
        hit = any(v in value for v in wanted if v is not False) or (False in wanted and not value)
        return hit if op in ("=", "in") else not hit
    if op == "=":
        return value == right if right is not False else value in (False, 0)
    if op == "!=":
        return value != right if right is not False else value not in (False, 0)
    if op == "in":
        return value in right
    if op == "not in":
        return value not in right
    if op in ("<", ">"):
        return value is not False and (value < right if op == "<" else value > right)
    if op == "ilike":
        return value is not False and right.lower() in value.lower()
    assert op == "not ilike"
    return value is False or right.lower() not in value.lower()


_LEAVES = st.one_of(
    st.tuples(
        st.just("name"),
        st.sampled_from(["=", "!=", "ilike", "not ilike"]),
        st.sampled_from(["a", "Inc", "Azure Interior", "ar", "zz"]),
    ),
    st.tuples(st.just("email"), st.sampled_from(["=", "!="]), st.sampled_from([False])),
    st.tuples(
        st.just("email"),
        st.sampled_from(["ilike", "not ilike"]),
        st.sampled_from(["example", "info", "1@"]),
    ),
    st.tuples(st.just("is_company"), st.sampled_from(["=", "!="]), st.booleans()),
    st.tuples(
        st.just("customer_rank"),
        st.sampled_from(["=", "!=", "<", ">"]),
        st.sampled_from([0, 1, 2, 5]),
    ),
    st.tuples(
        st.just("customer_rank"),
        st.sampled_from(["in", "not in"]),
        st.lists(st.sampled_from([0, 1, 2, 5]), max_size=3),
    ),
    st.tuples(
        st.just("country_id"), st.sampled_from(["=", "!="]), st.sampled_from([False, 233, 20, 75])
    ),
    st.tuples(
        st.just("country_id"),
        st.sampled_from(["in", "not in"]),
        st.lists(st.sampled_from([False, 233, 20, 203]), max_size=3),
    ),
    st.tuples(
        st.just("category_id"),
        st.sampled_from(["=", "!=", "in", "not in"]),
        st.sampled_from([1, 2, 3, False]),
    ).map(lambda t: (t[0], t[1], [t[2]] if t[1] in ("in", "not in") else t[2])),
    st.tuples(
        st.just("country_id.code"),
        st.sampled_from(["=", "!=", "ilike"]),
        st.sampled_from(["US", "BE", "e"]),
    ),
    st.tuples(st.just("parent_id.is_company"), st.just("="), st.booleans()),
    st.tuples(st.just("active"), st.just("="), st.booleans()),
)


@st.composite
def _domains(draw: st.DrawFn, depth: int = 0) -> list[Any]:
    kind = draw(st.sampled_from(["leaf", "leaf", "and", "or", "not"] if depth < 3 else ["leaf"]))
    if kind == "leaf":
        return [draw(_LEAVES)]
    if kind == "not":
        return ["!", *draw(_domains(depth + 1))]
    first, second = draw(_domains(depth + 1)), draw(_domains(depth + 1))
    return (["|"] if kind == "or" else draw(st.sampled_from([["&"], []]))) + first + second


def _naive(
    domain: list[Any], row: dict[str, Any], partners: dict[int, Any], countries: dict[int, Any]
) -> bool:
    tokens = normalize_domain(domain)
    stack: list[bool] = []
    for token in reversed(tokens):
        if token == "!":
            stack.append(not stack.pop())
        elif token in ("&", "|"):
            a, b = stack.pop(), stack.pop()
            stack.append((a and b) if token == "&" else (a or b))
        elif token == TRUE_LEAF:
            stack.append(True)
        else:
            stack.append(_naive_leaf(row, token, partners, countries))
    return all(stack)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(domain=_domains())
def test_random_domains_match_naive_and_normalized(frozen_db: Database, domain: list[Any]) -> None:
    partners, countries = _rows(frozen_db)
    expected = {rid for rid, row in partners.items() if _naive(domain, row, partners, countries)}
    got = ids(frozen_db, domain, active_test=False)
    assert got == expected
    assert ids(frozen_db, normalize_domain(domain), active_test=False) == expected
