"""Bulk writes: chunks sent with bounded concurrency, progress reported, failures accounted.

:func:`run_chunks` sends at most ``concurrency`` chunks at a time. After
each chunk, ``progress(done, total)`` is called (a function or a coroutine
function; ``done`` counts items, not chunks). The first failure stops chunks
that have not started yet; chunks already sent are waited for, so that every
chunk ends *done*, *failed* or *skipped* and
:class:`~zenoo_rpc.errors.BulkOperationError` says which: nothing is lost
silently, nothing is left in an unknown state by the model layer itself.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import msgspec

from zenoo_rpc.errors import BulkOperationError, QueryError
from zenoo_rpc.models.wire import record_id
from zenoo_rpc.query.write_calls import prepare_values

if TYPE_CHECKING:
    from zenoo_rpc.models.base import OdooModel

__all__ = [
    "DEFAULT_CHUNK_SIZE",
    "DEFAULT_CONCURRENCY",
    "Progress",
    "WriteChunk",
    "chunked",
    "ids_of_records",
    "mark_saved",
    "run_chunks",
    "write_jobs",
]

T = TypeVar("T")

#: Records per call, by default.
DEFAULT_CHUNK_SIZE = 500
#: Calls in flight at once, by default.
DEFAULT_CONCURRENCY = 4

#: ``progress(done, total)``: items done so far and in all; may be a coroutine function.
Progress = Callable[[int, int], Any]


def chunked(items: Sequence[T], size: int) -> list[Sequence[T]]:
    """``items`` cut in slices of at most ``size``."""
    value: object = size
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise QueryError(f"chunk_size must be a positive int, not {size!r}")
    return [items[start : start + size] for start in range(0, len(items), size)]


def ids_of_records(records: Iterable[Any]) -> list[int]:
    """The ids of ``records`` (ints, records or refs), checked."""
    try:
        return [record_id(item) for item in records]
    except TypeError as exc:
        raise QueryError(str(exc)) from None


class WriteChunk(list[int]):
    """Ids that get the same ``values`` in one ``write``."""

    def __init__(self, ids: Iterable[int], values: Mapping[str, Any]) -> None:
        super().__init__(ids)
        self.values = values


def write_jobs(
    model: type[OdooModel],
    records: Iterable[Any],
    values: Mapping[str, Any] | None,
    chunk_size: int,
) -> list[WriteChunk]:
    """The writes of a bulk update: ``values`` on every id, or each record's assigned fields.

    Records with identical changes share their writes.
    """
    if values is not None:
        prepared = prepare_values(model, values)
        return [WriteChunk(c, prepared) for c in chunked(ids_of_records(records), chunk_size)]
    groups: dict[bytes, tuple[dict[str, Any], list[int]]] = {}
    for record in records:
        dirty = getattr(record, "_dirty", MISSING_RECORD)
        if dirty is MISSING_RECORD:
            raise QueryError(
                "bulk_update() without values takes records with assigned fields, "
                f"not {record!r:.60}"
            )
        if not dirty:
            continue
        key = _ENCODER.encode(sorted(dirty.items()))
        groups.setdefault(key, (dirty, []))[1].append(record.id)
    return [
        WriteChunk(ids, vals)
        for vals, all_ids in groups.values()
        for ids in chunked(all_ids, chunk_size)
    ]


def mark_saved(records: Iterable[Any]) -> None:
    """Forget the assignments of ``records`` once written."""
    for record in records:
        if getattr(record, "_dirty", None):
            record._dirty = None


MISSING_RECORD: Any = object()
_ENCODER = msgspec.json.Encoder()


class _Outcome(Generic[T]):
    __slots__ = ("error", "result", "state")

    def __init__(self) -> None:
        self.state = "skipped"
        self.result: T | None = None
        self.error: BaseException | None = None


async def run_chunks(
    operation: str,
    chunks: Sequence[Sequence[Any]],
    send: Callable[[Sequence[Any]], Awaitable[T]],
    *,
    concurrency: int,
    progress: Progress | None,
    ids_of: Callable[[Sequence[Any], T], Sequence[int]],
) -> list[T]:
    """Send every chunk; the results in chunk order.

    :param send: sends one chunk, returns its result.
    :param ids_of: the record ids a chunk's result stands for (for the error report).
    :raises BulkOperationError: when a chunk failed (its error is the ``__cause__``).
    """
    limit: object = concurrency
    if not isinstance(limit, int) or isinstance(limit, bool) or limit < 1:
        raise QueryError(f"concurrency must be a positive int, not {concurrency!r}")
    total = sum(len(chunk) for chunk in chunks)
    outcomes: list[_Outcome[T]] = [_Outcome() for _ in chunks]
    semaphore = asyncio.Semaphore(concurrency)
    failed = asyncio.Event()
    done_items = 0

    async def one(index: int) -> None:
        nonlocal done_items
        async with semaphore:
            if failed.is_set():
                return
            outcome = outcomes[index]
            outcome.state = "sent"
            try:
                outcome.result = await send(chunks[index])
            except Exception as exc:
                outcome.state, outcome.error = "failed", exc
                failed.set()
                return
            outcome.state = "done"
        done_items += len(chunks[index])
        if progress is not None:
            reported = progress(done_items, total)
            if inspect.isawaitable(reported):
                await reported

    tasks = [asyncio.ensure_future(one(index)) for index in range(len(chunks))]
    try:
        await asyncio.gather(*tasks)
    except BaseException:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise
    failures = [i for i, outcome in enumerate(outcomes) if outcome.state == "failed"]
    if not failures:
        return [outcome.result for outcome in outcomes]  # type: ignore[misc]
    errors = [outcomes[i].error for i in failures]
    skipped = [i for i, outcome in enumerate(outcomes) if outcome.state == "skipped"]
    done_ids = [
        rid
        for i, outcome in enumerate(outcomes)
        if outcome.state == "done"
        for rid in ids_of(chunks[i], outcome.result)  # type: ignore[arg-type]
    ]
    first = errors[0]
    raise BulkOperationError(
        f"bulk {operation}: chunk {failures[0]} of {len(chunks)} failed "
        f"({_describe(first)}); {len(failures)} failed, {len(skipped)} not sent, "
        f"{len(chunks) - len(failures) - len(skipped)} done ({len(done_ids)} records)",
        operation=operation,
        failed_chunks=failures,
        skipped_chunks=skipped,
        done_ids=done_ids,
        errors=[e for e in errors if e is not None],
    ) from first


def _describe(error: BaseException | None) -> str:
    """``Name: message``, without repeating a name the message already starts with."""
    text = str(error)
    name = type(error).__name__
    return text if text.startswith(f"{name}:") else f"{name}: {text}"
