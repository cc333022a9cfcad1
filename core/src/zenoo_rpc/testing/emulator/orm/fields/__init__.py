"""Field declarations: what a column stores, how it reads back and how ``fields_get`` shows it.

Storage values are deliberately primitive so that tables pickle fast and stay
small: ``None`` means SQL NULL, many2one is an ``int``, many2many a ``tuple`` of
ids; one2many is never stored (it is the inverse of a many2one, see
:meth:`One2many.inverse`). :mod:`.field` holds the base class, :mod:`.scalar`
the value fields and :mod:`.relational` the links between models.
"""

from __future__ import annotations

from .field import Default, Field
from .relational import Many2many, Many2one, One2many
from .scalar import (
    Binary,
    Boolean,
    Char,
    Date,
    Datetime,
    Float,
    Html,
    Integer,
    Json,
    Monetary,
    Selection,
    Text,
)

__all__ = [
    "Binary",
    "Boolean",
    "Char",
    "Date",
    "Datetime",
    "Default",
    "Field",
    "Float",
    "Html",
    "Integer",
    "Json",
    "Many2many",
    "Many2one",
    "Monetary",
    "One2many",
    "Selection",
    "Text",
]
