"""What relational fields read as: :class:`Ref` (many2one) and :class:`X2Many` (x2many).

Both know the related ids without another call; the records behind them are
read on request, for the whole page at once (see :class:`~zenoo_rpc.models.page.Page`):

::

    order.partner_id.id, order.partner_id.display_name   # no call
    partner = await order.partner_id.get()                # one read for the page's partners
    lines = await order.order_line.all()                  # one read for the page's lines

Nothing here ever makes a network call on attribute access: what is not
loaded raises :class:`~zenoo_rpc.errors.FieldNotLoaded` naming the awaitable
that loads it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Generic

from typing_extensions import TypeVar

from zenoo_rpc.errors import DoesNotExist, FieldNotLoaded

if TYPE_CHECKING:
    from zenoo_rpc.models.base import OdooModel
    from zenoo_rpc.models.fields.relational import RelationalField
    from zenoo_rpc.models.page import Page

__all__ = ["Ref", "X2Many", "make_ref", "make_x2many"]

M = TypeVar("M", bound="OdooModel", default="OdooModel")


class Ref(Generic[M]):
    """A many2one value: the related record's ``id`` and ``display_name``, and a way to load it.

    ``await ref.get()`` returns the full record, typed as the field declares
    it; the first call reads the related records of every record of the page
    in one call. A ``Ref`` compares equal to another ``Ref`` or a record of the
    same model and id, and works in domains (``filter(partner_id=order.partner_id)``).
    """

    __slots__ = ("_field", "_odoo_model_name", "_page", "_record", "display_name", "id")

    def __init__(
        self,
        model_name: str,
        id: int,
        display_name: str | None = None,
        *,
        page: Page | None = None,
        field: RelationalField[Any, Any, Any] | None = None,
        record: M | None = None,
    ) -> None:
        self._odoo_model_name = model_name
        self.id = id
        self.display_name = display_name
        self._page = page
        self._field = field
        self._record = record

    @property
    def loaded(self) -> bool:
        """True when :attr:`record` is available without a call."""
        return self._current() is not None

    def _current(self) -> M | None:
        if self._record is not None:
            return self._record
        page, field = self._page, self._field
        if page is not None and field is not None:
            records = page.loaded(field)
            if records is not None:
                return records.get(self.id)  # type: ignore[return-value]
        return None

    @property
    def record(self) -> M:
        """The related record, when it is loaded (``prefetch_related`` or an earlier ``get()``)."""
        record = self._current()
        if record is None:
            raise FieldNotLoaded(
                f"{self._odoo_model_name} record {self.id} is not loaded: "
                "`await ref.get()` reads it (with the rest of the page), or use "
                "`prefetch_related(...)` on the query",
                model=self._odoo_model_name,
                field=self._field.name if self._field is not None else "",
            )
        return record

    async def get(self) -> M:
        """The full related record; reads the page's related records in one call if needed.

        :raises DoesNotExist: the record was deleted or is not visible to this user.
        """
        record = self._current()
        if record is not None:
            return record
        page, field = self._page, self._field
        if page is None or field is None:
            raise FieldNotLoaded(
                f"this reference to {self._odoo_model_name} {self.id} belongs to no record "
                "read through a client; query it with client.model(...).get(id=...)",
                model=self._odoo_model_name,
            )
        found = (await page.related(field)).get(self.id)
        if found is None:
            raise DoesNotExist(
                f"{self._odoo_model_name} record {self.id} does not exist or is not visible",
                model=self._odoo_model_name,
            )
        return found  # type: ignore[return-value]

    def __eq__(self, other: object) -> bool:
        other_model = getattr(other, "_odoo_model_name", None)
        if other_model is None:
            return NotImplemented
        return other_model == self._odoo_model_name and getattr(other, "id", None) == self.id

    def __hash__(self) -> int:
        return hash((self._odoo_model_name, self.id))

    def __repr__(self) -> str:
        name = f", {self.display_name!r}" if self.display_name is not None else ""
        return f"Ref({self._odoo_model_name!r}, {self.id}{name})"


def make_ref(
    model_name: str,
    record_id: int,
    display_name: str | None,
    page: Page | None,
    field: RelationalField[Any, Any, Any] | None,
) -> Ref[Any]:
    """A :class:`Ref` built without keyword parsing: decoding makes one per many2one value."""
    ref: Ref[Any] = _new(Ref)
    ref._odoo_model_name = model_name
    ref.id = record_id
    ref.display_name = display_name
    ref._page = page
    ref._field = field
    ref._record = None
    return ref


def make_x2many(
    model_name: str,
    ids: list[int],
    page: Page | None,
    field: RelationalField[Any, Any, Any] | None,
) -> X2Many[Any]:
    """An :class:`X2Many` built without keyword parsing (one per x2many value decoded)."""
    value: X2Many[Any] = _new(X2Many)
    value.model_name = model_name
    value.ids = ids
    value._page = page
    value._field = field
    value._records = None
    return value


_new = object.__new__


class X2Many(Generic[M]):
    """A one2many or many2many value: the related ids, and the records once loaded.

    ``ids`` and ``len()`` need no call. ``await lines.all()`` reads the related
    records of every record of the page in one call; after that (or with
    ``prefetch_related``), iterating gives the records directly.
    """

    __slots__ = ("_field", "_page", "_records", "ids", "model_name")

    def __init__(
        self,
        model_name: str,
        ids: list[int],
        *,
        page: Page | None = None,
        field: RelationalField[Any, Any, Any] | None = None,
        records: list[M] | None = None,
    ) -> None:
        self.model_name = model_name
        self.ids = ids
        self._page = page
        self._field = field
        self._records = records

    def _current(self) -> list[M] | None:
        if self._records is not None:
            return self._records
        page, field = self._page, self._field
        if page is not None and field is not None:
            records = page.loaded(field)
            if records is not None:
                return [records[i] for i in self.ids if i in records]  # type: ignore[misc]
        return None

    @property
    def loaded(self) -> bool:
        """True when :attr:`records` is available without a call."""
        return self._current() is not None

    @property
    def records(self) -> list[M]:
        """The related records, when loaded (``prefetch_related`` or an earlier ``all()``)."""
        records = self._current()
        if records is None:
            field = self._field.name if self._field is not None else "x2many"
            raise FieldNotLoaded(
                f"the {self.model_name} records of {field!r} are not loaded: "
                f"`await record.{field}.all()` reads them (for the whole page), or use "
                f"`prefetch_related({field!r})` on the query",
                model=self.model_name,
                field=field,
            )
        return records

    async def all(self) -> list[M]:
        """The related records (missing or invisible ones left out, as Odoo's ``read`` does)."""
        records = self._current()
        if records is not None:
            return records
        if not self.ids:
            return []
        page, field = self._page, self._field
        if page is None or field is None:
            raise FieldNotLoaded(
                f"these {self.model_name} ids belong to no record read through a client",
                model=self.model_name,
            )
        loaded = await page.related(field)
        return [loaded[i] for i in self.ids if i in loaded]  # type: ignore[misc]

    def __len__(self) -> int:
        return len(self.ids)

    def __bool__(self) -> bool:
        return bool(self.ids)

    def __iter__(self) -> Iterator[M]:
        return iter(self.records)

    def __contains__(self, item: object) -> bool:
        if isinstance(item, int):
            return item in self.ids
        return getattr(item, "_odoo_model_name", None) == self.model_name and (
            getattr(item, "id", None) in self.ids
        )

    def __eq__(self, other: object) -> bool:
        if isinstance(other, X2Many):
            return other.model_name == self.model_name and other.ids == self.ids
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"X2Many({self.model_name!r}, {self.ids!r})"
