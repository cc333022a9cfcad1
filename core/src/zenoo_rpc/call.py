"""The one value that travels through the client: a typed model call.

Everything between ``ZenooClient.search_read(...)`` and the protocol that puts
bytes on the wire works on a :class:`Call`: middleware sees it, the cache keys
on it, the retry policy asks it whether it is safe to send twice, and each
protocol encodes it its own way.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import msgspec

__all__ = ["READ_METHODS", "WRITE_METHODS", "Call", "ServiceCall"]

#: Methods that only read. They are the only ones the cache may answer and the
#: only ones the retry policy replays after an outcome it cannot know.
READ_METHODS: frozenset[str] = frozenset(
    {
        "search",
        "search_read",
        "search_count",
        "read",
        "read_group",
        "formatted_read_group",
        "web_read",
        "web_search_read",
        "web_read_group",
        "fields_get",
        "name_search",
        "name_get",
        "default_get",
        "context_get",
        "check_access_rights",
        "has_access",
        "exists",
    }
)

#: Methods that change records of the model they are called on. Their success
#: invalidates every cached read of that model.
WRITE_METHODS: frozenset[str] = frozenset(
    {
        "create",
        "write",
        "unlink",
        "copy",
        "name_create",
        "toggle_active",
        "action_archive",
        "action_unarchive",
    }
)


#: Legacy service methods that are safe to send twice (see :attr:`ServiceCall.is_read`).
_SERVICE_READS: frozenset[tuple[str, str]] = frozenset(
    {
        ("common", "version"),
        ("common", "about"),
        ("common", "login"),
        ("common", "authenticate"),
        ("db", "list"),
        ("db", "server_version"),
        ("db", "list_lang"),
        ("db", "list_countries"),
        ("db", "db_exist"),
    }
)


class Call(msgspec.Struct, frozen=True, kw_only=True):
    """A call of ``method`` on ``model`` with Odoo's positional and keyword arguments.

    ``context`` is the context the client will send (user context merged with
    ``with_context`` overrides); ``kwargs`` never carries its own ``context``.
    ``timeout`` overrides the client's timeout for this call only.
    """

    model: str
    method: str
    args: Sequence[Any] = ()
    kwargs: Mapping[str, Any] = msgspec.field(default_factory=dict)
    context: Mapping[str, Any] = msgspec.field(default_factory=dict)
    timeout: float | None = None

    @property
    def is_read(self) -> bool:
        """True when the method only reads and may be cached or replayed."""
        return self.method in READ_METHODS

    @property
    def is_write(self) -> bool:
        """True when the method changes records of ``model``."""
        return self.method in WRITE_METHODS or self.method.startswith("action_")

    def record_ids(self) -> list[int]:
        """The record ids a call targets (first positional argument of record methods)."""
        if self.method in {
            "create",
            "search",
            "search_read",
            "search_count",
            "read_group",
            "name_search",
            "fields_get",
            "default_get",
            "name_create",
        }:
            return []
        ids = self.args[0] if self.args else self.kwargs.get("ids", ())
        if isinstance(ids, int) and not isinstance(ids, bool):
            return [ids]
        if isinstance(ids, (list, tuple)):
            return [i for i in ids if isinstance(i, int) and not isinstance(i, bool)]
        return []

    def __repr__(self) -> str:
        return (
            f"Call({self.model}.{self.method}, args={len(self.args)}, kwargs={sorted(self.kwargs)})"
        )


class ServiceCall(msgspec.Struct, frozen=True, kw_only=True):
    """A call of a legacy RPC service (``common``, ``db``, ``object``) method."""

    service: str
    method: str
    args: Sequence[Any] = ()
    timeout: float | None = None

    @property
    def is_read(self) -> bool:
        """True when sending it twice changes nothing on the server.

        Logging in (``common.login`` / ``common.authenticate``) counts: it only
        checks credentials and returns a uid, and the client routes logins
        through the retry policy so that a lost answer is simply asked again.
        """
        return (self.service, self.method) in _SERVICE_READS

    def __repr__(self) -> str:
        # args may hold passwords: never shown.
        return f"ServiceCall({self.service}.{self.method}, args={len(self.args)})"
