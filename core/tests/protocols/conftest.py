"""Protocol tests replay real Odoo 18/19 captures (see ``tests/replay_transport.py``).

The directory above is put on ``sys.path`` so the helper imports the same
way under every pytest import mode.
"""

from __future__ import annotations

import sys
from pathlib import Path

_TESTS = str(Path(__file__).resolve().parents[1])
if _TESTS not in sys.path:
    sys.path.insert(0, _TESTS)

from replay_transport import CAPTURES  # noqa: E402

#: Without the captures there is nothing to replay: collect no test here.
collect_ignore_glob = [] if (CAPTURES / "odoo18").is_dir() else ["test_*.py"]
