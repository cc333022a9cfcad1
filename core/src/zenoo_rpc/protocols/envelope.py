"""The JSON-RPC 2.0 envelope Odoo speaks on ``/jsonrpc`` and the web routes.

Requests are ``{"jsonrpc": "2.0", "method": "call", "params": ..., "id": N}``;
answers carry ``result`` or ``error`` (``{code, message, data: {name, message,
arguments, context, debug}}``), always with HTTP 200 when Odoo itself
answered. One :class:`msgspec.json.Encoder` and typed
:class:`msgspec.json.Decoder` objects are reused for every message; when the
caller wants ``result`` as a type, it is kept as :class:`msgspec.Raw` and
decoded with that type's decoder, else it is decoded in the same pass.

:func:`encode_json` is the one place where call arguments become JSON, for
every protocol: ``datetime`` values are sent as Odoo's ``"YYYY-MM-DD
HH:MM:SS"`` (in UTC), ``date`` as ``"YYYY-MM-DD"``, ``Decimal`` as a number,
and a value JSON cannot carry raises
:class:`~zenoo_rpc.errors.ArgumentEncodingError` before anything is sent.

:func:`decode_jsonrpc_response` is the one place where a JSON-RPC answer
becomes a value or an exception, for every protocol that uses the envelope.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from datetime import datetime, timezone
from typing import Any, TypeVar, overload

import msgspec

from zenoo_rpc.errors import ArgumentEncodingError, LegacyRpcDisabled, SessionExpired
from zenoo_rpc.protocols.server_errors import server_error, unexpected_body
from zenoo_rpc.transports.base import HttpResponse

__all__ = [
    "JSON_HEADERS",
    "JsonRpcAnyResponse",
    "JsonRpcError",
    "JsonRpcErrorData",
    "JsonRpcRequest",
    "JsonRpcResponse",
    "ServiceParams",
    "decode_jsonrpc_response",
    "encode_json",
    "encode_jsonrpc_request",
    "odoo_datetime",
    "odoo_value",
]

T = TypeVar("T")

#: Headers of every JSON request; shared, never mutated.
JSON_HEADERS: dict[str, str] = {"Content-Type": "application/json"}

LEGACY_RPC_DISABLED_MESSAGE = (
    "legacy RPC (/jsonrpc) is disabled on this server; "
    "use the JSON-2 API (protocol='json2') with an API key"
)

_EXPECTED = "a JSON-RPC answer"


class JsonRpcRequest(msgspec.Struct, kw_only=True):
    """``{"jsonrpc": "2.0", "method": "call", "params": ..., "id": N}``."""

    jsonrpc: str = "2.0"
    method: str = "call"
    params: Any
    id: int


class ServiceParams(msgspec.Struct):
    """``params`` of a ``/jsonrpc`` call: ``service.method(*args)``."""

    service: str
    method: str
    args: Sequence[Any]


class JsonRpcErrorData(msgspec.Struct):
    """``error.data``: Odoo's exception as it reported it."""

    name: str = ""
    message: str = ""
    arguments: list[Any] = msgspec.field(default_factory=list)
    context: dict[str, Any] = msgspec.field(default_factory=dict)
    debug: str = ""


class JsonRpcError(msgspec.Struct):
    """``error``: ``code`` is 100 for an expired session, 200 (18) or 0 (19) otherwise."""

    code: int = 0
    message: str = ""
    data: JsonRpcErrorData | None = None


class JsonRpcResponse(msgspec.Struct):
    """A JSON-RPC answer whose ``result`` is left undecoded (empty when absent).

    Used when the caller wants ``result`` as a given type: it is decoded in a
    second, typed pass.
    """

    jsonrpc: str = ""
    id: int | str | None = None
    result: msgspec.Raw = msgspec.Raw()
    error: JsonRpcError | None = None


class JsonRpcAnyResponse(msgspec.Struct):
    """A JSON-RPC answer with ``result`` decoded to plain JSON values in the same pass.

    The common case (model calls): one pass over the body instead of skipping
    ``result`` as :class:`msgspec.Raw` and parsing it again.
    """

    jsonrpc: str = ""
    id: int | str | None = None
    result: Any = msgspec.UNSET
    error: JsonRpcError | None = None


