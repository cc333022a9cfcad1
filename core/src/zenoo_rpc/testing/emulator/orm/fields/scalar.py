"""Value fields: text, numbers, dates, selections and blobs."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any, ClassVar

from .field import Field

__all__ = [
    "Binary",
    "Boolean",
    "Char",
    "Date",
    "Datetime",
    "Float",
    "Html",
    "Integer",
    "Json",
    "Monetary",
    "Selection",
    "Text",
]

_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$")


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

    def __init__(
        self, string: str | None = None, *, size: int | None = None, **kwargs: Any
    ) -> None:
        super().__init__(string, **kwargs)
        #: Maximum length (``varchar(size)``); ``fields_get`` shows it only when set.
        self.size = size

    def describe(self, version: int) -> dict[str, Any]:
        desc = super().describe(version)
        desc["trim"] = True
        if self.size:
            desc["size"] = self.size
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
