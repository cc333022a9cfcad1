"""The ORM methods every Odoo model has, as typed client methods.

Each one builds the ``execute_kw`` arguments exactly as Odoo's method
signature expects them, so the same call works over JSON-2 (named
arguments), JSON-RPC and the web session. ``as_type`` decodes rows straight
into your own ``msgspec.Struct`` (or dataclass / TypedDict) type.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypeVar, overload

from zenoo_rpc.rows import convert_rows

__all__ = ["Domain", "ModelMethods"]

Domain = Sequence[Any]
T = TypeVar("T")


class ModelMethods:
    """Mixin of :class:`~zenoo_rpc.client.ZenooClient`: Odoo's model methods."""

    async def execute_kw(
        self,
        model: str,
        method: str,
        args: Sequence[Any] | None = None,
        kwargs: Mapping[str, Any] | None = None,
        *,
        context: Mapping[str, Any] | None = None,
        timeout: float | None = None,
    ) -> Any:
        raise NotImplementedError  # pragma: no cover - provided by ZenooClient

    async def search(
        self,
        model: str,
        domain: Domain | None = None,
        *,
        offset: int = 0,
        limit: int | None = None,
        order: str | None = None,
        context: Mapping[str, Any] | None = None,
        timeout: float | None = None,
    ) -> list[int]:
        """Ids of the records matching ``domain``."""
        kwargs = _drop_none({"offset": offset or None, "limit": limit, "order": order})
        result = await self.execute_kw(
            model, "search", [list(domain or [])], kwargs, context=context, timeout=timeout
        )
        return list(result)

    @overload
    async def search_read(
        self,
        model: str,
        domain: Domain | None = ...,
        fields: Sequence[str] | None = ...,
        *,
        offset: int = ...,
        limit: int | None = ...,
        order: str | None = ...,
        context: Mapping[str, Any] | None = ...,
        timeout: float | None = ...,
        as_type: None = ...,
    ) -> list[dict[str, Any]]: ...

    @overload
    async def search_read(
        self,
        model: str,
        domain: Domain | None = ...,
        fields: Sequence[str] | None = ...,
        *,
        offset: int = ...,
        limit: int | None = ...,
        order: str | None = ...,
        context: Mapping[str, Any] | None = ...,
        timeout: float | None = ...,
        as_type: type[T],
    ) -> list[T]: ...

    async def search_read(
        self,
        model: str,
        domain: Domain | None = None,
        fields: Sequence[str] | None = None,
        *,
        offset: int = 0,
        limit: int | None = None,
        order: str | None = None,
        context: Mapping[str, Any] | None = None,
        timeout: float | None = None,
        as_type: type[T] | None = None,
    ) -> list[dict[str, Any]] | list[T]:
        """Read the records matching ``domain``.

        Name the ``fields`` you need: without them Odoo sends every field,
        image fields included (megabytes for a page of partners).
        """
        kwargs = _drop_none(
            {
                "fields": list(fields) if fields is not None else None,
                "offset": offset or None,
                "limit": limit,
                "order": order,
            }
        )
        rows = await self.execute_kw(
            model, "search_read", [list(domain or [])], kwargs, context=context, timeout=timeout
        )
        return convert_rows(rows, as_type) if as_type is not None else list(rows)

    async def search_count(
        self,
        model: str,
        domain: Domain | None = None,
        *,
        limit: int | None = None,
        context: Mapping[str, Any] | None = None,
        timeout: float | None = None,
    ) -> int:
        """Number of records matching ``domain`` (counting stops at ``limit`` if given)."""
        kwargs = _drop_none({"limit": limit})
        return int(
            await self.execute_kw(
                model,
                "search_count",
                [list(domain or [])],
                kwargs,
                context=context,
                timeout=timeout,
            )
        )

    async def read(
        self,
        model: str,
        ids: int | Sequence[int],
        fields: Sequence[str] | None = None,
        *,
        load: str | None = "_classic_read",
        context: Mapping[str, Any] | None = None,
        timeout: float | None = None,
        as_type: type[T] | None = None,
    ) -> list[Any]:
        """Read records by id. Ids that no longer exist are left out, as Odoo does."""
        kwargs: dict[str, Any] = {}
        if fields is not None:
            kwargs["fields"] = list(fields)
        if load != "_classic_read":
            kwargs["load"] = load
        rows = await self.execute_kw(
            model, "read", [_ids(ids)], kwargs, context=context, timeout=timeout
        )
        return convert_rows(rows, as_type) if as_type is not None else list(rows)

    @overload
    async def create(
        self,
        model: str,
        values: Mapping[str, Any],
        *,
        context: Mapping[str, Any] | None = ...,
        timeout: float | None = ...,
    ) -> int: ...

    @overload
    async def create(
        self,
        model: str,
        values: Sequence[Mapping[str, Any]],
        *,
        context: Mapping[str, Any] | None = ...,
        timeout: float | None = ...,
    ) -> list[int]: ...

    async def create(
        self,
        model: str,
        values: Mapping[str, Any] | Sequence[Mapping[str, Any]],
        *,
        context: Mapping[str, Any] | None = None,
        timeout: float | None = None,
    ) -> int | list[int]:
        """Create one record (a dict: returns its id) or several (a list: returns their ids)."""
        single = isinstance(values, Mapping)
        vals_list = [dict(values)] if single else [dict(v) for v in values]  # type: ignore[arg-type]
        if not vals_list:
            return []
        result = await self.execute_kw(
            model, "create", [vals_list], context=context, timeout=timeout
        )
        ids = [result] if isinstance(result, int) else list(result)
        return ids[0] if single else ids

    async def write(
        self,
        model: str,
        ids: int | Sequence[int],
        values: Mapping[str, Any],
        *,
        context: Mapping[str, Any] | None = None,
        timeout: float | None = None,
    ) -> bool:
        """Write ``values`` on the records ``ids``."""
        return bool(
            await self.execute_kw(
                model, "write", [_ids(ids), dict(values)], context=context, timeout=timeout
            )
        )

    async def unlink(
        self,
        model: str,
        ids: int | Sequence[int],
        *,
        context: Mapping[str, Any] | None = None,
        timeout: float | None = None,
    ) -> bool:
        """Delete the records ``ids``."""
        return bool(
            await self.execute_kw(model, "unlink", [_ids(ids)], context=context, timeout=timeout)
        )

    async def fields_get(
        self,
        model: str,
        fields: Sequence[str] | None = None,
        attributes: Sequence[str] | None = None,
        *,
        context: Mapping[str, Any] | None = None,
        timeout: float | None = None,
    ) -> dict[str, dict[str, Any]]:
        """Field definitions of ``model`` (only ``attributes`` of each, if given)."""
        kwargs = _drop_none(
            {
                "allfields": list(fields) if fields is not None else None,
                "attributes": list(attributes) if attributes is not None else None,
            }
        )
        return dict(
            await self.execute_kw(model, "fields_get", [], kwargs, context=context, timeout=timeout)
        )

    async def name_search(
        self,
        model: str,
        name: str = "",
        domain: Domain | None = None,
        *,
        operator: str = "ilike",
        limit: int = 100,
        context: Mapping[str, Any] | None = None,
        timeout: float | None = None,
    ) -> list[tuple[int, str]]:
        """``(id, display name)`` pairs whose name matches ``name``."""
        # Positional: Odoo 16-17 call the domain ``args``, 18+ ``domain``.
        rows = await self.execute_kw(
            model,
            "name_search",
            [name, list(domain or []), operator, limit],
            context=context,
            timeout=timeout,
        )
        return [(int(row[0]), str(row[1])) for row in rows]

    async def read_group(
        self,
        model: str,
        domain: Domain | None,
        fields: Sequence[str],
        groupby: str | Sequence[str],
        *,
        offset: int = 0,
        limit: int | None = None,
        orderby: str | None = None,
        lazy: bool = True,
        context: Mapping[str, Any] | None = None,
        timeout: float | None = None,
    ) -> list[dict[str, Any]]:
        """Grouped aggregates, as Odoo's ``read_group`` returns them."""
        kwargs = _drop_none(
            {
                "offset": offset or None,
                "limit": limit,
                "orderby": orderby,
                "lazy": None if lazy else False,
            }
        )
        groups = [groupby] if isinstance(groupby, str) else list(groupby)
        return list(
            await self.execute_kw(
                model,
                "read_group",
                [list(domain or []), list(fields), groups],
                kwargs,
                context=context,
                timeout=timeout,
            )
        )


def _ids(ids: int | Sequence[int]) -> list[int]:
    return [ids] if isinstance(ids, int) else list(ids)


def _drop_none(values: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in values.items() if value is not None}
