"""The logger handed to :mod:`websockets`: its DEBUG lines, without secrets.

websockets logs handshake headers (the bus's ``Cookie: session_id=...``) and
the start of every frame (a JSON-RPC call's password or cookie) at DEBUG.
Through this logger, ``zenoo_rpc_websocket.wire``, cookies read
``session_id=***`` and data frames show only their kind and size.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from websockets.frames import Frame, Opcode

__all__ = ["WIRE_LOG"]

_COOKIE = re.compile(r"(session_id=)[^;\s]*", re.IGNORECASE)
_DATA = (Opcode.TEXT, Opcode.BINARY, Opcode.CONT)


class _HideSecrets(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(_shown(arg) for arg in record.args)
        return True


def _shown(value: Any) -> Any:
    if isinstance(value, Frame) and value.opcode in _DATA:
        return f"{value.opcode.name} [{len(value.data)} bytes]"
    if isinstance(value, str) and "session_id=" in value.lower():
        return _COOKIE.sub(r"\1***", value)
    return value


WIRE_LOG = logging.getLogger("zenoo_rpc_websocket.wire")
WIRE_LOG.addFilter(_HideSecrets())
