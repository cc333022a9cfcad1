"""A process writing audit records through the plugin, for the crash and concurrency tests.

``python audit_writer.py --path F --tag A [--count N] [--pad BYTES] [--max-bytes M]``:
logs in to an in-memory Odoo of its own, prints ``ready``, then writes
``res.partner`` 1 with the names ``A-0``, ``A-1``... (values recorded, so each
record says which write it was) until ``--count`` writes are done, or forever.
"""

from __future__ import annotations

import argparse
import asyncio

from zenoo_rpc import ZenooClient
from zenoo_rpc.config import ZenooConfig


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--path", required=True)
    parser.add_argument("--tag", required=True)
    parser.add_argument("--count", type=int, default=0, help="0: until killed")
    parser.add_argument("--pad", type=int, default=0, help="bytes of comment per record")
    parser.add_argument("--max-bytes", type=int, default=0)
    parser.add_argument("--backup-count", type=int, default=1000)
    args = parser.parse_args()
    settings = {
        "path": args.path,
        "include_values": ["res.partner"],
        "max_bytes": args.max_bytes,
        "backup_count": args.backup_count,
        "record_logins": True,
    }
    config = ZenooConfig.from_mapping(
        {"url": "memory://writer?size=3", "plugins": {"enabled": ["audit"], "audit": settings}}
    )
    async with ZenooClient(config=config) as client:
        await client.login("writer", "admin", "admin")
        print("ready", flush=True)
        index = 0
        while not args.count or index < args.count:
            values = {"name": f"{args.tag}-{index}", "comment": "x" * args.pad}
            await client.write("res.partner", [1], values)
            index += 1


if __name__ == "__main__":
    asyncio.run(main())
