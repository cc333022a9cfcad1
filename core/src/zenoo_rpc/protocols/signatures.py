"""Parameter names of ORM methods, to turn positional arguments into JSON-2's named ones.

JSON-2 (``POST /json/2/<model>/<method>``) takes a JSON object of named
arguments plus ``ids`` and ``context``; positional ``args`` are not accepted
(``{"args": [...]}`` is answered 422). A :class:`~zenoo_rpc.call.Call` holds
Odoo's ``execute_kw`` shape (record methods take their ids as ``args[0]``), so
:func:`json2_body` names each positional argument from a
:class:`MethodSignature`: the built-in :data:`ORM_SIGNATURES` for the ORM
methods (Odoo 19 names), or one read from ``/doc-bearer/<model>.json`` for
anything else (:func:`signatures_from_doc`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import msgspec

from zenoo_rpc.call import Call
from zenoo_rpc.errors import NamedArgumentsRequired

__all__ = [
    "ACTION_SIGNATURE",
    "KWARG_RENAMES",
    "ORM_SIGNATURES",
    "DocModel",
    "MethodSignature",
    "builtin_signature",
    "is_single_create",
    "json2_body",
    "signatures_from_doc",
]


class MethodSignature(msgspec.Struct, frozen=True):
    """How a method takes its arguments.

    :ivar params: the names positional arguments bind to, in order (after the
        ids of a record method); keyword-only and ``*args`` parameters excluded.
    :ivar record: a record method (not ``@api.model``): ``args[0]`` are its ids.
    """

    params: tuple[str, ...] = ()
    record: bool = False


def _model(*params: str) -> MethodSignature:
    return MethodSignature(params, record=False)


def _records(*params: str) -> MethodSignature:
    return MethodSignature(params, record=True)


#: The ORM and web-client methods, with Odoo 19's parameter names.
ORM_SIGNATURES: dict[str, MethodSignature] = {
    "search": _model("domain", "offset", "limit", "order"),
    "search_read": _model("domain", "fields", "offset", "limit", "order"),
    "search_count": _model("domain", "limit"),
    "search_fetch": _model("domain", "field_names", "offset", "limit", "order"),
    "create": _model("vals_list"),
    "fields_get": _model("allfields", "attributes"),
    "name_search": _model("name", "domain", "operator", "limit"),
    "name_create": _model("name"),
    "read_group": _model("domain", "fields", "groupby", "offset", "limit", "orderby", "lazy"),
    "formatted_read_group": _model(
        "domain", "groupby", "aggregates", "having", "offset", "limit", "order"
    ),
    "web_search_read": _model("domain", "specification", "offset", "limit", "order", "count_limit"),
    "default_get": _model("fields"),
    "check_access_rights": _model("operation", "raise_exception"),
    "context_get": _model(),
    "get_views": _model("views", "options"),
    "read": _records("fields", "load"),
    "write": _records("vals"),
    "unlink": _records(),
    "copy": _records("default"),
    "exists": _records(),
    "web_read": _records("specification"),
    "web_save": _records("vals", "specification", "next_id"),
    "onchange": _records("values", "field_names", "fields_spec"),
    "has_access": _records("operation"),
    "check_access": _records("operation"),
    "toggle_active": _records(),
    "get_metadata": _records(),
    "message_post": _records(),
    "message_subscribe": _records("partner_ids", "subtype_ids"),
    "message_unsubscribe": _records("partner_ids"),
}

#: ``action_*`` methods are button methods: ids only.
ACTION_SIGNATURE = _records()

#: Keyword names older Odoo versions used, renamed to the JSON-2 (19) ones.
KWARG_RENAMES: dict[str, dict[str, str]] = {
    "name_search": {"args": "domain"},
    "default_get": {"fields_list": "fields"},
}


def builtin_signature(method: str) -> MethodSignature | None:
    """The built-in signature of ``method``, or ``None`` when only the server knows it."""
    signature = ORM_SIGNATURES.get(method)
    if signature is None and method.startswith("action_"):
        return ACTION_SIGNATURE
    return signature


def json2_body(call: Call, signature: MethodSignature | None) -> dict[str, Any]:
    """The JSON-2 request body of ``call``: its named arguments, ``ids`` and ``context``.

    :raises NamedArgumentsRequired: when ``call`` has positional arguments and
        ``signature`` is ``None`` or cannot name them all.
    """
    body = dict(call.kwargs)
    renames = KWARG_RENAMES.get(call.method)
    if renames:
        for old, new in renames.items():
            if old in body and new not in body:
                body[new] = body.pop(old)
    args = call.args
    if args:
        where = f"{call.model}.{call.method}"
        if signature is None:
            raise NamedArgumentsRequired(
                f"JSON-2 needs named arguments: the parameter names of {where} are unknown, "
                "pass its arguments by name (kwargs) instead of positionally",
                model=call.model,
                method=call.method,
            )
        if signature.record:
            ids = args[0]
            body["ids"] = [ids] if isinstance(ids, int) and not isinstance(ids, bool) else ids
            args = args[1:]
        if len(args) > len(signature.params):
            names = ", ".join(signature.params) or "none"
            raise NamedArgumentsRequired(
                f"JSON-2 needs named arguments: {where} takes {len(signature.params)} "
                f"positional argument(s) after the ids ({names}) but {len(args)} were given; "
                "pass the others by name",
                model=call.model,
                method=call.method,
            )
        for name, value in zip(signature.params, args, strict=False):
            if name in body:
                raise NamedArgumentsRequired(
                    f"{where} got multiple values for argument {name!r}",
                    model=call.model,
                    method=call.method,
                )
            body[name] = value
    if call.context:
        body["context"] = call.context
    return body


# --------------------------------------------------------------------- /doc-bearer


class DocParameter(msgspec.Struct):
    """A parameter in ``/doc-bearer/<model>.json``; no ``kind`` means positional-or-keyword."""

    name: str = ""
    kind: str = "POSITIONAL_OR_KEYWORD"


class DocMethod(msgspec.Struct):
    """A method in ``/doc-bearer/<model>.json``: ``api`` holds ``"model"`` for ``@api.model``."""

    parameters: dict[str, DocParameter] = msgspec.field(default_factory=dict)
    api: list[str] = msgspec.field(default_factory=list)


class DocModel(msgspec.Struct):
    """The part of ``/doc-bearer/<model>.json`` zenoo-rpc reads (fields are skipped)."""

    model: str = ""
    methods: dict[str, DocMethod] = msgspec.field(default_factory=dict)


_POSITIONAL_KINDS = frozenset({"POSITIONAL_OR_KEYWORD", "POSITIONAL_ONLY"})


def signatures_from_doc(doc: DocModel) -> dict[str, MethodSignature]:
    """Every public method's signature, as the api_doc module describes it."""
    return {
        name: MethodSignature(
            tuple(
                param.name or key
                for key, param in method.parameters.items()
                if param.kind in _POSITIONAL_KINDS
            ),
            record="model" not in method.api,
        )
        for name, method in doc.methods.items()
    }


def is_single_create(call: Call) -> bool:
    """``create`` of one dict: JSON-RPC answers an id where JSON-2 answers ``[id]``."""
    if call.method != "create":
        return False
    vals = call.args[0] if call.args else call.kwargs.get("vals_list")
    return isinstance(vals, Mapping)
