"""``MockClient``: a :class:`~zenoo_rpc.ZenooClient` that answers from canned responses.

For unit tests that want to say exactly what Odoo answers, without an
emulator::

    client = MockClient()
    client.mock_response("res.partner", "search_read", [{"id": 1, "name": "Test Partner"}])
    rows = await client.search_read("res.partner", fields=["name"])
    client.assert_all_used()     # the pytest fixture does this at teardown

Calls still go through middleware and events, so plugins can be tested with
it. A call with no registered answer fails with an error listing what was
registered; a registered answer never used fails :meth:`assert_all_used`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import msgspec

from zenoo_rpc.call import Call
from zenoo_rpc.client import ZenooClient
from zenoo_rpc.config import ZenooConfig
from zenoo_rpc.errors import ZenooError
from zenoo_rpc.protocols.base import Session

__all__ = ["MockClient", "MockResponse", "UnmockedCallError"]


class UnmockedCallError(ZenooError, AssertionError):
    """A call reached a :class:`MockClient` that has no response registered for it."""


class MockResponse(msgspec.Struct, kw_only=True):
    """One canned answer: a value, an exception to raise, or a function of the call."""

    model: str
    method: str
    data: Any
    times: int | None = None
    match: Callable[[Call], bool] | None = None
    calls: int = 0

    def answers(self, call: Call) -> bool:
        if (self.model, self.method) != (call.model, call.method):
            return False
        if self.times is not None and self.calls >= self.times:
            return False
        return self.match is None or self.match(call)

    def describe(self) -> str:
        limit = f", times={self.times}" if self.times is not None else ""
        return f"{self.model}.{self.method}{limit} (used {self.calls}x)"


class MockClient(ZenooClient):
    """A logged-in client whose model calls are answered by :meth:`mock_response`."""

    def __init__(
        self,
        *,
        uid: int = 2,
        database: str = "mock",
        plugins: list[str] | None = None,
        context: dict[str, Any] | None = None,
    ) -> None:
        config = ZenooConfig.from_mapping(
            {"url": "memory://mock", "plugins": plugins or [], "context": context or {}},
            source="MockClient",
        )
        super().__init__(config=config)
        self.responses: list[MockResponse] = []
        self.calls: list[Call] = []
        self.session = Session(
            db=database, uid=uid, login="mock", context={"lang": "en_US", "tz": "UTC", "uid": uid}
        )

    @property
    def is_authenticated(self) -> bool:
        return self.session is not None

    def mock_response(
        self,
        model: str,
        method: str,
        data: Any,
        *,
        times: int | None = None,
        match: Callable[[Call], bool] | None = None,
    ) -> MockResponse:
        """Answer calls of ``model.method`` with ``data``.

        ``data`` may be a value (returned), an exception (raised) or a
        function ``(call) -> value``. ``times`` limits how many calls it
        answers; ``match`` restricts it to calls the predicate accepts. The
        first registered response that answers a call is used.
        """
        response = MockResponse(model=model, method=method, data=data, times=times, match=match)
        self.responses.append(response)
        return response

    async def _pipeline(self, call: Call) -> Any:
        self.calls.append(call)
        for response in self.responses:
            if response.answers(call):
                response.calls += 1
                data = response.data
                if isinstance(data, BaseException):
                    raise data
                if callable(data):
                    return data(call)
                return msgspec.convert(msgspec.to_builtins(data), object)
        registered = "\n  ".join(r.describe() for r in self.responses) or "(none)"
        raise UnmockedCallError(
            f"No mocked response for {call.model}.{call.method}. Registered:\n  {registered}"
        )

    def assert_all_used(self) -> None:
        """Fail when a registered response never answered a call."""
        unused = [r for r in self.responses if r.calls == 0]
        if unused:
            raise AssertionError(
                "Mocked responses never used:\n  " + "\n  ".join(r.describe() for r in unused)
            )

    async def close(self) -> None:
        await self.cache_manager.close()
