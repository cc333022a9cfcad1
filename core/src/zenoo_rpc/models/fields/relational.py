"""Many2one, one2many and many2many fields.

Type them with the related model so that loading is typed end to end::

    country_id = Many2oneField["ResCountry"]("res.country", string="Country")
    child_ids = One2manyField["ResPartner"]("res.partner", inverse_name="parent_id")

    partner.country_id               # Ref[ResCountry] | None: id and display name, no call
    await partner.country_id.get()   # ResCountry
    await partner.child_ids.all()    # list[ResPartner]

The class named in brackets (a class or its name as a string, resolved in the
module that declares the model) is what related records are decoded into; a
class registered for the same Odoo model that subclasses it wins (see
:mod:`zenoo_rpc.models.registry`). Unsubscripted fields use the registry, or
a generic model built from ``fields_get``.
"""

from __future__ import annotations

import sys
import typing
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, ForwardRef, Generic, TypeAlias

from typing_extensions import TypeVar

from zenoo_rpc.errors import FieldValueError, ModelDefinitionError
from zenoo_rpc.models.commands import apply_commands, is_command
from zenoo_rpc.models.fields.base import MISSING, Field
from zenoo_rpc.models.relations import Ref, X2Many, make_ref, make_x2many
from zenoo_rpc.models.wire import record_id, wire_values

if TYPE_CHECKING:
    from zenoo_rpc.models.base import OdooModel

__all__ = [
    "Many2manyField",
    "Many2oneField",
    "One2manyField",
    "RelationalField",
    "X2ManyAssignable",
    "X2ManyField",
]

G = TypeVar("G")
S = TypeVar("S")
M = TypeVar("M", bound="OdooModel", default="OdooModel")

#: What a many2one field takes: a record, a reference, an id, or ``None``.
Many2oneAssignable: TypeAlias = "OdooModel | Ref[Any] | int | None"
#: What an x2many field takes: ids / records / refs (the new set), or commands.
X2ManyAssignable: TypeAlias = Iterable[Any] | X2Many[Any]

_UNRESOLVED: Any = object()


class RelationalField(Field[G, S], Generic[G, S, M]):
    """Shared by the three relational fields: the comodel and its class."""

    cached = True

    def __init__(self, comodel: str, string: str | None = None, **options: Any) -> None:
        name: object = comodel
        if not isinstance(name, str) or "." not in name:
            raise ModelDefinitionError(
                f"a relational field takes the related Odoo model's name first "
                f"(like 'res.partner'), not {comodel!r}"
            )
        super().__init__(string, **options)
        self.comodel = comodel
        self._declared: Any = _UNRESOLVED

    def declared_model(self) -> type[OdooModel] | None:
        """The class the field was subscripted with (``Many2oneField[ResCountry]``), if any.

        A string is looked up in the module that declares the model, on first use.
        """
        if self._declared is not _UNRESOLVED:
            return self._declared  # type: ignore[no-any-return]
        from zenoo_rpc.models.base import OdooModel

        args = typing.get_args(getattr(self, "__orig_class__", None))
        target: Any = args[0] if args else None
        if isinstance(target, ForwardRef):
            target = target.__forward_arg__
        if isinstance(target, str):
            owner = self.owner
            module = sys.modules.get(owner.__module__) if owner is not None else None
            found = getattr(module, target, None) if module is not None else None
            if found is None and owner is not None and owner.__name__ == target:
                found = owner
            if found is None:
                return None  # not defined yet: try again next time
            target = found
        if not (isinstance(target, type) and issubclass(target, OdooModel)):
            target = None
        elif target._odoo_model_name != self.comodel:
            raise ModelDefinitionError(
                f"{self.label} relates to {self.comodel!r} but is typed with "
                f"{target.__name__}, a model of {target._odoo_model_name!r}"
            )
        self._declared = target
        return target  # type: ignore[no-any-return]

    def ids_in(self, row: dict[str, Any]) -> list[int]:
        """The related ids a record's row holds in this field (nothing when not loaded)."""
        raise NotImplementedError

    def _check_model(self, value: Any) -> None:
        model = getattr(value, "_odoo_model_name", None)
        if model is not None and model != self.comodel:
            raise FieldValueError(
                f"{self.label} takes {self.comodel} records, not a {model} record",
                model=getattr(self.owner, "_odoo_model_name", ""),
                field=self.name,
            )

    def _id(self, value: Any) -> int:
        self._check_model(value)
        try:
            return record_id(value, f"{self.label}'s value")
        except TypeError as exc:
            raise FieldValueError(
                str(exc), model=getattr(self.owner, "_odoo_model_name", ""), field=self.name
            ) from None