class _Unencodable(TypeError):
    """Internal: raised by the encoder hook for a value JSON cannot carry."""

    def __init__(self, value: object) -> None:
        self.type_name = type(value).__qualname__
        super().__init__(self.type_name)


def _refuse(value: object) -> Any:
    raise _Unencodable(value)


#: Datetimes are natively encoded as RFC 3339 (``"2024-01-31T10:00:00"``),
#: which Odoo cannot read: when the encoded body holds that shape, the value
#: is walked and encoded again with Odoo's form. The pattern may match a plain
#: string too; that only costs the walk, which changes nothing then. (Decimals
#: are encoded as JSON numbers; a non-finite one as ``NaN`` / ``Infinity``,
#: which Odoo's ``json.loads`` reads.)
_DATETIME_SHAPE = re.compile(rb"T\d\d:\d\d:\d\d")

_ENCODER = msgspec.json.Encoder(enc_hook=_refuse, decimal_format="number")
_RAW_RESPONSE_DECODER = msgspec.json.Decoder(JsonRpcResponse)
_ANY_RESPONSE_DECODER = msgspec.json.Decoder(JsonRpcAnyResponse)
_TYPED_DECODERS: dict[Any, msgspec.json.Decoder[Any]] = {}
_request_ids = itertools.count(1)


def odoo_datetime(value: datetime) -> str:
    """``"YYYY-MM-DD HH:MM:SS"`` in UTC, as Odoo stores datetimes (naive values are UTC)."""
    if value.tzinfo is not None:
        value = value.astimezone(timezone.utc).replace(tzinfo=None)
    return value.isoformat(sep=" ", timespec="seconds")


def odoo_value(value: Any) -> Any:
    """``value`` with every ``datetime`` as Odoo's ``"YYYY-MM-DD HH:MM:SS"`` string (UTC).

    Containers (lists, tuples, sets, dicts, msgspec Structs) are walked; the
    same object comes back when nothing in it changed. ``date`` needs nothing:
    JSON encodes it as ``"YYYY-MM-DD"`` already.
    """
    if isinstance(value, datetime):
        return odoo_datetime(value)
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [odoo_value(item) for item in value]
        if isinstance(value, (list, tuple)) and all(
            new is old for new, old in zip(items, value, strict=True)
        ):
            return value
        return items
    if isinstance(value, dict):
        changed = {key: odoo_value(item) for key, item in value.items()}
        if all(changed[key] is item for key, item in value.items()):
            return value
        return changed
    if isinstance(value, msgspec.Struct):
        updates = {}
        for name in value.__struct_fields__:
            item = getattr(value, name)
            new = odoo_value(item)
            if new is not item:
                updates[name] = new
        return msgspec.structs.replace(value, **updates) if updates else value
    return value


def encode_json(value: Any, *, model: str = "", method: str = "") -> bytes:
    """``value`` as JSON, with datetimes in Odoo's form and Decimals as numbers.

    :param model: with ``method``, names the call in the error message.
    :raises ArgumentEncodingError: when ``value`` holds something JSON cannot
        carry (an arbitrary object, a ``complex``...).
    """
    try:
        body = _ENCODER.encode(value)
        if b"T" not in body or _DATETIME_SHAPE.search(body) is None:
            return body
        return _ENCODER.encode(odoo_value(value))
    except TypeError as exc:
        what = f"{model}.{method}" if model else method or "the request"
        type_name = exc.type_name if isinstance(exc, _Unencodable) else ""
        held = f"a {type_name}" if type_name else f"a value JSON cannot carry ({exc})"
        raise ArgumentEncodingError(
            f"cannot send {what}: its arguments hold {held}; pass lists, dicts, str, int, "
            "float, bool, None, date or datetime values",
            model=model,
            method=method,
            type_name=type_name,
        ) from None


def encode_jsonrpc_request(params: Any, *, model: str = "", method: str = "") -> tuple[int, bytes]:
    """A fresh request id and the encoded envelope around ``params``.

    :param model: with ``method``, names the call in an encoding error.
    :raises ArgumentEncodingError: when ``params`` holds a value JSON cannot carry.
    """
    request_id = next(_request_ids)
    return request_id, encode_json(
        JsonRpcRequest(params=params, id=request_id), model=model, method=method
    )


def _is_json(content_type: str) -> bool:
    return not content_type or "json" in content_type


