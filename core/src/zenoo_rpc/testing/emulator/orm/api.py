"""Markers for the methods a model exposes over RPC, and in which Odoo versions.

Only decorated methods are callable remotely: everything else on a model class
is internal machinery, which is how the emulator answers ``UnknownMethod`` for
names real Odoo would not know either. ``model`` methods take no ids
(``@api.model`` in Odoo); ``records`` methods receive them first.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

__all__ = ["RpcMethod", "create_multi", "model", "records", "rpc_info"]

F = TypeVar("F", bound=Callable[..., Any])
Kind = Literal["model", "records", "create"]


@dataclass(frozen=True)
class RpcMethod:
    """How a public method binds ids, and the Odoo versions that have it."""

    kind: Kind
    since: int = 0
    until: int = 99
    #: The RPC name when it differs from the attribute (one per signature variant).
    name: str | None = None
    #: The method returns new lists/dicts of plain values that share nothing with
    #: the database, so the facade need not copy them (see ``ModelCore._read_format``).
    fresh: bool = False

    def available(self, version: int) -> bool:
        return self.since <= version <= self.until


def _mark(
    kind: Kind, since: int, until: int, name: str | None, fresh: bool = False
) -> Callable[[F], F]:
    def decorate(func: F) -> F:
        func._rpc = RpcMethod(kind, since, until, name, fresh)  # type: ignore[attr-defined]
        return func

    return decorate


def model(
    *, since: int = 0, until: int = 99, name: str | None = None, fresh: bool = False
) -> Callable[[F], F]:
    """A method of the model itself (``@api.model``): JSON-2 refuses ids for it."""
    return _mark("model", since, until, name, fresh)


def records(
    *, since: int = 0, until: int = 99, name: str | None = None, fresh: bool = False
) -> Callable[[F], F]:
    """A method of records: legacy RPC passes their ids as the first argument."""
    return _mark("records", since, until, name, fresh)


def create_multi(*, since: int = 0, until: int = 99) -> Callable[[F], F]:
    """``create``: legacy RPC answers one id for one dict, a list for a list."""
    return _mark("create", since, until, None)


def rpc_info(func: Any) -> RpcMethod | None:
    info = getattr(func, "_rpc", None)
    return info if isinstance(info, RpcMethod) else None
