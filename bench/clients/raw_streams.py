"""The floor: one keep-alive connection, a hand-written HTTP/1.1 POST, msgspec decode."""

from __future__ import annotations

import asyncio
from itertools import count
from typing import Any
from urllib.parse import urlsplit

import msgspec
from measure import measure_async, parse_args, workload


async def main() -> None:
    args = parse_args()
    url = urlsplit(args.url)
    host, port = url.hostname or "127.0.0.1", url.port or 80
    reader, writer = await asyncio.open_connection(host, port)
    encode, decode = msgspec.json.encode, msgspec.json.decode
    ids = count(1)
    head = f"POST /jsonrpc HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Type: application/json\r\n"

    async def call() -> Any:
        request_id = next(ids)
        body = encode(workload.search_read_call(request_id))
        writer.write(f"{head}Content-Length: {len(body)}\r\n\r\n".encode() + body)
        response_head = await reader.readuntil(b"\r\n\r\n")
        start = response_head.lower().index(b"content-length:") + 15
        length = int(response_head[start : response_head.index(b"\r\n", start)])
        answer = decode(await reader.readexactly(length))
        if answer["id"] != request_id:
            raise RuntimeError("answer id mismatch")
        return answer["result"]

    await measure_async(call, args.calls, args.warmup)
    writer.close()


if __name__ == "__main__":
    asyncio.run(main())
