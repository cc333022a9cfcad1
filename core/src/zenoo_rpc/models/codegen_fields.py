"""From one ``fields_get`` entry to the field declaration the code generator writes.

========================= ======================================================
Odoo type                 declared as
========================= ======================================================
char, text, html          ``CharField`` (``max_length`` from ``size``), ``TextField``,
                          ``HtmlField``
integer, float, monetary  ``IntegerField``, ``FloatField`` / ``MonetaryField``
                          (``digits``, ``currency_field``)
boolean, date, datetime   ``BooleanField``, ``DateField``, ``DatetimeField``
selection                 ``SelectionField[Alias]``, ``Alias = Literal[...]`` of its
                          values in the server's order; a plain ``SelectionField``
                          (values typed ``str``) for the dynamic ones (``lang``,
                          ``tz``), the empty ones and those of more than
                          :data:`MAX_LITERAL_VALUES` values; a ``JsonField`` when
                          the values are not strings
many2one, one2many,       ``Many2oneField[...]`` / ``One2manyField[...]``
many2many                 (``inverse_name``) / ``Many2manyField[...]``, typed with
                          the related model's class (see :class:`RelationTargets`)
binary, image             ``BinaryField`` (lazy)
json, properties          ``JsonField``
reference                 ``CharField`` (the value is ``"model.name,id"``)
many2one_reference        ``IntegerField`` (the id; the model is in another field)
anything else             ``JsonField``, values as the server sends them
========================= ======================================================

Options: ``string``, ``help`` and ``required`` as the server says. ``readonly``
only where writing cannot work: the fields Odoo maintains itself
(``create_uid``, ``create_date``, ``write_uid``, ``write_date``) and the
read-only fields that are computed or not stored; Odoo's ``readonly`` on a
plain stored field (a ``state``) is a hint to its forms, and RPC writes it.
``lazy`` (not read unless asked for) for fields that are not stored (computed
on each read, some expensive) and fields restricted to ``groups`` (another
user may not read them); binary fields are lazy anyway.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, TypeGuard

from zenoo_rpc.models.codegen_source import Argument, string_literal

__all__ = [
    "FIELDS_GET_ATTRIBUTES",
    "MAX_LITERAL_VALUES",
    "SKIPPED_FIELDS",
    "FieldPlan",
    "RelationTargets",
    "plan_field",
]

#: What the generator asks ``fields_get`` for.
FIELDS_GET_ATTRIBUTES: tuple[str, ...] = (
    "type",
    "string",
    "help",
    "required",
    "readonly",
    "store",
    "depends",
    "related",
    "groups",
    "relation",
    "relation_field",
    "selection",
    "size",
    "digits",
    "currency_field",
    "model_field",
)

#: Fields every generated class has without declaring them: ``id`` and
#: ``display_name`` come from :class:`~zenoo_rpc.models.OdooModel`;
#: ``__last_update`` (Odoo 16 and older) is ``write_date`` under another name.
SKIPPED_FIELDS: frozenset[str] = frozenset({"id", "display_name", "__last_update"})

#: Selections with more values than this are typed ``str``, not ``Literal``
#: (time zones, model names: data, not a fixed list).
MAX_LITERAL_VALUES = 64

#: Selections whose values are the database's data, whatever their number.
_DYNAMIC_SELECTIONS = frozenset({"lang", "tz"})

_LOG_ACCESS = frozenset({"create_uid", "create_date", "write_uid", "write_date"})

_SIMPLE: dict[str, str] = {
    "char": "CharField",
    "text": "TextField",
    "html": "HtmlField",
    "integer": "IntegerField",
    "float": "FloatField",
    "monetary": "MonetaryField",
    "boolean": "BooleanField",
    "date": "DateField",
    "datetime": "DatetimeField",
    "binary": "BinaryField",
    "image": "BinaryField",
    "json": "JsonField",
    "properties": "JsonField",
    "properties_definition": "JsonField",
}
_RELATIONAL: dict[str, str] = {
    "many2one": "Many2oneField",
    "one2many": "One2manyField",
    "many2many": "Many2manyField",
}


@dataclass(frozen=True)
class RelationTargets:
    """How relations are typed: the classes of this module, then the shipped common models.

    A relation to a model generated in the same module is typed with its class
    (``Many2oneField["ResPartner"]``); to a model of
    :mod:`zenoo_rpc.models.common`, with that class
    (``Many2oneField[common.ResCountry]``); to any other model it is left
    untyped (``Many2oneField("account.account")``, records of
    :class:`~zenoo_rpc.models.OdooModel`: the class the client's registry has
    for that model, or one built from ``fields_get``).
    """

    local: Mapping[str, str]
    common: Mapping[str, str]

    def subscript(self, model_name: str) -> str | None:
        """The type argument for relations to ``model_name``, as source, or ``None``."""
        local = self.local.get(model_name)
        if local is not None:
            return string_literal(local)
        shipped = self.common.get(model_name)
        return f"common.{shipped}" if shipped is not None else None


@dataclass
class FieldPlan:
    """The declaration of one field, before it gets its attribute name."""

    odoo_name: str
    field_class: str
    #: Positional arguments and the options before ``odoo_name``.
    arguments: list[Argument]
    #: Options after ``odoo_name`` (``help``: the longest, last).
    trailing: list[Argument] = field(default_factory=list)
    #: The type argument (a class reference), when the field takes one.
    subscript: str | None = None
    #: Selection values for a ``Literal`` alias.
    literal_values: tuple[str, ...] | None = None
    comment: str | None = None
    uses_common: bool = False


def plan_field(name: str, description: Mapping[str, Any], targets: RelationTargets) -> FieldPlan:
    """The declaration of field ``name`` from its ``fields_get`` ``description``."""
    kind = description.get("type")
    kind = kind if isinstance(kind, str) else ""
    plan = FieldPlan(name, "JsonField", [])
    relation = description.get("relation")
    if kind in _RELATIONAL:
        if isinstance(relation, str) and "." in relation and relation.strip() == relation:
            plan.field_class = _RELATIONAL[kind]
            plan.arguments.append(Argument.string(relation))
            plan.subscript = targets.subscript(relation)
            plan.uses_common = plan.subscript is not None and relation not in targets.local
            inverse = description.get("relation_field")
            if kind == "one2many" and isinstance(inverse, str) and inverse:
                plan.arguments.append(Argument.string(inverse, "inverse_name"))
        else:
            target = (
                f"to {string_literal(relation)}, not a model name the client can relate to"
                if isinstance(relation, str)
                else "without a related model"
            )
            plan.comment = f"{kind} {target}: values are read as the server sends them"
    elif kind == "selection":
        _plan_selection(plan, name, description.get("selection"))
    elif kind == "reference":
        plan.field_class = "CharField"
        plan.comment = 'a reference: the value is "model.name,id"'
    elif kind == "many2one_reference":
        plan.field_class = "IntegerField"
        model_field = description.get("model_field")
        where = (
            f"field {string_literal(model_field)}" if isinstance(model_field, str) else "a field"
        )
        plan.comment = f"the id of a record of the model named in {where}"
    elif kind in _SIMPLE:
        plan.field_class = _SIMPLE[kind]
    else:
        plan.comment = (
            f"Odoo type {string_literal(kind)} has no typed field: "
            "values are read as the server sends them"
        )
    _add_options(plan, name, description)
    return plan


def _plan_selection(plan: FieldPlan, name: str, selection: Any) -> None:
    pairs = selection if isinstance(selection, (list, tuple)) else None
    keys = [pair[0] for pair in pairs or () if isinstance(pair, (list, tuple)) and pair]
    if pairs is not None and any(not isinstance(key, str) for key in keys):
        plan.comment = "a selection of values that are not strings: read as the server sends them"
        return
    plan.field_class = "SelectionField"
    values = tuple(dict.fromkeys(keys))
    if name in _DYNAMIC_SELECTIONS:
        plan.comment = "values depend on the database (typed str, not Literal)"
    elif not values:
        plan.comment = "the server gave no values (typed str, not Literal)"
    elif len(values) > MAX_LITERAL_VALUES:
        plan.comment = f"{len(values)} values on the server (typed str, not Literal)"
    else:
        plan.literal_values = values


def _add_options(plan: FieldPlan, name: str, description: Mapping[str, Any]) -> None:
    arguments = plan.arguments
    string = description.get("string")
    if isinstance(string, str) and string.strip():
        arguments.append(Argument.string(string.strip(), "string"))
    if description.get("required") is True:
        arguments.append(Argument("True", "required"))
    stored = description.get("store", True) is not False
    computed = bool(description.get("depends")) or bool(description.get("related"))
    if name in _LOG_ACCESS or (description.get("readonly") is True and (computed or not stored)):
        arguments.append(Argument("True", "readonly"))
    if plan.field_class != "BinaryField" and (not stored or bool(description.get("groups"))):
        arguments.append(Argument("True", "lazy"))
    size = description.get("size")
    if plan.field_class == "CharField" and _is_int(size) and size > 0:
        arguments.append(Argument(str(size), "max_length"))
    if plan.field_class in ("FloatField", "MonetaryField"):
        digits = description.get("digits")
        if isinstance(digits, (list, tuple)) and len(digits) == 2 and all(map(_is_int, digits)):
            arguments.append(Argument(f"({digits[0]}, {digits[1]})", "digits"))
        elif isinstance(digits, str) and digits:
            arguments.append(Argument.string(digits, "digits"))
    currency = description.get("currency_field")
    is_monetary = plan.field_class == "MonetaryField"
    if is_monetary and isinstance(currency, str) and currency not in ("", "currency_id"):
        arguments.append(Argument.string(currency, "currency_field"))
    help_text = description.get("help")
    if isinstance(help_text, str) and help_text.strip():
        plan.trailing.append(Argument.string(help_text.strip(), "help"))


def _is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)
