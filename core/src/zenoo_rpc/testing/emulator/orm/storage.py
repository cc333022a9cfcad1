"""Column storage for the emulated tables, with an undo log that makes each call atomic.

A table keeps one Python list per column, indexed by record id, plus an
``alive`` byte per id: 100 000 partners cost a few list slots each instead of
a dict per row. Ids are never reused (like a PostgreSQL sequence), even after
a rolled-back insert.

Every mutation made while a transaction is open is journaled; the facade opens
one per RPC call and rolls it back when the call raises, so a failing call
leaves no trace.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from itertools import compress, islice
from typing import Any

__all__ = ["Store", "Table"]


class Table:
    """The rows of one model, column by column."""

    def __init__(self, model: str, empties: Mapping[str, Any]) -> None:
        self.model = model
        self.empties = dict(empties)
        self.columns: dict[str, list[Any]] = {name: [None] for name in self.empties}
        self.alive = bytearray(1)
        self.live_count = 0
        #: Bumped on every change; caches derived from the table compare it.
        self.version = 0
        self._store: Store | None = None

    def __iter__(self) -> Iterator[int]:
        alive = self.alive
        return compress(range(1, len(alive)), islice(alive, 1, None))

    def __len__(self) -> int:
        return self.live_count

    def exists(self, rid: int) -> bool:
        return 0 < rid < len(self.alive) and bool(self.alive[rid])

    def existing(self, ids: Iterable[int]) -> list[int]:
        """The ``ids`` that are live records, in order (as :meth:`exists` filters them)."""
        alive, end = self.alive, len(self.alive)
        return [rid for rid in ids if 0 < rid < end and alive[rid]]

    def get(self, rid: int, name: str) -> Any:
        return self.columns[name][rid]

    def column(self, name: str) -> list[Any]:
        return self.columns[name]

    def insert(self, values: Mapping[str, Any], rid: int | None = None) -> int:
        """Add a row (missing columns take their empty value) and return its id."""
        new_id = len(self.alive) if rid is None else rid
        while len(self.alive) <= new_id:
            self.alive.append(0)
            for name, col in self.columns.items():
                col.append(self.empties[name])
        if self.alive[new_id]:
            raise ValueError(f"duplicate id {new_id} in {self.model}")
        for name, value in values.items():
            self.columns[name][new_id] = value
        self.alive[new_id] = 1
        self.live_count += 1
        self.version += 1
        if self._store is not None:
            self._store.journal(("insert", self, new_id))
        return new_id

    def set(self, rid: int, name: str, value: Any) -> None:
        col = self.columns[name]
        old = col[rid]
        if old == value and type(old) is type(value):
            return
        col[rid] = value
        self.version += 1
        if self._store is not None:
            self._store.journal(("set", self, rid, name, old))

    def delete(self, rid: int) -> None:
        self.alive[rid] = 0
        self.live_count -= 1
        self.version += 1
        if self._store is not None:
            self._store.journal(("delete", self, rid))


class Store:
    """All tables of a database plus the journal of the open transaction."""

    def __init__(self) -> None:
        self.tables: dict[str, Table] = {}
        self._journal: list[tuple[Any, ...]] | None = None
        self._inverse_cache: dict[tuple[str, str], tuple[int, dict[int, list[int]]]] = {}
        #: Data derived from tables, each entry ``key -> (table versions, value)``;
        #: its owner checks the versions (see :mod:`.ordering`).
        self.derived: dict[Any, tuple[Any, Any]] = {}

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state["_journal"] = None
        state["_inverse_cache"] = {}
        state["derived"] = {}
        return state

    def add_table(self, table: Table) -> None:
        table._store = self
        self.tables[table.model] = table

    # -- transactions --------------------------------------------------------------
    @property
    def in_transaction(self) -> bool:
        return self._journal is not None

    def journal(self, entry: tuple[Any, ...]) -> None:
        if self._journal is not None:
            self._journal.append(entry)

    def begin(self) -> None:
        self._journal = []

    def commit(self) -> None:
        self._journal = None

    def rollback(self) -> None:
        """Undo every journaled change, newest first."""
        entries, self._journal = self._journal or [], None
        for entry in reversed(entries):
            kind, table = entry[0], entry[1]
            if kind == "set":
                _, _, rid, name, old = entry
                table.columns[name][rid] = old
            elif kind == "insert":
                table.alive[entry[2]] = 0
                table.live_count -= 1
            elif kind == "delete":
                table.alive[entry[2]] = 1
                table.live_count += 1
            table.version += 1

    # -- derived indexes -----------------------------------------------------------
    def inverse_index(self, model: str, field: str) -> dict[int, list[int]]:
        """``{target id: [ids of model whose field points to it]}`` for a many2one column."""
        table = self.tables[model]
        cached = self._inverse_cache.get((model, field))
        if cached is not None and cached[0] == table.version:
            return cached[1]
        index: dict[int, list[int]] = {}
        col, alive = table.columns[field], table.alive
        for rid in range(1, len(alive)):
            target = col[rid]
            if target is not None and alive[rid]:
                index.setdefault(target, []).append(rid)
        self._inverse_cache[(model, field)] = (table.version, index)
        return index

    def live_ids(self, model: str, ids: Iterable[int]) -> list[int]:
        table = self.tables[model]
        return [rid for rid in ids if table.exists(rid)]
