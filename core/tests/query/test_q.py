"""Q objects: combination, normalization to prefix domains, raw domains, and value semantics."""

from __future__ import annotations

import copy
import pickle
import re
from collections.abc import Callable
from datetime import datetime, timezone
from functools import reduce
from typing import Any

import pytest

from zenoo_rpc import ZenooClient
from zenoo_rpc.errors import DomainError
from zenoo_rpc.query import Q, compile_domain
from zenoo_rpc.query.domain import normalize_domain

Check = Callable[[list[Any]], None]

A = ("a", "=", 1)
B = ("b", "=", 2)
C = ("c", "=", 3)
D = ("d", "=", 4)


# --------------------------------------------------------------------------- combination


def test_or_is_prefix_not_infix() -> None:
    q = Q(name__ilike="x") | Q(email__ilike="x")
    assert q.to_domain() == ["|", ("name", "ilike", "x"), ("email", "ilike", "x")]


def test_several_keywords_are_anded_in_keyword_order() -> None:
    assert Q(a=1, b=2, c=3).to_domain() == ["&", "&", A, B, C]
    assert Q(c=3, a=1).to_domain() == ["&", C, A]


@pytest.mark.parametrize(
    ("q", "domain"),
    [
        (Q(a=1) & Q(b=2) & Q(c=3), ["&", "&", A, B, C]),
        (Q(a=1) & (Q(b=2) & Q(c=3)), ["&", "&", A, B, C]),
        (Q(a=1) | Q(b=2) | Q(c=3) | Q(d=4), ["|", "|", "|", A, B, C, D]),
        ((Q(a=1) | Q(b=2)) & Q(c=3), ["&", "|", A, B, C]),
        (Q(a=1) | Q(b=2) & Q(c=3), ["|", A, "&", B, C]),
        ((Q(a=1) | Q(b=2)) & (Q(c=3) | Q(d=4)), ["&", "|", A, B, "|", C, D]),
        (~Q(a=1), ["!", A]),
        (~(Q(a=1) | Q(b=2)), ["!", "|", A, B]),
        (~(Q(a=1) & Q(b=2)), ["!", "&", A, B]),
        (~Q(a=1, b=2) | Q(c=3), ["|", "!", "&", A, B, C]),
        (~~Q(a=1), [A]),
        (~~~Q(a=1), ["!", A]),
        (Q(a=1) & ~(Q(b=2) | ~Q(c=3)), ["&", A, "!", "|", B, "!", C]),
    ],
)
def test_nesting_compiles_to_prefix(q: Q, domain: list[Any], prefix_check: Check) -> None:
    assert q.to_domain() == domain
    prefix_check(q.to_domain())


def test_empty_q_matches_everything() -> None:
    assert Q().to_domain() == []
    assert not Q()
    assert Q(a=1)
    assert Q() & Q(a=1) == Q(a=1)
    assert Q(a=1) & Q() == Q(a=1)
    assert (Q() & Q()).to_domain() == []
    assert Q([]) == Q()
    assert Q(a=1) & [] == Q(a=1)


def test_empty_q_absorbs_an_or() -> None:
    assert (Q() | Q(a=1)).to_domain() == []
    assert (Q(a=1) | Q()).to_domain() == []
    assert ((Q(a=1) | Q()) & Q(b=2)).to_domain() == [B]
    assert not (Q(a=1) | [])


def test_negated_empty_q_matches_nothing(prefix_check: Check) -> None:
    assert (~Q()).to_domain() == [(0, "=", 1)]
    assert ~Q()  # it is a condition, not the empty one
    assert (~Q() & Q(a=1)).to_domain() == ["&", (0, "=", 1), A]
    assert (~Q() | Q(a=1)).to_domain() == ["|", (0, "=", 1), A]
    assert ~~Q() == Q()
    prefix_check((~(~Q() | Q(a=1))).to_domain())


