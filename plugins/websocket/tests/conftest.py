"""The emulator fixtures of zenoo-rpc (``odoo_emulator``, ``odoo_server_url``...)."""

pytest_plugins = ["zenoo_rpc.testing.pytest_plugin"]
