"""Random Q trees searched on the emulator select exactly what a Python oracle selects.

The oracle below evaluates each tree directly over the records (fetched once),
with Odoo's semantics written out independently of the compiler and of the
emulator: an unset value matches ``= False`` and the negative operators, never
``=``, ``<`` or ``like``; ``like`` patterns follow PostgreSQL (``%``, ``_``,
``\\`` escapes); a many2one path needs the related record to exist.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import cached_property
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zenoo_rpc.query import Q
from zenoo_rpc.testing.emulator.database import Database

ADMIN = 2
Record = dict[str, Any]
Check = Callable[[list[Any]], None]
#: The drawn-from data, every partner by id, the active ids, and the tree strategy.
World = tuple["Data", dict[int, Record], list[int], st.SearchStrategy[Any]]


# --------------------------------------------------------------------------- the oracle


def like(pattern: str, text: str, *, ignore_case: bool) -> bool:
    """PostgreSQL's ``text LIKE pattern`` by dynamic programming (no regex)."""
    tokens: list[str | None] = []  # a literal character, "%" for any run, None for one char
    escaped = False
    for ch in pattern:
        if escaped:
            tokens.append("\\" + ch)
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch == "%":
            tokens.append("%")
        elif ch == "_":
            tokens.append(None)
        else:
            tokens.append("\\" + ch)
    assert not escaped, "the oracle never builds a pattern ending with the escape"
    if ignore_case:
        text = text.lower()
        tokens = [t.lower() if t else t for t in tokens]
    # reachable[j]: the tokens so far can match text[:j]
    reachable = [True] + [False] * len(text)
    for token in tokens:
        if token == "%":
            for j in range(1, len(text) + 1):
                reachable[j] = reachable[j] or reachable[j - 1]
            continue
        reachable = [False] + [
            reachable[j] and (token is None or token[1] == text[j]) for j in range(len(text))
        ]
    return reachable[-1]


def utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(timezone.utc).replace(tzinfo=None)


def stored_datetime(value: Any) -> datetime | None:
    return datetime.strptime(value, "%Y-%m-%d %H:%M:%S") if value else None


def leaf_holds(
    record: Record, records: dict[int, Record], field: str, lookup: str, value: Any
) -> bool:
    """Whether ``record`` meets ``field__lookup=value`` (Odoo semantics, straight from the spec)."""
    if field == "parent_id__name":
        parent = records.get(record["parent_id"]) if record["parent_id"] else None
        return parent is not None and leaf_holds(parent, records, "name", lookup, value)
    if lookup in ("any", "not_any"):
        parent = records.get(record["parent_id"]) if record["parent_id"] else None
        hit = parent is not None and holds(value, parent, records)
        return hit if lookup == "any" else not hit
    current = record[field]
    if field == "is_company":  # a boolean: unset is False, and False matches it
        return bool((bool(current) == value) == (lookup == "exact"))
    unset = current is False or current is None
    if field == "create_date":
        current = stored_datetime(current)
        value = utc(value)
    if lookup == "isnull" or value is None:
        return unset == (value or lookup == "exact")
    if lookup == "exact":
        return not unset and current == value
    if lookup == "ne":
        return unset or current != value
    if lookup == "in":
        return not unset and current in value
    if lookup == "not_in":
        return unset or current not in value
    if lookup in ("gt", "gte", "lt", "lte"):
        if unset:
            return False
        compare = {"gt": operator.gt, "gte": operator.ge, "lt": operator.lt, "lte": operator.le}
        return bool(compare[lookup](current, value))
    if unset:
        return lookup == "not_ilike"
    text: str = current
    if lookup == "ilike":
        return like(f"%{value}%", text, ignore_case=True)
    if lookup == "not_ilike":
        return not like(f"%{value}%", text, ignore_case=True)
    folded, needle = (text.lower(), value.lower()) if lookup.startswith("i") else (text, value)
    if lookup in ("contains", "icontains"):
        return needle in folded
    if lookup in ("startswith", "istartswith"):
        return folded.startswith(needle)
    if lookup in ("endswith", "iendswith"):
        return folded.endswith(needle)
    assert lookup == "iexact", lookup
    return bool(folded == needle)


