"""``python -m zenoo_rpc.cli``: the same as the ``zenoo`` command."""

from zenoo_rpc.cli import main

raise SystemExit(main())
