"""``from zenoo_rpc.query.filters import Q``: the import path the docs of zenoo-rpc 0.2 used.

Same objects as :mod:`zenoo_rpc.query` (``Q``, ``compile_domain``) and the
aggregates of :mod:`zenoo_rpc.query.aggregates`.
"""

from zenoo_rpc.query.aggregates import Avg, Count, CountDistinct, Max, Min, Sum
from zenoo_rpc.query.q import Q, compile_domain

__all__ = ["Avg", "Count", "CountDistinct", "Max", "Min", "Q", "Sum", "compile_domain"]
