"""Field declarations: what a column stores, how it reads back and how ``fields_get`` shows it.

Storage values are deliberately primitive so that tables pickle fast and stay
small: ``None`` means SQL NULL, many2one is an ``int``, many2many a ``tuple`` of
ids; one2many is never stored (it is the inverse of a many2one, see
:meth:`One2many.inverse`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from typing import Any, ClassVar

__all__ = [
    "Binary",
    "Boolean",
    "Char",
    "Date",
    "Datetime",
    "Field",
    "Float",
    "Html",
    "Integer",
    "Json",
    "Many2many",
    "Many2one",
    "Monetary",
    "One2many",
    "Selection",
    "Text",
]

Default = Callable[[Any], Any] | Any
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$")


class Field:
    """A model attribute declaring one Odoo field.

    ``compute`` names a model method ``(ids) -> dict[id, storage value]``; with
    ``store=True`` its result is written into the table whenever one of
    ``depends`` (local field names) changes, otherwise it runs at read time.
    """

    type: ClassVar[str] = "char"
    relational: ClassVar[bool] = False
    #: Aggregate ``read_group`` applies when a field is asked without one.
    default_aggregator: ClassVar[str | None] = None
    groupable_type: ClassVar[bool] = True

    def __init__(
        self,
        string: str | None = None,
        *,
        required: bool = False,
        readonly: bool = False,
        default: Default = None,
        help: str | None = None,
        compute: str | None = None,
        store: bool | None = None,
        depends: Sequence[str] = (),
        copy: bool | None = None,
        groups: str | None = None,
        related: str | None = None,
        search: str | None = None,
        write_only: bool = False,
        since: int = 0,
        until: int = 99,
    ) -> None:
        self.name = ""
        self.model_name = ""
        self._string = string
        self.required = required
        self.default = default
        self.help = help
        self.compute = compute
        self.store = store if store is not None else compute is None
        self.readonly = readonly or (compute is not None and not self.store)
        self.depends = tuple(depends)
        self.copy = copy if copy is not None else True
        self.groups = groups
        self.related = related
        self.search = search
        #: Secret columns (passwords): accepted on write, read back as ``""``.
        self.write_only = write_only
        #: Odoo major versions that have the field.
        self.since = since
        self.until = until

    def __set_name__(self, owner: object, name: str) -> None:
        self.name = name

    @property
    def string(self) -> str:
        if self._string:
            return self._string
        base = self.name
        for suffix in ("_ids", "_id"):
            if base.endswith(suffix):
                base = base[: -len(suffix)]
                break
        return base.replace("_", " ").strip().title() or self.name

    @property
    def column(self) -> bool:
        """Whether the value lives in the table (not derived at read time)."""
        return self.store

    # -- conversions ---------------------------------------------------------------
    def empty(self) -> Any:
        """The storage value of a record that never got one."""
        return None

    def to_storage(self, value: Any) -> Any:
        """Turn an RPC value into the storage value; ValueError when it does not fit."""
        if value is None or value is False:
            return None
        return value

    def to_read(self, value: Any) -> Any:
        """The storage value as ``read`` returns it (relational fields override)."""
        if self.write_only:
            return ""
        return False if value is None else value

    def wrong_value(self, value: Any) -> ValueError:
        return ValueError(f"Wrong value for {self.model_name}.{self.name}: {value!r}")

    # -- fields_get ----------------------------------------------------------------
    def describe(self, version: int) -> dict[str, Any]:
        """All attributes ``fields_get`` reports for this field, as real Odoo spells them."""
        desc: dict[str, Any] = {
            "change_default": False,
            "company_dependent": False,
            "default_export_compatible": self.name == "name",
            "depends": list(self.depends),
            "exportable": True,
            "groupable": self.store and self.groupable_type,
            "manual": False,
            "name": self.name,
            "readonly": self.readonly,
            "required": self.required,
            "searchable": self.store or self.search is not None or self.compute is not None,
            "sortable": self.store and self.groupable_type,
            "store": self.store,
            "string": self.string,
            "type": self.type,
        }
        if self.help:
            desc["help"] = self.help
        if self.groups:
            desc["groups"] = self.groups
        if self.related:
            desc["related"] = self.related
        if self.default_aggregator:
            desc["aggregator" if version >= 17 else "group_operator"] = self.default_aggregator
        return desc


class _String(Field):
    translate: ClassVar[bool] = False

    def to_storage(self, value: Any) -> Any:
        if value is None or value is False:
            return None
        if not isinstance(value, str):
            value = str(value)
        return value

    def describe(self, version: int) -> dict[str, Any]:
        desc = super().describe(version)
        desc["translate"] = False
        return desc


class Char(_String):
    type = "char"

    def describe(self, version: int) -> dict[str, Any]:
        desc = super().describe(version)
        desc["trim"] = True
        return desc


class Text(_String):
    type = "text"


class Html(_String):
    type = "html"

    def describe(self, version: int) -> dict[str, Any]:
        desc = super().describe(version)
        desc.update(
            sanitize=True,
            sanitize_attributes=True,
            sanitize_style=False,
            sanitize_tags=True,
            strip_classes=False,
            strip_style=False,
        )
        return desc


class Integer(Field):
    type = "integer"
    default_aggregator = "sum"

    def empty(self) -> Any:
        return 0

    def to_storage(self, value: Any) -> Any:
        if value is None or value is False:
            return 0
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            raise self.wrong_value(value)
        try:
            return int(value)
        except ValueError:
            raise self.wrong_value(value) from None

    def to_read(self, value: Any) -> Any:
        return 0 if value is None else value


class Float(Field):
    type = "float"
    default_aggregator = "sum"

    def __init__(
        self, string: str | None = None, *, digits: tuple[int, int] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(string, **kwargs)
        self.digits = digits

    def empty(self) -> Any:
        return 0.0

    def to_storage(self, value: Any) -> Any:
        if value is None or value is False:
            return 0.0
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            raise self.wrong_value(value)
        try:
            number = float(value)
        except ValueError:
            raise self.wrong_value(value) from None
        return round(number, self.digits[1]) if self.digits else number

    def to_read(self, value: Any) -> Any:
        return 0.0 if value is None else value

    def describe(self, version: int) -> dict[str, Any]:
        desc = super().describe(version)
        if self.digits:
            desc["digits"] = list(self.digits)
        return desc


class Monetary(Float):
    type = "monetary"

    def __init__(
        self, string: str | None = None, *, currency_field: str = "currency_id", **kwargs: Any
    ) -> None:
        super().__init__(string, **kwargs)
        self.currency_field = currency_field

    def to_storage(self, value: Any) -> Any:
        stored = super().to_storage(value)
        return round(stored, 2)

    def describe(self, version: int) -> dict[str, Any]:
        desc = super().describe(version)
        desc["currency_field"] = self.currency_field
        return desc


class Boolean(Field):
    type = "boolean"

    def empty(self) -> Any:
        return False

    def to_storage(self, value: Any) -> Any:
        return bool(value)


class Date(Field):
    type = "date"

    def to_storage(self, value: Any) -> Any:
        if value is None or value is False:
            return None
        if isinstance(value, dt.datetime):
            return value.date().isoformat()
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, str) and _DATE_RE.match(value[:10]):
            try:
                return dt.date.fromisoformat(value[:10]).isoformat()
            except ValueError:
                pass
        raise ValueError(f"time data {value!r} does not match format '%Y-%m-%d'")


class Datetime(Field):
    type = "datetime"

    def to_storage(self, value: Any) -> Any:
        if value is None or value is False:
            return None
        if isinstance(value, dt.datetime):
            return value.replace(microsecond=0, tzinfo=None).isoformat(sep=" ")
        if isinstance(value, str) and (_DATETIME_RE.match(value) or _DATE_RE.match(value)):
            try:
                parsed = dt.datetime.fromisoformat(value.replace("T", " ").split(".")[0])
            except ValueError:
                pass
            else:
                return parsed.isoformat(sep=" ")
        raise ValueError(f"time data {value!r} does not match format '%Y-%m-%d %H:%M:%S'")


class Selection(Field):
    type = "selection"

    def __init__(
        self,
        selection: Sequence[tuple[str, str]],
        string: str | None = None,
        *,
        labels_19: Sequence[tuple[str, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(string, **kwargs)
        self.selection = [tuple(pair) for pair in selection]
        #: Odoo 19 relabelled some selections (``type``: "Invoice Address" -> "Invoice").
        self.labels_19 = [tuple(pair) for pair in labels_19] if labels_19 else None

    def to_storage(self, value: Any) -> Any:
        if value is None or value is False:
            return None
        if value not in {key for key, _label in self.selection}:
            raise self.wrong_value(value)
        return value

    def describe(self, version: int) -> dict[str, Any]:
        desc = super().describe(version)
        pairs = self.labels_19 if version >= 19 and self.labels_19 else self.selection
        desc["selection"] = [list(pair) for pair in pairs]
        return desc


class Binary(Field):
    type = "binary"
    groupable_type = False

    def __init__(
        self, string: str | None = None, *, attachment: bool = True, **kwargs: Any
    ) -> None:
        super().__init__(string, **kwargs)
        self.attachment = attachment

    def to_storage(self, value: Any) -> Any:
        if value is None or value is False:
            return None
        if isinstance(value, bytes):
            return value.decode("ascii")
        if not isinstance(value, str):
            raise self.wrong_value(value)
        return value

    def describe(self, version: int) -> dict[str, Any]:
        desc = super().describe(version)
        desc["attachment"] = self.attachment
        return desc


class Json(Field):
    type = "json"
    groupable_type = False


class _Relational(Field):
    relational = True
    groupable_type = True

    def __init__(
        self,
        comodel: str,
        string: str | None = None,
        *,
        domain: list[Any] | None = None,
        context: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(string, **kwargs)
        self.comodel = comodel
        self.domain = domain or []
        self.context = context or {}

    def describe(self, version: int) -> dict[str, Any]:
        desc = super().describe(version)
        desc["relation"] = self.comodel
        desc["context"] = dict(self.context)
        desc["domain"] = [list(term) if isinstance(term, tuple) else term for term in self.domain]
        return desc


class Many2one(_Relational):
    type = "many2one"

    def __init__(
        self, comodel: str, string: str | None = None, *, ondelete: str = "set null", **kwargs: Any
    ) -> None:
        super().__init__(comodel, string, **kwargs)
        #: ``set null``, ``cascade`` or ``restrict``, as the SQL foreign key.
        self.ondelete = ondelete

    def to_storage(self, value: Any) -> Any:
        if value is None or value is False:
            return None
        if isinstance(value, (list, tuple)) and value:
            value = value[0]
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.wrong_value(value)
        return value


class _X2many(_Relational):
    groupable_type = False

    def empty(self) -> Any:
        return ()

    def to_read(self, value: Any) -> Any:
        return list(value or ())


class One2many(_X2many):
    type = "one2many"

    def __init__(
        self, comodel: str, inverse: str, string: str | None = None, **kwargs: Any
    ) -> None:
        kwargs.setdefault("copy", False)
        super().__init__(comodel, string, **kwargs)
        self.inverse = inverse
        self.store = True

    @property
    def column(self) -> bool:
        return False

    def describe(self, version: int) -> dict[str, Any]:
        desc = super().describe(version)
        desc["relation_field"] = self.inverse
        return desc


class Many2many(_X2many):
    type = "many2many"

    def describe(self, version: int) -> dict[str, Any]:
        desc = super().describe(version)
        desc["groupable"] = self.store
        return desc
