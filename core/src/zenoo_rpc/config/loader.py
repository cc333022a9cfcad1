"""Where configuration comes from: arguments, ``ZENOO_*`` variables, a TOML file.

:func:`load_config` reads the sources, lowest precedence first, into layers
(:mod:`zenoo_rpc.config.layers`), merges them and decodes the result once.
"""

from __future__ import annotations

import difflib
import logging
import os
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from zenoo_rpc.config.layers import KeyPath, Layer, merge
from zenoo_rpc.config.model import ZenooConfig, decode
from zenoo_rpc.errors import ConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]

__all__ = [
    "CONFIG_ENV",
    "ENV_PREFIX",
    "FLAT_KEYS",
    "PROFILE_ENV",
    "find_config_file",
    "load_config",
]

log = logging.getLogger(__name__)

ENV_PREFIX = "ZENOO_"
CONFIG_ENV = "ZENOO_CONFIG"
PROFILE_ENV = "ZENOO_PROFILE"
CONFIG_FILENAME = "zenoo.toml"
# Read by other parts of zenoo-rpc, not by load_config: not "unknown" variables.
_OTHER_ENV = {CONFIG_ENV, PROFILE_ENV, "ZENOO_PLUGINS"}


def _parse_bool(text: str) -> bool:
    lowered = text.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ValueError("expected true/false, yes/no, on/off or 1/0")


def _parse_optional_float(text: str) -> float | None:
    return None if text.strip().lower() in {"", "none"} else float(text)


#: Flat names of settings, for ``ZENOO_<NAME>`` variables and ``load_config(<name>=...)``
#: arguments: name -> (key path, parser of the variable's text).
FLAT_KEYS: dict[str, tuple[KeyPath, Callable[[str], Any]]] = {
    "url": (("url",), str),
    "host": (("host",), str),
    "port": (("port",), int),
    "database": (("database",), str),
    "username": (("username",), str),
    "password": (("password",), str),
    "api_key": (("api_key",), str),
    "master_password": (("master_password",), str),
    "protocol": (("protocol",), str),
    "timeout": (("timeout",), float),
    "verify_ssl": (("verify_ssl",), _parse_bool),
    "transport": (("transport",), str),
    "retry_max_attempts": (("retry", "max_attempts"), int),
    "retry_strategy": (("retry", "strategy"), str),
    "retry_base_delay": (("retry", "base_delay"), float),
    "retry_max_delay": (("retry", "max_delay"), float),
    "retry_jitter": (("retry", "jitter"), _parse_bool),
    "circuit_breaker_enabled": (("retry", "circuit_breaker", "enabled"), _parse_bool),
    "circuit_breaker_failure_threshold": (("retry", "circuit_breaker", "failure_threshold"), int),
    "circuit_breaker_reset_timeout": (("retry", "circuit_breaker", "reset_timeout"), float),
    "cache_enabled": (("cache", "enabled"), _parse_bool),
    "cache_backend": (("cache", "backend"), str),
    "cache_ttl": (("cache", "ttl"), _parse_optional_float),
    "cache_max_size": (("cache", "max_size"), int),
    "cache_namespace": (("cache", "namespace"), str),
}


def load_config(
    *,
    config_file: str | os.PathLike[str] | None = None,
    profile: str | None = None,
    env: Mapping[str, str] | None = None,
    cwd: str | os.PathLike[str] | None = None,
    **overrides: Any,
) -> ZenooConfig:
    """Resolve the configuration: arguments > ``ZENOO_*`` variables > TOML file.

    :param config_file: the TOML file to read; default: ``$ZENOO_CONFIG``, else
        the nearest ``zenoo.toml`` or ``pyproject.toml`` with ``[tool.zenoo]``,
        from ``cwd`` up (in each directory ``zenoo.toml`` wins).
    :param profile: the ``[profiles.<name>]`` table to overlay on the file's top
        level; default: ``$ZENOO_PROFILE``, else the file's ``profile = "..."``.
    :param env: environment variables (default ``os.environ``).
    :param cwd: where to start looking for the file (default: current directory).
    :param overrides: config fields (``database="demo"``, ``retry=RetryConfig(...)``,
        ``plugins=["audit"]``) or flat names from :data:`FLAT_KEYS`
        (``cache_enabled=True``). ``None`` means "not given".
    :raises ConfigError: naming the file, variable or argument and the key path.
    """
    env = os.environ if env is None else env
    start = Path.cwd() if cwd is None else Path(cwd)
    merged: dict[str, Any] = {}
    origins: dict[KeyPath, str] = {}

    found = _read_config_file(config_file, env, start)
    file_data, label, base_dir = found if found else ({}, "", start)
    profiles = file_data.pop("profiles", {})
    selected = profile or env.get(PROFILE_ENV) or file_data.get("profile")
    if found:
        merge(merged, Layer(file_data, label, env=env, base_dir=base_dir), origins)
    if selected:
        if not isinstance(selected, str):
            raise ConfigError(
                f"{label}: `profile` must be a string", path="$.profile", source=label
            )
        overlay = _select_profile(selected, profiles, label)
        profile_label = f"{label} [profiles.{selected}]"
        merge(merged, Layer(overlay, profile_label, env=env, base_dir=base_dir), origins)
        merged["profile"] = selected
    env_data, env_labels = _from_environment(env)
    if env_data:
        layer = Layer(env_data, "environment", env=env, base_dir=start, labels=env_labels)
        merge(merged, layer, origins)
    args = _from_arguments(overrides)
    if args:
        merge(merged, Layer(args, "arguments", env=env, base_dir=start), origins)
    return decode(merged, origins, label or "configuration")


