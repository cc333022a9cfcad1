"""Reading records: one call per query, and a constant number per prefetched relation.

Two paths, same records:

* **Odoo 17 and later**: ``web_search_read(domain, specification, ...)``.
  Many2one values come as ``{"id", "display_name"}``, and every
  ``prefetch_related`` path is nested in the same specification, so a page of
  orders with their lines and the lines' products is **one** call.
* **Odoo 16** (or a server without ``web_search_read``: it is tried once and
  remembered): ``search_read`` (many2one as ``[id, display name]``), then one
  ``read`` per prefetched relation for the whole page.

When the server refuses a read because a field does not exist,
:mod:`~zenoo_rpc.query.field_errors` says which.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from zenoo_rpc.errors import DoesNotExist, MethodNotFound, OdooServerError
from zenoo_rpc.models.base import OdooModel
from zenoo_rpc.models.page import Page
from zenoo_rpc.query.field_errors import explain_unknown_fields
from zenoo_rpc.query.selection import (
    PrefetchTree,
    default_fields,
    relational_field,
    selected_fields,
    server_major,
)

if TYPE_CHECKING:
    from zenoo_rpc.client import ZenooClient

__all__ = ["READ_CHUNK", "read_records", "reload_record", "search_page"]

M = TypeVar("M", bound=OdooModel)

#: Most ids asked in one ``read`` when loading relations.
READ_CHUNK = 5000

_M2O_DISPLAY: dict[str, Any] = {"fields": {"display_name": {}}}


async def search_page(
    client: ZenooClient,
    model: type[M],
    *,
    domain: list[Any],
    fields: Sequence[str],
    order: str | None,
    offset: int,
    limit: int | None,
    prefetch: PrefetchTree,
) -> list[M]:
    """The records matching ``domain`` with ``fields`` and the ``prefetch`` relations loaded."""
    state = client._model_state
    use_web = state.web_read
    if use_web is None:
        major = server_major(client)
        use_web = major is not None and major >= 17
    try:
        if use_web:
            try:
                return await _web_search(
                    client, model, domain, fields, order, offset, limit, prefetch
                )
            except MethodNotFound:
                if state.web_read:
                    raise
                state.web_read = False
        return await _classic_search(client, model, domain, fields, order, offset, limit, prefetch)
    except OdooServerError as exc:
        await _explain_unknown_fields(client, model, fields, exc)
        raise


async def _web_search(
    client: ZenooClient,
    model: type[M],
    domain: list[Any],
    fields: Sequence[str],
    order: str | None,
    offset: int,
    limit: int | None,
    prefetch: PrefetchTree,
) -> list[M]:
    specification = await _specification(client, model, fields, prefetch)
    kwargs: dict[str, Any] = {"domain": domain, "specification": specification}
    if offset:
        kwargs["offset"] = offset
    if limit is not None:
        kwargs["limit"] = limit
        kwargs["count_limit"] = 1  # the total count is not used: keep the server's work small
    if order:
        kwargs["order"] = order
    result = await client.execute_kw(model._odoo_model_name, "web_search_read", [], kwargs)
    client._model_state.web_read = True
    page = Page(client, model, fields)
    records = model._decode(result["records"], page)
    if prefetch:
        await _attach_nested(client, page, prefetch)
    return records


async def _specification(
    client: ZenooClient, model: type[OdooModel], fields: Sequence[str], prefetch: PrefetchTree
) -> dict[str, Any]:
    spec: dict[str, Any] = {}
    declared = model._fields
    for name in fields:
        field = declared.get(name)
        sub = prefetch.get(name)
        if sub is not None:
            relation = relational_field(model, name, name)
            comodel = await client._model_state.comodel_of(client, relation)
            nested = selected_fields(comodel, None, (), sub, server_major(client))
            spec[name] = {"fields": await _specification(client, comodel, nested, sub)}
        elif field is not None and field.odoo_type == "many2one":
            spec[name] = _M2O_DISPLAY
        else:
            spec[name] = {}
    return spec


async def _attach_nested(client: ZenooClient, page: Page, prefetch: PrefetchTree) -> None:
    """Decode the nested rows of prefetched relations into records of their own pages."""
    for name, sub in prefetch.items():
        field = relational_field(page.model, name, name)
        comodel = await client._model_state.comodel_of(client, field)
        rows: list[dict[str, Any]] = []
        seen: set[int] = set()
        for parent in page.rows:
            value = parent.get(name)
            items = value if type(value) is list else [value]
            for row in items:
                if type(row) is dict and row["id"] not in seen:
                    seen.add(row["id"])
                    rows.append(row)
        nested = Page(client, comodel, None)
        records = comodel._decode(rows, nested)
        page.preloaded(field, records)
        if sub and records:
            await _attach_nested(client, nested, sub)


async def _classic_search(
    client: ZenooClient,
    model: type[M],
    domain: list[Any],
    fields: Sequence[str],
    order: str | None,
    offset: int,
    limit: int | None,
    prefetch: PrefetchTree,
) -> list[M]:
    rows = await client.search_read(
        model._odoo_model_name, domain, list(fields), offset=offset, limit=limit, order=order
    )
    page = Page(client, model, fields)
    records = model._decode(rows, page)
    if prefetch and records:
        await _prefetch(page, prefetch)
    return records


async def _prefetch(page: Page, prefetch: PrefetchTree) -> None:
    """Load each prefetched relation of ``page`` with one read (per level of the path)."""
    for name, sub in prefetch.items():
        field = relational_field(page.model, name, name)
        related = await page.related(field)
        if sub and related:
            nested = next(iter(related.values()))._page
            await _prefetch(nested, sub)


async def read_records(
    client: ZenooClient,
    model: type[M],
    ids: Sequence[int],
    fields: Sequence[str] | None = None,
) -> list[M]:
    """Records ``ids`` (missing ones left out), read with ``read`` in chunks, as one page."""
    names = list(fields) if fields is not None else default_fields(model, server_major(client))
    names = [name for name in names if name != "id"]
    rows: list[dict[str, Any]] = []
    try:
        for start in range(0, len(ids), READ_CHUNK):
            rows.extend(
                await client.read(
                    model._odoo_model_name, list(ids[start : start + READ_CHUNK]), names
                )
            )
    except OdooServerError as exc:
        await _explain_unknown_fields(client, model, names, exc)
        raise
    page = Page(client, model, names)
    return model._decode(rows, page)


async def reload_record(record: OdooModel, names: Sequence[str], *, merge: bool = False) -> None:
    """Read ``names`` of ``record`` again; ``merge`` keeps its other loaded fields."""
    client = record.client
    model = type(record)
    names = [name for name in dict.fromkeys(names) if name != "id"]
    try:
        rows = await client.read(model._odoo_model_name, [record.id], names)
    except OdooServerError as exc:
        await _explain_unknown_fields(client, model, names, exc)
        raise
    if not rows:
        raise DoesNotExist(
            f"{model._odoo_model_name} record {record.id} does not exist or is not visible",
            model=model._odoo_model_name,
        )
    row = rows[0]
    if merge:
        record._raw.update(row)
        for name in row:
            record._values.pop(name, None)
            if record._dirty:
                record._dirty.pop(name, None)
    else:
        raw = record._raw  # the same dict the record's page holds
        raw.clear()
        raw.update(row)
        record._values = {}


async def _explain_unknown_fields(
    client: ZenooClient, model: type[OdooModel], fields: Sequence[str], error: OdooServerError
) -> None:
    await explain_unknown_fields(
        client,
        model._odoo_model_name,
        fields,
        error,
        declared=model._fields,
        owner=model.__name__,
    )
