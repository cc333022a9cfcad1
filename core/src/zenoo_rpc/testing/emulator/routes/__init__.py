"""The emulated Odoo's HTTP routes, one module per family.

``jsonrpc`` and ``xmlrpc`` (legacy RPC, over ``services`` and ``db_service``),
``web`` (the web client's session routes and ``call_kw``), ``json2`` (Odoo
19's JSON-2 API), ``doc`` (``/doc-bearer``), ``report`` (PDF reports); ``http``
and ``errors`` hold how Odoo answers and reports errors on each protocol.
:meth:`~zenoo_rpc.testing.emulator.server.Emulator.route` picks the route.
"""
