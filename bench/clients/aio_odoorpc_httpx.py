"""aio-odoorpc with an httpx.AsyncClient, as its README shows."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
from aio_odoorpc import AsyncOdooRPC
from measure import measure_async, parse_args, workload


async def main() -> None:
    args = parse_args()
    # base_url=".../jsonrpc" as in its README makes httpx 0.28 post to "/jsonrpc/",
    # which Odoo answers with 404: name the endpoint instead (its other documented way).
    async with httpx.AsyncClient() as session:
        odoo = AsyncOdooRPC(
            database=workload.DB,
            username_or_uid=workload.USER,
            password=workload.PASSWORD,
            http_client=session,
            url_jsonrpc_endpoint=f"{args.url}/jsonrpc",
        )
        await odoo.login()

        async def call() -> Any:
            return await odoo.search_read(
                [], fields=workload.FIELDS, limit=workload.LIMIT, model_name=workload.MODEL
            )

        await measure_async(call, args.calls, args.warmup)


if __name__ == "__main__":
    asyncio.run(main())
