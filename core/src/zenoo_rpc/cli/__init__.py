"""``zenoo``: the zenoo-rpc console command (``pip install "zenoo-rpc[cli]"``).

::

    zenoo doctor                                  # config, server, protocol, login, cache
    zenoo plugins                                 # installed plugins, enabled or not, hooks
    zenoo call res.partner search_read '[[["is_company","=",true]]]' --kw fields='["name"]'
    zenoo export res.partner --fields name,email --format csv -o partners.csv [--resume]
    zenoo import res.partner partners.csv         # bad rows go to partners.csv.rejects.jsonl
    zenoo report sale.report_saleorder 7,8 -o orders.pdf
    zenoo attachment get 42 -o file.bin | zenoo attachment put file.bin
    zenoo db list | create | duplicate | drop | backup | restore
    zenoo models generate res.partner sale.order -o models.py
    zenoo emulator --port 8069 --version 19       # an in-memory Odoo for trying all this
    zenoo demo | zenoo shell

Connection settings come from the global options, ``ZENOO_*`` variables and
``zenoo.toml`` (see :mod:`zenoo_rpc.config`); a missing password is asked for
on a terminal. A user with two-factor authentication logs in with an API key,
or with ``protocol = "web"`` and the code typed when asked. Data goes to
stdout (JSON with ``--json``), messages and progress bars to stderr (rich,
only on a terminal).

Exit codes (see :mod:`zenoo_rpc.cli.exit_codes`): 0 ok; 1 the operation failed
(server error, file error, ``zenoo import`` rejected rows); 2 usage or
configuration error (bad option, bad TOML, unknown plugin or profile, missing
credentials); 3 the server cannot be reached or timed out; 4 authentication
failed.

This module imports neither click nor rich, so that without the ``cli`` extra
:func:`main` can say what to install instead of failing with a traceback.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Sequence

__all__ = ["MISSING_EXTRA", "main"]

#: What ``zenoo`` prints when click or rich is not installed.
MISSING_EXTRA = 'The zenoo command needs the cli extra: pip install "zenoo-rpc[cli]"'

_REQUIRED = ("click", "rich")


def _missing_requirements() -> list[str]:
    missing = []
    for name in _REQUIRED:
        try:
            found = importlib.util.find_spec(name) is not None
        except (ImportError, ValueError):
            found = False
        if not found:
            missing.append(name)
    return missing


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``zenoo`` console script; returns the exit code."""
    missing = _missing_requirements()
    if missing:
        print(f"{MISSING_EXTRA} (missing: {', '.join(missing)})", file=sys.stderr)
        return 1
    from zenoo_rpc.cli.app import run

    return run(argv)
