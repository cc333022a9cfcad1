"""Middleware: async functions wrapped around every model call, in order.

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
import inspect
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Protocol

from zenoo_rpc.call import Call

__all__ = ["Handler", "Middleware", "adapt_middleware", "adapt_plugin_object", "compose"]

Handler = Callable[[Call], Awaitable[Any]]


class Middleware(Protocol):
    """What a middleware is: ``await mw(call, call_next)``."""

    def __call__(self, call: Call, call_next: Handler, /) -> Awaitable[Any]: ...


def compose(middlewares: Sequence[Middleware], innermost: Handler) -> Handler:
    """Build one handler: ``middlewares[0]`` sees the call first and the result last."""
    handler = innermost
    for mw in reversed(middlewares):
        handler = functools.partial(mw, call_next=handler)  # type: ignore[call-arg]
    return handler


def _call_as_request(call: Call) -> dict[str, Any]:
    return {
        "method": f"{call.model}.{call.method}",
        "model": call.model,
        "args": list(call.args),
        "kwargs": dict(call.kwargs),
        "context": dict(call.context),
    }


async def _maybe_await(value: Any) -> Any:
    return await value if inspect.isawaitable(value) else value


def adapt_middleware(obj: object) -> Middleware:
    """Turn ``obj`` into a middleware.

    Accepts a middleware callable ``(call, call_next)`` as is, or a seed-style
    object with ``process_request(request: dict) -> dict`` and / or
    ``process_response(response: dict) -> dict`` (``{"result": ...}``).
    """
    has_request = hasattr(obj, "process_request")
    has_response = hasattr(obj, "process_response")
    if not (has_request or has_response):
        if callable(obj):
            return obj
        raise TypeError(
            f"{obj!r} is not a middleware: give an async callable (call, call_next) or an "
            "object with process_request / process_response"
        )

    async def middleware(call: Call, call_next: Handler) -> Any:
        if has_request:
            request = await _maybe_await(obj.process_request(_call_as_request(call)))  # type: ignore[attr-defined]
            if request is not None:
                call = Call(
                    model=request.get("model", call.model),
                    method=request.get("method", call.method).rsplit(".", 1)[-1],
                    args=request.get("args", call.args),
                    kwargs=request.get("kwargs", call.kwargs),
                    context=request.get("context", call.context),
                    timeout=call.timeout,
                )
        result = await call_next(call)
        if has_response:
            response = await _maybe_await(obj.process_response({"result": result}))  # type: ignore[attr-defined]
            if isinstance(response, dict) and "result" in response:
                result = response["result"]
        return result

    return middleware


def adapt_plugin_object(obj: object) -> Middleware | None:
    """Adapt a seed-style plugin object into a middleware.

    The object has ``before_request(method, params)`` and / or
    ``after_response(method, response)``; either may be async.
    """
    before = getattr(obj, "before_request", None)
    after = getattr(obj, "after_response", None)
    if before is None and after is None:
        return None

    async def middleware(call: Call, call_next: Handler) -> Any:
        name = f"{call.model}.{call.method}"
        if before is not None:
            await _maybe_await(before(name, _call_as_request(call)))
        result = await call_next(call)
        if after is not None:
            await _maybe_await(after(name, {"result": result}))
        return result

    return middleware
