"""A client on a fresh in-process emulator that records the calls it sends (ORM tests)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, field

from zenoo_rpc import ZenooClient
from zenoo_rpc.call import Call
from zenoo_rpc.events import Event
from zenoo_rpc.testing.emulator.database import ADMIN_API_KEY
from zenoo_rpc.testing.emulator.server import Emulator
from zenoo_rpc.testing.transport import register_emulator, unregister_emulator


@dataclass
class Harness:
    """A logged-in client on a fresh emulator, and the model calls it sent to the server."""

    client: ZenooClient
    emulator: Emulator
    calls: list[Call] = field(default_factory=list)

    @property
    def methods(self) -> list[str]:
        return [f"{call.model}.{call.method}" for call in self.calls]

    def reset(self) -> None:
        self.calls.clear()


MakeHarness = Callable[..., AbstractAsyncContextManager[Harness]]


@asynccontextmanager
async def harness_for(
    version: int = 18, size: int = 30, cache: bool = False
) -> AsyncIterator[Harness]:
    emulator = Emulator(version=version, size=size)
    name = f"orm-{uuid.uuid4().hex[:10]}"
    register_emulator(name, emulator)
    try:
        async with ZenooClient(emulator.memory_url, plugins=[], cache=cache) as client:
            if version >= 19:
                await client.login("demo", "admin", api_key=ADMIN_API_KEY)
            else:
                await client.login("demo", "admin", "admin")
            harness = Harness(client, emulator)

            def record(event: Event) -> None:
                if event.name == "call_started" and event.call is not None:
                    harness.calls.append(event.call)  # sent to the server (not a cache hit)

            client.register_event_handler(record)
            yield harness
    finally:
        unregister_emulator(name)
