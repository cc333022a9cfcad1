"""``QuerySet``: a lazy, immutable query over one Odoo model, returning typed records.

::

    partners = await (
        client.model(ResPartner)
        .filter(Q(name__ilike="acme") | Q(email__ilike="acme"))
        .order_by("name")
        .limit(50)
        .all()
    )                                        # one call

Building (``filter``, ``exclude``, ``order_by``, ``limit``, ``offset``,
``only``, ``defer``, ``with_context``, ``prefetch_related``) returns a new
query and sends nothing; the ``async`` methods run it. Reads take one call
(see :mod:`zenoo_rpc.query.fetch`); relations load per page, never per record.

Writing (``create``, ``update``, ``delete``, ``bulk_*``): :mod:`zenoo_rpc.query.writing`.
Field selection: see :mod:`zenoo_rpc.query.selection` (by default every
declared field except binaries and lazy ones; generic models: stored,
non-binary fields).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Generic, TypeAlias, TypeVar

from zenoo_rpc.errors import DoesNotExist, MultipleObjectsReturned, QueryError
from zenoo_rpc.models.base import OdooModel
from zenoo_rpc.query.aggregates import Aggregate, aggregate_specs, aggregate_values
from zenoo_rpc.query.fetch import search_page
from zenoo_rpc.query.grouping import GroupedQuerySet
from zenoo_rpc.query.ordering import order_clause, order_terms
from zenoo_rpc.query.q import Q, compile_domain
from zenoo_rpc.query.selection import PrefetchTree, parse_prefetch, selected_fields, server_major
from zenoo_rpc.query.streaming import iterate_pages
from zenoo_rpc.query.writing import QueryWrites

if TYPE_CHECKING:
    from zenoo_rpc.client import ZenooClient

__all__ = ["Condition", "GroupedQuerySet", "QuerySet"]

M = TypeVar("M", bound=OdooModel)

#: What ``filter()`` and ``exclude()`` take positionally: a ``Q`` or a raw domain.
Condition: TypeAlias = Q | list[Any] | tuple[Any, ...]


class QuerySet(QueryWrites[M], Generic[M]):
    """The records of one model matching a condition; see the module docstring.

    Get one from ``client.model(Model)`` or ``client.model("model.name")``.
    """

    __slots__ = (
        "_client",
        "_conditions",
        "_defer",
        "_limit",
        "_model",
        "_offset",
        "_only",
        "_order",
        "_prefetch",
    )

    def __init__(self, client: ZenooClient, model: type[M] | str) -> None:
        self._client = client
        self._model: type[M] | str = model
        self._conditions: tuple[Q, ...] = ()
        self._order: tuple[str, ...] = ()
        self._limit: int | None = None
        self._offset = 0
        self._only: tuple[str, ...] | None = None
        self._defer: frozenset[str] = frozenset()
        self._prefetch: tuple[str, ...] = ()

    def _clone(self, **changes: Any) -> QuerySet[M]:
        clone: QuerySet[M] = QuerySet.__new__(QuerySet)
        for name in QuerySet.__slots__:
            setattr(clone, name, changes.get(name[1:], getattr(self, name)))
        return clone

    # ------------------------------------------------------------------ facts

    @property
    def client(self) -> ZenooClient:
        """The client (or ``with_context`` view) the query runs with."""
        return self._client

    @property
    def model_name(self) -> str:
        """The Odoo model queried."""
        model = self._model
        return model if isinstance(model, str) else model._odoo_model_name

    @property
    def domain(self) -> list[Any]:
        """The query's condition as an Odoo domain (``[]``: every record)."""
        return compile_domain(*self._conditions)

    async def model_class(self) -> type[M]:
        """The class records decode into (a generic one is built from ``fields_get`` once)."""
        model = self._model
        if isinstance(model, str):  # nobody registered it when client.model() was called
            generic: Any = await self._client._model_state.generic(self._client, model)
            return generic  # type: ignore[no-any-return]
        return model

    # ------------------------------------------------------------------ building

    def filter(self, *conditions: Condition, **lookups: Any) -> QuerySet[M]:
        """Records that also match ``conditions`` (``Q`` objects or raw domains) and ``lookups``.

        ``filter(name__ilike="acme", is_company=True)``, ``filter(Q(a=1) | Q(b=2))``,
        ``filter([("state", "=", "sale")])``; see :mod:`zenoo_rpc.query.lookups`.
        """
        added = _condition(conditions, lookups)
        if added is None:
            return self
        return self._clone(conditions=(*self._conditions, added))

    def exclude(self, *conditions: Condition, **lookups: Any) -> QuerySet[M]:
        """Records that do not match ``conditions`` and ``lookups`` (all of them together)."""
        added = _condition(conditions, lookups)
        if added is None:
            return self
        return self._clone(conditions=(*self._conditions, ~added))

    def order_by(self, *terms: str) -> QuerySet[M]:
        """Sort by ``terms``: ``"name"``, ``"-date_order"`` (descending), ``"name desc"``.

        ``order_by()`` with no term goes back to the model's default order.
        """
        return self._clone(order=order_terms(*terms))

    def limit(self, count: int | None) -> QuerySet[M]:
        """At most ``count`` records (``None``: no limit)."""
        value: object = count
        if value is not None and (
            isinstance(value, bool) or not isinstance(value, int) or value < 0
        ):
            raise QueryError(f"limit() takes a non-negative int or None, not {count!r}")
        return self._clone(limit=count)

    def offset(self, count: int) -> QuerySet[M]:
        """Skip the first ``count`` records."""
        value: object = count
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise QueryError(f"offset() takes a non-negative int, not {count!r}")
        return self._clone(offset=count)

    def only(self, *names: str) -> QuerySet[M]:
        """Read only these fields (and ``id``): lazy ones like binaries included if named."""
        _check_names("only", names)
        return self._clone(only=tuple(dict.fromkeys(names)))

    def defer(self, *names: str) -> QuerySet[M]:
        """Do not read these fields (on top of the default or ``only()`` selection)."""
        _check_names("defer", names)
        return self._clone(defer=self._defer | frozenset(names))

    def with_context(self, context: Mapping[str, Any] | None = None, **values: Any) -> QuerySet[M]:
        """Run with these context values (``lang``, ``active_test``, ``tz``...).

        Records read keep this context: their ``client`` is the context view.
        """
        return self._clone(client=self._client.with_context(context, **values))

    def prefetch_related(self, *paths: str) -> QuerySet[M]:
        """Load these relations with the records: ``"order_line"``, ``"order_line__product_id"``.

        Odoo 17+: nested in the same ``web_search_read`` (one call for all).
        Odoo 16: one ``read`` per path level for the whole page.
        """
        parse_prefetch(paths)
        return self._clone(prefetch=tuple(dict.fromkeys((*self._prefetch, *paths))))

    # ------------------------------------------------------------------ reading

    def _prefetch_tree(self) -> PrefetchTree:
        return parse_prefetch(self._prefetch)

    async def _fetch(
        self,
        *,
        domain: list[Any] | None = None,
        order: str | bool | None = False,
        offset: int | None = None,
        limit: int | bool | None = False,
    ) -> list[M]:
        model = await self.model_class()
        prefetch = self._prefetch_tree()
        names = selected_fields(
            model, self._only, self._defer, prefetch, server_major(self._client)
        )
        return await search_page(
            self._client,
            model,
            domain=self.domain if domain is None else domain,
            fields=names,
            order=order_clause(self._order) if order is False else order,  # type: ignore[arg-type]
            offset=self._offset if offset is None else offset,
            limit=self._limit if limit is False else limit,
            prefetch=prefetch,
        )

    async def all(self) -> list[M]:
        """Every matching record (within ``limit`` / ``offset``), in one call."""
        return await self._fetch()

    async def first(self) -> M | None:
        """The first matching record in the query's order, or ``None``."""
        records = await self._fetch(limit=1)
        return records[0] if records else None

    async def get(self, *conditions: Condition | int, **lookups: Any) -> M:
        """The one record matching the query and ``conditions`` / ``lookups``.

        ``get(7)`` is ``get(id=7)``.

        :raises DoesNotExist: no record matches.
        :raises MultipleObjectsReturned: more than one does.
        """
        plain = [c for c in conditions if not isinstance(c, int) or isinstance(c, bool)]
        ids = [c for c in conditions if isinstance(c, int) and not isinstance(c, bool)]
        if len(ids) > 1:
            raise QueryError(f"get() takes at most one id, not {ids!r}")
        if ids:
            lookups = {**lookups, "id": ids[0]}
        query = self.filter(*plain, **lookups)  # type: ignore[arg-type]
        records = await query._fetch(limit=2)
        if not records:
            raise DoesNotExist(
                f"no {self.model_name} record matches {query.domain!r}", model=self.model_name
            )
        if len(records) > 1:
            raise MultipleObjectsReturned(
                f"more than one {self.model_name} record matches {query.domain!r}",
                model=self.model_name,
            )
        return records[0]

    async def count(self) -> int:
        """How many records match (``search_count``; within ``limit`` / ``offset``)."""
        offset, limit = self._offset, self._limit
        cap = None if limit is None else offset + limit
        total = await self._client.search_count(self.model_name, self.domain, limit=cap)
        total = max(total - offset, 0)
        return total if limit is None else min(total, limit)

    async def exists(self) -> bool:
        """True when at least one record matches (a ``search`` with ``limit=1``)."""
        if self._limit == 0:
            return False
        found = await self._client.search(
            self.model_name, self.domain, offset=self._offset, limit=1
        )
        return bool(found)

    async def ids(self) -> list[int]:
        """The ids of the matching records, in order (one ``search``)."""
        return await self._client.search(
            self.model_name,
            self.domain,
            offset=self._offset,
            limit=self._limit,
            order=order_clause(self._order),
        )

    async def values(self, *names: str) -> list[dict[str, Any]]:
        """The records as dicts of ``id`` and ``names`` (or the default fields), converted.

        Values read as the fields give them (``Ref`` for many2one, dates as
        ``date``...), x2many as lists of ids.
        """
        query = self.only(*names) if names else self
        records = await query._fetch()
        if not records:
            return []
        keys = ["id", *(names or (records[0]._page.fields or ()))]
        keys = list(dict.fromkeys(keys))
        return [record.as_dict(keys) for record in records]

    async def values_list(self, *names: str, flat: bool = False) -> list[Any]:
        """The values of ``names`` per record as tuples; ``flat=True`` with one name: a list."""
        if not names:
            raise QueryError("values_list() needs at least one field name")
        if flat and len(names) != 1:
            raise QueryError("values_list(flat=True) takes exactly one field name")
        rows = await self.values(*names)
        if flat:
            return [row[names[0]] for row in rows]
        return [tuple(row[name] for name in names) for row in rows]

    def iterate(self, page_size: int = 500) -> AsyncIterator[M]:
        """Every matching record, read ``page_size`` at a time (see :mod:`.streaming`)."""
        return iterate_pages(self, page_size)

    def __aiter__(self) -> AsyncIterator[M]:
        return self.iterate()

    # ------------------------------------------------------------------ aggregates

    async def aggregate(self, **aggregates: Aggregate) -> dict[str, Any]:
        """Aggregates over the matching records: ``aggregate(total=Sum("amount_total"))``.

        One ``read_group`` without grouping; see :mod:`zenoo_rpc.query.aggregates`.
        """
        specs = aggregate_specs(aggregates)
        rows = await self._client.read_group(self.model_name, self.domain, specs, [], lazy=False)
        return aggregate_values(rows[0] if rows else None, aggregates)

    def group_by(self, *fields: str) -> GroupedQuerySet[M]:
        """Group the matching records by ``fields`` (``"country_id"``, ``"date_order:month"``)."""
        if not fields:
            raise QueryError("group_by() needs at least one field")
        _check_names("group_by", tuple(name.split(":", 1)[0] for name in fields))
        return GroupedQuerySet(self, fields)

    def __repr__(self) -> str:
        parts = [self.model_name]
        if self._conditions:
            parts.append(f"domain={self.domain!r}")
        if self._order:
            parts.append(f"order={order_clause(self._order)!r}")
        if self._offset:
            parts.append(f"offset={self._offset}")
        if self._limit is not None:
            parts.append(f"limit={self._limit}")
        return f"<QuerySet {' '.join(parts)}>"


def _condition(conditions: Sequence[Condition], lookups: Mapping[str, Any]) -> Q | None:
    parts = [c if isinstance(c, Q) else Q(c) for c in conditions]
    if lookups:
        parts.append(Q(**lookups))
    if not parts:
        return None
    combined = parts[0]
    for part in parts[1:]:
        combined = combined & part
    return combined


def _check_names(method: str, names: Sequence[str]) -> None:
    for name in names:
        text: object = name
        if not isinstance(text, str) or not text.isidentifier():
            raise QueryError(f"{method}() takes field names, not {name!r}")
