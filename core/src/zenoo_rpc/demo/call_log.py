"""An in-house plugin, selected by its dotted path in the demo's ``zenoo.toml``.

It is the smallest useful plugin: a ``zenoo_event`` hook that keeps the
duration of every finished call, so the tour can print where time went.
"""

from __future__ import annotations

from zenoo_rpc.events import Event
from zenoo_rpc.hookspecs import hookimpl

#: (model.method, milliseconds, outcome) of every call of every client using the plugin.
CALLS: list[tuple[str, float, str]] = []


@hookimpl
def zenoo_event(event: Event) -> None:
    if event.call is None:
        return
    name = f"{event.call.model}.{event.call.method}"
    if event.name == "call_finished":
        CALLS.append((name, (event.duration or 0.0) * 1000, "ok"))
    elif event.name == "call_failed":
        CALLS.append((name, (event.duration or 0.0) * 1000, type(event.error).__name__))
    elif event.name == "cache_hit":
        CALLS.append((name, 0.0, "cache hit"))
