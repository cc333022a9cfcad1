"""``Operations``: the everyday operations of :class:`~zenoo_rpc.ZenooClient` beyond model calls.

Reports, attachments, the database manager, API keys, and the form helpers
(``default_get``, ``onchange``, ``call_button``). Each lives in its own
module of :mod:`zenoo_rpc.operations`; this mixin gives them their place on
the client.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal, cast

from zenoo_rpc.operations import forms, reports
from zenoo_rpc.operations.apikeys import ApiKeyManager
from zenoo_rpc.operations.attachments import AttachmentManager
from zenoo_rpc.operations.databases import DatabaseManager
from zenoo_rpc.operations.files import Destination

if TYPE_CHECKING:
    from zenoo_rpc.client import ZenooClient

__all__ = ["Operations"]


class Operations:
    """Mixin of :class:`~zenoo_rpc.ZenooClient`: reports, files, databases, API keys, forms."""

    @property
    def _as_client(self) -> ZenooClient:
        return cast("ZenooClient", self)

    async def download_report(
        self,
        report_name: str,
        ids: Sequence[int],
        destination: Destination,
        *,
        converter: Literal["pdf", "html"] = "pdf",
        context: Mapping[str, Any] | None = None,
        chunk_size: int = 65536,
    ) -> int:
        """Print report ``report_name`` (``"sale.report_saleorder"``) for records ``ids``.

        Written to ``destination`` as it arrives: a path (complete or not at
        all: a failed download leaves no file) or a binary file object.
        Returns the number of bytes written. ``converter="html"`` gets the
        HTML Odoo renders before it makes the PDF; ``context`` is merged over
        the client's (``{"lang": "fr_FR"}``).

        Reports need a web session: a client logged in over ``protocol="web"``
        uses its own, any other client logged in with a password opens a
        short one for the download. With an API key alone it raises
        :class:`~zenoo_rpc.errors.PasswordRequired`.

        :raises ReportError: for an unknown report name, records that do not
            exist or may not be read, or any error page, with the server's message.
        :raises InvalidArgument: for an empty name, no ids or non-integer ids.
        """
        return await reports.download_report(
            self._as_client,
            report_name,
            ids,
            destination,
            converter=converter,
            context=context,
            chunk_size=chunk_size,
        )

    @property
    def attachments(self) -> AttachmentManager:
        """Download and upload ``ir.attachment`` files (:class:`AttachmentManager`)."""
        return AttachmentManager(self._as_client)

    @functools.cached_property
    def databases(self) -> DatabaseManager:
        """The server's database manager (:class:`DatabaseManager`), through this client.

        The master password comes from each method's ``master_password=`` or
        from ``master_password`` in the configuration (``ZENOO_MASTER_PASSWORD``).
        """
        return DatabaseManager.for_client(self._as_client)

    @property
    def api_keys(self) -> ApiKeyManager:
        """Generate, list and revoke the logged-in user's API keys (:class:`ApiKeyManager`)."""
        return ApiKeyManager(self._as_client)

    async def default_get(
        self,
        model: str,
        fields: Sequence[str],
        *,
        context: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        """The values a new ``model`` record would get for ``fields`` (Odoo's ``default_get``).

        ``context`` may carry ``default_<field>`` keys, as a form's action does.
        """
        return await forms.default_get(self._as_client, model, fields, context=context)

    async def onchange(
        self,
        model: str,
        values: Mapping[str, Any],
        field_name: str | list[str],
        *,
        field_spec: Mapping[str, Any] | None = None,
        record_ids: Sequence[int] = (),
    ) -> dict[str, Any]:
        """What the server changes when ``field_name`` is edited in a form holding ``values``.

        Nothing is saved. Returns Odoo's answer: ``{"value": {field: new value},
        "warning": ...}`` (the warning only when the server gives one).

        :param field_name: the edited field(s); ``[]`` for a new record (the
            answer then starts from the defaults).
        :param field_spec: the fields to report and how (Odoo 17+'s
            ``fields_spec``: ``{"partner_id": {"fields": {"display_name": {}}}}``);
            default: every field but one2many / many2many (one ``fields_get`` more).
            On Odoo 16 its keys become the ``field_onchange`` map.
        :param record_ids: the record being edited (empty: a new record).
        """
        return await forms.onchange(
            self._as_client,
            model,
            values,
            field_name,
            field_spec=field_spec,
            record_ids=record_ids,
        )

    async def call_button(
        self,
        model: str,
        method: str,
        ids: int | Sequence[int],
        *,
        context: Mapping[str, Any] | None = None,
    ) -> dict[str, Any] | None:
        """Press form button ``method`` (``action_confirm``...) on records ``ids``.

        Returns the action the button answers (an ``ir.actions.*`` dict to
        open a wizard, a URL, a report...) or ``None`` when it answers
        anything else, as Odoo's ``/web/dataset/call_button`` does. Once it
        may have reached the server the call is never sent again.

        :raises InvalidArgument: for a private method (``_name``) or no ids.
        """
        return await forms.call_button(self._as_client, model, method, ids, context=context)
