"""The in-memory ORM behind the emulated Odoo: fields, recordsets, domains, grouping.

Models are plain Python classes (see ``..models``); their rows live column by
column in a :class:`~.storage.Store` so that a 100 000-partner database stays
lean. Everything here is synchronous: the wire layer serialises calls.
"""

from __future__ import annotations
