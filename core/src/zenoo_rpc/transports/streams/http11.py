"""HTTP/1.1 wire format: the request bytes out, the response head and body coding in.

Pure functions, no I/O: :func:`encode_request` builds the whole request in one
``bytes``; :func:`parse_head` reads a response head with one ``decode`` and one
``split`` (this is where h11's per-message cost is saved, see the package
docstring); :func:`decode_body` undoes a ``gzip``/``deflate`` body a server sent
unasked. Reading the body's framing off the socket is in
:meth:`.connection.Connection.read_response`.
"""

from __future__ import annotations

import re
import zlib

from zenoo_rpc.errors import InvalidRequestError
from zenoo_rpc.transports.base import HttpRequest

__all__ = ["MAX_HEAD", "Malformed", "decode_body", "encode_request", "parse_head"]

MAX_HEAD = 256 * 1024
"""Largest response head accepted; a bigger one is not an answer we can use."""

_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_OWNED_HEADERS = frozenset({"host", "content-length", "transfer-encoding"})
_NO_BODY_METHODS = frozenset({"GET", "HEAD", "DELETE", "OPTIONS", "TRACE"})


class Malformed(Exception):
    """Internal: the bytes received are not an HTTP/1.x response.

    ``status`` is the response's status when its status line was read.
    """

    def __init__(self, message: str, *, status: int | None = None) -> None:
        self.status = status
        super().__init__(message)


def encode_request(
    request: HttpRequest,
    prefix: str,
    host_line: str,
    ua_line: str,
    *,
    body_length: int | None = None,
) -> tuple[bytes, bool]:
    """(the request's bytes, whether it asked for ``Connection: close``).

    ``Host``, ``Content-Length`` and ``Transfer-Encoding`` are ours to write
    (the caller's are dropped), so the framing always matches the body we send.
    Header names must be tokens and values must not hold CR or LF: nothing a
    caller passes can split the request. With ``body_length`` only the head is
    encoded, announcing that many body bytes the caller sends next.

    :raises InvalidRequestError: for a path or header that HTTP cannot carry.
    """
    path = prefix + request.path
    if not path.startswith("/") or " " in path or "\r" in path or "\n" in path:
        raise InvalidRequestError(
            f"invalid request path {request.path!r}: it must start with / and hold no "
            "space, CR or LF (percent-encode them)"
        )
    lines = [f"{request.method} {path} HTTP/1.1\r\n", host_line]
    has_agent = close_after = False
    for name, value in request.headers.items():
        lname = name.lower()
        if lname in _OWNED_HEADERS:
            continue
        if "\r" in value or "\n" in value or not _TOKEN.fullmatch(name):
            raise InvalidRequestError(f"invalid HTTP header {name!r}")
        if lname == "user-agent":
            has_agent = True
        elif lname == "connection" and "close" in value.lower():
            close_after = True
        lines.append(f"{name}: {value}\r\n")
    if not has_agent:
        lines.append(ua_line)
    content = request.content if body_length is None else b""
    if body_length is not None:
        lines.append(f"Content-Length: {body_length}\r\n")
    elif content or request.method not in _NO_BODY_METHODS:
        lines.append(f"Content-Length: {len(content)}\r\n")
    lines.append("\r\n")
    try:
        head = "".join(lines).encode("latin-1")
    except UnicodeEncodeError:
        raise InvalidRequestError("HTTP header values must be latin-1 text") from None
    return head + content, close_after


def parse_head(
    raw: bytearray,
) -> tuple[int, list[tuple[str, str]], int, bool, bool, str]:
    """(status, headers, content_length or -1, chunked, keep_alive, content_encoding)."""
    lines = raw.decode("latin-1").split("\r\n")
    version, _, rest = lines[0].partition(" ")
    if version not in ("HTTP/1.1", "HTTP/1.0") or not rest[:3].isdigit():
        raise Malformed(f"bad status line {lines[0][:80]!r}")
    status = int(rest[:3])
    headers: list[tuple[str, str]] = []
    length = -1
    chunked = False
    keep = version == "HTTP/1.1"
    encoding = ""
    for line in lines[1:]:
        if line[:1] in (" ", "\t") and headers:  # obsolete line folding
            name, value = headers.pop()
            headers.append((name, f"{value} {line.strip()}"))
            continue
        name, sep, value = line.partition(":")
        if not sep:
            raise Malformed(f"bad header line {line[:80]!r}", status=status)
        value = value.strip()
        headers.append((name, value))
        lname = name.lower()
        if lname == "content-length":
            if not value.isdigit() or (length >= 0 and int(value) != length):
                raise Malformed(f"bad Content-Length {value[:40]!r}", status=status)
            length = int(value)
        elif lname == "transfer-encoding":
            chunked = value.lower().rsplit(",", 1)[-1].strip() == "chunked"
            if not chunked:
                length = -1  # read to EOF (RFC 9112 6.3)
        elif lname == "connection":
            tokens = value.lower()
            if "close" in tokens:
                keep = False
            elif "keep-alive" in tokens:
                keep = True
        elif lname == "content-encoding":
            encoding = value.lower()
    if chunked:
        length = -1
    return status, headers, length, chunked, keep, encoding


def decode_body(body: bytes, encoding: str) -> bytes:
    """Undo a ``gzip``/``deflate`` content coding; any other coding is returned as is."""
    try:
        if encoding in ("gzip", "x-gzip"):
            return zlib.decompress(body, 16 + zlib.MAX_WBITS)
        if encoding == "deflate":
            try:
                return zlib.decompress(body)
            except zlib.error:
                return zlib.decompress(body, -zlib.MAX_WBITS)
    except zlib.error as exc:
        raise Malformed(f"cannot decode {encoding} body: {exc}") from None
    return body
