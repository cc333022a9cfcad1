"""Text, number, boolean, selection, binary and JSON fields.

Odoo sends ``False`` for an empty char, text, html, selection, binary or
json value; those fields read it as ``None`` and send ``None`` back as
``False`` (assigning ``False`` itself is taken as "empty" too, as Odoo does).
Integer, float, monetary and boolean fields are never empty in Odoo (``0``,
``0.0``, ``False``), so they read as plain ``int`` / ``float`` / ``bool``.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Generic

from typing_extensions import TypeVar

from zenoo_rpc.errors import FieldValueError
from zenoo_rpc.models.fields.base import Field

if TYPE_CHECKING:
    from zenoo_rpc.models.base import OdooModel

__all__ = [
    "BinaryField",
    "BooleanField",
    "CharField",
    "FloatField",
    "HtmlField",
    "IntegerField",
    "JsonField",
    "MonetaryField",
    "SelectionField",
    "TextField",
]

SelectionT = TypeVar("SelectionT", bound=str, default=str)


def _reject(field: Field[Any, Any], value: Any, expected: str) -> FieldValueError:
    owner = field.owner
    model = getattr(owner, "_odoo_model_name", "") if owner is not None else ""
    return FieldValueError(
        f"{field.label} takes {expected}, not {type(value).__name__} {value!r:.60}",
        model=model,
        field=field.name,
    )


class CharField(Field[str | None, str | None]):
    """A one-line string (Odoo ``char``); ``max_length`` is checked on assignment."""

    odoo_type = "char"

    if not TYPE_CHECKING:  # the same as Field.__get__, inlined: the hot path of reading

        def __get__(self, instance, owner=None):
            if instance is None:
                return self
            try:
                value = instance._raw[self.name]
            except KeyError:
                raise self.not_loaded(instance) from None
            return None if value is False else value

    def __init__(self, string: str | None = None, *, max_length: int | None = None, **options: Any):
        super().__init__(string, **options)
        self.max_length = max_length

    def from_wire(self, value: Any, record: OdooModel | None = None) -> str | None:
        return None if value is False else value

    def to_wire(self, value: str | None) -> Any:
        given: object = value
        if given is None or given is False:  # Odoo's own "empty" is taken too
            return False
        if not isinstance(value, str):
            raise _reject(self, value, "a str or None")
        if self.max_length is not None and len(value) > self.max_length:
            raise FieldValueError(
                f"{self.label} is at most {self.max_length} characters, got {len(value)}",
                model=getattr(self.owner, "_odoo_model_name", ""),
                field=self.name,
            )
        return value


class TextField(CharField):
    """Multi-line text (Odoo ``text``)."""

    odoo_type = "text"


class HtmlField(CharField):
    """HTML (Odoo ``html``), as the sanitized markup the server stores."""

    odoo_type = "html"


class IntegerField(Field[int, int | None]):
    """An integer (Odoo ``integer``); Odoo's empty value is ``0``."""

    odoo_type = "integer"

    if not TYPE_CHECKING:  # the same as Field.__get__, inlined: the hot path of reading

        def __get__(self, instance, owner=None):
            if instance is None:
                return self
            try:
                value = instance._raw[self.name]
            except KeyError:
                raise self.not_loaded(instance) from None
            return 0 if value is False or value is None else value

    def from_wire(self, value: Any, record: OdooModel | None = None) -> int:
        return 0 if value is False or value is None else value

    def to_wire(self, value: int | None) -> Any:
        given: object = value
        if given is None or given is False:  # Odoo's own "empty" is taken too
            return False
        if isinstance(value, bool) or not isinstance(value, int):
            raise _reject(self, value, "an int")
        return value


class FloatField(Field[float, float | int | Decimal | None]):
    """A float (Odoo ``float``); ``digits`` is Odoo's ``(precision, scale)``, informational."""

    odoo_type = "float"

    if not TYPE_CHECKING:  # the same as Field.__get__, inlined: the hot path of reading

        def __get__(self, instance, owner=None):
            if instance is None:
                return self
            try:
                value = instance._raw[self.name]
            except KeyError:
                raise self.not_loaded(instance) from None
            return value if type(value) is float else self.from_wire(value)

    def __init__(
        self,
        string: str | None = None,
        *,
        digits: tuple[int, int] | str | None = None,
        **options: Any,
    ):
        super().__init__(string, **options)
        self.digits = digits

    def from_wire(self, value: Any, record: OdooModel | None = None) -> float:
        if value is False or value is None:
            return 0.0
        return value if type(value) is float else float(value)

    def to_wire(self, value: float | int | Decimal | None) -> Any:
        given: object = value
        if given is None or given is False:  # Odoo's own "empty" is taken too
            return False
        if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
            raise _reject(self, value, "a number")
        return float(value)