class Many2oneField(RelationalField[Ref[M] | None, Many2oneAssignable, M], Generic[M]):
    """A link to one record (Odoo ``many2one``), read as a :class:`~zenoo_rpc.models.Ref`."""

    odoo_type = "many2one"

    def __init__(
        self,
        comodel: str,
        string: str | None = None,
        *,
        ondelete: str | None = None,
        **options: Any,
    ) -> None:
        super().__init__(comodel, string, **options)
        self.ondelete = ondelete

    def from_wire(self, value: Any, record: OdooModel | None = None) -> Ref[M] | None:
        page = record._page if record is not None else None
        kind = type(value)
        if kind is list or kind is tuple:
            return make_ref(self.comodel, value[0], value[1] or None, page, self)
        if kind is dict:
            return make_ref(self.comodel, value["id"], value.get("display_name"), page, self)
        if value is False or value is None:
            return None
        if kind is int:
            return make_ref(self.comodel, value, None, page, self)
        raise FieldValueError(
            f"{self.label}: unexpected many2one value {value!r:.60} from the server",
            model=getattr(self.owner, "_odoo_model_name", ""),
            field=self.name,
        )

    def to_wire(self, value: Any) -> Any:
        if value is None or value is False:
            return False
        return self._id(value)

    def loaded_form(self, value: Any, wire: Any, record: OdooModel) -> Any:
        if wire is False:
            return False
        name = getattr(value, "display_name", None)  # None when not loaded
        return [wire, name if isinstance(name, str) else False]

    def same_wire(self, loaded: Any, wire: Any) -> bool:
        return _m2o_id(loaded) == (wire or None)

    def ids_in(self, row: dict[str, Any]) -> list[int]:
        rid = _m2o_id(row.get(self.name, False))
        return [rid] if rid else []


class X2ManyField(RelationalField[X2Many[M], X2ManyAssignable, M], Generic[M]):
    """Shared by one2many and many2many: read as :class:`~zenoo_rpc.models.X2Many`.

    Assign ids, records or refs to replace the links (sent as ``Command.set``),
    or a list of :class:`~zenoo_rpc.models.Command` triples.
    """

    def from_wire(self, value: Any, record: OdooModel | None = None) -> X2Many[M]:
        page = record._page if record is not None else None
        if value is False or value is None:
            ids: list[int] = []
        elif value and type(value[0]) is dict:
            ids = [row["id"] for row in value]
        else:
            ids = value
        return make_x2many(self.comodel, ids, page, self)

    def to_wire(self, value: Any) -> Any:
        if isinstance(value, X2Many):
            return [(6, 0, list(value.ids))]
        if value is None:
            return [(5, 0, 0)]
        if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
            raise FieldValueError(
                f"{self.label} takes ids, records or Command triples, not {value!r:.60}",
                model=getattr(self.owner, "_odoo_model_name", ""),
                field=self.name,
            )
        items = list(value)
        if items and all(is_command(item) for item in items):
            return [_command(item) for item in items]
        if any(is_command(item) for item in items):
            raise FieldValueError(
                f"{self.label}: give either ids/records or Command triples, not both",
                model=getattr(self.owner, "_odoo_model_name", ""),
                field=self.name,
            )
        return [(6, 0, [self._id(item) for item in items])]

    def __set__(self, instance: OdooModel, value: X2ManyAssignable) -> None:
        """Assign ids (the new set) or commands; commands add to those not saved yet."""
        if self.readonly:
            raise FieldValueError(
                f"{self.label} is read-only", model=instance._odoo_model_name, field=self.name
            )
        wire = self.to_wire(value)
        loaded = self.loaded_form(value, wire, instance)
        pending = instance._dirty.get(self.name) if instance._dirty else None
        if pending is not None:
            wire = [*pending, *wire]
        instance._assign(self, self.name, wire, loaded)

    def loaded_form(self, value: Any, wire: Any, record: OdooModel) -> Any:
        loaded = record._raw.get(self.name)
        ids = apply_commands(_x2many_ids(loaded) if loaded is not None else None, wire)
        return MISSING if ids is None else ids

    def same_wire(self, loaded: Any, wire: Any) -> bool:
        if len(wire) != 1 or wire[0][0] != 6:
            return False
        return set(_x2many_ids(loaded)) == set(wire[0][2])

    def ids_in(self, row: dict[str, Any]) -> list[int]:
        return _x2many_ids(row.get(self.name, False))


class One2manyField(X2ManyField[M], Generic[M]):
    """The records whose ``inverse_name`` many2one points here (Odoo ``one2many``)."""

    odoo_type = "one2many"

    def __init__(
        self,
        comodel: str,
        inverse_name: str | None = None,
        string: str | None = None,
        **options: Any,
    ) -> None:
        super().__init__(comodel, string, **options)
        self.inverse_name = inverse_name


class Many2manyField(X2ManyField[M], Generic[M]):
    """Links to any number of records (Odoo ``many2many``)."""

    odoo_type = "many2many"


def _m2o_id(value: Any) -> int | None:
    kind = type(value)
    if kind is list or kind is tuple:
        return value[0]  # type: ignore[no-any-return]
    if kind is dict:
        return value["id"]  # type: ignore[no-any-return]
    if kind is int:
        return value  # type: ignore[no-any-return]
    return None


def _x2many_ids(value: Any) -> list[int]:
    if not value:
        return []
    if type(value[0]) is dict:
        return [row["id"] for row in value]
    return list(value)


def _command(item: Sequence[Any]) -> tuple[int, int, Any]:
    code, rid, payload = item[0], item[1], item[2]
    if code in (0, 1) and isinstance(payload, dict):
        payload = wire_values(payload)
    elif code == 6:
        payload = [record_id(i) for i in payload]
    return (code, record_id(rid) if code in (1, 2, 3, 4) else 0, payload)
