"""Queries: ``Q`` conditions compiled to Odoo prefix domains, and the ``QuerySet`` running them.

::

    from zenoo_rpc.query import Q, compile_domain

    compile_domain(Q(name__icontains="acme") | Q(email__icontains="acme"), is_company=True)
    # ['&', '|', ('name', 'ilike', 'acme'), ('email', 'ilike', 'acme'), ('is_company', '=', True)]

:mod:`zenoo_rpc.query.lookups` lists the lookups and what each one means.
``client.model(Model)`` returns a :class:`QuerySet` that runs them and
returns typed records (:mod:`zenoo_rpc.query.queryset`).
"""

from zenoo_rpc.query.aggregates import Avg, Count, CountDistinct, Max, Min, Sum
from zenoo_rpc.query.domain import Domain, to_domain_value
from zenoo_rpc.query.lookups import LOOKUPS
from zenoo_rpc.query.q import Q, compile_domain
from zenoo_rpc.query.queryset import GroupedQuerySet, QuerySet

__all__ = [
    "LOOKUPS",
    "Avg",
    "Count",
    "CountDistinct",
    "Domain",
    "GroupedQuerySet",
    "Max",
    "Min",
    "Q",
    "QuerySet",
    "Sum",
    "compile_domain",
    "to_domain_value",
]
