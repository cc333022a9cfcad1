"""Printed reports: ``GET /report/<pdf|html>/<report_name>/<ids>``, streamed to a file.

What the browser's "Print" does, on every Odoo version (OdooRPC's
``report`` service is gone since Odoo 14): the route needs a web session
(see :mod:`~zenoo_rpc.operations.web_session`), takes the context as a JSON
query parameter, and answers the document, or an error page: Werkzeug's 400
with the text of a ``MissingError`` for ids that do not exist, 403 for
records the user may not read, and a bare 500 for a report name the server
does not know. Each becomes a :class:`~zenoo_rpc.errors.ReportError` with the
server's words; no partial file is left behind.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import quote, urlencode

from zenoo_rpc.errors import InvalidArgument, ReportError
from zenoo_rpc.operations.files import Destination, open_destination
from zenoo_rpc.operations.web_session import is_login_redirect, web_get
from zenoo_rpc.protocols.envelope import encode_json
from zenoo_rpc.protocols.html_page import page_message
from zenoo_rpc.transports.base import HttpStream

if TYPE_CHECKING:
    from zenoo_rpc.client import ZenooClient

__all__ = ["REPORT_CONTENT_TYPES", "download_report"]

#: The content type a successful answer has, per converter.
REPORT_CONTENT_TYPES = {"pdf": "application/pdf", "html": "text/html"}
#: How much of an error page is read to quote it.
_ERROR_PAGE_LIMIT = 64 * 1024


def report_path(
    report_name: str,
    ids: Sequence[int],
    converter: str,
    context: Mapping[str, Any] | None,
) -> str:
    """The route of a report, validating every part (nothing is sent for bad input).

    :raises InvalidArgument: for an empty or malformed report name, ids that
        are not positive integers, or an unknown converter.
    """
    if converter not in REPORT_CONTENT_TYPES:
        raise InvalidArgument(
            f"converter must be 'pdf' or 'html', not {converter!r}", argument="converter"
        )
    name: object = report_name
    if not isinstance(name, str) or not name or "/" in name:
        raise InvalidArgument(
            f"report_name must be a report's technical name such as 'sale.report_saleorder', "
            f"not {report_name!r}",
            argument="report_name",
        )
    if isinstance(ids, (str, bytes)) or not isinstance(ids, Sequence):
        raise InvalidArgument("ids must be a sequence of record ids", argument="ids")
    if not ids or any(type(i) is not int or i <= 0 for i in ids):
        raise InvalidArgument(
            f"ids must be one or more positive integers, not {list(ids)!r}", argument="ids"
        )
    path = f"/report/{converter}/{quote(report_name, safe='._-')}/{','.join(map(str, ids))}"
    if context:
        path += "?" + urlencode({"context": encode_json(dict(context)).decode()})
    return path


async def download_report(
    client: ZenooClient,
    report_name: str,
    ids: Sequence[int],
    destination: Destination,
    *,
    converter: Literal["pdf", "html"] = "pdf",
    context: Mapping[str, Any] | None = None,
    chunk_size: int = 65536,
) -> int:
    """Render report ``report_name`` for ``ids`` and write it to ``destination``; bytes written.

    The client's context (language, time zone, companies) is sent with
    ``context`` merged over it. See :meth:`~zenoo_rpc.operations.mixin.Operations.download_report`.
    """
    if type(chunk_size) is not int or chunk_size <= 0:
        raise InvalidArgument("chunk_size must be a positive integer", argument="chunk_size")
    merged = {**client.context, **(context or {})}
    path = report_path(report_name, ids, converter, merged)
    expected = REPORT_CONTENT_TYPES[converter]
    async with web_get(client, path, purpose="downloading a report") as stream:
        if stream.status != 200 or stream.content_type != expected:
            raise await _report_error(stream, report_name, converter)
        async with open_destination(destination) as sink:
            async for chunk in stream:
                with memoryview(chunk) as view:
                    for start in range(0, len(view), chunk_size):
                        sink.write(view[start : start + chunk_size])
            return sink.size


async def _report_error(stream: HttpStream, report_name: str, converter: str) -> ReportError:
    status = stream.status
    if is_login_redirect(stream.head):
        message = "the server sent the login page: the web session is not valid for reports"
    else:
        body = await stream.read(_ERROR_PAGE_LIMIT)
        text = page_message(body) if "html" in stream.content_type else ""
        if status == 200:
            message = f"expected {REPORT_CONTENT_TYPES[converter]}, got {stream.content_type!r}"
            message += f": {text}" if text else ""
        else:
            message = text or f"HTTP {status}"
            if status == 500:
                message += " (what Odoo answers for a report name it does not know)"
    error = ReportError(f"report {report_name!r}: {message}", status=status)
    error.report_name = report_name
    return error
