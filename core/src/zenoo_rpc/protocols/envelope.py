"""The JSON-RPC 2.0 envelope Odoo speaks on ``/jsonrpc`` and the web routes.

Requests are ``{"jsonrpc": "2.0", "method": "call", "params": ..., "id": N}``;
answers carry ``result`` or ``error`` (``{code, message, data: {name, message,
arguments, context, debug}}``), always with HTTP 200 when Odoo itself
answered. One :class:`msgspec.json.Encoder` and typed
:class:`msgspec.json.Decoder` objects are reused for every message; when the
caller wants ``result`` as a type, it is kept as :class:`msgspec.Raw` and
decoded with that type's decoder, else it is decoded in the same pass.

:func:`decode_jsonrpc_response` is the one place where a JSON-RPC answer
becomes a value or an exception, for every protocol that uses the envelope.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any, TypeVar, overload

import msgspec

from zenoo_rpc.errors import LegacyRpcDisabled, SessionExpired
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
    "encode_jsonrpc_request",
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


_ENCODER = msgspec.json.Encoder()
_RAW_RESPONSE_DECODER = msgspec.json.Decoder(JsonRpcResponse)
_ANY_RESPONSE_DECODER = msgspec.json.Decoder(JsonRpcAnyResponse)
_TYPED_DECODERS: dict[Any, msgspec.json.Decoder[Any]] = {}
_request_ids = itertools.count(1)


def encode_jsonrpc_request(params: Any) -> tuple[int, bytes]:
    """A fresh request id and the encoded envelope around ``params``."""
    request_id = next(_request_ids)
    return request_id, _ENCODER.encode(JsonRpcRequest(params=params, id=request_id))


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
