"""Decoding Odoo rows into the caller's types (``as_type=``).

Odoo sends ``False`` for an empty value of any field type (a char, a
many2one, a date...). A typed row says ``email: str | None``, so ``False``
becomes ``None`` for every field whose declared type does not accept a bool;
boolean fields keep their ``False``.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import Any, TypeVar

import msgspec
import msgspec.inspect as mi

from zenoo_rpc.errors import ZenooError

__all__ = ["RowDecodeError", "convert_rows"]

T = TypeVar("T")


class RowDecodeError(ZenooError, TypeError):
    """A row from the server does not fit the type asked for with ``as_type``."""


def convert_rows(rows: Iterable[dict[str, Any]], as_type: type[T]) -> list[T]:
    """``rows`` as ``as_type`` instances, with Odoo's empty ``False`` read as ``None``."""
    no_bool = _fields_without_bool(as_type)  # type: ignore[arg-type]
    cleaned = [
        {key: (None if value is False and key in no_bool else value) for key, value in row.items()}
        for row in rows
    ]
    try:
        return msgspec.convert(cleaned, list[as_type], strict=False)  # type: ignore[valid-type]
    except msgspec.ValidationError as exc:
        raise RowDecodeError(f"a row does not fit {as_type.__name__}: {exc}") from None


@functools.lru_cache(maxsize=256)
def _fields_without_bool(as_type: type[Any]) -> frozenset[str]:
    info = mi.type_info(as_type)
    fields = getattr(info, "fields", None)
    if fields is None:
        return frozenset()
    return frozenset(
        getattr(field, "encode_name", field.name)
        for field in fields
        if not _accepts_bool(field.type)
    )


def _accepts_bool(info: mi.Type) -> bool:
    if isinstance(info, (mi.BoolType, mi.AnyType)):
        return True
    if isinstance(info, mi.UnionType):
        return any(_accepts_bool(member) for member in info.types)
    return False
