"""Python names for what the model code generator writes: classes, fields, ``Literal`` aliases.

* A class is named after its model: ``sale.order.line`` -> ``SaleOrderLine``.
  Two models that give the same name (``res.partner_bank`` and
  ``res.partner.bank``), or a model named like something the module imports
  (``odoo.model`` -> ``OdooModel``), get a numbered name: ``ResPartnerBank2``.
* A field keeps its Odoo name when that is a safe attribute; otherwise the
  attribute gets another name and the field says ``odoo_name="..."``:
  keywords (``class`` -> ``class_``), record attributes (``update`` ->
  ``update_``, see :data:`RECORD_ATTRIBUTES`), names with a leading
  underscore (which would be private, or mangled), names that are not ASCII
  identifiers, names lint calls ambiguous (``l``, ``O``, ``I``) and names the
  module's own code uses (``fields``...).
* A selection's ``Literal`` alias is named after its class and field:
  ``ResPartnerCompanyType``.

Every choice depends only on the names involved, so that regenerating from
the same server gives the same module.
"""

from __future__ import annotations

import itertools
import keyword
import re
from collections.abc import Iterable, Iterator

from zenoo_rpc.models.base import RESERVED_NAMES, OdooModel

__all__ = [
    "MAX_ALIAS_LENGTH",
    "MODULE_NAMES",
    "RECORD_ATTRIBUTES",
    "NameAllocator",
    "alias_name",
    "attribute_names",
    "camel_case",
    "class_names",
]

#: Names the generated module imports and uses in class bodies.
MODULE_NAMES: frozenset[str] = frozenset({"Literal", "OdooModel", "common", "fields"})

#: Attributes of every record (a field declared under one would hide it).
RECORD_ATTRIBUTES: frozenset[str] = RESERVED_NAMES | {
    name for name in dir(OdooModel) if not name.startswith("_")
}

#: Names ``ruff`` (E741) refuses for variables: too easy to misread.
_AMBIGUOUS = frozenset({"l", "O", "I"})
_NOT_WORD = re.compile(r"[^0-9A-Za-z]+")
_NOT_IDENTIFIER = re.compile(r"[^0-9A-Za-z_]")


def camel_case(name: str) -> str:
    """``sale.order_line`` -> ``SaleOrderLine`` (ASCII letters and digits only)."""
    return "".join(part[:1].upper() + part[1:] for part in _NOT_WORD.split(name) if part)


class NameAllocator:
    """Hands out distinct names: the preferred one when free, else the first free variant."""

    def __init__(self, taken: Iterable[str] = ()) -> None:
        self._taken = set(taken)

    def __contains__(self, name: object) -> bool:
        return name in self._taken

    def claim(self, preferred: str, variants: Iterable[str] | None = None) -> str:
        """``preferred`` if free, else the first free of ``variants`` (default: numbered)."""
        for candidate in itertools.chain((preferred, *(variants or ())), _numbered(preferred)):
            if candidate not in self._taken:
                self._taken.add(candidate)
                return candidate
        raise AssertionError("unreachable: numbered names never run out")  # pragma: no cover


def _numbered(name: str) -> Iterator[str]:
    number = 2
    while True:
        yield f"{name}{number}"
        number += 1


def class_names(model_names: Iterable[str], taken: Iterable[str] = MODULE_NAMES) -> dict[str, str]:
    """A distinct class name per model (models in sorted order claim first)."""
    models = sorted(set(model_names))
    preferred = {model: _class_name(model) for model in models}
    counts: dict[str, int] = {}
    for name in preferred.values():
        counts[name] = counts.get(name, 0) + 1
    allocator = NameAllocator(taken)
    out: dict[str, str] = {}
    # Unambiguous names first, so that a numbered variant never takes another model's name.
    for model in models:
        if counts[preferred[model]] == 1 and preferred[model] not in allocator:
            out[model] = allocator.claim(preferred[model])
    for model in models:
        if model not in out:
            out[model] = allocator.claim(preferred[model])
    return {model: out[model] for model in models}


def _class_name(model_name: str) -> str:
    name = camel_case(model_name)
    if not name or name[0].isdigit():
        name = "Model" + name
    return name


def _is_safe_attribute(name: str, reserved: frozenset[str]) -> bool:
    return (
        name.isascii()
        and name.isidentifier()
        and not name.startswith("_")
        and not keyword.iskeyword(name)
        and name not in RECORD_ATTRIBUTES
        and name not in _AMBIGUOUS
        and name not in reserved
    )


def _attribute_base(field_name: str) -> str:
    base = _NOT_IDENTIFIER.sub("_", field_name).lstrip("_") or "field"
    return "f_" + base if base[0].isdigit() else base


def attribute_names(
    field_names: Iterable[str], reserved: Iterable[str] = MODULE_NAMES
) -> dict[str, str]:
    """The attribute of each Odoo field of one model: its own name when safe, else a variant.

    Fields whose names are safe claim them first, so that a renamed field
    never takes the name of another field.
    """
    names = sorted(set(field_names))
    blocked = frozenset(reserved)
    allocator = NameAllocator({*blocked, *RECORD_ATTRIBUTES, *_AMBIGUOUS})
    out: dict[str, str] = {}
    for name in names:
        if _is_safe_attribute(name, blocked):
            out[name] = allocator.claim(name)
    for name in names:
        if name not in out:
            base = _attribute_base(name)
            out[name] = allocator.claim(
                base if _is_safe_attribute(base, blocked) else base + "_",
                (base + "_", base + "_field"),
            )
    return {name: out[name] for name in names}


#: Longer alias names are cut, so that ``Alias = Literal[`` fits on a line.
MAX_ALIAS_LENGTH = 80


def alias_name(class_name: str, field_name: str, allocator: NameAllocator) -> str:
    """The ``Literal`` alias of a selection field: ``ResPartner`` + ``company_type``."""
    return allocator.claim((class_name + (camel_case(field_name) or "Field"))[:MAX_ALIAS_LENGTH])
