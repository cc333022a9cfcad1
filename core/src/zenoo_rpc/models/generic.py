"""Model classes built at run time from ``fields_get``, for models nobody declared.

``client.model("crm.lead")`` with no class registered for ``crm.lead`` reads
the model's fields once (``fields_get``, cached per client and database) and
builds an :class:`~zenoo_rpc.models.OdooModel` subclass with a typed field
for each (``char`` -> ``CharField``, ``many2one`` -> ``Many2oneField``...).

Default field selection of such a model: every *stored* field except binary
ones, plus ``display_name``. Non-stored fields are computed on each read, and
some are expensive (``total_invoiced``, ``credit`` on a partner); binary and
image fields are megabytes. ``only(...)`` asks for any of them.

A field whose name is a record attribute (:data:`~zenoo_rpc.models.base.RESERVED_NAMES`)
or not a Python identifier gets no attribute; ``record["name"]`` reads it.
"""

from __future__ import annotations

import keyword
from collections.abc import Mapping
from typing import Any

from zenoo_rpc.models.base import RESERVED_NAMES, OdooModel
from zenoo_rpc.models.fields import (
    BinaryField,
    BooleanField,
    CharField,
    DateField,
    DatetimeField,
    Field,
    FloatField,
    HtmlField,
    IntegerField,
    JsonField,
    Many2manyField,
    Many2oneField,
    MonetaryField,
    One2manyField,
    SelectionField,
    TextField,
)

__all__ = ["FIELDS_GET_ATTRIBUTES", "build_model", "default_field_names", "field_from_description"]

#: The ``fields_get`` attributes the model layer asks for.
FIELDS_GET_ATTRIBUTES = (
    "type",
    "string",
    "relation",
    "relation_field",
    "selection",
    "store",
    "required",
    "readonly",
)

_SCALARS: dict[str, type[Field[Any, Any]]] = {
    "char": CharField,
    "text": TextField,
    "html": HtmlField,
    "integer": IntegerField,
    "float": FloatField,
    "monetary": MonetaryField,
    "boolean": BooleanField,
    "date": DateField,
    "datetime": DatetimeField,
    "binary": BinaryField,
    "image": BinaryField,
    "json": JsonField,
    "properties": JsonField,
    "properties_definition": JsonField,
    "reference": CharField,
    "many2one_reference": IntegerField,
}


def field_from_description(description: Mapping[str, Any]) -> Field[Any, Any]:
    """A field object for one ``fields_get`` entry (unknown types read values as sent)."""
    kind = description.get("type", "")
    options: dict[str, Any] = {
        "required": bool(description.get("required")),
        "readonly": False,  # Odoo's readonly is a UI hint: RPC may write such fields
    }
    string = description.get("string") or None
    relation = description.get("relation")
    if kind == "many2one" and relation:
        return Many2oneField(relation, string, **options)
    if kind == "one2many" and relation:
        return One2manyField(relation, description.get("relation_field"), string, **options)
    if kind == "many2many" and relation:
        return Many2manyField(relation, string, **options)
    if kind == "selection":
        selection = description.get("selection")
        pairs = (
            [(str(pair[0]), str(pair[1])) for pair in selection if len(pair) == 2]
            if isinstance(selection, list)
            else None
        )
        return SelectionField(string, selection=pairs, **options)
    return _SCALARS.get(kind, Field)(string, **options)


def default_field_names(descriptions: Mapping[str, Mapping[str, Any]]) -> tuple[str, ...]:
    """The default selection for a generic model: stored, non-binary fields and ``display_name``."""
    names = [
        name
        for name, description in descriptions.items()
        if name != "id"
        and description.get("store", True)
        and description.get("type") not in ("binary", "image")
    ]
    if "display_name" in descriptions and "display_name" not in names:
        names.append("display_name")
    return tuple(names)


def build_model(model_name: str, descriptions: Mapping[str, Mapping[str, Any]]) -> type[OdooModel]:
    """An :class:`OdooModel` subclass for ``model_name`` with a field per description."""
    namespace: dict[str, Any] = {
        "__slots__": (),
        "__module__": __name__,
        "__doc__": f"Records of {model_name}, with fields read from the server's fields_get.",
        "Meta": type("Meta", (), {"model_name": model_name}),
        "_default_fields": default_field_names(descriptions),
    }
    for name, description in descriptions.items():
        if name == "id":
            continue
        if not name.isidentifier() or keyword.iskeyword(name) or name in RESERVED_NAMES:
            continue
        if name.startswith("_"):
            continue
        namespace[name] = field_from_description(description)
    class_name = "".join(part.capitalize() for part in model_name.replace("_", ".").split("."))
    return type(class_name or "Model", (OdooModel,), namespace)