class MonetaryField(FloatField):
    """An amount (Odoo ``monetary``) in the currency held by ``currency_field``."""

    odoo_type = "monetary"

    def __init__(
        self, string: str | None = None, *, currency_field: str = "currency_id", **options: Any
    ):
        super().__init__(string, **options)
        self.currency_field = currency_field


class BooleanField(Field[bool, bool]):
    """A boolean (Odoo ``boolean``)."""

    odoo_type = "boolean"

    if not TYPE_CHECKING:  # the same as Field.__get__, inlined: the hot path of reading

        def __get__(self, instance, owner=None):
            if instance is None:
                return self
            try:
                value = instance._raw[self.name]
            except KeyError:
                raise self.not_loaded(instance) from None
            return value if value is True or value is False else bool(value)

    def from_wire(self, value: Any, record: OdooModel | None = None) -> bool:
        return value is True or (value is not False and bool(value))

    def to_wire(self, value: bool) -> Any:
        if not isinstance(value, bool):
            raise _reject(self, value, "a bool")
        return value


class SelectionField(Field[SelectionT | None, SelectionT | None], Generic[SelectionT]):
    """One value of a fixed list (Odoo ``selection``).

    Type it with the allowed values for checked code::

        company_type = SelectionField[Literal["person", "company"]](string="Company Type")

    :param selection: the ``(value, label)`` pairs; when given, assigning a value
        that is not one of them raises :class:`~zenoo_rpc.errors.FieldValueError`.
    """

    odoo_type = "selection"

    if not TYPE_CHECKING:  # the same as Field.__get__, inlined: the hot path of reading

        def __get__(self, instance, owner=None):
            if instance is None:
                return self
            try:
                value = instance._raw[self.name]
            except KeyError:
                raise self.not_loaded(instance) from None
            return None if value is False else value

    def __init__(
        self,
        string: str | None = None,
        *,
        selection: Sequence[tuple[str, str]] | None = None,
        **options: Any,
    ):
        super().__init__(string, **options)
        self.selection = [tuple(pair) for pair in selection] if selection is not None else None

    def from_wire(self, value: Any, record: OdooModel | None = None) -> SelectionT | None:
        return None if value is False else value

    def to_wire(self, value: SelectionT | None) -> Any:
        given: object = value
        if given is None or given is False:  # Odoo's own "empty" is taken too
            return False
        if not isinstance(value, str):
            raise _reject(self, value, "a str or None")
        if self.selection is not None and value not in {key for key, _ in self.selection}:
            keys = ", ".join(repr(key) for key, _ in self.selection)
            raise FieldValueError(
                f"{self.label} takes one of {keys}, not {value!r}",
                model=getattr(self.owner, "_odoo_model_name", ""),
                field=self.name,
            )
        return value


class BinaryField(Field[bytes | None, bytes | None]):
    """File content (Odoo ``binary`` and ``image``), as ``bytes``.

    Lazy: never in the default field selection (a page of partners with their
    images is megabytes). Read it with ``await record.fetch("image_1920")`` or
    ``.only(..., "image_1920")``; Odoo sends base64, the field decodes it once.
    """

    odoo_type = "binary"
    cached = True

    def __init__(self, string: str | None = None, **options: Any):
        options.setdefault("lazy", True)
        super().__init__(string, **options)

    def from_wire(self, value: Any, record: OdooModel | None = None) -> bytes | None:
        if value is False or value is None:
            return None
        try:
            return base64.b64decode(value, validate=True)
        except (binascii.Error, TypeError, ValueError):
            raise FieldValueError(
                f"{self.label}: the server sent {str(value)[:40]!r}, not base64 content "
                "(was the context's bin_size set?)",
                model=getattr(self.owner, "_odoo_model_name", ""),
                field=self.name,
            ) from None

    def to_wire(self, value: bytes | None) -> Any:
        given: object = value
        if given is None or given is False:  # Odoo's own "empty" is taken too
            return False
        if not isinstance(value, (bytes, bytearray, memoryview)):
            raise _reject(self, value, "bytes or None")
        return base64.b64encode(bytes(value)).decode("ascii")


class JsonField(Field[Any, Any]):
    """A JSON value (Odoo ``json`` and ``properties``): dicts, lists, numbers, strings."""

    odoo_type = "json"

    if not TYPE_CHECKING:  # the same as Field.__get__, inlined: the hot path of reading

        def __get__(self, instance, owner=None):
            if instance is None:
                return self
            try:
                value = instance._raw[self.name]
            except KeyError:
                raise self.not_loaded(instance) from None
            return None if value is False else value

    def from_wire(self, value: Any, record: OdooModel | None = None) -> Any:
        return None if value is False else value