def test_raw_domains_mix_on_either_side() -> None:
    assert (Q(a=1) & [B]).to_domain() == ["&", A, B]
    assert ([B] & Q(a=1)).to_domain() == ["&", B, A]
    assert (Q(a=1) | [B, C]).to_domain() == ["|", A, "&", B, C]
    assert ([B, C] | Q(a=1)).to_domain() == ["|", "&", B, C, A]
    assert ((B,) | Q(a=1)).to_domain() == ["|", B, A]
    assert (Q(a=1) & ["|", B, C]).to_domain() == ["&", A, "|", B, C]


def test_raw_domain_q_normalizes_implicit_ands() -> None:
    assert Q([A, B, C]).to_domain() == ["&", "&", A, B, C]
    assert Q([A, "|", B, C]).to_domain() == ["&", A, "|", B, C]
    assert Q([["a", "=", 1]]).to_domain() == [A]  # conditions come back as tuples
    assert Q(["!", "!", A]).to_domain() == [A]
    assert Q([(1, "=", 1)]).to_domain() == [(1, "=", 1)]


def test_raw_values_go_through_the_wire_conversion() -> None:
    moment = datetime(2025, 1, 1, 8, tzinfo=timezone.utc)
    assert Q([("date", ">", moment), ("x", "=", None), ("y", "in", (1, 2))]).to_domain() == [
        "&",
        "&",
        ("date", ">", "2025-01-01 08:00:00"),
        ("x", "=", False),
        ("y", "in", [1, 2]),
    ]
    assert Q([("child_ids", "any", Q(a=1) | Q(b=2))]).to_domain() == [
        ("child_ids", "any", ["|", A, B])
    ]
    assert Q([("child_ids", "any", [A, B])]).to_domain() == [("child_ids", "any", ["&", A, B])]


def test_a_q_positional_and_keywords_are_anded() -> None:
    assert Q(Q(a=1) | Q(b=2), c=3).to_domain() == ["&", "|", A, B, C]
    assert Q([A], b=2).to_domain() == ["&", A, B]
    assert Q(domain="x").to_domain() == [("domain", "=", "x")]  # a field named domain


def test_compile_domain_ands_everything() -> None:
    assert compile_domain() == []
    assert compile_domain(Q(a=1) | Q(b=2), [C], d=4) == ["&", "&", "|", A, B, C, D]
    assert compile_domain(Q(), [], Q(a=1)) == [A]
    assert compile_domain([A, B]) == ["&", A, B]


def test_the_seed_expression(prefix_check: Check) -> None:
    query = "acme"
    domain = compile_domain(Q(name__ilike=f"%{query}%") | Q(email__ilike=f"%{query}%"))
    assert domain == ["|", ("name", "ilike", "%acme%"), ("email", "ilike", "%acme%")]
    prefix_check(domain)


def test_to_domain_returns_a_fresh_list_each_time() -> None:
    q = Q(id__in=[1, 2], child_ids__any=Q(a__in=[5]))
    first = q.to_domain()
    first[1][2].append(3)
    first[2][2][0][2].append(6)
    first.append("junk")
    assert q.to_domain() == ["&", ("id", "in", [1, 2]), ("child_ids", "any", [("a", "in", [5])])]


def test_values_given_to_q_are_not_shared() -> None:
    ids = [1, 2]
    q = Q(id__in=ids)
    ids.append(3)
    assert q.to_domain() == [("id", "in", [1, 2])]


# --------------------------------------------------------------------------- raw domain errors


@pytest.mark.parametrize(
    ("domain", "text"),
    [
        (["&", A], "domain term 0 '&' takes 2 expressions but the domain ends after 1"),
        (["|"], "domain term 0 '|' takes 2 expressions but the domain ends after 0"),
        ([A, "!"], "domain term 1 '!' takes 1 expression but the domain ends after 0"),
        (["|", "&", A, B], "domain term 0 '|' takes 2 expressions but the domain ends after 1"),
        (["&", "|", A, B], "domain term 0 '&'"),
        ([("name", "=")], "domain term 0 is ('name', '=')"),
        ([A, ("name", "=", 1, 2)], "domain term 1 is ('name', '=', 1, 2)"),
        ([A, "^"], "domain term 1 is '^': only '&', '|' and '!' stand alone"),
        ([A, 5], "domain term 1 is 5: expected a condition"),
        ([(5, "=", 1)], "its field must be a non-empty string"),
        ([("", "=", 1)], "its field must be a non-empty string"),
        ([("a", None, 1)], "its operator must be a non-empty string"),
        ([("a", "any", "x")], "the value of domain term 0 must be a Q or a domain"),
        ([("a", "any", ["|"])], "domain term 0 '|' takes 2 expressions"),
        ("[('a', '=', 1)]", "must be a Q or a domain (a list of conditions), got str"),
        ({"a": 1}, "got dict"),
    ],
)
def test_malformed_raw_domains_raise_domain_error(domain: Any, text: str) -> None:
    with pytest.raises(DomainError, match=re.escape(text)):
        Q(domain)
    with pytest.raises(DomainError, match=re.escape(text)):
        compile_domain(domain)


