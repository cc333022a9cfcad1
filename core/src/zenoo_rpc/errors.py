"""Every error zenoo-rpc raises, in one tree rooted at :class:`ZenooError`.

Server errors are mapped the same way whatever the protocol (JSON-2 status and
body, JSON-RPC ``error.data``, web-session JSON-RPC): the class follows Odoo's
exception name, and the instance keeps Odoo's ``name``, ``message``,
``arguments``, HTTP ``status`` and ``debug`` (the server traceback, never part
of ``str(exc)``). Transport errors also subclass the matching builtin so that
``except TimeoutError`` and ``except ConnectionError`` work.

No message or repr built here ever contains a password, API key or session id:
callers pass none in, and :func:`redact` scrubs what a server echoes back.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

__all__ = [
    "AccessDenied",
    "AccessError",
    "ArgumentEncodingError",
    "AttachmentTooLarge",
    "AuthenticationError",
    "BadArguments",
    "BulkOperationError",
    "CacheError",
    "ChecksumMismatch",
    "CircuitOpenError",
    "ConfigError",
    "ConnectError",
    "ConnectTimeout",
    "ConnectionLost",
    "DatabaseExists",
    "DatabaseManagerError",
    "DatabaseNotFound",
    "DoesNotExist",
    "DomainError",
    "FieldNotLoaded",
    "FieldValueError",
    "InvalidArgument",
    "InvalidRequestError",
    "LegacyRpcDisabled",
    "MethodNotFound",
    "MissingError",
    "ModelDefinitionError",
    "ModelNotFound",
    "MultipleObjectsReturned",
    "NamedArgumentsRequired",
    "NotAuthenticated",
    "OdooServerError",
    "OutcomeUnknownError",
    "OutcomeUnknownTimeout",
    "PasswordRequired",
    "PluginError",
    "PluginImportError",
    "PrivateMethodError",
    "ProtocolError",
    "QueryError",
    "ReadTimeout",
    "RedirectWarning",
    "ReportError",
    "SessionExpired",
    "TransferError",
    "TwoFactorRequired",
    "UnknownFieldError",
    "UnknownPluginError",
    "UserError",
    "ValidationError",
    "ZenooError",
    "ZenooTransportError",
    "error_from_odoo",
    "redact",
]


class ZenooError(Exception):
    """Root of every error raised by zenoo-rpc."""

    def __reduce__(self) -> tuple[Any, ...]:
        # Keyword-only constructors and attributes survive pickling (multiprocessing,
        # task queues) without each subclass spelling it out.
        return (_rebuild, (type(self), self.args, self.__dict__))


# --------------------------------------------------------------------------- configuration


class ConfigError(ZenooError, ValueError):
    """A configuration value is missing or wrong; the message names the file and key path."""

    def __init__(self, message: str, *, path: str | None = None, source: str | None = None):
        self.path = path
        self.source = source
        super().__init__(message)


class PluginError(ZenooError):
    """A plugin could not be found, loaded or used."""


class UnknownPluginError(PluginError, LookupError):
    """A plugin name is neither an installed entry point nor an importable module."""


class PluginImportError(PluginError, ImportError):
    """A selected plugin failed to import; the message names it and its distribution."""


# --------------------------------------------------------------------------- transport


class ZenooTransportError(ZenooError, ConnectionError):
    """Talking to the server failed below the protocol level."""

    #: True when the request provably never reached the server, so sending it
    #: again cannot run it twice.
    request_sent: bool = True

    def __init__(self, message: str, *, url: str | None = None):
        self.url = url
        super().__init__(message)


class ConnectError(ZenooTransportError):
    """The connection could not be opened: the request was never sent."""

    request_sent = False


class ConnectTimeout(ConnectError, TimeoutError):
    """Opening the connection took longer than the timeout: the request was never sent."""


class ReadTimeout(ZenooTransportError, TimeoutError):
    """The request was sent but no complete answer came in time: its outcome is unknown."""


class ConnectionLost(ZenooTransportError):
    """The connection broke after the request was sent: its outcome is unknown."""


class ProtocolError(ZenooError):
    """The server answered something that is not the protocol's answer.

    Typically an HTML error page from a proxy, a truncated body or a wrong
    content type; ``body_start`` quotes the first bytes of what came back.
    """

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        content_type: str | None = None,
        body_start: str = "",
        url: str | None = None,
    ):
        self.status = status
        self.content_type = content_type
        self.body_start = body_start
        self.url = url
        super().__init__(message)


class InvalidRequestError(ProtocolError, ValueError):
    """zenoo-rpc refused to send a request HTTP cannot carry; nothing was sent.

    A path or header value with a space, CR or LF, or a header value that is
    not latin-1 text (an API key pasted with a line break...). ``status`` is
    ``None``: no server answered.
    """


class LegacyRpcDisabled(ProtocolError):
    """``/jsonrpc`` answered 404: legacy RPC is disabled on this server (use JSON-2)."""


class OutcomeUnknownError(ZenooError):
    """A call that changes data may or may not have run on the server.

    Raised instead of retrying ``create`` / ``write`` / ``unlink`` / ``action_*``
    after the connection broke or timed out once the request was sent. Check the
    server state before sending it again. ``__cause__`` is the transport error.
    """

    def __init__(self, message: str, *, model: str = "", method: str = ""):
        self.model = model
        self.method = method
        super().__init__(message)


class OutcomeUnknownTimeout(OutcomeUnknownError, TimeoutError):
    """An :class:`OutcomeUnknownError` whose answer was lost to a timeout.

    Also a builtin ``TimeoutError``, so ``except TimeoutError`` around a call
    with a (per-call) timeout catches a data-changing call that timed out just
    as it catches a read that did. ``__cause__`` is the
    :class:`ReadTimeout`; the call may still have run.
    """


class CircuitOpenError(ZenooError):
    """The circuit breaker is open after repeated failures; calls fail fast until it resets."""

    def __init__(self, message: str, *, retry_after: float = 0.0):
        self.retry_after = retry_after
        super().__init__(message)


class CacheError(ZenooError):
    """A cache backend failed. Never escapes a model call; raised by direct cache API use."""


# --------------------------------------------------------------------------- server errors


class OdooServerError(ZenooError):
    """The server ran the call and reported an error.

    :ivar name: Odoo's exception class path, e.g. ``odoo.exceptions.AccessError``.
    :ivar message: Odoo's human-readable message.
    :ivar arguments: Odoo's exception arguments.
    :ivar status: HTTP status of the answer (200 for legacy JSON-RPC errors).
    :ivar code: JSON-RPC error code or XML-RPC fault code, when there is one.
    :ivar debug: the server traceback; kept for logs, never part of ``str()``.
    :ivar context: the context Odoo attached to the error.
    """

    def __init__(
        self,
        message: str,
        *,
        name: str = "",
        arguments: Sequence[Any] = (),
        status: int | None = None,
        code: int | None = None,
        debug: str = "",
        context: Mapping[str, Any] | None = None,
    ):
        self.message = message
        self.name = name
        self.arguments = list(arguments)
        self.status = status
        self.code = code
        self.debug = debug
        self.context = dict(context or {})
        super().__init__(message)

    def __str__(self) -> str:
        short = self.name.rsplit(".", 1)[-1] if self.name else ""
        return f"{short}: {self.message}" if short else self.message

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(name={self.name!r}, message={self.message!r}, "
            f"status={self.status!r})"
        )


class UserError(OdooServerError):
    """``odoo.exceptions.UserError``: the server refused the operation, with a message for users."""


class ValidationError(UserError):
    """``odoo.exceptions.ValidationError``: a constraint or a required field failed."""


class AccessError(UserError):
    """``odoo.exceptions.AccessError``: the user may not do this to these records."""


class MissingError(UserError):
    """``odoo.exceptions.MissingError``: the records do not exist (any more)."""


class AccessDenied(UserError):
    """``odoo.exceptions.AccessDenied``: wrong login, password or API key."""


#: Kept for readers of the seed docs, which catch ``AuthenticationError``.
AuthenticationError = AccessDenied


class RedirectWarning(OdooServerError):
    """``odoo.exceptions.RedirectWarning``: a warning with an action to redirect to."""


class SessionExpired(OdooServerError):
    """The web session is gone (JSON-RPC code 100 / ``odoo.http.SessionExpiredException``)."""


class ModelNotFound(OdooServerError):
    """The model does not exist on the server (or its module is not installed)."""


class MethodNotFound(OdooServerError):
    """The method does not exist on the model, or is private and cannot be called."""


class PrivateMethodError(AccessError, MethodNotFound):
    """A private method (``_search``, ``browse``...) cannot be called remotely.

    Odoo reports it as an ``AccessError``; it is also a :class:`MethodNotFound`
    because no argument or permission makes the call possible.
    """


class DatabaseNotFound(OdooServerError):
    """The database does not exist on this server (or the server's ``dbfilter`` hides it).

    Odoo 18 reports a ``psycopg2.OperationalError``, Odoo 19 an ``AccessError:
    Database not found.`` and JSON-2 an HTML 404 page; ``message`` keeps what
    the server said and ``db`` the database name when it is known.
    """

    db: str = ""

    def __str__(self) -> str:
        which = f"database {self.db!r}" if self.db else "the database"
        return f"{which} does not exist on this server (or is hidden by its dbfilter)"


class BadArguments(OdooServerError, TypeError):
    """The server refused the call's arguments (JSON-2 422 ``UnprocessableEntity``, ``TypeError``).

    A missing or unexpected argument, or ``ids`` given to a model method.
    """


class NamedArgumentsRequired(ZenooError, TypeError):
    """JSON-2 takes named arguments only and these positional ones could not be named.

    Raised before anything is sent, when neither the built-in table of ORM
    signatures nor ``/doc-bearer/<model>.json`` gives the parameter names.
    Pass the arguments by name (``kwargs``) instead.
    """

    def __init__(self, message: str, *, model: str = "", method: str = ""):
        self.model = model
        self.method = method
        super().__init__(message)


class ArgumentEncodingError(ZenooError, TypeError):
    """The arguments of a call hold a value JSON cannot carry; nothing was sent.

    ``type_name`` names the offending type (a ``set`` is sent as a list,
    ``datetime`` / ``date`` / ``Decimal`` as Odoo expects them; anything else,
    such as an arbitrary object or a ``complex``, raises this).
    """

    def __init__(self, message: str, *, model: str = "", method: str = "", type_name: str = ""):
        self.model = model
        self.method = method
        self.type_name = type_name
        super().__init__(message)


class DomainError(ZenooError, ValueError):
    """A search domain or a ``Q`` lookup is malformed; nothing was sent.

    The message quotes the offending term or keyword and says where it is;
    ``term`` keeps it (``None`` when the whole domain is at fault).
    """

    def __init__(self, message: str, *, term: Any = None):
        self.term = term
        super().__init__(message)


# --------------------------------------------------------------------------- models and queries


class ModelDefinitionError(ZenooError, TypeError):
    """A model class is declared wrongly: no ``Meta.model_name``, a field hiding a method..."""


class FieldNotLoaded(ZenooError, AttributeError):
    """A record's field was not read by its query; nothing is fetched behind your back.

    The message names the awaitable that reads it (``await record.fetch(...)``,
    ``await ref.get()``, ``await record.lines.all()``) or the query option
    (``only(...)``, ``prefetch_related(...)``). ``model`` and ``field`` name it.
    """

    def __init__(self, message: str, *, model: str = "", field: str = ""):
        self.model = model
        self.field = field
        super().__init__(message)


class FieldValueError(ZenooError, ValueError):
    """A value does not fit a model field (type, length, selection, read-only); nothing was sent."""

    def __init__(self, message: str, *, model: str = "", field: str = ""):
        self.model = model
        self.field = field
        super().__init__(message)


class UnknownFieldError(ZenooError, LookupError):
    """Fields a model class declares (or a query names) do not exist on the server's model.

    ``fields`` lists them; the server's own error is the ``__cause__``.
    """

    def __init__(self, message: str, *, model: str = "", fields: Sequence[str] = ()):
        self.model = model
        self.fields = list(fields)
        super().__init__(message)


class QueryError(ZenooError, ValueError):
    """A query is built wrongly (a negative limit, an ordering that is not a field...)."""


class DoesNotExist(ZenooError, LookupError):
    """``get()`` matched no record, or a referenced record is gone or invisible."""

    def __init__(self, message: str, *, model: str = ""):
        self.model = model
        super().__init__(message)


class MultipleObjectsReturned(ZenooError, LookupError):
    """``get()`` matched more than one record."""

    def __init__(self, message: str, *, model: str = ""):
        self.model = model
        super().__init__(message)


class BulkOperationError(ZenooError):
    """A chunk of a bulk operation failed; every chunk is accounted for.

    The first failure stops new chunks from starting; chunks already sent are
    waited for, so that nothing is left in an unknown state.

    :ivar operation: ``"create"``, ``"update"`` or ``"delete"``.
    :ivar failed_chunks: indexes of the chunks that failed (their errors in ``errors``).
    :ivar skipped_chunks: indexes of the chunks never sent.
    :ivar done_ids: ids created / written / deleted by the chunks that succeeded.
    """

    def __init__(
        self,
        message: str,
        *,
        operation: str = "",
        failed_chunks: Sequence[int] = (),
        skipped_chunks: Sequence[int] = (),
        done_ids: Sequence[int] = (),
        errors: Sequence[BaseException] = (),
    ):
        self.operation = operation
        self.failed_chunks = list(failed_chunks)
        self.skipped_chunks = list(skipped_chunks)
        self.done_ids = list(done_ids)
        self.errors = list(errors)
        super().__init__(message)


class NotAuthenticated(ZenooError):
    """A call that needs a login was made before ``authenticate()`` (or after ``logout()``)."""


class PasswordRequired(NotAuthenticated):
    """The operation needs the user's password and the client only has an API key.

    Odoo opens web sessions (PDF reports, ``/web/content`` downloads) with a
    password only, and asks for it again before it generates or revokes API
    keys (its identity check). Log in with the password, or pass it to the
    operation where it takes one.
    """


class TwoFactorRequired(AccessDenied):
    """The password was right but the user has two-factor authentication on.

    Raised by a web-session login without a ``totp`` callback to supply the
    code. JSON-RPC and JSON-2 logins with an API key never ask for it (API keys
    bypass 2FA by Odoo's design); a password over JSON-RPC is refused for such
    users.
    """


class InvalidArgument(ZenooError, ValueError):
    """An argument given to a zenoo-rpc method is invalid; nothing was sent.

    ``argument`` names the parameter at fault.
    """

    def __init__(self, message: str, *, argument: str = ""):
        self.argument = argument
        super().__init__(message)


class TransferError(ZenooError):
    """A file transfer (report, attachment, backup) failed on this side.

    The destination could not be written, the source could not be read, or
    the bytes received break a limit or a check. No partial file is left at
    a destination path; ``__cause__`` holds the ``OSError`` when there is one.
    """


class AttachmentTooLarge(TransferError):
    """An attachment is larger than the ``max_size`` allowed for the transfer.

    Checked before the transfer (Odoo's ``file_size``) and again while the
    bytes stream, so a wrong ``file_size`` cannot get past the limit.
    """

    def __init__(self, message: str, *, size: int, max_size: int, attachment_id: int | None = None):
        self.size = size
        self.max_size = max_size
        self.attachment_id = attachment_id
        super().__init__(message)


class ChecksumMismatch(TransferError):
    """The SHA-1 of the bytes received is not the checksum the server gave for them."""

    def __init__(self, message: str, *, expected: str, actual: str):
        self.expected = expected
        self.actual = actual
        super().__init__(message)


class ReportError(OdooServerError):
    """Odoo could not render or send a report; ``message`` is what the server said.

    An unknown report name, records that do not exist or may not be read,
    or an error page instead of the document. ``report_name`` names the
    report, ``status`` is the HTTP status of the answer.
    """

    report_name: str = ""


class DatabaseManagerError(OdooServerError):
    """The database manager refused or failed an operation; ``message`` is the server's text.

    Raised for ``/web/database/*`` error pages and for the legacy ``db``
    service's errors that have no more precise class (a wrong master password
    is :class:`AccessDenied`, a missing database :class:`DatabaseNotFound`).
    """


class DatabaseExists(DatabaseManagerError):
    """A database with that name already exists (create, duplicate, restore)."""


_BY_NAME: dict[str, type[OdooServerError]] = {
    "odoo.exceptions.UserError": UserError,
    "odoo.exceptions.ValidationError": ValidationError,
    "odoo.exceptions.AccessError": AccessError,
    "odoo.exceptions.MissingError": MissingError,
    "odoo.exceptions.AccessDenied": AccessDenied,
    "odoo.exceptions.RedirectWarning": RedirectWarning,
    "odoo.http.SessionExpiredException": SessionExpired,
    "odoo.exceptions.except_orm": UserError,
    "odoo.exceptions.Warning": UserError,
}


def error_from_odoo(
    name: str,
    message: str,
    *,
    arguments: Sequence[Any] = (),
    status: int | None = None,
    code: int | None = None,
    debug: str = "",
    context: Mapping[str, Any] | None = None,
    cls: type[OdooServerError] | None = None,
    secrets: Sequence[str] = (),
) -> OdooServerError:
    """Build the typed exception for an Odoo error, whatever protocol carried it.

    :param cls: the class to use instead of the one Odoo's ``name`` maps to.
    :param secrets: values (password, API key, session id) to remove from what
        the server echoed back, besides the patterns :func:`redact` knows.
    """
    if cls is None:
        cls = _BY_NAME.get(name) or _classify_generic(name, message, status, code)
    return cls(
        redact(message, secrets),
        name=name,
        arguments=[redact(a, secrets) if isinstance(a, str) else a for a in arguments],
        status=status,
        code=code,
        debug=redact(debug, secrets),
        context=context,
    )


def _classify_generic(
    name: str, message: str, status: int | None, code: int | None
) -> type[OdooServerError]:
    if code == 100:
        return SessionExpired
    if name.endswith("KeyError") and message.strip("'\"").count(".") >= 1:
        return ModelNotFound
    if name.endswith("AttributeError") and "has no attribute" in message:
        return MethodNotFound
    if status == 404 and name.endswith("NotFound"):
        return ModelNotFound if "model" in message.lower() else MethodNotFound
    return OdooServerError


_SECRET_PATTERNS = (
    re.compile(r"(session_id=)[^;\s\"']+", re.IGNORECASE),
    re.compile(r"(bearer\s+)[A-Za-z0-9_\-.~+/=]{16,}", re.IGNORECASE),
    re.compile(
        r"((?:password|passwd|api_key|apikey|secret)[\"']?\s*[:=]\s*[\"']?)[^\"',\s}]+",
        re.IGNORECASE,
    ),
)


def redact(text: str, secrets: Sequence[str] = ()) -> str:
    """Remove session ids, bearer tokens, ``password=...`` pairs and the given secrets."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    for pattern in _SECRET_PATTERNS:
        text = pattern.sub(r"\1***", text)
    return text


def _rebuild(cls: type[Exception], args: tuple[Any, ...], state: dict[str, Any]) -> Exception:
    exc = cls.__new__(cls)
    Exception.__init__(exc, *args)
    exc.__dict__.update(state)
    return exc
