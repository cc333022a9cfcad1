"""httpx.AsyncClient with msgspec encode/decode: what a thin httpx-based client costs."""

from __future__ import annotations

import asyncio
from itertools import count
from typing import Any

import httpx
import msgspec
from measure import measure_async, parse_args, workload


async def main() -> None:
    args = parse_args()
    encode, decode = msgspec.json.encode, msgspec.json.decode
    ids = count(1)
    headers = {"Content-Type": "application/json"}
    async with httpx.AsyncClient(base_url=args.url) as client:

        async def call() -> Any:
            request_id = next(ids)
            body = encode(workload.search_read_call(request_id))
            response = await client.post("/jsonrpc", content=body, headers=headers)
            answer = decode(response.content)
            if answer["id"] != request_id:
                raise RuntimeError("answer id mismatch")
            return answer["result"]

        await measure_async(call, args.calls, args.warmup)


if __name__ == "__main__":
    asyncio.run(main())
