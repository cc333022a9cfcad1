"""Turn what Odoo answered with into the right :mod:`zenoo_rpc.errors` exception.

Shared by every protocol. :func:`server_error` refines
:func:`~zenoo_rpc.errors.error_from_odoo` with the shapes real servers use for
"no such model / method / database" and "bad arguments", which Odoo reports
under generic names (``UserError: Object x doesn't exist``,
``builtins.AttributeError``, ``psycopg2.OperationalError``, JSON-2's werkzeug
``NotFound`` / ``UnprocessableEntity``...). :func:`unexpected_body` builds the
:class:`~zenoo_rpc.errors.ProtocolError` for an answer that is not the
protocol's (an HTML page from a proxy, a truncated body).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from zenoo_rpc.errors import (
    AccessDenied,
    BadArguments,
    DatabaseNotFound,
    MethodNotFound,
    ModelNotFound,
    OdooServerError,
    PrivateMethodError,
    ProtocolError,
    error_from_odoo,
    redact,
)
from zenoo_rpc.transports.base import HttpResponse

__all__ = ["BODY_QUOTE_CHARS", "body_start", "server_error", "unexpected_body"]

#: How much of an unexpected body an error quotes.
BODY_QUOTE_CHARS = 200

_MODEL_MISSING = re.compile(r"^Object \S+ doesn't exist")
_DB_MISSING = re.compile(r'database "([^"]+)" does not exist')
_BAD_ARGUMENT_NAMES = frozenset({"werkzeug.exceptions.UnprocessableEntity", "builtins.TypeError"})


def _refined_class(name: str, message: str, status: int | None) -> type[OdooServerError] | None:
    """The class for the error shapes ``error_from_odoo`` alone gets wrong or too generic."""
    if name == "odoo.exceptions.UserError" and _MODEL_MISSING.match(message):
        return ModelNotFound
    if name == "odoo.exceptions.AccessError":
        if message.startswith("Private methods"):
            return PrivateMethodError
        if message.startswith("Database not found"):
            return DatabaseNotFound
        return None
    if name.endswith("AttributeError") and "does not exist on the model" in message:
        return MethodNotFound
    if name == "builtins.Exception" and message.startswith("Method not found"):
        return MethodNotFound
    if name.startswith("psycopg2.") and _DB_MISSING.search(message):
        return DatabaseNotFound
    if name in _BAD_ARGUMENT_NAMES:
        return BadArguments
    if name == "werkzeug.exceptions.Unauthorized":
        return AccessDenied
    if name == "werkzeug.exceptions.NotFound" and message.startswith("Did you mean"):
        # The route itself is wrong (a request zenoo-rpc built badly), not a model or method.
        return OdooServerError
    return None


def server_error(
    name: str,
    message: str,
    *,
    arguments: Sequence[Any] = (),
    status: int | None = None,
    code: int | None = None,
    debug: str = "",
    context: Mapping[str, Any] | None = None,
    db: str | None = None,
    secrets: Sequence[str] = (),
) -> OdooServerError:
    """The typed exception for an error Odoo reported, with every secret scrubbed.

    :param db: the database the call was for; names it in
        :class:`~zenoo_rpc.errors.DatabaseNotFound` when the server did not.
    :param secrets: values (password, API key, session id) to remove from
        whatever the server echoed back.
    """
    exc = error_from_odoo(
        name,
        message,
        arguments=arguments,
        status=status,
        code=code,
        debug=debug,
        context=context,
        cls=_refined_class(name, message, status),
        secrets=secrets,
    )
    if isinstance(exc, DatabaseNotFound):
        found = _DB_MISSING.search(message)
        exc.db = found.group(1) if found else (db or "")
    return exc


def body_start(content: bytes, secrets: Sequence[str] = ()) -> str:
    """The first :data:`BODY_QUOTE_CHARS` characters of a body, decoded and redacted."""
    text = content[: BODY_QUOTE_CHARS * 4].decode("utf-8", errors="replace")[:BODY_QUOTE_CHARS]
    return redact(text, secrets)


def unexpected_body(
    response: HttpResponse,
    url: str,
    expected: str,
    *,
    secrets: Sequence[str] = (),
    reason: str = "",
) -> ProtocolError:
    """A :class:`~zenoo_rpc.errors.ProtocolError` quoting the start of an unexpected body."""
    quoted = body_start(response.content, secrets)
    content_type = response.header("content-type") or None
    what = f"{quoted!r}" if quoted else "an empty body"
    because = f" ({reason})" if reason else ""
    message = (
        f"{url}: expected {expected}, got HTTP {response.status} "
        f"{content_type or 'without a content type'}{because}: {what}"
    )
    return ProtocolError(
        message,
        status=response.status,
        content_type=content_type,
        body_start=quoted,
        url=url,
    )
