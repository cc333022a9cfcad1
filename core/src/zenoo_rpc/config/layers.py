"""Raw configuration layers: normalised, secrets resolved, merged, origins remembered.

Each source (a TOML file, one of its profiles, the environment, arguments, a
provider's mapping) becomes a :class:`Layer`: plain data in the shape of
:class:`~zenoo_rpc.config.model.ZenooConfig` plus, for every key path, a label
saying where it came from. Layers are merged in precedence order and decoded
once, so an error names the file (or variable, or argument) that set the bad
value.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import msgspec

from zenoo_rpc.config.secret import Secret
from zenoo_rpc.errors import ConfigError

__all__ = ["SECRET_FIELDS", "KeyPath", "Layer", "is_secret_name", "merge"]

KeyPath = tuple[str, ...]

#: Top-level fields that always hold secrets.
SECRET_FIELDS = ("password", "api_key")

# In settings tables (``[plugins.<name>]``, ``[cache.settings]``...), keys named
# like these hold secrets too: ``password``, ``redis_password``, ``auth_token``...
_SECRET_NAME = re.compile(r"(?:^|_)(?:password|passwd|secret|token|api_key|apikey)$", re.I)

_SETTINGS_TABLES: tuple[KeyPath, ...] = (("cache", "settings"), ("retry", "settings"))


def is_secret_name(key: str) -> bool:
    """Whether a settings key holds a secret (and so may use ``{env=}`` / ``{file=}``)."""
    return bool(_SECRET_NAME.search(key))


def dotted(path: KeyPath) -> str:
    """``("retry", "max_attempts")`` -> ``$.retry.max_attempts`` (msgspec's notation)."""
    return "$" + "".join(f".{part}" for part in path)


class Layer:
    """One source of configuration, normalised into ``ZenooConfig``'s shape.

    :param data: the source's mapping (TOML tables, environment values,
        arguments); ``plugins`` may be a list of names or a table.
    :param label: where it came from, used in error messages (a file path,
        ``environment variable ZENOO_TIMEOUT``...).
    :param env: environment used to resolve ``{env = "VAR"}`` secrets.
    :param base_dir: directory that relative ``{file = "..."}`` paths start from.
    :param labels: per-key labels overriding ``label`` (one per env variable).
    """

    def __init__(
        self,
        data: Mapping[str, Any],
        label: str,
        *,
        env: Mapping[str, str],
        base_dir: Path,
        labels: Mapping[KeyPath, str] | None = None,
    ) -> None:
        self.label = label
        self._env = env
        self._base_dir = base_dir
        self._labels = dict(labels or {})
        self.data: dict[str, Any] = _plain(data)
        self._normalise_plugins()
        self._resolve_secrets()
        self.origins: dict[KeyPath, str] = {}
        _record(self.data, (), self._label_for, self.origins)

    def _label_for(self, path: KeyPath) -> str:
        for end in range(len(path), 0, -1):
            if path[:end] in self._labels:
                return self._labels[path[:end]]
        return self.label

    def _error(self, path: KeyPath, message: str) -> ConfigError:
        label = self._label_for(path)
        return ConfigError(f"{label}: {message}", path=dotted(path), source=label)

    def _normalise_plugins(self) -> None:
        if "plugins" not in self.data:
            return
        raw = self.data["plugins"]
        if isinstance(raw, (list, tuple)):
            self.data["plugins"] = {"enabled": list(raw)}
            return
        if not isinstance(raw, dict):
            raise self._error(
                ("plugins",),
                "`plugins` must be a list of plugin names or a [plugins] table with "
                f"`enabled = [...]`, not {type(raw).__name__}",
            )
        table: dict[str, Any] = {}
        settings: dict[str, Any] = {}
        for key, value in raw.items():
            if key == "enabled":
                table["enabled"] = value
            elif key == "settings" and isinstance(value, dict):
                settings.update(value)
            elif isinstance(value, dict):
                settings[key] = value
            else:
                raise self._error(
                    ("plugins", key),
                    f"`plugins.{key}` must be a table of settings for plugin {key!r} "
                    f"([plugins.{key}]). To list enabled plugins next to plugin tables, "
                    "write `enabled = [...]` under [plugins] (TOML cannot have both "
                    "`plugins = [...]` and [plugins.<name>] tables).",
                )
        if settings:
            table["settings"] = settings
        self.data["plugins"] = table

    def _resolve_secrets(self) -> None:
        for key in SECRET_FIELDS:
            if self.data.get(key) is not None:
                self.data[key] = self._secret(self.data[key], (key,))
        tables = list(_SETTINGS_TABLES)
        plugin_settings = _get(self.data, ("plugins", "settings"))
        if isinstance(plugin_settings, dict):
            tables += [("plugins", "settings", name) for name in plugin_settings]
        for path in tables:
            table = _get(self.data, path)
            if isinstance(table, dict):
                self._resolve_in(table, path)

    def _resolve_in(self, table: dict[str, Any], path: KeyPath) -> None:
        for key, value in table.items():
            if is_secret_name(key) and value is not None:
                table[key] = self._secret(value, (*path, key))
            elif isinstance(value, dict):
                self._resolve_in(value, (*path, key))

    def _secret(self, value: Any, path: KeyPath) -> Secret:
        """Resolve a secret given as a string, ``{env = "VAR"}`` or ``{file = "path"}``."""
        if isinstance(value, Secret):
            return value
        if isinstance(value, str):
            return Secret(value)
        where = f"`{dotted(path)}`"
        if isinstance(value, dict) and len(value) == 1 and isinstance(value.get("env"), str):
            name = value["env"]
            if name not in self._env:
                raise self._error(path, f"environment variable {name} is not set (for {where})")
            if not self._env[name]:
                raise self._error(path, f"environment variable {name} is empty (for {where})")
            return Secret(self._env[name])
        if isinstance(value, dict) and len(value) == 1 and isinstance(value.get("file"), str):
            file = (self._base_dir / Path(value["file"]).expanduser()).resolve()
            try:
                text = file.read_text(encoding="utf-8").strip()
            except (OSError, UnicodeDecodeError) as exc:
                reason = getattr(exc, "strerror", None) or type(exc).__name__
                raise self._error(
                    path, f"secret file {file} (for {where}) cannot be read: {reason}"
                ) from None
            if not text:
                raise self._error(path, f"secret file {file} (for {where}) is empty")
            return Secret(text)
        raise self._error(
            path,
            f'{where} must be a string, {{env = "VAR"}} or {{file = "/path"}}, '
            f"not {type(value).__name__}",
        )


def merge(base: dict[str, Any], layer: Layer, origins: dict[KeyPath, str]) -> None:
    """Merge ``layer`` over ``base`` in place: tables merge key by key, values replace.

    A layer that sets ``url`` drops a lower layer's ``host`` / ``port`` and one
    that sets ``host`` drops a lower ``url``, so the highest source that says
    where the server is wins as a whole.
    """
    data = layer.data
    if "url" in data:
        for key in ("host", "port"):
            base.pop(key, None)
    elif "host" in data:
        base.pop("url", None)
    _merge_dicts(base, data)
    origins.update(layer.origins)


def _merge_dicts(base: dict[str, Any], over: Mapping[str, Any]) -> None:
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            _merge_dicts(base[key], value)
        else:
            base[key] = _plain(value) if isinstance(value, dict) else value


def _plain(value: Any) -> Any:
    """Deep-copy mappings and turn structs (``RetryConfig(...)`` arguments) into dicts."""
    if isinstance(value, msgspec.Struct):
        return {f: _plain(getattr(value, f)) for f in value.__struct_fields__}
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, tuple):
        return list(value)
    return value


def _get(data: Mapping[str, Any], path: KeyPath) -> Any:
    current: Any = data
    for part in path:
        if not isinstance(current, Mapping):
            return None
        current = current.get(part)
    return current


def _record(data: Any, path: KeyPath, label_for: Any, origins: dict[KeyPath, str]) -> None:
    if path:
        origins[path] = label_for(path)
    if isinstance(data, dict):
        for key, value in data.items():
            _record(value, (*path, str(key)), label_for, origins)
