"""Fault injection: make the emulated Odoo slow, drop connections, or answer garbage.

Client tests use it to prove their retry, timeout and idempotency handling::

    emulator.faults.drop(after_call=True, method="create", times=1)
    # the next create runs (the record exists) but the client gets no answer

A fault matches a request by glob patterns on the URL path, the HTTP method
and the Odoo model / method being called (read from the JSON-2 path, the
``call_kw`` params, or ``execute_kw``'s arguments), optionally only ``times``
times. A dropped connection is :class:`ConnectionDropped` raised from
``Emulator.handle``: the ASGI adapter closes the socket without an answer and
the memory transport raises :class:`zenoo_rpc.errors.ConnectionLost`.
"""

from __future__ import annotations

import json
import xmlrpc.client
from collections.abc import Iterator
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Any, Literal

from zenoo_rpc.testing.emulator.routes.http import WebRequest

__all__ = ["ConnectionDropped", "Fault", "FaultKind", "Faults", "describe_call"]

FaultKind = Literal[
    "latency", "drop_before", "drop_after", "bad_gateway", "truncate", "expire_sessions"
]
_KINDS = ("latency", "drop_before", "drop_after", "bad_gateway", "truncate", "expire_sessions")


class ConnectionDropped(Exception):
    """The emulated server closed the connection without answering.

    ``ran`` is true when the request was processed first (its writes happened).
    """

    def __init__(self, ran: bool) -> None:
        self.ran = ran
        super().__init__("connection dropped " + ("after" if ran else "before") + " the call ran")


@dataclass
class Fault:
    """One injected fault; ``hits`` counts the requests it applied to."""

    kind: FaultKind
    path: str = "*"
    method: str = "*"
    model: str = "*"
    http_method: str = "*"
    times: int | None = None
    delay: float = 0.0
    hits: int = 0

    @property
    def active(self) -> bool:
        return self.times is None or self.hits < self.times

    @property
    def needs_call(self) -> bool:
        return self.method != "*" or self.model != "*"

    def matches(self, request: WebRequest, call: tuple[str, str]) -> bool:
        return (
            fnmatchcase(request.path, self.path)
            and fnmatchcase(request.method, self.http_method.upper())
            and fnmatchcase(call[0], self.model)
            and fnmatchcase(call[1], self.method)
        )


class Faults:
    """The faults of one emulator, applied in the order they were added."""

    def __init__(self) -> None:
        self._faults: list[Fault] = []

    def add(
        self,
        kind: FaultKind,
        *,
        path: str = "*",
        method: str = "*",
        model: str = "*",
        http_method: str = "*",
        times: int | None = None,
        delay: float = 0.0,
    ) -> Fault:
        """Add a fault. ``path``, ``method`` (Odoo method), ``model`` and ``http_method``
        are glob patterns; ``times`` limits how many requests it hits."""
        if kind not in _KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; expected one of {_KINDS}")
        fault = Fault(kind, path, method, model, http_method, times, delay)
        self._faults.append(fault)
        return fault

    def latency(self, seconds: float, **match: Any) -> Fault:
        """Answer ``seconds`` later (before the call runs)."""
        return self.add("latency", delay=seconds, **match)

    def drop(self, *, after_call: bool = False, **match: Any) -> Fault:
        """Close the connection without an answer, before the call ran or after it did."""
        return self.add("drop_after" if after_call else "drop_before", **match)

    def bad_gateway(self, **match: Any) -> Fault:
        """Answer the HTML 502 page a reverse proxy sends when Odoo is down (call not run)."""
        return self.add("bad_gateway", **match)

    def truncate(self, **match: Any) -> Fault:
        """Run the call and send only the first half of the answer's body."""
        return self.add("truncate", **match)

    def expire_sessions(self, **match: Any) -> Fault:
        """Invalidate every web session just before the request is handled."""
        return self.add("expire_sessions", **match)

    def remove(self, fault: Fault) -> None:
        self._faults.remove(fault)

    def clear(self) -> None:
        self._faults.clear()

    def take(self, request: WebRequest) -> list[Fault]:
        """The active faults matching ``request``; each one counts the hit."""
        if not self._faults:
            return []
        call = describe_call(request) if any(f.needs_call for f in self._faults) else ("", "")
        hit = [f for f in self._faults if f.active and f.matches(request, call)]
        for fault in hit:
            fault.hits += 1
        return hit

    def __iter__(self) -> Iterator[Fault]:
        return iter(list(self._faults))

    def __len__(self) -> int:
        return len(self._faults)


def describe_call(request: WebRequest) -> tuple[str, str]:
    """``(model, method)`` a request calls, as far as it can be told; ``("", "")`` otherwise."""
    path = request.path
    if path.startswith("/json/2/"):
        parts = path[len("/json/2/") :].split("/")
        return (parts[0], parts[1]) if len(parts) == 2 else ("", "")
    try:
        if path.startswith("/xmlrpc/"):
            values, name = xmlrpc.client.loads(request.body)
            return _execute_target(name or "", list(values))
        body = json.loads(request.body or b"null")
    except Exception:  # not a call it can read: match on the path only
        return ("", "")
    params: Any = body.get("params") if isinstance(body, dict) else None
    if not isinstance(params, dict):
        return ("", "")
    if "model" in params:
        return (str(params.get("model", "")), str(params.get("method", "")))
    args = params.get("args")
    return _execute_target(str(params.get("method", "")), args if isinstance(args, list) else [])


def _execute_target(name: str, args: list[Any]) -> tuple[str, str]:
    if name in ("execute", "execute_kw") and len(args) >= 5:
        return (str(args[3]), str(args[4]))
    return ("", name)
