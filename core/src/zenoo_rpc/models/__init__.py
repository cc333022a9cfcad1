"""The typed model layer: declare Odoo models as classes, query them, write them.

::

    from zenoo_rpc.models import OdooModel, fields
    from zenoo_rpc.query import Q

    class Partner(OdooModel):
        class Meta:
            model_name = "res.partner"

        name = fields.CharField()
        email = fields.CharField()
        country_id = fields.Many2oneField("res.country")

    partners = await client.model(Partner).filter(Q(name__ilike="acme")).limit(50).all()

- :class:`OdooModel` and :mod:`~zenoo_rpc.models.fields`: typed records, decoded
  lazily from the rows the server sends; assignments are tracked so that
  ``save()`` writes only what changed.
- :class:`Ref` / :class:`X2Many`: relation values that load the related
  records of a whole page in one call.
- :class:`Command`: x2many commands.
- :func:`register_model` / :class:`ModelRegistry`: which class
  ``client.model("res.partner")`` uses; unregistered models are built from
  ``fields_get``.
- :mod:`zenoo_rpc.models.common`: ready-made ``ResPartner``, ``SaleOrder``...
"""

from zenoo_rpc.models import fields
from zenoo_rpc.models.base import OdooModel
from zenoo_rpc.models.commands import Command
from zenoo_rpc.models.registry import (
    ModelRegistry,
    default_registry,
    get_model_class,
    register_model,
)
from zenoo_rpc.models.relations import Ref, X2Many

__all__ = [
    "Command",
    "ModelRegistry",
    "OdooModel",
    "Ref",
    "X2Many",
    "default_registry",
    "fields",
    "get_model_class",
    "register_model",
]
