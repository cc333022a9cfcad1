"""Fixtures of the query tests: an emulated database with awkward names, and a domain checker."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from zenoo_rpc.testing.emulator.database import Database

ADMIN = 2

#: Partners whose names and emails hold LIKE's wildcards and escape character.
AWKWARD_PARTNERS: list[dict[str, Any]] = [
    {"name": "50% Off", "email": "deals%50@example.com"},
    {"name": "50 Off", "email": "deals50@example.com"},
    {"name": "a_b Corp", "email": "a_b@example.com", "is_company": True},
    {"name": "axb Corp", "email": "axb@example.com", "is_company": True},
    {"name": "Back\\slash", "email": False},
    {"name": "Back\\\\slash", "email": "two\\\\back@example.com"},
    {"name": "Ends\\", "email": "ends@example.com"},
    {"name": "%_\\", "email": "%@example.com"},
    {"name": "_under", "email": "under_@example.com"},
    {"name": "AZURE interior Copy", "email": "AZURE@Example.com"},
]


def check_prefix_domain(domain: list[Any]) -> None:
    """Fail unless ``domain`` is ONE well-formed prefix expression: every operator has
    exactly its operands, every condition is ``(str field, str operator, value)``
    (or Odoo's ``(0, "=", 1)`` / ``(1, "=", 1)``), and nothing is left over."""
    if not domain:
        return
    needed = 1
    for position, term in enumerate(domain):
        assert needed > 0, f"term {position} {term!r} is left over in {domain!r}"
        if isinstance(term, str):
            assert term in ("&", "|", "!"), f"unknown operator {term!r}"
            needed += 1 if term in ("&", "|") else 0
            continue
        assert isinstance(term, (tuple, list)), f"term {position} is {term!r}"
        assert len(term) == 3, f"term {position} is {term!r}"
        field, operator, value = term
        assert isinstance(operator, str), f"term {position} is {term!r}"
        if isinstance(field, int):
            assert tuple(term) in ((0, "=", 1), (1, "=", 1)), f"term {position} is {term!r}"
        else:
            assert isinstance(field, str), f"term {position} is {term!r}"
            assert field, f"term {position} is {term!r}"
            assert all(field.split(".")), f"term {position} has an empty path segment"
        if operator in ("any", "not any"):
            assert isinstance(value, list), f"term {position}: {operator} needs a domain"
            check_prefix_domain(value)
        needed -= 1
    assert needed == 0, f"{needed} operand(s) missing in {domain!r}"


@pytest.fixture(scope="session")
def prefix_check() -> Callable[[list[Any]], None]:
    """:func:`check_prefix_domain`, for tests (hypothesis ones too) to call."""
    return check_prefix_domain


@pytest.fixture(scope="session")
def awkward_partners() -> list[dict[str, Any]]:
    """:data:`AWKWARD_PARTNERS`, the partners :func:`partners_db` adds."""
    return AWKWARD_PARTNERS


@pytest.fixture(scope="module")
def partners_db() -> Database:
    """An Odoo 18 database with demo partners plus :data:`AWKWARD_PARTNERS` (read only)."""
    db = Database("query", version=18, size=20)
    companies = db.call(ADMIN, "res.partner", "search", [[("is_company", "=", True)]], {})
    for index, values in enumerate(AWKWARD_PARTNERS):
        record = dict(values)
        if index % 3 == 0:
            record["parent_id"] = companies[index % len(companies)]
        db.call(ADMIN, "res.partner", "create", [record], {})
    return db


@pytest.fixture(scope="module")
def search_ids(partners_db: Database) -> Callable[[list[Any]], set[int]]:
    """``domain -> ids`` of the active partners of :func:`partners_db` meeting it."""

    def search(domain: list[Any]) -> set[int]:
        return set(partners_db.call(ADMIN, "res.partner", "search", [domain], {}))

    return search