def holds(tree: Any, record: Record, records: dict[int, Record]) -> bool:
    kind = tree[0]
    if kind == "empty":
        return True
    if kind in ("leaf", "raw"):
        return leaf_holds(record, records, *tree[1:])
    if kind == "not":
        return not holds(tree[1], record, records)
    results = [holds(child, record, records) for child in tree[1]]
    return all(results) if kind == "and" else any(results)


# --------------------------------------------------------------------------- trees


@dataclass(frozen=True, repr=False)
class Data:
    """What the strategies draw from: values that occur in the data, and awkward ones."""

    names: list[str]
    emails: list[str]
    countries: list[int]
    ids: list[int]

    def __repr__(self) -> str:  # hypothesis shows it in reports: keep it short
        return f"Data({len(self.ids)} partners)"

    @cached_property
    def pieces(self) -> dict[str, list[str]]:
        """Substrings of the names and emails, so that text lookups find something."""
        return {
            field: sorted(
                {t[i : i + n] for t in known for n in (1, 2, 4) for i in range(0, len(t), 3)}
            )
            for field, known in (("name", self.names), ("email", self.emails))
        }


_TEXT_LOOKUPS = [
    "exact", "ne", "contains", "icontains", "startswith", "istartswith",
    "endswith", "iendswith", "iexact", "ilike", "not_ilike",
]  # fmt: skip
_ORDER = ["gt", "gte", "lt", "lte"]
_KINDS = [
    "name", "name", "name", "email", "email", "email_none", "email_isnull", "is_company",
    "rank", "in", "id", "country", "country_in", "country_isnull", "country_none",
    "parent_name", "date", "any",
]  # fmt: skip
_FIELDS = {
    "email_none": "email", "email_isnull": "email", "rank": "customer_rank",
    "country": "country_id", "country_in": "country_id", "country_isnull": "country_id",
    "country_none": "country_id", "parent_name": "parent_id__name", "date": "create_date",
    "any": "parent_id",
}  # fmt: skip
_ZONES = [None, timezone.utc, timezone(timedelta(hours=2)), timezone(-timedelta(hours=5))]
_BASE_MOMENT = datetime(2025, 1, 1, 8, tzinfo=timezone.utc)


#: Texts where wildcards and escapes decide what matches, given the awkward partners.
_AWKWARD_TEXTS = ["%", "_", "\\", "\\\\", "a_b", "50%", "%_\\", "k\\s", "s%", "_u", "%@", "r_@"]


@st.composite
def texts(draw: st.DrawFn, data: Data, field: str) -> str:
    source = draw(st.integers(0, 3))
    if source == 0:
        return draw(st.sampled_from(data.pieces[field]))
    if source == 1:
        return draw(st.sampled_from(data.names if field == "name" else data.emails))
    if source == 2:
        return draw(st.sampled_from(_AWKWARD_TEXTS))
    return draw(st.text(alphabet="aeoAZ %_\\.é", max_size=4))


@st.composite
def moments(draw: st.DrawFn) -> datetime:
    """Datetimes around the demo data's create_date, naive (UTC) or in various zones."""
    offset = timedelta(seconds=draw(st.sampled_from([-3600, -1, 0, 1, 86400 * 365 * 3])))
    zone = draw(st.sampled_from(_ZONES))
    if zone is None:
        return _BASE_MOMENT.replace(tzinfo=None) + offset
    return (_BASE_MOMENT + offset).astimezone(zone)


