"""Writing through a query: ``create``, ``update`` / ``delete`` of the matched set, bulk writes.

Mixed into :class:`~zenoo_rpc.query.QuerySet`. Every write goes through
:mod:`zenoo_rpc.query.write_calls` (the client's call pipeline, so the read cache
is invalidated, and the model's generation moves on); bulk writes through
:mod:`zenoo_rpc.query.bulk` (chunks, bounded concurrency, progress, every
chunk accounted for).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Generic, TypeVar, overload

from zenoo_rpc.errors import BulkOperationError, DoesNotExist, QueryError
from zenoo_rpc.models.base import OdooModel
from zenoo_rpc.query import bulk
from zenoo_rpc.query.fetch import read_records
from zenoo_rpc.query.selection import selected_fields, server_major
from zenoo_rpc.query.write_calls import create_rows, prepare_values, unlink_ids, write_ids

if TYPE_CHECKING:
    from zenoo_rpc.client import ZenooClient

__all__ = ["CREATE_CHUNK", "QueryWrites"]

M = TypeVar("M", bound=OdooModel)

#: Records created per ``create`` call by ``create([...])``.
CREATE_CHUNK = 500


class QueryWrites(Generic[M]):
    """The writing half of :class:`~zenoo_rpc.query.QuerySet`."""

    __slots__ = ()

    if TYPE_CHECKING:
        _client: ZenooClient
        _only: tuple[str, ...] | None
        _defer: frozenset[str]

        @property
        def model_name(self) -> str: ...

        async def model_class(self) -> type[M]: ...

        async def ids(self) -> list[int]: ...

    # ------------------------------------------------------------------ the matched set

    async def update(self, **values: Any) -> int:
        """Write ``values`` on every matching record: a ``search``, then one ``write``.

        Returns how many records were written.
        """
        if not values:
            raise QueryError("update() needs field=value arguments")
        prepared = prepare_values(await self.model_class(), values)
        ids = await self.ids()
        if ids:
            await write_ids(self._client, self.model_name, ids, prepared)
        return len(ids)

    async def delete(self) -> int:
        """Delete every matching record: a ``search``, then one ``unlink``. Returns how many."""
        ids = await self.ids()
        if ids:
            await unlink_ids(self._client, self.model_name, ids)
        return len(ids)

    # ------------------------------------------------------------------ creating

    @overload
    async def create(self, values: Mapping[str, Any] | None = None, /, **fields: Any) -> M: ...

    @overload
    async def create(self, values: Sequence[Mapping[str, Any]], /) -> list[M]: ...

    async def create(
        self,
        values: Mapping[str, Any] | Sequence[Mapping[str, Any]] | None = None,
        /,
        **fields: Any,
    ) -> M | list[M]:
        """Create one record (``create(name="x")`` or a dict) or several (a list of dicts).

        Values are checked by the model's fields; declared defaults fill the
        gaps. One ``create`` call (per 500 records), then one ``read`` of the
        new records with the query's field selection; returns them typed.
        """
        if values is not None and not isinstance(values, Mapping):
            if fields:
                raise QueryError("create() takes a list of dicts, or field=value, not both")
            given: object = values
            if isinstance(given, (str, bytes)) or not isinstance(given, Sequence):
                raise QueryError(f"create() takes a dict or a list of dicts, not {values!r:.60}")
            return await self._create_many(values)
        created = await self._create_many([{**(values or {}), **fields}])
        if not created:
            raise DoesNotExist(
                f"the new {self.model_name} record is not readable by this user",
                model=self.model_name,
            )
        return created[0]

    async def _create_many(self, vals_list: Sequence[Mapping[str, Any]]) -> list[M]:
        if not vals_list:
            return []
        model = await self.model_class()
        prepared = [prepare_values(model, _mapping(vals), create=True) for vals in vals_list]
        ids: list[int] = []
        for chunk in bulk.chunked(prepared, CREATE_CHUNK):
            ids.extend(await create_rows(self._client, self.model_name, chunk))
        names = selected_fields(model, self._only, self._defer, {}, server_major(self._client))
        return await read_records(self._client, model, ids, names)

    async def bulk_create(
        self,
        vals_list: Iterable[Mapping[str, Any]],
        *,
        chunk_size: int = bulk.DEFAULT_CHUNK_SIZE,
        concurrency: int = bulk.DEFAULT_CONCURRENCY,
        progress: bulk.Progress | None = None,
    ) -> list[int]:
        """Create many records in chunks, ``concurrency`` calls at a time; their ids, in order.

        :raises BulkOperationError: a chunk failed (``done_ids`` has what was created).
        """
        model = await self.model_class()
        prepared = [prepare_values(model, _mapping(vals), create=True) for vals in vals_list]
        client, name = self._client, self.model_name

        async def send(chunk: Sequence[Any]) -> list[int]:
            return await create_rows(client, name, chunk)

        results = await bulk.run_chunks(
            "create",
            bulk.chunked(prepared, chunk_size),
            send,
            concurrency=concurrency,
            progress=progress,
            ids_of=lambda chunk, ids: ids,
        )
        return [rid for ids in results for rid in ids]

    async def bulk_update(
        self,
        records: Iterable[Any],
        values: Mapping[str, Any] | None = None,
        *,
        chunk_size: int = bulk.DEFAULT_CHUNK_SIZE,
        concurrency: int = bulk.DEFAULT_CONCURRENCY,
        progress: bulk.Progress | None = None,
    ) -> int:
        """Write many records in chunks; returns how many were written.

        ``bulk_update(ids_or_records, {"active": False})`` writes the same
        values on all; ``bulk_update(records)`` saves each record's assigned
        fields (records with the same changes share their calls) and marks
        them saved.

        :raises BulkOperationError: a chunk failed; records of the others are saved.
        """
        model = await self.model_class()
        items = list(records)
        jobs = bulk.write_jobs(model, items, values, chunk_size)
        client, name = self._client, self.model_name
        saved = items if values is None else []

        async def send(chunk: Sequence[Any]) -> None:
            await write_ids(client, name, chunk, chunk.values)  # type: ignore[attr-defined]

        try:
            await bulk.run_chunks(
                "update",
                jobs,
                send,
                concurrency=concurrency,
                progress=progress,
                ids_of=lambda chunk, _: list(chunk),
            )
        except BulkOperationError as exc:
            done = set(exc.done_ids)
            bulk.mark_saved(record for record in saved if record.id in done)
            raise
        bulk.mark_saved(saved)
        return sum(len(job) for job in jobs)

    async def bulk_delete(
        self,
        records: Iterable[Any],
        *,
        chunk_size: int = bulk.DEFAULT_CHUNK_SIZE,
        concurrency: int = bulk.DEFAULT_CONCURRENCY,
        progress: bulk.Progress | None = None,
    ) -> int:
        """Delete many records (ids or records) in chunks; returns how many.

        :raises BulkOperationError: a chunk failed (``done_ids`` has what was deleted).
        """
        ids = bulk.ids_of_records(records)
        client, name = self._client, self.model_name

        async def send(chunk: Sequence[Any]) -> None:
            await unlink_ids(client, name, chunk)

        await bulk.run_chunks(
            "delete",
            bulk.chunked(ids, chunk_size),
            send,
            concurrency=concurrency,
            progress=progress,
            ids_of=lambda chunk, _: list(chunk),
        )
        return len(ids)


def _mapping(values: Any) -> Mapping[str, Any]:
    if not isinstance(values, Mapping):
        raise QueryError(f"each record to create is a dict of values, not {values!r:.60}")
    return values
