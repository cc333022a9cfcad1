"""``OdooModel``: typed Odoo records, with your own methods on them.

::

    from zenoo_rpc.models import OdooModel, fields

    class Partner(OdooModel):
        class Meta:
            model_name = "res.partner"

        name = fields.CharField(string="Name")
        email = fields.CharField()
        country_id = fields.Many2oneField["Country"]("res.country")

        async def orders(self) -> list[OdooModel]:
            return await self.client.model("sale.order").filter(partner_id=self).all()

    partner = await client.model(Partner).get(email="info@example.com")
    partner.email = "sales@example.com"
    await partner.save()                       # writes only ``email``

A record holds the row as the server sent it and converts each field on
first access (see :mod:`zenoo_rpc.models.fields`): decoding a page costs one
small object per record. Records are snapshots: they never call the server
on attribute access; ``await record.refresh()`` reads them again.

Attribute names the model layer uses (:data:`RESERVED_NAMES`) cannot be
field names; declare such a field under another name with
``odoo_name="update"``, or read it with ``record["update"]``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from typing_extensions import Self

from zenoo_rpc.errors import FieldNotLoaded, ModelDefinitionError
from zenoo_rpc.models.fields.base import MISSING, Field
from zenoo_rpc.models.fields.scalar import CharField
from zenoo_rpc.models.page import Page
from zenoo_rpc.models.relations import X2Many
from zenoo_rpc.models.wire import wire_value

if TYPE_CHECKING:
    from zenoo_rpc.client import ZenooClient

__all__ = ["RESERVED_NAMES", "OdooModel"]

#: Attributes of every record: no field may be declared under these names.
RESERVED_NAMES: frozenset[str] = frozenset(
    {
        "Meta",
        "as_dict",
        "client",
        "delete",
        "dirty_fields",
        "fetch",
        "from_rows",
        "id",
        "is_dirty",
        "loaded_fields",
        "refresh",
        "save",
        "update",
    }
)


class OdooModel:
    """Base class of typed Odoo records.

    Subclasses name their Odoo model in an inner ``Meta`` class and declare
    their fields; ``id`` and ``display_name`` are always there. Get records
    from a query (``client.model(Model)``), never by calling the class.

    Records compare equal (and hash alike) when they are of the same Odoo
    model with the same id. They satisfy
    :class:`~zenoo_rpc.query.domain.SupportsOdooId`, so
    ``filter(partner_id=partner)`` works.
    """

    __slots__ = ("__weakref__", "_dirty", "_page", "_raw", "_values", "id")

    #: The Odoo model name (``Meta.model_name``).
    _odoo_model_name: ClassVar[str] = ""
    #: Declared fields by Odoo field name (inherited ones included).
    _fields: ClassVar[dict[str, Field[Any, Any]]] = {}
    #: For models built from ``fields_get``: the default field selection.
    _default_fields: ClassVar[tuple[str, ...] | None] = None

    id: int
    _raw: dict[str, Any]
    _values: dict[str, Any]
    _dirty: dict[str, Any] | None
    _page: Page

    display_name = CharField(string="Display Name", readonly=True)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        meta = cls.__dict__.get("Meta")
        name = getattr(meta, "model_name", None) if meta is not None else None
        if name is not None:
            if not isinstance(name, str) or not name.strip() or name != name.strip():
                raise ModelDefinitionError(
                    f"{cls.__name__}.Meta.model_name must be an Odoo model name like "
                    f"'res.partner', not {name!r}"
                )
            cls._odoo_model_name = name
        collected: dict[str, Field[Any, Any]] = {}
        for klass in reversed(cls.__mro__):
            for attr, value in vars(klass).items():
                if isinstance(value, Field):
                    if attr in RESERVED_NAMES:
                        raise ModelDefinitionError(
                            f"{cls.__name__}.{attr}: {attr!r} is an attribute of every record; "
                            f"declare the field under another name with odoo_name={attr!r}"
                        )
                    collected[value.name or attr] = value
        cls._fields = collected
        if "_default_fields" not in cls.__dict__:
            cls._default_fields = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        raise TypeError(
            f"{type(self).__name__} records come from the server: use "
            f"`await client.model({type(self).__name__}).create(...)` to make one, "
            f"or {type(self).__name__}.from_rows(rows) to decode rows you already have"
        )

    # ------------------------------------------------------------------ decoding

    @classmethod
    def _decode(cls, rows: Iterable[dict[str, Any]], page: Page) -> list[Self]:
        """Wrap server rows (taken over, not copied) as records of ``page``."""
        new = object.__new__
        records: list[Self] = []
        append = records.append
        kept: list[dict[str, Any]] = rows if isinstance(rows, list) else []
        for row in rows:
            record = new(cls)
            record.id = row["id"]
            record._raw = row
            record._values = {}
            record._dirty = None
            record._page = page
            append(record)
            if kept is not rows:
                kept.append(row)
        page.rows = kept
        return records

    @classmethod
    def from_rows(
        cls,
        rows: Iterable[Mapping[str, Any]],
        *,
        client: ZenooClient | None = None,
        fields: Sequence[str] | None = None,
    ) -> list[Self]:
        """Records of rows you already have (``search_read`` / ``read`` / ``web_read`` rows).

        :param client: the client their relations and writes go through (optional).
        :param fields: the fields the rows were read with (for error messages).
        """
        page = Page(client, cls, fields)
        return cls._decode([dict(row) for row in rows], page)

    # ------------------------------------------------------------------ state

    @property
    def client(self) -> ZenooClient:
        """The client (or ``with_context`` view) this record was read with."""
        return self._page.require_client()

    @property
    def loaded_fields(self) -> frozenset[str]:
        """Names of the fields this record holds a value for."""
        return frozenset(self._raw)

    @property
    def is_dirty(self) -> bool:
        """True when fields were assigned and not saved yet."""
        return bool(self._dirty)

    @property
    def dirty_fields(self) -> frozenset[str]:
        """Names of the fields assigned and not saved yet."""
        return frozenset(self._dirty or ())

    def _assign(self, field: Field[Any, Any] | None, name: str, wire: Any, loaded: Any) -> None:
        raw = self._raw
        dirty = self._dirty
        if (dirty is None or name not in dirty) and name in raw:
            same = field.same_wire(raw[name], wire) if field is not None else raw[name] == wire
            if same:
                return
        if dirty is None:
            self._dirty = dirty = {}
        dirty[name] = wire
        if loaded is MISSING:
            raw.pop(name, None)
        else:
            raw[name] = loaded
        self._values.pop(name, None)

    def _set_values(self, values: Mapping[str, Any]) -> None:
        fields = type(self)._fields
        by_attr = {field.attr: field for field in fields.values()}
        for key, value in values.items():
            field = by_attr.get(key) or fields.get(key)
            if field is not None:
                field.__set__(self, value)
            else:
                wire = wire_value(value)
                self._assign(None, key, wire, wire)

    def __getitem__(self, name: str) -> Any:
        """The value of field ``name``: converted for declared fields, as sent otherwise."""
        field = type(self)._fields.get(name)
        if field is not None:
            return field.__get__(self, type(self))
        if name == "id":
            return self.id
        try:
            return self._raw[name]
        except KeyError:
            raise FieldNotLoaded(
                f"{self._odoo_model_name} field {name!r} was not read by this query: "
                f"`await record.fetch({name!r})` reads it",
                model=self._odoo_model_name,
                field=name,
            ) from None

    def as_dict(self, fields: Iterable[str] | None = None) -> dict[str, Any]:
        """The loaded fields (or ``fields``) as a dict; x2many values as lists of ids."""
        names = list(fields) if fields is not None else list(self._raw)
        out: dict[str, Any] = {}
        for name in names:
            value = self[name]
            out[name] = list(value.ids) if isinstance(value, X2Many) else value
        return out

    # ------------------------------------------------------------------ writes

    async def save(self) -> None:
        """Write the assigned fields (only those) in one ``write``; nothing to do, no call.

        x2many fields written with commands that create records are read back
        in one more call, so that the record shows the new ids.
        """
        dirty = self._dirty
        if not dirty:
            return
        from zenoo_rpc.query.write_calls import write_ids

        client = self.client
        self._dirty = None  # assignments made while the write is in flight stay dirty
        try:
            await write_ids(client, self._odoo_model_name, [self.id], dirty)
        except BaseException:
            self._dirty = {**dirty, **self._assigned_since()}  # nothing lost: save() again
            raise
        unknown = [name for name in dirty if name not in self._raw]
        if unknown:
            await self.fetch(*unknown)

    def _assigned_since(self) -> dict[str, Any]:
        return self._dirty or {}

    async def update(self, **values: Any) -> None:
        """Assign ``values`` (checked by their fields) and :meth:`save`."""
        self._set_values(values)
        await self.save()

    async def refresh(self) -> Self:
        """Read this record's loaded fields again; unsaved assignments are dropped.

        :raises DoesNotExist: the record was deleted (or is no longer visible).
        """
        from zenoo_rpc.query.fetch import reload_record

        await reload_record(self, list(self._raw))
        self._dirty = None
        return self

    async def fetch(self, *names: str) -> Self:
        """Read the fields ``names`` (lazy ones like binaries) for this record."""
        from zenoo_rpc.query.fetch import reload_record

        if names:
            await reload_record(self, list(names), merge=True)
        return self

    async def delete(self) -> None:
        """Delete this record on the server (``unlink``)."""
        from zenoo_rpc.query.write_calls import unlink_ids

        await unlink_ids(self.client, self._odoo_model_name, [self.id])

    # ------------------------------------------------------------------ identity

    def __eq__(self, other: object) -> bool:
        other_model = getattr(other, "_odoo_model_name", None)
        if other_model is None:
            return NotImplemented
        return other_model == self._odoo_model_name and getattr(other, "id", None) == self.id

    def __hash__(self) -> int:
        return hash((self._odoo_model_name, self.id))

    def __repr__(self) -> str:
        name = self._raw.get("display_name")
        if not isinstance(name, str):
            name = self._raw.get("name")
        shown = f" {name!r}" if isinstance(name, str) else ""
        return f"<{type(self).__name__} {self._odoo_model_name}({self.id}){shown}>"
