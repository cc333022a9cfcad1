"""Relational fields: many2one, one2many (the inverse of a many2one) and many2many."""

from __future__ import annotations

from typing import Any

from .field import Field

__all__ = ["Many2many", "Many2one", "One2many"]


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
