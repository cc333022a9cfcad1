"""The checkpoint that makes ``zenoo export --resume`` exact.

Next to ``FILE``, ``FILE.export-state.json`` records what is being exported
(model, domain, fields, format, many2one mode) and, after each page is
written and flushed, how far the export got: the byte length of the
complete pages, the last id written and the number of rows. ``--resume``
truncates ``FILE`` to that length (dropping a page torn by the
interruption, whatever its format) and asks for the records after that id.
Since rows are written in id order and each page's bytes depend only on its
rows, the resumed file is byte for byte the file an uninterrupted export
would have written, as long as the records did not change meanwhile.

The state file is replaced atomically and removed when the export
completes; an export is only resumed with the same model, domain, fields,
format and many2one mode.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import msgspec

__all__ = ["STATE_SUFFIX", "ExportState", "state_path"]

STATE_SUFFIX = ".export-state.json"


def state_path(output: Path) -> Path:
    """Where the checkpoint of an export to ``output`` lives."""
    return output.with_name(output.name + STATE_SUFFIX)


class ExportState(msgspec.Struct, kw_only=True):
    """What an export writes and how far it got.

    :ivar offset: bytes of ``FILE`` that hold complete pages (header included).
    :ivar last_id: the id of the last row in those bytes (0: none yet).
    :ivar rows: how many rows those bytes hold.
    """

    model: str
    domain: list[Any]
    fields: list[str]
    format: str
    m2o: str
    offset: int = 0
    last_id: int = 0
    rows: int = 0
    version: int = 1

    def same_export(self, other: ExportState) -> list[str]:
        """The settings that differ from ``other``'s (empty when it is the same export)."""
        return [
            name
            for name in ("model", "domain", "fields", "format", "m2o")
            if getattr(self, name) != getattr(other, name)
        ]

    def save(self, path: Path) -> None:
        """Write the state atomically (a reader sees the old or the new one, never half)."""
        temporary = path.with_name(path.name + ".tmp")
        temporary.write_bytes(msgspec.json.encode(self))
        os.replace(temporary, path)

    @classmethod
    def load(cls, path: Path) -> ExportState | None:
        """The saved state, or ``None`` when there is none or it cannot be read."""
        try:
            return msgspec.json.decode(path.read_bytes(), type=cls)
        except (OSError, msgspec.DecodeError):
            return None
