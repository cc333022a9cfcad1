"""Which audit trail belongs to which client: ``audit_trail(client)``, ``get_audit_log(client)``.

A client and its ``with_context`` views share one plugin host
(``client.plugins``) and so one trail. The index holds neither strongly: the
trail lives as long as the client's middleware chain does.
"""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING, Any

from zenoo_rpc_audit.errors import AuditError
from zenoo_rpc_audit.record import AuditRecord
from zenoo_rpc_audit.settings import PLUGIN_NAME

if TYPE_CHECKING:
    from zenoo_rpc.client import ZenooClient
    from zenoo_rpc_audit.trail import AuditTrail

__all__ = ["audit_trail", "find_audit_trail", "get_audit_log", "remember_trail"]

_trails: weakref.WeakKeyDictionary[Any, weakref.ref[AuditTrail]] = weakref.WeakKeyDictionary()


def remember_trail(client: ZenooClient, trail: AuditTrail) -> None:
    """Make ``trail`` the one :func:`audit_trail` returns for ``client`` and its views."""
    _trails[client.plugins] = weakref.ref(trail)


def find_audit_trail(client: ZenooClient) -> AuditTrail | None:
    """The audit trail of ``client`` (or of the client it is a view of), or ``None``."""
    ref = _trails.get(client.plugins)
    return ref() if ref is not None else None


def audit_trail(client: ZenooClient) -> AuditTrail:
    """The audit trail of ``client``: where its records go, and its memory log.

    :raises AuditError: the audit plugin is not enabled on ``client``.
    """
    trail = find_audit_trail(client)
    if trail is None:
        raise AuditError(
            f"the {PLUGIN_NAME!r} plugin is not enabled on {client!r}: create the client with "
            f'plugins=["{PLUGIN_NAME}"] or list it in [plugins] enabled in zenoo.toml'
        )
    return trail


def get_audit_log(client: ZenooClient) -> list[AuditRecord]:
    """The records ``client``'s audit trail keeps in memory, oldest first.

    :raises AuditError: the audit plugin is not enabled on ``client``, or it has
        no memory sink.
    """
    return audit_trail(client).get_audit_log()
