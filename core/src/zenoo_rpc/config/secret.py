"""``Secret``: a password or API key that never shows itself.

Config values that are credentials are wrapped in :class:`Secret` as soon as
they are read, so printing a config, logging it, or an exception message that
quotes it shows ``***``. Code that really needs the value asks for it with
:meth:`Secret.get_secret_value` (or :func:`reveal`), which makes every use of a
secret easy to find.
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping
from typing import Any

__all__ = ["Secret", "reveal"]


class Secret:
    """A string whose ``repr`` and ``str`` are masked (``Secret('***')``)."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        if not isinstance(value, str):
            raise TypeError(f"Secret() takes a str, not {type(value).__name__}")
        self._value = value

    def get_secret_value(self) -> str:
        """The real value: call this only where the secret is sent to the server."""
        return self._value

    def __repr__(self) -> str:
        return "Secret('***')"

    def __str__(self) -> str:
        return "***"

    def __bool__(self) -> bool:
        return bool(self._value)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Secret):
            return NotImplemented
        return hmac.compare_digest(self._value.encode(), other._value.encode())

    def __hash__(self) -> int:
        return hash((Secret, self._value))

    def __reduce__(self) -> tuple[Any, ...]:
        return (Secret, (self._value,))


def reveal(value: Any) -> Any:
    """Unwrap secrets for a library that needs plain values.

    A :class:`Secret` becomes its string; a mapping becomes a dict with its
    secrets unwrapped (recursively), e.g. ``RedisCluster(**reveal(settings))``;
    anything else is returned as is.
    """
    if isinstance(value, Secret):
        return value.get_secret_value()
    if isinstance(value, Mapping):
        return {key: reveal(item) for key, item in value.items()}
    return value