@st.composite
def keyword_leaves(draw: st.DrawFn, data: Data, nested: bool) -> tuple[Any, ...]:
    """``("leaf", field, lookup, value)`` for a keyword lookup on res.partner."""
    kind = draw(st.sampled_from(_KINDS if nested else _KINDS[:-1]))
    lookup: str
    value: Any
    field = _FIELDS.get(kind, kind)
    if kind == "name":
        lookup = draw(st.sampled_from([*_TEXT_LOOKUPS, "in"]))
        value = draw(texts(data, "name"))
        value = [value, "Azure Interior"] if lookup == "in" else value
    elif kind == "email":
        lookup, value = draw(st.sampled_from(_TEXT_LOOKUPS)), draw(texts(data, "email"))
    elif kind in ("email_none", "country_none"):
        lookup, value = draw(st.sampled_from(["exact", "ne"])), None
    elif kind in ("email_isnull", "country_isnull"):
        lookup, value = "isnull", draw(st.booleans())
    elif kind == "is_company":
        lookup, value = draw(st.sampled_from(["exact", "ne"])), draw(st.booleans())
    elif kind == "rank":
        lookup = draw(st.sampled_from(["exact", "ne", *_ORDER]))
        value = draw(st.integers(-1, 6))
    elif kind == "in":
        field = draw(st.sampled_from(["customer_rank", "id"]))
        lookup = draw(st.sampled_from(["in", "not_in"]))
        value = draw(st.lists(st.sampled_from([0, 1, 2, 5, *data.ids[:12]]), max_size=4))
    elif kind == "id":
        lookup, value = draw(st.sampled_from(["gt", "lt"])), draw(st.sampled_from(data.ids))
    elif kind == "country":
        lookup = draw(st.sampled_from(["exact", "ne"]))
        value = draw(st.sampled_from(data.countries))
    elif kind == "country_in":
        lookup = draw(st.sampled_from(["in", "not_in"]))
        value = draw(st.lists(st.sampled_from(data.countries), max_size=3))
    elif kind == "parent_name":
        lookup = draw(st.sampled_from(["exact", "icontains", "istartswith", "contains"]))
        value = draw(texts(data, "name"))
    elif kind == "date":
        lookup, value = draw(st.sampled_from(_ORDER)), draw(moments())
    else:
        lookup = draw(st.sampled_from(["any", "not_any"]))
        value = draw(trees(data, nested=False, depth=1))
    return ("leaf", field, lookup, value)


@st.composite
def raw_leaves(draw: st.DrawFn, data: Data) -> tuple[Any, ...]:
    """``("raw", field, lookup, value)``: a condition mixed in as a raw domain."""
    field = draw(st.sampled_from(["is_company", "customer_rank", "name", "country_id"]))
    if field == "is_company":
        return ("raw", field, "exact", draw(st.booleans()))
    if field == "customer_rank":
        return ("raw", field, "gt", draw(st.integers(-1, 5)))
    if field == "name":
        return ("raw", field, "ilike", draw(texts(data, "name")))
    return ("raw", field, "in", draw(st.lists(st.sampled_from(data.countries), max_size=3)))


@st.composite
def trees(
    draw: st.DrawFn, data: Data, nested: bool = True, depth: int = 3, root: bool = False
) -> tuple[Any, ...]:
    """A random condition: leaves, raw leaves and ``Q()`` under and/or/not, ``depth`` deep
    (at the ``root``, always an and, or, not)."""
    kinds = [] if root else ["leaf", "leaf", "leaf", "leaf", "raw", "empty"]
    kind = draw(st.sampled_from(kinds + ["and", "or", "not"] * 3 if depth else kinds))
    if kind == "leaf":
        return draw(keyword_leaves(data, nested))
    if kind == "raw":
        return draw(raw_leaves(data))
    if kind == "empty":
        return ("empty",)
    if kind == "not":
        return ("not", draw(trees(data, nested, depth - 1)))
    return (kind, draw(st.lists(trees(data, nested, depth - 1), min_size=2, max_size=4)))


_RAW_OPERATOR = {"exact": "=", "gt": ">", "ilike": "ilike", "in": "in"}


