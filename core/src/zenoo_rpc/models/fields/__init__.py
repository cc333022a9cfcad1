"""Typed model fields: declare them on an :class:`~zenoo_rpc.models.OdooModel`.

::

    from typing import Literal
    from zenoo_rpc.models import OdooModel, fields

    class ResPartner(OdooModel):
        class Meta:
            model_name = "res.partner"

        name = fields.CharField(string="Name")
        company_type = fields.SelectionField[Literal["person", "company"]](string="Company Type")
        country_id = fields.Many2oneField["ResCountry"]("res.country", string="Country")
        child_ids = fields.One2manyField["ResPartner"]("res.partner", inverse_name="parent_id")

========================= =============== ========================================
field                     Odoo type       reads as
========================= =============== ========================================
``CharField``             char            ``str | None``
``TextField``             text            ``str | None``
``HtmlField``             html            ``str | None``
``IntegerField``          integer         ``int``
``FloatField``            float           ``float``
``MonetaryField``         monetary        ``float``
``BooleanField``          boolean         ``bool``
``DateField``             date            ``datetime.date | None``
``DatetimeField``         datetime        aware UTC ``datetime.datetime | None``
``SelectionField[L]``     selection       ``L | None`` (``str`` by default)
``BinaryField``           binary, image   ``bytes | None`` (lazy: not read by default)
``JsonField``             json, properties any JSON value or ``None``
``Many2oneField[M]``      many2one        ``Ref[M] | None``
``One2manyField[M]``      one2many        ``X2Many[M]``
``Many2manyField[M]``     many2many       ``X2Many[M]``
========================= =============== ========================================

Every field takes ``string``, ``required``, ``readonly``, ``default``,
``help``, ``lazy``, ``since`` / ``until`` (Odoo versions that have it) and
``odoo_name`` (see :class:`~zenoo_rpc.models.fields.base.Field`).
"""

from zenoo_rpc.models.fields.base import MISSING, Field
from zenoo_rpc.models.fields.relational import (
    Many2manyField,
    Many2oneField,
    One2manyField,
    RelationalField,
    X2ManyField,
)
from zenoo_rpc.models.fields.scalar import (
    BinaryField,
    BooleanField,
    CharField,
    FloatField,
    HtmlField,
    IntegerField,
    JsonField,
    MonetaryField,
    SelectionField,
    TextField,
)
from zenoo_rpc.models.fields.temporal import DateField, DatetimeField

__all__ = [
    "MISSING",
    "BinaryField",
    "BooleanField",
    "CharField",
    "DateField",
    "DatetimeField",
    "Field",
    "FloatField",
    "HtmlField",
    "IntegerField",
    "JsonField",
    "Many2manyField",
    "Many2oneField",
    "MonetaryField",
    "One2manyField",
    "RelationalField",
    "SelectionField",
    "TextField",
    "X2ManyField",
]
