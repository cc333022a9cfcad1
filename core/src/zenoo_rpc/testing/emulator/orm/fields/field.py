"""The base of every field: declaration attributes, storage conversions, ``fields_get``."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar

__all__ = ["Default", "Field"]

Default = Callable[[Any], Any] | Any


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
        change_default: bool = False,
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
        #: Name of the method searching a non-stored field (Odoo's ``search=``).
        self.search = search
        self.change_default = change_default
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
    @property
    def searchable(self) -> bool:
        """Odoo searches stored and related fields, and computed ones with a search method."""
        return self.store or self.related is not None or self.search is not None

    def describe(self, version: int) -> dict[str, Any]:
        """All attributes ``fields_get`` reports for this field, as real Odoo spells them.

        Which keys appear depends on the type (subclasses add theirs) and on the
        declaration: ``help``, ``groups`` and ``related`` only when set, the
        aggregator only on stored numbers (never on ``id``).
        """
        desc: dict[str, Any] = {
            "change_default": self.change_default,
            "company_dependent": False,
            "default_export_compatible": self.name == "name",
            "depends": list(self.depends) or ([self.related] if self.related else []),
            "exportable": True,
            "groupable": self.store and self.groupable_type,
            "manual": False,
            "name": self.name,
            "readonly": self.readonly,
            "required": self.required,
            "searchable": self.searchable,
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
        if self.default_aggregator and self.store and self.name != "id":
            desc["aggregator" if version >= 17 else "group_operator"] = self.default_aggregator
        return desc
