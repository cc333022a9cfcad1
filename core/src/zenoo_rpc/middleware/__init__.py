"""Middleware around every model call: the chain (:mod:`.chain`) and the seed's base class
(:mod:`.base`)."""

from zenoo_rpc.middleware.base import Middleware, adapt_middleware, adapt_plugin_object
from zenoo_rpc.middleware.chain import Handler, MiddlewareFunction, compose

__all__ = [
    "Handler",
    "Middleware",
    "MiddlewareFunction",
    "adapt_middleware",
    "adapt_plugin_object",
    "compose",
]
