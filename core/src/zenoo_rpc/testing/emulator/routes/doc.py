"""Odoo 19's ``api_doc``: ``GET /doc-bearer/index.json`` and ``/doc-bearer/<model>.json``.

Authenticated like JSON-2 (bearer API key). The index lists the models with
their fields' labels and public methods; a model's page has its full
``fields_get`` (each field with its ``module``) and its methods' signatures,
built from the emulated ORM so they always match what ``/json/2`` accepts.
"""

from __future__ import annotations

import hashlib
import inspect
import json
from typing import TYPE_CHECKING, Any

from zenoo_rpc.testing.emulator.routes.errors import WerkzeugError, json2_error
from zenoo_rpc.testing.emulator.routes.http import JSON_CT, WebRequest, json_default
from zenoo_rpc.testing.emulator.routes.json2 import bearer_user, no_database_page, select_database
from zenoo_rpc.transports.base import HttpResponse

if TYPE_CHECKING:
    from zenoo_rpc.testing.emulator.database import Database
    from zenoo_rpc.testing.emulator.server import Emulator

__all__ = ["doc_route"]

MODULES = [
    "base",
    "web",
    "rpc",
    "api_doc",
    "bus",
    "mail",
    "contacts",
    "product",
    "account",
    "sale",
    "stock",
]


def doc_route(emulator: Emulator, request: WebRequest) -> HttpResponse:
    db = select_database(emulator, request)
    if db is None:
        return no_database_page()
    name = request.path[len("/doc-bearer/") :]
    try:
        if not name.endswith(".json"):
            raise WerkzeugError(404, "The requested URL was not found on the server.")
        uid = bearer_user(emulator, request, db)
        model = name[: -len(".json")]
        if model == "index":
            body = _index(db, uid)
        elif model in db.model_names():
            body = _model_doc(db, uid, model)
        else:
            raise WerkzeugError(404, f"the model '{model}' does not exist")
    except Exception as exc:
        return json2_error(exc, emulator.version)
    content = json.dumps(body, default=json_default).encode()
    etag = hashlib.sha256(content).hexdigest()
    headers = [("Content-Type", JSON_CT), ("Content-Length", str(len(content)))]
    if model == "index":
        headers.append(("Content-Disposition", f"inline; filename=odoo-doc-index-2-{etag}.json"))
    headers += [
        ("ETag", f'"{etag}"'),
        ("Cache-Control", "no-cache, private"),
        ("Content-Language", "en-US"),
        ("X-Content-Type-Options", "nosniff"),
    ]
    return HttpResponse(status=200, headers=headers, content=content)


def _descriptions(db: Database, uid: int) -> dict[str, str]:
    return {model: db.model_description(model) for model in db.model_names()}


def _index(db: Database, uid: int) -> dict[str, Any]:
    names = _descriptions(db, uid)
    models = []
    for model in sorted(db.model_names()):
        fields = db.call(uid, model, "fields_get", [], {"attributes": ["string"]})
        models.append(
            {
                "model": model,
                "name": names.get(model, model),
                "fields": {
                    f: {"string": attrs.get("string", f)} for f, attrs in sorted(fields.items())
                },
                "methods": sorted(db.method_signatures(model)),
            }
        )
    return {"modules": MODULES, "models": models}


def _model_doc(db: Database, uid: int, model: str) -> dict[str, Any]:
    fields = db.call(uid, model, "fields_get", [], {})
    for attrs in fields.values():
        attrs.setdefault("module", "base")
    methods = {name: _method_doc(sig) for name, sig in sorted(db.method_signatures(model).items())}
    return {
        "model": model,
        "name": _descriptions(db, uid).get(model, model),
        "doc": None,
        "fields": fields,
        "methods": methods,
    }


def _method_doc(signature: inspect.Signature) -> dict[str, Any]:
    parameters: dict[str, Any] = {}
    for param in signature.parameters.values():
        if param.name == "self":
            continue
        entry: dict[str, Any] = {}
        if param.annotation is not inspect.Parameter.empty:
            entry["annotation"] = _annotation(param.annotation)
        if param.default is not inspect.Parameter.empty:
            entry["default"] = param.default
        parameters[param.name] = entry
    result: dict[str, Any] = {}
    if signature.return_annotation is not inspect.Signature.empty:
        result["annotation"] = _annotation(signature.return_annotation)
    return {
        "signature": str(signature),
        "parameters": parameters,
        "return": result,
        "raise": {},
        "doc": None,
        "api": [],
        "module": "base",
    }


def _annotation(value: Any) -> str:
    return value if isinstance(value, str) else getattr(value, "__name__", repr(value))
