"""Replay real Odoo request/response captures as a zenoo-rpc transport.

A :class:`ReplayTransport` is given a script of :class:`Exchange` objects, in
the order the code under test must send them. Each request is checked
against the capture it replays (method, path, JSON body ignoring the JSON-RPC
``id``, and the auth headers) and answered with the captured response, its
JSON-RPC ``id`` rewritten to the request's.

The captures hold scrubbed placeholders (``<api-key>``, ``<session>``) and the
demo password ``admin``; tests use recognisable secrets instead
(:data:`PASSWORD`, :data:`API_KEY`, :data:`SESSION_ID`) so that a leak is easy
to detect, and :data:`PLACEHOLDERS` maps them back for the comparison.

Captures are the real Odoo 18 / 19 answers kept in ``core/tests/captures``.
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from zenoo_rpc.transports.base import HttpRequest, HttpResponse

__all__ = [
    "API_KEY",
    "CAPTURES",
    "PASSWORD",
    "PLACEHOLDERS",
    "SESSION_ID",
    "Exchange",
    "ReplayTransport",
    "capture",
    "load_capture",
    "synthetic",
]

CAPTURES = Path(__file__).parent / "captures"

PASSWORD = "admin-SECRET-xyz"
API_KEY = "zk-SECRET-apikey-0123456789abcdef"
SESSION_ID = "sid-SECRET-0123456789"

#: Test secret -> the placeholder the captures hold in its place.
PLACEHOLDERS: dict[str, str] = {PASSWORD: "admin", API_KEY: "<api-key>", SESSION_ID: "<session>"}

#: Placeholder in captured responses -> what the replayed response carries.
RESPONSE_SUBSTITUTIONS: dict[str, str] = {"session_id=<session>": f"session_id={SESSION_ID}"}

_CHECKED_HEADERS = ("authorization", "x-odoo-database", "cookie", "content-type")
NO_CHECK: Any = object()


@cache
def load_capture(name: str) -> dict[str, Any]:
    """The capture ``name`` (``"odoo18/jsonrpc_common_version"``), parsed."""
    path = CAPTURES / f"{name}.json"
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


@dataclass
class Exchange:
    """One expected request and the response it gets."""

    method: str
    path: str
    status: int
    headers: Sequence[tuple[str, str]]
    body: bytes
    #: the JSON the request body must equal (``id`` ignored), or NO_CHECK.
    expected_json: Any = NO_CHECK
    #: request headers that must match (after placeholders), lower-case names.
    expected_headers: Mapping[str, str] = field(default_factory=dict)
    name: str = ""


def capture(
    name: str, *, check: bool = True, path: str | None = None, method: str | None = None
) -> Exchange:
    """An exchange replaying capture ``name``.

    ``check=False`` skips the request checks; ``path`` / ``method`` replace the
    captured ones (to replay a captured answer to the request the test sends).
    """
    data = load_capture(name)
    request, response = data["request"], data["response"]
    headers = [
        (key, _substitute(value, RESPONSE_SUBSTITUTIONS)) for key, value in response["headers"]
    ]
    expected_json: Any = NO_CHECK
    expected_headers: dict[str, str] = {}
    if check:
        if request.get("body"):
            expected_json = _without_id(request.get("json"))
        expected_headers = {
            key.lower(): value
            for key, value in request["headers"].items()
            if key.lower() in _CHECKED_HEADERS
        }
    return Exchange(
        method=method or request["method"],
        path=path or request["path"],
        status=response["status"],
        headers=headers,
        body=(response.get("body") or "").encode("utf-8"),
        expected_json=expected_json,
        expected_headers=expected_headers,
        name=name,
    )


def synthetic(
    path: str,
    body: Any,
    *,
    status: int = 200,
    method: str = "POST",
    content_type: str | None = "application/json; charset=utf-8",
    jsonrpc: bool = False,
    headers: Sequence[tuple[str, str]] = (),
    expected_json: Any = NO_CHECK,
) -> Exchange:
    """An exchange with a made-up response (for what the captures do not hold).

    ``body`` is bytes / str as is, anything else is JSON-encoded; with
    ``jsonrpc=True`` it is wrapped as a JSON-RPC ``result``.
    """
    if jsonrpc:
        body = {"jsonrpc": "2.0", "id": 0, "result": body}
    if isinstance(body, str):
        content = body.encode("utf-8")
    elif isinstance(body, bytes):
        content = body
    else:
        content = json.dumps(body).encode("utf-8")
    all_headers = list(headers)
    if content_type is not None:
        all_headers.insert(0, ("Content-Type", content_type))
    return Exchange(
        method=method,
        path=path,
        status=status,
        headers=all_headers,
        body=content,
        expected_json=expected_json,
        name=f"synthetic {method} {path}",
    )


class ReplayTransport:
    """A transport that answers a fixed script of exchanges, checking each request."""

    def __init__(self, *exchanges: Exchange) -> None:
        self._script: deque[Exchange] = deque(exchanges)
        self.requests: list[HttpRequest] = []
        self.closed = False

    def add(self, *exchanges: Exchange) -> None:
        self._script.extend(exchanges)

    async def request(self, request: HttpRequest) -> HttpResponse:
        self.requests.append(request)
        if not self._script:
            raise AssertionError(f"unexpected request {request.method} {request.path}")
        exchange = self._script.popleft()
        where = f"{exchange.name}: "
        assert (request.method, request.path) == (exchange.method, exchange.path), (
            f"{where}expected {exchange.method} {exchange.path}, "
            f"got {request.method} {request.path}"
        )
        sent_text = _substitute(request.content.decode("utf-8"), PLACEHOLDERS)
        if exchange.expected_json is not NO_CHECK:
            sent = _without_id(json.loads(sent_text))
            assert sent == exchange.expected_json, f"{where}body {sent!r}"
        sent_headers = {key.lower(): value for key, value in request.headers.items()}
        for key, value in exchange.expected_headers.items():
            got = _substitute(sent_headers.get(key, ""), PLACEHOLDERS)
            if key == "authorization":
                got, value = got.lower(), value.lower()
            if key == "content-type":
                got, value = got.split(";")[0], value.split(";")[0]
            assert got == value, f"{where}header {key}: {got!r} != {value!r}"
        return HttpResponse(
            status=exchange.status,
            headers=exchange.headers,
            content=_with_id(exchange.body, sent_text),
        )

    async def aclose(self) -> None:
        self.closed = True

    def assert_done(self) -> None:
        """Fail when some scripted exchange was never requested."""
        left = [exchange.name for exchange in self._script]
        assert not left, f"exchanges never requested: {left}"


def _substitute(text: str, replacements: Mapping[str, str]) -> str:
    for old, new in replacements.items():
        text = text.replace(old, new)
    return text


def _without_id(value: Any) -> Any:
    if isinstance(value, dict) and value.get("jsonrpc") == "2.0":
        return {key: item for key, item in value.items() if key != "id"}
    return value


def _with_id(body: bytes, sent_text: str) -> bytes:
    """The response body with its JSON-RPC id set to the request's (null ids stay null)."""
    try:
        sent = json.loads(sent_text) if sent_text else None
        answer = json.loads(body)
    except ValueError:
        return body
    if not (isinstance(answer, dict) and isinstance(sent, dict) and "jsonrpc" in answer):
        return body
    if answer.get("id") is None:
        return body
    answer["id"] = sent.get("id")
    return json.dumps(answer).encode("utf-8")
