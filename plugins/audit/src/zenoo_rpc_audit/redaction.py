"""What never reaches an audit sink: secret field values, credentials in URLs.

Values written by ``create`` / ``write`` are left out of records unless their
model is listed in ``include_values``; even then, every field whose name
matches a redaction pattern (built-in: :data:`DEFAULT_REDACTED_FIELDS`, plus
``redact_fields``) is replaced by ``"***"``, at any depth (one2many commands
included), and strings are scrubbed of ``password=...``, bearer tokens,
session ids (:func:`zenoo_rpc.errors.redact`) and the client's own password or
API key. Error messages, which may quote what was sent, are never recorded at
all.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from fnmatch import fnmatchcase
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from zenoo_rpc.errors import redact

__all__ = ["DEFAULT_REDACTED_FIELDS", "REDACTED", "Redactor", "public_url"]

#: Field-name patterns (``fnmatch``, case-insensitive) whose values are always redacted.
DEFAULT_REDACTED_FIELDS: tuple[str, ...] = (
    "password",
    "new_password",
    "*_password",
    "passwd",
    "api_key",
    "*_api_key",
    "apikey",
    "token",
    "*_token",
    "secret",
    "secret*",
    "*_secret",
    "session_id",
    "*_session_id",
)

#: What a redacted value becomes.
REDACTED = "***"

_CACHE_LIMIT = 4096


class Redactor:
    """Decides which models' values are kept and removes secrets from them.

    :param redact_fields: field-name patterns added to :data:`DEFAULT_REDACTED_FIELDS`.
    :param include_values: model-name patterns (``res.partner``, ``sale.*``, ``*``)
        whose written values are recorded.
    """

    def __init__(self, redact_fields: Iterable[str] = (), include_values: Iterable[str] = ()):
        patterns = (*DEFAULT_REDACTED_FIELDS, *redact_fields)
        self.redact_fields: tuple[str, ...] = tuple(dict.fromkeys(p.lower() for p in patterns))
        self.include_values: tuple[str, ...] = tuple(dict.fromkeys(include_values))
        self._secret_names: dict[str, bool] = {}
        self._value_models: dict[str, bool] = {}

    def is_secret(self, field: str) -> bool:
        """Whether values of ``field`` are redacted."""
        known = self._secret_names.get(field)
        if known is None:
            lowered = field.lower()
            known = any(fnmatchcase(lowered, pattern) for pattern in self.redact_fields)
            if len(self._secret_names) < _CACHE_LIMIT:
                self._secret_names[field] = known
        return known

    def keeps_values(self, model: str) -> bool:
        """Whether the values written to ``model`` are recorded (``include_values``)."""
        known = self._value_models.get(model)
        if known is None:
            known = any(fnmatchcase(model, pattern) for pattern in self.include_values)
            if len(self._value_models) < _CACHE_LIMIT:
                self._value_models[model] = known
        return known

    def values(self, values: Mapping[Any, Any], secrets: Sequence[str] = ()) -> dict[str, Any]:
        """A redacted deep copy of one record's values.

        :param secrets: strings to cut out of every string value (the client's
            own password or API key, should it be written into a field).
        """
        return {
            str(name): REDACTED if self.is_secret(str(name)) else self._value(value, secrets)
            for name, value in values.items()
        }

    def _value(self, value: Any, secrets: Sequence[str]) -> Any:
        if isinstance(value, str):
            return redact(value, secrets)
        if isinstance(value, Mapping):
            return self.values(value, secrets)
        if isinstance(value, (list, tuple)):
            return [self._value(item, secrets) for item in value]
        return value


def public_url(url: str) -> str:
    """``url`` without user, password, query string or fragment (any could carry a secret)."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc.rpartition("@")[2], parts.path, "", ""))