def test_malformed_raw_domain_in_a_combination() -> None:
    with pytest.raises(DomainError, match="'&' takes 2"):
        Q(a=1) | ["&", A]
    with pytest.raises(DomainError, match="domain term 0 is 'x'"):
        ["x"] & Q(a=1)


def test_long_values_are_cut_short_in_messages() -> None:
    with pytest.raises(DomainError) as info:
        Q([("id", "in", list(range(10_000))), "bogus"])
    assert len(str(info.value)) < 200


def test_combining_with_something_else_is_a_type_error() -> None:
    with pytest.raises(TypeError):
        Q(a=1) & "name"  # type: ignore[operator]
    with pytest.raises(TypeError):
        {"a": 1} | Q(a=1)  # type: ignore[operator]
    with pytest.raises(TypeError):
        3 & Q(a=1)  # type: ignore[operator]


def test_compile_domain_names_the_bad_condition() -> None:
    with pytest.raises(DomainError, match="condition 1 must be a Q or a domain"):
        compile_domain(Q(a=1), None)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- value semantics


def test_q_is_immutable() -> None:
    q = Q(a=1)
    with pytest.raises(AttributeError, match="immutable"):
        q._kind = "|"
    with pytest.raises(AttributeError, match="immutable"):
        del q._children
    with pytest.raises(AttributeError):
        q.anything = 1
    assert q.to_domain() == [A]


def test_equality_is_structural() -> None:
    assert Q(name="x") == Q(name__exact="x") == Q([("name", "=", "x")])
    assert Q(a=1) & Q(b=2) == Q(a=1, b=2) == Q(["&", A, B]) == Q([A, B])
    assert (Q(a=1) & Q(b=2)) & Q(c=3) == Q(a=1) & (Q(b=2) & Q(c=3))
    assert Q(a=1, b=2) != Q(b=2, a=1)  # order is kept, so is the domain's
    assert Q(a=1) | Q(b=2) != Q(a=1) & Q(b=2)
    assert Q(a=1) != Q(a=2)
    assert Q(a=1) != ~Q(a=1)
    assert Q(a=True) != Q(a=1)  # Odoo's `= True` and `= 1` differ on integer fields
    assert Q(a=False) != Q(a=0)
    assert Q(a__in=[1, 2]) == Q(a__in=(1, 2)) == Q(a__in={2, 1})
    assert Q(a=1) != [A]  # a Q is not a list, even one with the same domain
    assert Q(child_ids__any=Q(a=1)) == Q(child_ids__any=[A])


def test_equal_qs_hash_alike_and_work_as_keys() -> None:
    seen = {Q(a=1) | Q(b=2): "first"}
    assert seen[Q(["|", A, B])] == "first"
    assert len({Q(a__in=[1, 2]), Q(a__in=(1, 2)), Q(a__in=[2, 1])}) == 2
    assert hash(Q(d={"k": [1]})) == hash(Q(d={"k": [1]}))
    assert hash(Q()) == hash(Q([]))


