"""``mail.message`` and the ``mail.thread`` mixin that gives models ``message_post``.

Posting stores a ``mail.message`` and announces it on the bus channel
``<db>.<model>`` as ``mail.message/new`` (real Odoo pushes richer
``mail.record/insert`` payloads to the followers' channels).
"""

from __future__ import annotations

from typing import Any, ClassVar

from zenoo_rpc.testing.emulator.orm import api, fields
from zenoo_rpc.testing.emulator.orm.base import BaseModel
from zenoo_rpc.testing.emulator.orm.crud import now

__all__ = ["MailMessage", "MailThread"]


class MailMessage(BaseModel):
    _name: ClassVar[str] = "mail.message"
    _description: ClassVar[str] = "Message"
    _order: ClassVar[str] = "id desc"
    _rec_name: ClassVar[str | None] = "record_name"

    subject = fields.Char("Subject")
    body = fields.Html("Contents", default="")
    model = fields.Char("Related Document Model")
    res_id = fields.Integer("Related Document ID")
    record_name = fields.Char("Message Record Name")
    message_type = fields.Selection(
        [("email", "Incoming Email"), ("comment", "Comment"),
         ("email_outgoing", "Outgoing Email"), ("notification", "System notification"),
         ("auto_comment", "Automated Targeted Notification"),
         ("user_notification", "User Specific Notification")],
        "Type", required=True, default="comment",
    )  # fmt: skip
    author_id = fields.Many2one("res.partner", "Author")
    date = fields.Datetime("Date")
    partner_ids = fields.Many2many("res.partner", "Recipients")
    attachment_ids = fields.Many2many("ir.attachment", "Attachments")
    parent_id = fields.Many2one("mail.message", "Parent Message")


class MailThread(BaseModel):
    """Mixin: models that keep a chatter (``_inherit = ['mail.thread']`` in Odoo)."""

    _name: ClassVar[str] = "mail.thread"

    @api.records()
    def message_post(
        self,
        body: str = "",
        subject: str | None = None,
        message_type: str = "notification",
        subtype_xmlid: str | None = None,
        partner_ids: Any = None,
        attachment_ids: Any = None,
        **kwargs: Any,
    ) -> int:
        """Post a message on the single record; returns the new ``mail.message`` id."""
        ids = self._existing()
        if len(ids) != 1:
            raise ValueError(f"Expected singleton: {self._name}{tuple(self._ids)!r}")
        rid = ids[0]
        users = self.env.store.tables["res.users"]
        author = users.get(self.env.uid, "partner_id") if users.exists(self.env.uid) else None
        messages = self.env["mail.message"].sudo()
        vals = {
            "body": body or "",
            "subject": subject or False,
            "model": self._name,
            "res_id": rid,
            "record_name": self._display_names([rid])[rid],
            "message_type": message_type,
            "author_id": author or False,
            "date": now(),
            "partner_ids": [(6, 0, list(partner_ids or []))],
            "attachment_ids": [(6, 0, list(attachment_ids or []))],
        }
        message_id: int = messages.create(vals).ids[0]
        self.env.registry.send(
            self._name,
            "mail.message/new",
            {
                "id": message_id,
                "model": self._name,
                "res_id": rid,
                "body": vals["body"],
                "author_id": author or False,
                "message_type": message_type,
            },
        )
        return message_id
