"""``onchange``: what a form would change when a field is edited, without saving anything.

Odoo 17+ ``onchange(values, field_names, fields_spec)`` answers ``{"value":
{...}}`` with the fields of ``fields_spec`` whose values change; Odoo 16's
``onchange(values, field_name, field_onchange)`` answers the same shape
(many2one values as ``[id, name]``). With no ``field_names`` the record is
new and the answer starts from the defaults.

The emulator runs no ``@api.onchange`` or compute methods of its own here:
each model says what an edit implies in :meth:`OnchangeModel._onchange_values`
(``sale.order.line``: a product sets the description and unit price, and the
amounts follow quantity, price and discount). Other models answer the
defaults of a new record and nothing else.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from . import api
from .web_read import WebModel

__all__ = ["OnchangeModel"]

#: How many rounds of "a change implies another" are followed.
_CASCADE = 5


def _id_of(value: Any) -> Any:
    """A many2one value as the client sent it (id, ``[id, name]``, ``{"id": ...}``) as an id."""
    if isinstance(value, Mapping):
        return value.get("id") or None
    if isinstance(value, (list, tuple)):
        return value[0] if value else None
    return value if type(value) is int else None


class OnchangeModel(WebModel):
    """``onchange`` for every model; models override :meth:`_onchange_values`."""

    def _onchange_values(self, values: dict[str, Any], changed: set[str]) -> dict[str, Any]:
        """The field values implied by editing ``changed`` in a form holding ``values``.

        Many2one values are ids. Return only what the edit sets; the default is nothing.
        """
        return {}

    def _onchange(
        self, values: Any, names: Iterable[str], wanted: set[str] | None
    ) -> dict[str, Any]:
        if not isinstance(values, Mapping):
            raise TypeError("values must be a dict of field name -> value")
        form: dict[str, Any] = {}
        existing = self._existing()
        if existing:
            for name, field in self._fields.items():
                if field.column and name != "id" and self._field_available(field):
                    form[name] = self._get(existing[0], name)
        for name, value in values.items():
            given = self._fields.get(name)
            if given is None or not self._field_available(given):
                raise ValueError(f"Invalid field {name!r} on model {self._name!r}")
            form[name] = _id_of(value) if given.type == "many2one" else value
        changed = set(names)
        result: dict[str, Any] = {}
        if not changed:  # a new record: defaults, then what the given values imply
            candidates = wanted if wanted is not None else set(self._fields)
            defaults = self._defaults(sorted(n for n in candidates if n not in values))
            form.update(defaults)
            result.update(defaults)
            changed = set(values) | set(defaults)
        for _ in range(_CASCADE):
            updates = {
                name: value
                for name, value in self._onchange_values(dict(form), changed).items()
                if form.get(name) != value
            }
            if not updates:
                break
            form.update(updates)
            result.update(updates)
            changed = set(updates)
        return result

    def _onchange_format(self, name: str, value: Any, spec: Any, version: int) -> Any:
        field = self._fields[name]
        if field.type != "many2one":
            return field.to_read(value) if value is not None else False
        if not value:
            return False
        comodel: Any = self.env[getattr(field, "comodel", "")].sudo()
        if version < 17:
            return [value, comodel._display_names([value])[value]]
        sub = spec.get("fields") if isinstance(spec, Mapping) else None
        if not sub:
            return value
        rows = comodel._web_rows([value], sub)
        return rows[0] if rows else False

    @api.records(until=16, name="onchange")
    def onchange_16(self, values: Any, field_name: Any, field_onchange: Any) -> dict[str, Any]:
        self._check_access("read")
        if isinstance(field_name, (list, tuple)):
            names = [str(name) for name in field_name]
        else:
            names = [str(field_name)] if field_name else []
        wanted = set(field_onchange) if isinstance(field_onchange, Mapping) else None
        result = self._onchange(values, names, wanted)
        return {
            "value": {
                name: self._onchange_format(name, value, None, self.env.version)
                for name, value in result.items()
                if wanted is None or name in wanted
            }
        }

    @api.records(since=17)
    def onchange(self, values: Any, field_names: Any, fields_spec: Any) -> dict[str, Any]:
        self._check_access("read")
        if not isinstance(fields_spec, Mapping):
            raise TypeError("fields_spec must be a dict of field name -> options")
        if isinstance(field_names, str):
            field_names = [field_names]
        result = self._onchange(values, [str(name) for name in field_names or []], set(fields_spec))
        return {
            "value": {
                name: self._onchange_format(name, value, fields_spec[name], self.env.version)
                for name, value in result.items()
                if name in fields_spec
            }
        }
