"""``[plugins.audit]``: the audit plugin's settings, decoded and checked once.

::

    [plugins]
    enabled = ["audit"]

    [plugins.audit]
    sink = ["jsonl", "logging"]        # default: "jsonl" when `path` is set, else "memory"
    path = "/var/log/odoo-audit.jsonl"
    fsync = false                      # true: each call waits until its record is on disk
    max_bytes = 104857600              # rotate at 100 MB (0: never)
    backup_count = 10                  # audit.jsonl.1 ... audit.jsonl.10
    logger = "zenoo_rpc.audit"
    level = "INFO"
    max_records = 1000                 # the memory sink keeps the last 1000
    record_logins = true               # also record each login (costs a few us per call)
    redact_fields = ["bank_acc_number", "x_*_pin"]   # added to the built-in patterns
    include_values = ["res.partner", "sale.*"]       # models whose written values are kept

A wrong value raises :class:`~zenoo_rpc_audit.errors.AuditConfigError` naming
the key (``$.plugins.audit.max_bytes``).
"""

from __future__ import annotations

import difflib
import logging
import re
from collections.abc import Mapping
from typing import Annotated, Any, Literal

import msgspec

from zenoo_rpc.config import reveal
from zenoo_rpc_audit.errors import AuditConfigError

__all__ = ["PLUGIN_NAME", "SINK_NAMES", "AuditSettings", "SinkName", "parse_settings"]

#: The plugin's entry-point name, and the name of its settings table.
PLUGIN_NAME = "audit"

SinkName = Literal["jsonl", "logging", "memory"]
SINK_NAMES: tuple[str, ...] = ("jsonl", "logging", "memory")

_PREFIX = f"$.plugins.{PLUGIN_NAME}"


class AuditSettings(msgspec.Struct, kw_only=True, forbid_unknown_fields=True, frozen=True):
    """The settings of one client's audit trail (see the module docs for each key).

    Build it with :func:`parse_settings`, which fills in ``sinks`` and checks
    the keys that depend on each other.
    """

    sink: SinkName | list[SinkName] | None = None
    path: str | None = None
    fsync: bool = False
    max_bytes: Annotated[int, msgspec.Meta(ge=0)] = 0
    backup_count: Annotated[int, msgspec.Meta(ge=0)] = 5
    file_mode: Annotated[int, msgspec.Meta(ge=0, le=0o777)] = 0o600
    logger: Annotated[str, msgspec.Meta(min_length=1)] = "zenoo_rpc.audit"
    level: str | int = "INFO"
    max_records: Annotated[int, msgspec.Meta(ge=1)] = 1000
    record_logins: bool = False
    redact_fields: list[Annotated[str, msgspec.Meta(min_length=1)]] = msgspec.field(
        default_factory=list
    )
    include_values: list[Annotated[str, msgspec.Meta(min_length=1)]] = msgspec.field(
        default_factory=list
    )

    @property
    def sinks(self) -> tuple[SinkName, ...]:
        """The sinks to write to, in order, without repeats."""
        if self.sink is None:
            return ("jsonl",) if self.path else ("memory",)
        names = [self.sink] if isinstance(self.sink, str) else self.sink
        return tuple(dict.fromkeys(names))

    @property
    def log_level(self) -> int:
        """``level`` as a number (``"INFO"`` -> 20)."""
        level = self.level if isinstance(self.level, int) else _level_number(self.level)
        if level is None:  # parse_settings checked it
            raise AssertionError(self.level)
        return level


_MSGSPEC_ERROR = re.compile(r"^(?P<text>.*?)(?: - at `\$(?P<path>[^`]*)`)?$", re.S)
_UNKNOWN_FIELD = re.compile(r"^Object contains unknown field `(?P<field>[^`]+)`$")


def parse_settings(table: Mapping[str, Any] | None) -> AuditSettings:
    """Decode the ``[plugins.audit]`` table (``None``: every default).

    :raises AuditConfigError: a key is unknown or a value wrong; ``path`` names it.
    """
    try:
        settings = msgspec.convert(dict(reveal(table or {})), AuditSettings)
    except msgspec.ValidationError as exc:
        raise _config_error(str(exc)) from None
    _check(settings)
    return settings


def _check(settings: AuditSettings) -> None:
    sinks = settings.sinks
    if not sinks:
        raise _error("sink", "`sink` names no sink; choose among " + ", ".join(SINK_NAMES))
    if "jsonl" in sinks and not settings.path:
        raise _error("path", 'the "jsonl" sink needs `path` (the JSON Lines file to append to)')
    if settings.path and "jsonl" not in sinks:
        raise _error("sink", '`path` is set but `sink` has no "jsonl": add it, or remove `path`')
    if settings.max_bytes and not settings.backup_count:
        raise _error(
            "backup_count",
            "`max_bytes` rotates the file but `backup_count = 0` would keep no rotated "
            "file (records would be lost); set backup_count >= 1",
        )
    if isinstance(settings.level, str) and _level_number(settings.level) is None:
        raise _error(
            "level",
            f"unknown logging level {settings.level!r}; use DEBUG, INFO, WARNING, ERROR, "
            "CRITICAL or a number",
        )


def _level_number(name: str) -> int | None:
    level = logging.getLevelName(name.upper())  # a registered name gives its number
    return level if isinstance(level, int) else None


def _error(key: str, message: str) -> AuditConfigError:
    path = f"{_PREFIX}.{key}"
    return AuditConfigError(f"[plugins.{PLUGIN_NAME}]: {message} - at `{path}`", path=path)


def _config_error(message: str) -> AuditConfigError:
    match = _MSGSPEC_ERROR.match(message)
    text = match.group("text") if match else message
    key = (match.group("path") if match else None) or ""
    unknown = _UNKNOWN_FIELD.match(text)
    if unknown:
        field = unknown.group("field")
        key = f"{key}.{field}"
        valid = list(AuditSettings.__struct_fields__)
        close = difflib.get_close_matches(field, valid, n=1)
        hint = f"; did you mean `{close[0]}`?" if close else ""
        text = f"unknown key `{field}` (valid keys: {', '.join(valid)}){hint}"
    path = f"{_PREFIX}{key}"
    return AuditConfigError(f"[plugins.{PLUGIN_NAME}]: {text} - at `{path}`", path=path)