def find_config_file(start: Path) -> Path | None:
    """The nearest ``zenoo.toml``, or pyproject.toml with ``[tool.zenoo]``, from ``start`` up."""
    for directory in (start.resolve(), *start.resolve().parents):
        candidate = directory / CONFIG_FILENAME
        if candidate.is_file():
            return candidate
        pyproject = directory / "pyproject.toml"
        if pyproject.is_file() and "zenoo" in _read_toml(pyproject).get("tool", {}):
            return pyproject
    return None


def _read_config_file(
    config_file: str | os.PathLike[str] | None, env: Mapping[str, str], start: Path
) -> tuple[dict[str, Any], str, Path] | None:
    if config_file is not None:
        path, named_by = start / Path(config_file).expanduser(), "config_file argument"
    elif env.get(CONFIG_ENV):
        path, named_by = start / Path(env[CONFIG_ENV]).expanduser(), CONFIG_ENV
    else:
        found = find_config_file(start)
        if found is None:
            return None
        path, named_by = found, ""
    if not path.is_file():
        raise ConfigError(f"config file {path} (from {named_by}) does not exist", source=str(path))
    data = _read_toml(path)
    label = str(path)
    if path.name == "pyproject.toml":
        label = f"{path} [tool.zenoo]"
        data = data.get("tool", {}).get("zenoo", {})
        if not isinstance(data, dict):
            raise ConfigError(f"{label}: [tool.zenoo] must be a table", source=label)
    log.debug("reading configuration from %s", label)
    return data, label, path.parent


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as file:
            data: dict[str, Any] = tomllib.load(file)
            return data
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}", source=str(path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot be read: {exc}", source=str(path)) from None


def _select_profile(name: str, profiles: Any, label: str) -> dict[str, Any]:
    if not isinstance(profiles, dict):
        raise ConfigError(
            f"{label}: `profiles` must be a table of [profiles.<name>] tables",
            path="$.profiles",
            source=label,
        )
    if name not in profiles:
        where = f"in {label}" if label else "(no zenoo.toml or [tool.zenoo] was found)"
        available = ", ".join(sorted(profiles)) or "none"
        raise ConfigError(
            f"Unknown profile {name!r}; profiles available {where}: {available}",
            path=f"$.profiles.{name}",
            source=label or None,
        )
    overlay = profiles[name]
    if not isinstance(overlay, dict):
        raise ConfigError(
            f"{label}: [profiles.{name}] must be a table",
            path=f"$.profiles.{name}",
            source=label,
        )
    return overlay


def _from_environment(env: Mapping[str, str]) -> tuple[dict[str, Any], dict[KeyPath, str]]:
    data: dict[str, Any] = {}
    labels: dict[KeyPath, str] = {}
    known = {ENV_PREFIX + name.upper() for name in FLAT_KEYS} | _OTHER_ENV
    for variable, text in env.items():
        if not variable.startswith(ENV_PREFIX) or variable in _OTHER_ENV:
            continue
        name = variable[len(ENV_PREFIX) :].lower()
        if name not in FLAT_KEYS:
            close = difflib.get_close_matches(variable, sorted(known), n=1)
            hint = f"; did you mean {close[0]}?" if close else ""
            log.warning("ignoring unknown environment variable %s%s", variable, hint)
            continue
        path, parse = FLAT_KEYS[name]
        try:
            value = parse(text)
        except ValueError as exc:
            shown = "" if name in ("password", "api_key") else f" {text!r}"
            raise ConfigError(
                f"environment variable {variable}:{shown} is not a valid {_kind(parse)} ({exc})",
                path="$." + ".".join(path),
                source=variable,
            ) from None
        _set(data, path, value)
        labels[path] = f"environment variable {variable}"
    return data, labels


def _kind(parse: Callable[[str], Any]) -> str:
    return {int: "integer", float: "number", _parse_bool: "boolean"}.get(parse, "value")


def _from_arguments(overrides: Mapping[str, Any]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    fields = set(ZenooConfig.__struct_fields__)
    for key, value in overrides.items():
        if value is None:
            continue
        if key in fields:
            data[key] = value
        elif key in FLAT_KEYS:
            _set(data, FLAT_KEYS[key][0], value)
        else:
            valid = sorted(fields | set(FLAT_KEYS))
            close = difflib.get_close_matches(key, valid, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise TypeError(f"load_config() got an unknown setting {key!r}{hint}")
    return data


def _set(data: dict[str, Any], path: KeyPath, value: Any) -> None:
    for part in path[:-1]:
        data = data.setdefault(part, {})
    data[path[-1]] = value
