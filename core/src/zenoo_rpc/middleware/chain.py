"""The middleware chain: async functions wrapped around every model call, in order.

A middleware receives the :class:`~zenoo_rpc.call.Call` and ``call_next``;
it may change the call, short-circuit with its own result, observe or change
the result, or handle the error::

    async def timing(call: Call, call_next: Handler) -> Any:
        started = time.perf_counter()
        try:
            return await call_next(call)
        finally:
            print(call.model, call.method, time.perf_counter() - started)

Plugins provide middleware through the ``zenoo_middleware`` hook (a factory
called once per client); code adds it with ``client.add_middleware``. The
chain is composed once, outermost first; the innermost handler is the client's
cache / retry / protocol pipeline.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Protocol

from zenoo_rpc.call import Call

__all__ = ["Handler", "MiddlewareFunction", "compose"]

Handler = Callable[[Call], Awaitable[Any]]


class MiddlewareFunction(Protocol):
    """What a middleware is: ``await mw(call, call_next)``."""

    def __call__(self, call: Call, call_next: Handler, /) -> Awaitable[Any]: ...


def compose(middlewares: Sequence[MiddlewareFunction], innermost: Handler) -> Handler:
    """Build one handler: ``middlewares[0]`` sees the call first and the result last."""
    handler = innermost
    for mw in reversed(middlewares):
        handler = functools.partial(mw, call_next=handler)  # type: ignore[call-arg]
    return handler
