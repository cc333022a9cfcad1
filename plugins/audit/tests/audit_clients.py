"""Building clients with the audit plugin enabled, for the tests of this package."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from zenoo_rpc import ZenooClient
from zenoo_rpc.config import ZenooConfig

#: ``make_client(settings=None, **config)``: a client of the test's emulator with
#: the audit plugin enabled and ``settings`` as its ``[plugins.audit]`` table.
ClientFactory = Callable[..., ZenooClient]


def audit_config(
    url: str | None, settings: dict[str, Any] | None = None, **top: Any
) -> ZenooConfig:
    """A client config enabling the audit plugin with ``settings`` as ``[plugins.audit]``."""
    plugins: dict[str, Any] = {"enabled": ["audit"]}
    if settings is not None:
        plugins["audit"] = settings
    assert url is not None
    return ZenooConfig.from_mapping({"url": url, "timeout": 5.0, **top, "plugins": plugins})