@pytest.mark.parametrize(
    ("q", "text"),
    [
        (Q(), "Q()"),
        (~Q(), "~Q()"),
        (Q(name__ilike="x") | Q(email__ilike="x"), "Q(name__ilike='x') | Q(email__ilike='x')"),
        (Q(a=1, b="2"), "Q(a=1, b='2')"),
        (Q(a=1) & Q(a=2), "Q(a=1) & Q(a=2)"),
        ((Q(a=1) | Q(b=2)) & Q(c=3), "(Q(a=1) | Q(b=2)) & Q(c=3)"),
        (Q(a=1) | Q(b=2) & Q(c=3), "Q(a=1) | Q(b=2, c=3)"),
        (Q(a=1) | (Q(b=2) & [C]), "Q(a=1) | Q(b=2) & Q([('c', '=', 3)])"),
        (~(Q(a=1) | Q(b=2)), "~(Q(a=1) | Q(b=2))"),
        (~Q(a=1, b=2), "~Q(a=1, b=2)"),
        (~(Q(a=1) & [B]), "~(Q(a=1) & Q([('b', '=', 2)]))"),
        (Q(["|", A, B]), "Q([('a', '=', 1)]) | Q([('b', '=', 2)])"),
        (Q(child_ids__any=Q(a__gt=1)), "Q(child_ids__any=Q(a__gt=1))"),
        (
            Q(**{"partner_id.name__ilike": "x", "from": 1}),
            "Q(**{'partner_id.name__ilike': 'x'}, **{'from': 1})",
        ),
        (Q(d=datetime(2025, 1, 1, 9, 30)), "Q(d='2025-01-01 09:30:00')"),
        (Q(email=None), "Q(email=False)"),
    ],
)
def test_repr_is_readable_python_that_rebuilds_the_q(q: Q, text: str) -> None:
    assert repr(q) == text
    assert eval(text, {"Q": Q}) == q  # noqa: S307 - a repr we wrote, in a test


def test_pickle_and_copy_keep_the_q() -> None:
    q = Q(name__icontains="a_b") & ~(Q(id__in=[1, 2]) | [C]) | ~Q()
    again = pickle.loads(pickle.dumps(q))
    assert again == q
    assert repr(again) == repr(q)
    assert again.to_domain() == q.to_domain()
    assert copy.copy(q) is q
    assert copy.deepcopy(q) is q


def test_deep_trees_do_not_exhaust_the_stack(prefix_check: Check) -> None:
    q = Q(a=0)
    for i in range(1, 3000):
        q = (q & Q(a=i)) | Q(b=i) if i % 2 else ~(q | Q(c=i))
    domain = q.to_domain()
    prefix_check(domain)
    assert Q(domain) == q
    assert hash(Q(domain)) == hash(q)
    assert normalize_domain(domain) == domain


def test_many_conditions_stay_one_flat_operator() -> None:
    q = reduce(lambda left, right: left | right, (Q(id=i) for i in range(500)))
    domain = q.to_domain()
    assert domain[:499] == ["|"] * 499
    assert domain[499:] == [("id", "=", i) for i in range(500)]


def test_the_prefix_checker_rejects_bad_domains(prefix_check: Check) -> None:
    for bad in (["&", A], [A, B], ["|", A, B, C], [("a", "=")], ["^", A], [("", "=", 1)]):
        with pytest.raises(AssertionError):
            prefix_check(bad)
    prefix_check(["!", "|", A, B])


# --------------------------------------------------------------------------- over the wire


async def test_a_q_domain_searches_through_the_client(zenoo_client: ZenooClient) -> None:
    rows = await zenoo_client.search_read("res.partner", fields=["name", "email", "is_company"])
    expected = {
        row["id"]
        for row in rows
        if (row["is_company"] or "az" in row["name"].lower())
        and not (row["email"] and "example.com" in row["email"])
    }
    q = (Q(is_company=True) | Q(name__icontains="az")) & ~Q(email__contains="example.com")
    assert expected  # the demo data has such partners, so the test can tell
    assert set(await zenoo_client.search("res.partner", q.to_domain())) == expected
    created = datetime(2025, 1, 1, 8, tzinfo=timezone.utc)
    older = await zenoo_client.search("res.partner", compile_domain(create_date__lt=created))
    newer = await zenoo_client.search("res.partner", compile_domain(create_date__gte=created))
    assert not older
    assert set(newer) >= {row["id"] for row in rows if row["name"] == "YourCompany"}
    assert await zenoo_client.search("res.partner", (~Q()).to_domain()) == []  # FALSE_LEAF as JSON
