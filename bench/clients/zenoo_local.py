"""zenoo-rpc from this repository, on the transport named by ``--transport``."""

from __future__ import annotations

import asyncio
from typing import Any

from measure import fail, measure_async, parse_args, workload


async def main() -> None:
    args = parse_args()
    try:
        from zenoo_rpc import ZenooClient
    except ImportError as exc:
        fail(f"unavailable: {exc}")
    try:
        client = ZenooClient(args.url, protocol="jsonrpc", transport=args.transport)
        await client.__aenter__()
        await client.login(workload.DB, workload.USER, workload.PASSWORD)
    except Exception as exc:
        fail(f"unavailable: {type(exc).__name__}: {exc}")

    async def call() -> Any:
        return await client.search_read(
            workload.MODEL, [], fields=workload.FIELDS, limit=workload.LIMIT
        )

    try:
        await measure_async(call, args.calls, args.warmup)
    finally:
        await client.__aexit__(None, None, None)


if __name__ == "__main__":
    asyncio.run(main())
