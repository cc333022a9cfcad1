"""An Odoo look-alike that answers instantly, for measuring client CPU (stdlib only).

Runs in its own process: ``python bench/server.py [--port 0]`` prints
``PORT <n>`` once it listens. HTTP/1.1 with keep-alive (and ``Connection:
close`` for clients that ask, like urllib). The ``search_read`` body is built
once; each answer only splices in the request's JSON-RPC id.

Routes: ``/jsonrpc`` (common.version/login/authenticate, object.execute and
execute_kw, db.list), ``/web/webclient/version_info``,
``/web/session/authenticate`` (sets a ``session_id`` cookie),
``/web/session/get_session_info``, ``/web/dataset/call_kw[/<model>/<method>]``,
``GET /web/version`` and ``/json/version``, and JSON-2
``POST /json/2/<model>/<method>``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import workload

RECORDS = workload.records_json()
SESSION = "bench0123456789abcdef0123456789abcdef0123"
SESSION_INFO = {
    "uid": workload.UID,
    "is_admin": True,
    "user_context": workload.CONTEXT,
    "db": workload.DB,
    "server_version": workload.VERSION["server_version"],
    "server_version_info": workload.VERSION["server_version_info"],
    "name": "Mitchell Admin",
    "username": workload.USER,
    "partner_id": 3,
}


def call_result(model: str, method: str) -> bytes:
    """The JSON result of ``model.method`` (the same whatever the arguments)."""
    if method == "search_read" or (method == "read" and model == workload.MODEL):
        return RECORDS
    if method == "context_get":
        return json.dumps(workload.CONTEXT).encode()
    if method == "fields_get":
        return json.dumps(workload.fields_get()).encode()
    if method in ("search", "search_count"):
        return b"[1]" if method == "search" else b"80"
    return b"true"


def jsonrpc_result(path: str, payload: dict[str, Any]) -> bytes:
    params = payload.get("params") or {}
    if path == "/jsonrpc":
        service, method, args = params.get("service"), params.get("method"), params.get("args", [])
        if service == "common":
            if method == "version":
                return json.dumps(workload.VERSION).encode()
            if method in ("login", "authenticate"):
                return str(workload.UID).encode()
        if service == "object" and method in ("execute", "execute_kw") and len(args) >= 5:
            return call_result(args[3], args[4])
        if service == "db":
            return json.dumps([workload.DB] if method == "list" else "18.0").encode()
        return b"false"
    if path == "/web/webclient/version_info":
        return json.dumps(workload.VERSION).encode()
    if path in ("/web/session/authenticate", "/web/session/get_session_info"):
        return json.dumps(SESSION_INFO).encode()
    if path.startswith("/web/dataset/call_kw"):
        return call_result(str(params.get("model", "")), str(params.get("method", "")))
    return b"false"


def answer(method: str, path: str, body: bytes) -> tuple[str, list[str], bytes]:
    """(status, extra header lines, body) for one request."""
    if method == "GET" and path in ("/web/version", "/json/version"):
        return "200 OK", [], json.dumps({"version_info": VERSION_INFO, "version": "18.0"}).encode()
    if path.startswith("/json/2/"):
        parts = path.split("?", 1)[0].split("/")
        if len(parts) == 5:
            return "200 OK", [], call_result(parts[3], parts[4])
        return "404 NOT FOUND", [], b'{"name": "werkzeug.exceptions.NotFound"}'
    if path == "/jsonrpc" or path.startswith("/web/"):
        try:
            payload = json.loads(body) if body else {}
        except ValueError:
            return "400 BAD REQUEST", [], b"Invalid JSON data"
        request_id = json.dumps(payload.get("id")).encode()
        result = jsonrpc_result(path, payload)
        data = b'{"jsonrpc": "2.0", "id": ' + request_id + b', "result": ' + result + b"}"
        cookies = []
        if path == "/web/session/authenticate":
            cookies = [f"Set-Cookie: session_id={SESSION}; Max-Age=604800; HttpOnly; Path=/"]
        return "200 OK", cookies, data
    return "404 NOT FOUND", [], b'{"error": "not found"}'


VERSION_INFO = workload.VERSION["server_version_info"]


class HttpServerProtocol(asyncio.Protocol):
    """Parses pipelined-safe HTTP/1.1 requests from one connection and answers each at once."""

    def __init__(self) -> None:
        self.buffer = bytearray()
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while self.transport is not None:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            lines = self.buffer[:end].decode("latin-1").split("\r\n")
            method, path, version = lines[0].split(" ", 2)
            length, close = 0, version == "HTTP/1.0"
            for line in lines[1:]:
                name, _, value = line.partition(":")
                lname = name.strip().lower()
                if lname == "content-length":
                    length = int(value)
                elif lname == "connection":
                    close = "close" in value.lower() or (
                        close and "keep-alive" not in value.lower()
                    )
            if len(self.buffer) < end + 4 + length:
                return
            body = bytes(self.buffer[end + 4 : end + 4 + length])
            del self.buffer[: end + 4 + length]
            status, extra, content = answer(method, path, body)
            head = [
                f"HTTP/1.1 {status}",
                "Server: zenoo-bench",
                "Content-Type: application/json; charset=utf-8",
                f"Content-Length: {len(content)}",
                *extra,
            ]
            if close:
                head.append("Connection: close")
            self.transport.write(("\r\n".join(head) + "\r\n\r\n").encode() + content)
            if close:
                self.transport.close()
                return


async def serve(host: str, port: int) -> None:
    loop = asyncio.get_running_loop()
    server = await loop.create_server(HttpServerProtocol, host, port, backlog=512)
    print("PORT", server.sockets[0].getsockname()[1], flush=True)
    async with server:
        await server.serve_forever()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    try:
        asyncio.run(serve(args.host, args.port))
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
