"""Everyday operations beyond model calls, on every :class:`~zenoo_rpc.ZenooClient`.

::

    async with ZenooClient("https://odoo.example.com") as client:
        await client.login("prod", "admin", "secret")
        await client.download_report("account.report_invoice", [42], "INV-42.pdf")
        info = await client.attachments.download(7, "contract.pdf", max_size=50 * 2**20)
        new_id = await client.attachments.upload("photo.jpg", res_model="res.partner", res_id=3)
        await client.databases.backup("prod", "prod.zip", master_password="...")
        key = await client.api_keys.generate("ci pipeline")
        defaults = await client.default_get("sale.order", ["partner_id", "date_order"])
        action = await client.call_button("sale.order", "action_confirm", [5])

Modules: :mod:`.reports` (``/report/pdf``), :mod:`.attachments`
(``ir.attachment``), :mod:`.databases` (``/web/database/*`` and the legacy
``db`` service), :mod:`.apikeys` (``res.users.apikeys``), :mod:`.forms`
(``default_get`` / ``onchange`` / ``call_button``), :mod:`.web_session` (the
web session the report and download routes need), :mod:`.files` (where
downloads go, where uploads come from) and :mod:`.mixin` (their place on the
client). Two-factor logins are ``client.login(..., totp=...)``
(:mod:`zenoo_rpc.protocols.second_factor`).
"""

from __future__ import annotations

from zenoo_rpc.operations.apikeys import ApiKeyInfo, ApiKeyManager
from zenoo_rpc.operations.attachments import AttachmentInfo, AttachmentManager
from zenoo_rpc.operations.databases import DatabaseManager
from zenoo_rpc.operations.files import Destination, Source
from zenoo_rpc.operations.mixin import Operations

__all__ = [
    "ApiKeyInfo",
    "ApiKeyManager",
    "AttachmentInfo",
    "AttachmentManager",
    "DatabaseManager",
    "Destination",
    "Operations",
    "Source",
]
