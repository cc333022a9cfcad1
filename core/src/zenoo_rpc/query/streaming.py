"""Reading every matching record page by page, with flat memory: ``async for``.

::

    async for partner in client.model(ResPartner).filter(active=True):
        ...
    async for order in client.model(SaleOrder).iterate(page_size=1000):
        ...

Pages follow an *id cursor*: each page asks for ``id > last id seen`` in id
order (``id < last`` for ``order_by("-id")``), never an offset. Records
inserted or deleted while the loop runs therefore never shift the pages: a
record that exists from start to end is seen exactly once, new records with
higher ids are seen too. Only one page is held at a time: when the loop
moves on, the page keeps only the rows of the records the caller still
holds, so memory stays that of one page however many records there are.

The query's ``limit`` caps the total, its ``offset`` skips records before
the first page; an ``order_by`` other than ``id`` / ``-id`` raises
:class:`~zenoo_rpc.errors.QueryError` (a cursor needs a unique, stable order).
Prefetched relations are read per page.
"""

from __future__ import annotations

import weakref
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, TypeVar

from zenoo_rpc.errors import QueryError
from zenoo_rpc.models.base import OdooModel
from zenoo_rpc.query.q import compile_domain

if TYPE_CHECKING:
    from zenoo_rpc.query.queryset import QuerySet

__all__ = ["iterate_pages"]

M = TypeVar("M", bound=OdooModel)


def _direction(order: tuple[str, ...]) -> str:
    if not order:
        return "asc"
    if len(order) == 1 and order[0] in ("id asc", "id desc"):
        return order[0].split()[1]
    raise QueryError(
        f"streaming reads pages by id: order_by({', '.join(order)}) cannot be kept; "
        "use order_by('id') / order_by('-id'), or all() for another order"
    )


async def iterate_pages(query: QuerySet[M], page_size: int) -> AsyncIterator[M]:
    """The records of ``query``, ``page_size`` per call, by id cursor."""
    size: object = page_size
    if isinstance(size, bool) or not isinstance(size, int) or size < 1:
        raise QueryError(f"page_size must be a positive int, not {page_size!r}")
    direction = _direction(query._order)
    operator = ">" if direction == "asc" else "<"
    order = f"id {direction}"
    base = query.domain
    remaining = query._limit
    offset = query._offset
    last: int | None = None
    while remaining is None or remaining > 0:
        size = page_size if remaining is None else min(page_size, remaining)
        domain = base if last is None else compile_domain(base, [("id", operator, last)])
        page = await query._fetch(domain=domain, order=order, offset=offset, limit=size)
        offset = 0
        count = len(page)
        if not count:
            return
        last = page[-1].id
        holder = page[0]._page
        refs = [weakref.ref(record) for record in page]
        for record in page:
            yield record
        del page, record
        # hold no page while the next one is read: keep the rows of the records still in use
        holder.retain([kept._raw for kept in (ref() for ref in refs) if kept is not None])
        del holder, refs
        if remaining is not None:
            remaining -= count
        if count < size:
            return