def build(tree: Any, flip: Callable[[], bool]) -> Q | list[Any]:
    """The Q (or, for a raw leaf, the raw domain) that ``tree`` describes."""
    kind = tree[0]
    if kind == "empty":
        return Q()
    if kind == "raw":
        _, field, lookup, value = tree
        return [(field, _RAW_OPERATOR[lookup], value)]
    if kind == "leaf":
        _, field, lookup, value = tree
        if lookup in ("any", "not_any"):
            value = as_q(build(value, flip))
        return Q(**{f"{field}__{lookup}": value})
    if kind == "not":
        return ~as_q(build(tree[1], flip))
    parts = [build(child, flip) for child in tree[1]]
    combined = as_q(parts[0])
    for part in parts[1:]:
        if kind == "and":
            combined = (part & combined) if flip() else (combined & part)
        else:
            combined = (part | combined) if flip() else (combined | part)
    return combined


def parts_of(tree: Any) -> list[Any]:
    """The leaves (keyword and raw) of ``tree``."""
    if tree[0] in ("leaf", "raw"):
        return [tree]
    if tree[0] == "not":
        return parts_of(tree[1])
    if tree[0] == "empty":
        return []
    return [leaf for child in tree[1] for leaf in parts_of(child)]


def as_q(condition: Q | list[Any]) -> Q:
    return condition if isinstance(condition, Q) else Q(condition)


# --------------------------------------------------------------------------- the property


@pytest.fixture(scope="module")
def world(partners_db: Database) -> World:
    fields = [
        "name",
        "email",
        "is_company",
        "customer_rank",
        "country_id",
        "parent_id",
        "create_date",
    ]
    rows = partners_db.call(
        ADMIN,
        "res.partner",
        "search_read",
        [[]],
        {"fields": fields, "context": {"active_test": False}},
    )
    active = set(partners_db.call(ADMIN, "res.partner", "search", [[]], {}))
    records: dict[int, Record] = {}
    for row in rows:
        row["country_id"] = row["country_id"][0] if row["country_id"] else False
        row["parent_id"] = row["parent_id"][0] if row["parent_id"] else False
        records[row["id"]] = row
    countries = sorted({row["country_id"] for row in rows if row["country_id"]})
    data = Data(
        names=sorted({row["name"] for row in rows if row["name"]}),
        emails=sorted({row["email"] for row in rows if row["email"]}),
        countries=[*countries, max(countries) + 1000],  # and one no record has
        ids=sorted(records),
    )
    return data, records, sorted(active), trees(data, root=True)


def test_world_is_varied(world: World) -> None:
    data, records, active, _ = world
    assert len(active) < len(records)  # archived partners exist and must stay out
    assert any(r["email"] is False for r in records.values())
    assert any(r["parent_id"] for r in records.values())
    assert any(r["country_id"] is False for r in records.values())
    assert any(set(name) & set("%_\\") for name in data.names)


def test_like_oracle_itself() -> None:
    assert like("%b_c%", "abxcd", ignore_case=False)
    assert not like("%b\\_c%", "abxcd", ignore_case=False)
    assert like("%b\\_c%", "ab_cd", ignore_case=False)
    assert like("A\\%", "a%", ignore_case=True)
    assert not like("a", "ab", ignore_case=False)
    assert like("%\\\\%", "x\\y", ignore_case=False)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_random_trees_select_what_the_oracle_selects(
    data: st.DataObject,
    partners_db: Database,
    world: World,
    prefix_check: Check,
) -> None:
    _, records, active, tree_strategy = world
    tree = data.draw(tree_strategy, label="tree")
    flips = data.draw(st.lists(st.booleans(), min_size=16, max_size=16), label="sides")
    q = as_q(build(tree, lambda: flips.pop() if flips else False))
    domain = q.to_domain()
    prefix_check(domain)
    assert Q(domain) == q  # the domain reads back as the same tree
    for part in [tree, *parts_of(tree)]:  # each leaf too: a tree can hide a wrong leaf
        condition = as_q(build(part, lambda: False))
        found = partners_db.call(ADMIN, "res.partner", "search", [condition.to_domain()], {})
        expected = [rid for rid in active if holds(part, records[rid], records)]
        assert sorted(found) == expected, f"{condition!r}\n{condition.to_domain()!r}\nin {q!r}"
