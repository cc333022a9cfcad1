"""The frames of ``/websocket/jsonrpc``: an HTTP request, and its answer, as JSON text.

A request frame is ``{"id": N, "path": "/jsonrpc", "method": "POST",
"headers": {...}, "body": "<text>"}``; its answer ``{"id": N, "status": 200,
"headers": [[name, value], ...], "body": "<text>"}``. A body that is not UTF-8
(a PDF, an upload) travels base64-encoded with ``"encoding": "base64"``.
"""

from __future__ import annotations

import base64

import msgspec

from zenoo_rpc.transports.base import HttpRequest

__all__ = ["ReplyFrame", "RequestFrame", "decode_reply", "encode_request"]


class RequestFrame(msgspec.Struct, omit_defaults=True):
    """One request, as sent."""

    id: int
    path: str
    method: str
    headers: dict[str, str]
    body: str
    encoding: str | None = None


class ReplyFrame(msgspec.Struct):
    """One answer, as received; ``id`` is ``None`` when the server could not read a request."""

    id: int | None
    status: int
    headers: list[tuple[str, str]] = msgspec.field(default_factory=list)
    body: str = ""
    encoding: str | None = None


_encode = msgspec.json.Encoder().encode

#: The answer frame in ``message`` (``msgspec.DecodeError`` / ``ValidationError`` if it is not).
decode_reply = msgspec.json.Decoder(ReplyFrame).decode


def encode_request(frame_id: int, request: HttpRequest) -> bytes:
    """The frame carrying ``request`` under ``frame_id``, as UTF-8 JSON."""
    content = request.content
    try:
        body, encoding = content.decode(), None
    except UnicodeDecodeError:
        body, encoding = base64.b64encode(content).decode("ascii"), "base64"
    headers = request.headers if isinstance(request.headers, dict) else dict(request.headers)
    return _encode(RequestFrame(frame_id, request.path, request.method, headers, body, encoding))
