"""zenoo-rpc 0.2.4 from PyPI (the original): ``ZenooClient(url)``, ``login``, ``search_read``."""

from __future__ import annotations

import asyncio
from typing import Any

from measure import measure_async, parse_args, workload

from zenoo_rpc import ZenooClient


async def main() -> None:
    args = parse_args()
    async with ZenooClient(args.url) as client:
        await client.login(workload.DB, workload.USER, workload.PASSWORD)

        async def call() -> Any:
            return await client.search_read(
                workload.MODEL, [], fields=workload.FIELDS, limit=workload.LIMIT
            )

        await measure_async(call, args.calls, args.warmup)


if __name__ == "__main__":
    asyncio.run(main())
