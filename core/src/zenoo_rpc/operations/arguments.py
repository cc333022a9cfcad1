"""Checks of the arguments the operations take, so bad input fails before anything is sent.

Each raises :class:`~zenoo_rpc.errors.InvalidArgument` naming the argument;
values typed ``object`` here because callers may pass anything at runtime.
"""

from __future__ import annotations

from collections.abc import Sequence

from zenoo_rpc.errors import InvalidArgument

__all__ = ["require_id", "require_ids", "require_text"]


def require_text(value: object, argument: str, what: str = "a non-empty str") -> str:
    """``value`` when it is a string with something else than spaces in it."""
    if not isinstance(value, str) or not value.strip():
        raise InvalidArgument(f"{argument} must be {what}, not {value!r}", argument=argument)
    return value


def require_id(value: object, argument: str) -> int:
    """``value`` when it is a positive integer (``True`` is not one)."""
    if type(value) is not int or value <= 0:
        raise InvalidArgument(
            f"{argument} must be a positive integer, not {value!r}", argument=argument
        )
    return value


def require_ids(value: object, argument: str, *, empty: bool = True) -> list[int]:
    """``value`` (one id or a sequence of them) as a list of positive integers."""
    if type(value) is int:
        value = [value]
    if not isinstance(value, Sequence) or isinstance(value, (str, bytes)):
        raise InvalidArgument(f"{argument} must be record ids, not {value!r}", argument=argument)
    ids = list(value)
    if any(type(i) is not int or i <= 0 for i in ids):
        raise InvalidArgument(
            f"{argument} must be positive integers, not {ids!r}", argument=argument
        )
    if not ids and not empty:
        raise InvalidArgument(f"{argument} must name at least one record", argument=argument)
    return ids
