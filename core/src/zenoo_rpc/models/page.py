"""``Page``: the records one read returned together, and what they load together.

Every record points to the page it came in (one shared object, so decoding
a record costs nothing per field). The page is what makes relations cheap:
the first ``await order.partner_id.get()`` or ``await order.order_line.all()``
reads the related records of *every* record of the page in one call, and the
other records of the page find theirs already loaded. A page of 80 orders
costs one read per relational field, never one per record.

What a page loaded stays valid until this client writes the related model
through the model layer (its *generation* moves on, see
:class:`~zenoo_rpc.models.access.ModelState`); the next access reads again.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from zenoo_rpc.errors import NotAuthenticated

if TYPE_CHECKING:
    from zenoo_rpc.client import ZenooClient
    from zenoo_rpc.models.base import OdooModel
    from zenoo_rpc.models.fields.relational import RelationalField

__all__ = ["Page"]


class _Loaded:
    __slots__ = ("field", "generation", "records")

    def __init__(
        self,
        field: RelationalField[Any, Any, Any],
        generation: int,
        records: dict[int, OdooModel],
    ) -> None:
        self.field = field
        self.generation = generation
        self.records = records


class Page:
    """Records read together: their client, their model, the fields read, their relations.

    :ivar client: the client (or ``with_context`` view) the records were read with.
    :ivar model: the model class of the records.
    :ivar fields: the names of the fields the read asked for (``None``: unknown).
    :ivar rows: the rows of its records, in the order the server sent them (each
        record's ``_raw``: the page holds its rows, not its records, so that
        records and pages form no reference cycle and a page nobody uses any
        more is freed at once, which keeps streaming memory flat).
    """

    __slots__ = ("_extra", "_lock", "_relations", "client", "fields", "model", "rows")

    def __init__(
        self,
        client: ZenooClient | None,
        model: type[OdooModel],
        fields: Sequence[str] | None = None,
    ) -> None:
        self.client = client
        self.model = model
        self.fields = tuple(fields) if fields is not None else None
        self.rows: list[dict[str, Any]] = []
        self._relations: dict[str, _Loaded] = {}
        self._extra: dict[str, set[int]] = {}
        self._lock: asyncio.Lock | None = None

    def require_client(self) -> ZenooClient:
        if self.client is None:
            raise NotAuthenticated(
                f"these {self.model._odoo_model_name} records were not read through a client: "
                "relations and writes need one"
            )
        return self.client

    def _generation(self, model_name: str) -> int:
        client = self.client
        return client._model_state.generation(model_name) if client is not None else 0

    def include(self, field: RelationalField[Any, Any, Any], record_id: int) -> None:
        """Load ``record_id`` too when ``field``'s related records are read (group keys)."""
        self._extra.setdefault(field.name, set()).add(record_id)

    def preloaded(
        self, field: RelationalField[Any, Any, Any], records: Iterable[OdooModel]
    ) -> None:
        """Record that ``field``'s related records came with the page (nested read)."""
        self._relations[field.name] = _Loaded(
            field, self._generation(field.comodel), {record.id: record for record in records}
        )

    def loaded(self, field: RelationalField[Any, Any, Any]) -> dict[int, OdooModel] | None:
        """``field``'s related records if they are loaded and still current, else ``None``."""
        entry = self._relations.get(field.name)
        if entry is None or entry.generation != self._generation(field.comodel):
            return None
        return entry.records

    async def related(self, field: RelationalField[Any, Any, Any]) -> dict[int, OdooModel]:
        """The records ``field`` points to from any record of the page, by id; one read."""
        current = self.loaded(field)
        if current is not None:
            return current
        if self._lock is None:
            self._lock = asyncio.Lock()
        async with self._lock:
            current = self.loaded(field)
            if current is not None:
                return current
            client = self.require_client()
            generation = self._generation(field.comodel)
            ids = {i for row in self.rows for i in field.ids_in(row)}
            ids.update(self._extra.get(field.name, ()))
            from zenoo_rpc.query.fetch import read_records

            comodel = await client._model_state.comodel_of(client, field)
            records = await read_records(client, comodel, sorted(ids))
            loaded = {record.id: record for record in records}
            self._relations[field.name] = _Loaded(field, generation, loaded)
            return loaded

    def retain(self, rows: list[dict[str, Any]]) -> None:
        """Keep only ``rows`` (of the records still in use) and the relations they point to.

        Streaming calls it when it leaves a page: the records the caller let
        go are freed with their rows and related records, the ones it kept
        still load their relations together.
        """
        self.rows = rows
        for entry in self._relations.values():
            needed = {i for row in rows for i in entry.field.ids_in(row)}
            entry.records = {i: r for i, r in entry.records.items() if i in needed}

    def __repr__(self) -> str:
        return f"<Page {self.model._odoo_model_name} x{len(self.rows)}>"