@overload
def decode_jsonrpc_response(
    response: HttpResponse,
    url: str,
    *,
    request_id: int | None = ...,
    result_type: None = ...,
    db: str | None = ...,
    secrets: Sequence[str] = ...,
) -> Any: ...
@overload
def decode_jsonrpc_response(
    response: HttpResponse,
    url: str,
    *,
    request_id: int | None = ...,
    result_type: type[T],
    db: str | None = ...,
    secrets: Sequence[str] = ...,
) -> T: ...
def decode_jsonrpc_response(
    response: HttpResponse,
    url: str,
    *,
    request_id: int | None = None,
    result_type: Any = None,
    db: str | None = None,
    secrets: Sequence[str] = (),
) -> Any:
    """The ``result`` of a JSON-RPC answer, or the exception it stands for.

    :param url: the path (or URL) the request went to, for messages.
    :param request_id: the id sent; an answer with another id is a
        :class:`~zenoo_rpc.errors.ProtocolError` (errors with ``"id": null``
        are accepted: Odoo answers so when it could not read the request).
    :param result_type: decode ``result`` into this type (a msgspec Struct...)
        instead of plain JSON values.
    :param db: the database the call was for, named in ``DatabaseNotFound``.
    :param secrets: values to scrub from anything quoted in an exception.
    :raises OdooServerError: (a subclass of) for ``error`` answers;
        :class:`~zenoo_rpc.errors.SessionExpired` for code 100.
    :raises LegacyRpcDisabled: for a 404 on ``/jsonrpc``.
    :raises ProtocolError: for anything that is not a JSON-RPC answer.
    """
    status = response.status
    if status == 404 and url.rstrip("/").endswith("/jsonrpc"):
        raise LegacyRpcDisabled(
            LEGACY_RPC_DISABLED_MESSAGE,
            status=status,
            content_type=response.header("content-type") or None,
            body_start=unexpected_body(response, url, _EXPECTED, secrets=secrets).body_start,
            url=url,
        )
    if not _is_json(response.content_type):
        raise unexpected_body(response, url, _EXPECTED, secrets=secrets)
    answer: JsonRpcResponse | JsonRpcAnyResponse
    try:
        if result_type is None:
            answer = _ANY_RESPONSE_DECODER.decode(response.content)
        else:
            answer = _RAW_RESPONSE_DECODER.decode(response.content)
    except (msgspec.DecodeError, msgspec.ValidationError) as exc:
        raise unexpected_body(response, url, _EXPECTED, secrets=secrets, reason=str(exc)) from None

    error = answer.error
    if error is not None:
        if answer.id is not None and request_id is not None and answer.id != request_id:
            raise _wrong_id(response, url, answer.id, request_id, secrets)
        data = error.data or JsonRpcErrorData(name="", message=error.message)
        name = data.name
        if error.code == 100 and not name:
            name = "odoo.http.SessionExpiredException"
        failure = server_error(
            name,
            data.message or error.message,
            arguments=data.arguments,
            status=status,
            code=error.code,
            debug=data.debug,
            context=data.context,
            db=db,
            secrets=secrets,
        )
        if error.code == 100 and not isinstance(failure, SessionExpired):
            failure = SessionExpired(
                failure.message,
                name=failure.name,
                arguments=failure.arguments,
                status=failure.status,
                code=failure.code,
                debug=failure.debug,
                context=failure.context,
            )
        raise failure

    result = answer.result
    if result is msgspec.UNSET or (isinstance(result, msgspec.Raw) and not result):
        raise unexpected_body(
            response, url, _EXPECTED, secrets=secrets, reason="neither result nor error"
        )
    if request_id is not None and answer.id != request_id:
        raise _wrong_id(response, url, answer.id, request_id, secrets)
    if result_type is None:
        return result
    decoder = _TYPED_DECODERS.get(result_type)
    if decoder is None:
        decoder = _TYPED_DECODERS[result_type] = msgspec.json.Decoder(result_type)
    try:
        return decoder.decode(result)
    except msgspec.ValidationError as exc:
        raise unexpected_body(response, url, _EXPECTED, secrets=secrets, reason=str(exc)) from None


def _wrong_id(
    response: HttpResponse, url: str, got: object, sent: int, secrets: Sequence[str]
) -> Exception:
    return unexpected_body(
        response, url, _EXPECTED, secrets=secrets, reason=f"answer id {got!r} is not {sent}"
    )
