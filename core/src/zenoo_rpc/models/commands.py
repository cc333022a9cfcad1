"""``Command``: Odoo's x2many commands, as the triples the server takes.

Writing a one2many or many2many field takes a list of commands::

    await order.update(order_line=[
        Command.create({"product_id": product, "product_uom_qty": 2}),
        Command.update(line.id, {"discount": 10}),
        Command.delete(old_line),
    ])
    await partner.update(category_id=[Command.set([vip, retail])])

========================== ================= =====================================
helper                     triple            effect
========================== ================= =====================================
``Command.create(vals)``   ``(0, 0, vals)``  create a record and link it
``Command.update(id, v)``  ``(1, id, v)``    write ``v`` on a linked record
``Command.delete(id)``     ``(2, id, 0)``    unlink the record and delete it
``Command.unlink(id)``     ``(3, id, 0)``    unlink it (one2many: deletes it too
                                             when the inverse field is required)
``Command.link(id)``       ``(4, id, 0)``    link an existing record
``Command.clear()``        ``(5, 0, 0)``     unlink every record
``Command.set(ids)``       ``(6, 0, ids)``   replace the links by ``ids``
========================== ================= =====================================

Ids may be given as ints, records or ``Ref`` values; ``vals`` go through
:func:`~zenoo_rpc.models.wire.wire_value` (records become ids, dates strings).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from zenoo_rpc.errors import FieldValueError
from zenoo_rpc.models.wire import record_id, wire_values

__all__ = ["Command", "CommandTuple", "apply_commands", "is_command"]

#: One x2many command: ``(code, id, value)``.
CommandTuple = tuple[int, int, Any]


def _id(value: Any, command: str) -> int:
    try:
        return record_id(value, f"Command.{command}()'s id")
    except TypeError as exc:
        raise FieldValueError(str(exc)) from None


class Command:
    """Build x2many commands (same names and codes as Odoo's ``odoo.fields.Command``)."""

    CREATE = 0
    UPDATE = 1
    DELETE = 2
    UNLINK = 3
    LINK = 4
    CLEAR = 5
    SET = 6

    @staticmethod
    def create(values: Mapping[str, Any]) -> CommandTuple:
        """Create a record with ``values`` and link it."""
        if not isinstance(values, Mapping):
            raise FieldValueError(f"Command.create() takes a dict of values, not {values!r:.60}")
        return (Command.CREATE, 0, wire_values(values))

    @staticmethod
    def update(id: Any, values: Mapping[str, Any]) -> CommandTuple:
        """Write ``values`` on the linked record ``id``."""
        if not isinstance(values, Mapping):
            raise FieldValueError(f"Command.update() takes a dict of values, not {values!r:.60}")
        return (Command.UPDATE, _id(id, "update"), wire_values(values))

    @staticmethod
    def delete(id: Any) -> CommandTuple:
        """Unlink the record ``id`` and delete it."""
        return (Command.DELETE, _id(id, "delete"), 0)

    @staticmethod
    def unlink(id: Any) -> CommandTuple:
        """Remove the link to ``id`` (the record stays, unless Odoo's inverse requires it)."""
        return (Command.UNLINK, _id(id, "unlink"), 0)

    @staticmethod
    def link(id: Any) -> CommandTuple:
        """Link the existing record ``id``."""
        return (Command.LINK, _id(id, "link"), 0)

    @staticmethod
    def clear() -> CommandTuple:
        """Remove every link."""
        return (Command.CLEAR, 0, 0)

    @staticmethod
    def set(ids: Iterable[Any]) -> CommandTuple:
        """Replace the links by ``ids`` (ints, records or refs)."""
        if isinstance(ids, (str, bytes)) or not isinstance(ids, Iterable):
            raise FieldValueError(f"Command.set() takes an iterable of ids, not {ids!r:.60}")
        return (Command.SET, 0, [_id(i, "set") for i in ids])


def is_command(value: Any) -> bool:
    """True when ``value`` looks like an x2many command triple."""
    return (
        isinstance(value, (tuple, list))
        and len(value) == 3
        and isinstance(value[0], int)
        and not isinstance(value[0], bool)
        and 0 <= value[0] <= 6
    )


def apply_commands(
    ids: Sequence[int] | None, commands: Sequence[Sequence[Any]]
) -> list[int] | None:
    """The ids an x2many holds after ``commands``, or ``None`` when only the server can tell.

    ``None`` when a command creates records (their ids are unknown) or when the
    ids before the commands are unknown and a command depends on them.
    """
    current = list(ids) if ids is not None else None
    for command in commands:
        code = command[0]
        if code == Command.CREATE:
            return None
        if code == Command.SET:
            current = list(command[2])
        elif code == Command.CLEAR:
            current = []
        elif current is None:
            return None
        elif code in (Command.DELETE, Command.UNLINK):
            current = [i for i in current if i != command[1]]
        elif code == Command.LINK and command[1] not in current:
            current.append(command[1])
    return current
