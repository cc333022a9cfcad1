"""``GET /report/<pdf|html>/<report_name>/<ids>``: a printed report, as a small valid PDF or HTML.

Needs a web session like in Odoo (without one: 303 to ``/web/login``). The
emulator does not render QWeb: it writes one page per record with the report
name and the record's display name, enough for a client to download, check
``%PDF`` and count pages. ``?context=<json>`` is read as Odoo reads it.
Errors answer as Odoo's ``type='http'`` routes do: a record that does not
exist is a 400 page with the MissingError's text, one the user may not read
a 403, an unknown report name (Odoo's failed ``env.ref``) a 500 page that
says nothing more.
"""

from __future__ import annotations

import json
from html import escape
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from zenoo_rpc.testing.emulator.exceptions import AccessError, EmulatedError
from zenoo_rpc.testing.emulator.routes.http import WebRequest, html_error_page, not_found_page
from zenoo_rpc.transports.base import HttpResponse

if TYPE_CHECKING:
    from zenoo_rpc.testing.emulator.database import Database
    from zenoo_rpc.testing.emulator.server import Emulator

__all__ = ["REPORT_MODELS", "build_html", "build_pdf", "report_route"]

_INTERNAL_ERROR = (
    "The server encountered an internal error and was unable to complete your request. "
    "Either the server is overloaded or there is an error in the application."
)

#: The reports of Odoo's standard modules, by report name.
REPORT_MODELS = {
    "sale.report_saleorder": "sale.order",
    "sale.report_saleorder_pro_forma": "sale.order",
    "account.report_invoice": "account.move",
    "account.report_invoice_with_payments": "account.move",
    "stock.report_picking": "stock.picking",
    "stock.report_deliveryslip": "stock.picking",
    "purchase.report_purchaseorder": "purchase.order",
    "product.report_producttemplatelabel2x7": "product.template",
    "base.report_irmodulereference": "ir.module.module",
}


def report_route(emulator: Emulator, request: WebRequest) -> HttpResponse:
    parts = request.path.strip("/").split("/")
    if len(parts) != 4 or parts[1] not in ("pdf", "html"):
        return not_found_page()
    session = emulator.sessions.authenticated(request.session_id)
    if session is None or session.db not in emulator.databases or session.uid is None:
        target = "/web/login?redirect=" + quote(request.raw.path, safe="")
        return HttpResponse(
            status=303,
            headers=[
                ("Location", target),
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "0"),
            ],
        )
    db = emulator.databases[session.db]
    converter, report_name = parts[1], parts[2]
    ids = [int(part) for part in parts[3].split(",") if part.isdigit()]  # as Odoo parses them
    try:
        context: Any = json.loads(request.query["context"]) if "context" in request.query else {}
    except ValueError:
        return html_error_page(500, _INTERNAL_ERROR)
    model = _report_model(db, session.uid, report_name)
    if model is None:
        return html_error_page(500, _INTERNAL_ERROR)
    kwargs: dict[str, Any] = {"fields": ["display_name"]}
    if isinstance(context, dict):
        kwargs["context"] = context
    try:
        rows = db.call(session.uid, model, "read", [ids], kwargs)
    except EmulatedError as exc:
        status = 403 if isinstance(exc, AccessError) else 400
        return html_error_page(status, escape(exc.message))
    names = {row["id"]: str(row.get("display_name", "")) for row in rows}
    missing = [i for i in ids if i not in names]
    if missing:
        text = f"Record does not exist or has been deleted.\n(Record: {model}({missing[0]},), "
        return html_error_page(400, escape(text + f"User: {session.uid})"))
    pages = [[report_name, f"{model} #{i}", names[i]] for i in ids]
    if converter == "html":
        html = build_html(pages)
        return HttpResponse(
            status=200,
            content=html,
            headers=[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", str(len(html))),
            ],
        )
    pdf = build_pdf(pages)
    return HttpResponse(
        status=200,
        content=pdf,
        headers=[
            ("Content-Type", "application/pdf"),
            ("Content-Length", str(len(pdf))),
        ],
    )


def _report_model(db: Database, uid: int, report_name: str) -> str | None:
    try:
        rows = db.call(
            uid,
            "ir.actions.report",
            "search_read",
            [[["report_name", "=", report_name]]],
            {"fields": ["model"]},
        )
        if rows:
            return str(rows[0]["model"])
    except EmulatedError:  # no ir.actions.report emulated: fall back to the known reports
        pass
    model = REPORT_MODELS.get(report_name)
    return model if model in db.model_names() else None


def build_html(pages: list[list[str]]) -> bytes:
    """An HTML document with one ``<div class="page">`` per entry, each line a paragraph."""
    body = "\n".join(
        '<div class="page">' + "".join(f"<p>{escape(line)}</p>" for line in lines) + "</div>"
        for lines in pages
    )
    return (
        '<!DOCTYPE html>\n<html>\n<head><meta charset="utf-8"/><title>Report</title></head>\n'
        f'<body class="container">\n{body}\n</body>\n</html>\n'
    ).encode()


def build_pdf(pages: list[list[str]]) -> bytes:
    """A minimal PDF 1.4: one page per entry, each line of text in Helvetica."""
    objects: list[bytes] = []
    page_ids = [4 + 2 * n for n in range(len(pages))]
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    kids = " ".join(f"{pid} 0 R" for pid in page_ids)
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode())
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    for n, lines in enumerate(pages):
        stream = b"BT /F1 14 Tf 72 770 Td 18 TL\n"
        for line in lines:
            text = line.encode("latin-1", "replace")
            text = text.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
            stream += b"(" + text + b") Tj T*\n"
        stream += b"ET"
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            f"/Resources << /Font << /F1 3 0 R >> >> /Contents {page_ids[n] + 1} 0 R >>".encode()
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)
