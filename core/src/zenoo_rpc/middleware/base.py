"""``Middleware``: the seed docs' base class, and adapters for middleware-like objects.

Subclass :class:`Middleware` and override ``process_request`` and / or
``process_response`` (sync or async)::

    class LoggingMiddleware(Middleware):
        async def process_request(self, request: dict[str, Any]) -> dict[str, Any]:
            logger.info("Outgoing request: %s", request["method"])
            return request

    client.add_middleware(LoggingMiddleware())

``request`` is ``{"method": "res.partner.search_read", "model", "args",
"kwargs", "context"}``; what ``process_request`` returns is sent (return
``None`` to leave it unchanged). ``response`` is ``{"result": ...}``; the
``result`` it returns is what the caller gets. For full control (errors,
short-circuits, timing) override ``__call__(call, call_next)`` or pass a
plain async function instead.
"""

from __future__ import annotations

import inspect
from typing import Any

from zenoo_rpc.call import Call
from zenoo_rpc.middleware.chain import Handler, MiddlewareFunction

__all__ = ["Middleware", "adapt_middleware", "adapt_plugin_object"]


class Middleware:
    """Base class of request / response middleware; an instance is a middleware function."""

    def process_request(self, request: dict[str, Any]) -> Any:
        """Return the request to send (or ``None`` to keep it); may be async."""
        return request

    def process_response(self, response: dict[str, Any]) -> Any:
        """Return ``{"result": ...}`` for the caller (or ``None`` to keep it); may be async."""
        return response

    async def __call__(self, call: Call, call_next: Handler) -> Any:
        request = await _maybe_await(self.process_request(_call_as_request(call)))
        if request is not None:
            call = _request_as_call(request, call)
        result = await call_next(call)
        response = await _maybe_await(self.process_response({"result": result}))
        if isinstance(response, dict) and "result" in response:
            result = response["result"]
        return result


def adapt_middleware(obj: object) -> MiddlewareFunction:
    """Turn ``obj`` into a middleware function.

    Accepts a middleware callable ``(call, call_next)`` (a :class:`Middleware`
    is one) as is, or any object with ``process_request`` and / or
    ``process_response`` methods.
    """
    if isinstance(obj, Middleware):
        return obj
    has_request = hasattr(obj, "process_request")
    has_response = hasattr(obj, "process_response")
    if not (has_request or has_response):
        if callable(obj):
            return obj
        raise TypeError(
            f"{obj!r} is not a middleware: give an async callable (call, call_next) or an "
            "object with process_request / process_response"
        )

    class _Adapted(Middleware):
        def process_request(self, request: dict[str, Any]) -> Any:
            return obj.process_request(request) if has_request else request  # type: ignore[attr-defined]

        def process_response(self, response: dict[str, Any]) -> Any:
            return obj.process_response(response) if has_response else response  # type: ignore[attr-defined]

    return _Adapted()


def adapt_plugin_object(obj: object) -> MiddlewareFunction | None:
    """Adapt a seed-style plugin object into a middleware function.

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


def _call_as_request(call: Call) -> dict[str, Any]:
    return {
        "method": f"{call.model}.{call.method}",
        "model": call.model,
        "args": list(call.args),
        "kwargs": dict(call.kwargs),
        "context": dict(call.context),
    }


def _request_as_call(request: dict[str, Any], call: Call) -> Call:
    return Call(
        model=request.get("model", call.model),
        method=str(request.get("method", call.method)).rsplit(".", 1)[-1],
        args=tuple(request.get("args", call.args)),
        kwargs=request.get("kwargs", call.kwargs),
        context=request.get("context", call.context),
        timeout=call.timeout,
    )


async def _maybe_await(value: Any) -> Any:
    return await value if inspect.isawaitable(value) else value
