"""``Field``: the typed descriptor every model field is built on.

A record keeps the row exactly as the server sent it (``record._raw``) and
converts a value only when it is read: decoding a page of records costs one
small object per record, whatever the number of fields. Reading a field
converts Odoo's wire form into Python (``False`` for an empty char becomes
``None``, a datetime string an aware ``datetime``...); assigning one converts
back and marks the field dirty, so that :meth:`~zenoo_rpc.models.OdooModel.save`
writes only what changed.

Conversions that build objects (dates, relations) are computed once per
record and kept in ``record._values``; the others (strings, numbers) are
cheap enough to redo on each read, which keeps decoding free of per-field work.

Class access returns the field itself (``ResPartner.name``), instance access
the value, typed: ``CharField`` gives ``str | None``, ``IntegerField`` ``int``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, Generic, overload

from typing_extensions import Self, TypeVar

from zenoo_rpc.errors import FieldNotLoaded, FieldValueError

if TYPE_CHECKING:
    from zenoo_rpc.models.base import OdooModel

__all__ = ["MISSING", "Field", "Missing"]

G = TypeVar("G")  # what reading the field gives
S = TypeVar("S")  # what assigning the field takes


class Missing:
    """The type of :data:`MISSING`: no default was given."""

    _instance: ClassVar[Missing | None] = None

    def __new__(cls) -> Missing:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        return False


#: Marks "no default": Odoo's own default applies on create.
MISSING = Missing()

_UNSET: Any = object()


class Field(Generic[G, S]):
    """A typed Odoo field on an :class:`~zenoo_rpc.models.OdooModel`.

    :param string: the field's label (Odoo's ``string``), for documentation and codegen.
    :param required: Odoo's ``required``. Informational: the server has defaults the
        client cannot know, so a missing required value is left for the server to refuse.
    :param readonly: assigning the field raises :class:`~zenoo_rpc.errors.FieldValueError`
        (use it for computed fields the server would ignore or refuse).
    :param default: the value :meth:`~zenoo_rpc.query.QuerySet.create` sends when the
        caller gives none (a value, or a function of no arguments). Without it, Odoo's
        own default applies.
    :param help: Odoo's tooltip, for documentation.
    :param lazy: leave the field out of the default field selection (heavy fields);
        read it with ``only()`` or ``await record.fetch("name")``.
    :param since: first Odoo major version that has the field (``None``: all).
    :param until: last Odoo major version that has the field (``None``: all).
    :param odoo_name: the field's name in Odoo when the attribute has to be named
        differently (a field called ``update`` or ``save`` would hide a record method).
    """

    #: Odoo's type name, as ``fields_get`` reports it.
    odoo_type: ClassVar[str] = ""
    #: True when the conversion builds an object worth keeping per record.
    cached: ClassVar[bool] = False

    name: str
    attr: str
    owner: type[Any] | None

    def __init__(
        self,
        string: str | None = None,
        *,
        required: bool = False,
        readonly: bool = False,
        default: Any = MISSING,
        help: str | None = None,
        lazy: bool = False,
        since: int | None = None,
        until: int | None = None,
        odoo_name: str | None = None,
    ) -> None:
        self.string = string
        self.required = required
        self.readonly = readonly
        self.default = default
        self.help = help
        self.lazy = lazy
        self.since = since
        self.until = until
        self.odoo_name = odoo_name
        self.name = odoo_name or ""
        self.attr = ""
        self.owner = None

    def __set_name__(self, owner: type[Any], name: str) -> None:
        self.attr = name
        self.name = self.odoo_name or name
        self.owner = owner

    # ------------------------------------------------------------------ descriptor

    @overload
    def __get__(self, instance: None, owner: type[Any] | None = None) -> Self: ...

    @overload
    def __get__(self, instance: OdooModel, owner: type[Any] | None = None) -> G: ...

    def __get__(self, instance: OdooModel | None, owner: type[Any] | None = None) -> Self | G:
        if instance is None:
            return self
        if self.cached:
            values = instance._values
            name = self.name
            value = values.get(name, _UNSET)
            if value is _UNSET:
                try:
                    raw = instance._raw[name]
                except KeyError:
                    raise self.not_loaded(instance) from None
                value = values[name] = self.from_wire(raw, instance)
            return value  # type: ignore[no-any-return]
        try:
            raw = instance._raw[self.name]
        except KeyError:
            raise self.not_loaded(instance) from None
        return self.from_wire(raw, instance)

    def __set__(self, instance: OdooModel, value: S) -> None:
        if self.readonly:
            raise FieldValueError(
                f"{self.label} is read-only", model=instance._odoo_model_name, field=self.name
            )
        wire = self.to_wire(value)
        instance._assign(self, self.name, wire, self.loaded_form(value, wire, instance))

    # ------------------------------------------------------------------ conversions

    def from_wire(self, value: Any, record: OdooModel | None = None) -> G:
        """The Python value of ``value`` as the server sent it (``False`` means empty)."""
        return value  # type: ignore[no-any-return]

    def to_wire(self, value: S) -> Any:
        """The value to send for ``value`` (``None`` is sent as ``False``)."""
        return False if value is None else value

    def loaded_form(self, value: S, wire: Any, record: OdooModel) -> Any:
        """The wire form the record keeps after ``value`` was assigned (sent as ``wire``).

        :data:`MISSING` when it cannot be known before the server has the change
        (x2many commands that create records).
        """
        return wire

    def same_wire(self, loaded: Any, wire: Any) -> bool:
        """True when assigning ``wire`` over the loaded ``loaded`` changes nothing."""
        return bool(loaded == wire)

    def default_value(self) -> Any:
        """The default to send on create (``MISSING`` when the field has none)."""
        default = self.default
        return default() if isinstance(default, Callable) else default  # type: ignore[arg-type]

    # ------------------------------------------------------------------ metadata

    def available_in(self, major: int | None) -> bool:
        """True when the field exists in Odoo ``major`` (always, when the version is unknown)."""
        if major is None:
            return True
        if self.since is not None and major < self.since:
            return False
        return not (self.until is not None and major > self.until)

    @property
    def label(self) -> str:
        owner = getattr(self.owner, "__name__", "?")
        return f"{owner}.{self.attr or self.name}"

    def not_loaded(self, record: OdooModel) -> FieldNotLoaded:
        model = record._odoo_model_name
        if record._dirty and self.name in record._dirty:
            return FieldNotLoaded(
                f"{model} field {self.name!r} holds unsaved x2many commands: "
                "`await record.save()` sends them and reads the field back",
                model=model,
                field=self.name,
            )
        hint = (
            f"`await record.fetch({self.name!r})` reads it for this record, "
            f"`.only(..., {self.name!r})` for the whole query"
        )
        why = "is lazy (not read by default)" if self.lazy else "was not read by this query"
        return FieldNotLoaded(
            f"{model} field {self.name!r} {why}: {hint}", model=model, field=self.name
        )

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.label}>"
