"""The guided tour: ``python -m zenoo_rpc.demo`` against the built-in in-memory Odoo."""
