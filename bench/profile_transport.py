"""Where the ``asyncio`` transport spends its CPU: ``python bench/profile_transport.py``.

Starts ``bench/server.py``, times ``StreamsTransport.request`` alone (the bytes
in and out, no JSON), then prints a cProfile of the same loop sorted by own time.
Runs in the current Python, which must have zenoo-rpc importable.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import pstats
import subprocess
import sys
import time
from pathlib import Path

import msgspec

from zenoo_rpc.transports.base import HttpRequest, TransportOptions
from zenoo_rpc.transports.streams import StreamsTransport

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import workload  # noqa: E402


async def loop_calls(url: str, calls: int, decode: bool) -> float:
    transport = StreamsTransport(TransportOptions(base_url=url))
    body = msgspec.json.encode(workload.search_read_call(1))
    request = HttpRequest(
        path="/jsonrpc", content=body, headers={"Content-Type": "application/json"}
    )
    for _ in range(200):
        await transport.request(request)
    start = time.process_time()
    for _ in range(calls):
        response = await transport.request(request)
        if decode:
            msgspec.json.decode(response.content)
    spent = time.process_time() - start
    await transport.aclose()
    return spent / calls * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=3000)
    args = parser.parse_args()
    server = subprocess.Popen(
        [sys.executable, str(BENCH / "server.py")], stdout=subprocess.PIPE, text=True
    )
    assert server.stdout is not None
    url = f"http://127.0.0.1:{server.stdout.readline().split()[1]}"
    try:
        bare = asyncio.run(loop_calls(url, args.calls, decode=False))
        decoded = asyncio.run(loop_calls(url, args.calls, decode=True))
        print(
            f"transport.request alone: {bare:.3f} ms CPU/call; with msgspec decode: {decoded:.3f}"
        )
        profile = cProfile.Profile(time.process_time)  # CPU, not wall: waiting is free
        profile.enable()
        asyncio.run(loop_calls(url, args.calls, decode=False))
        profile.disable()
        stats = pstats.Stats(profile)
        stats.sort_stats("tottime").print_stats(22)
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
