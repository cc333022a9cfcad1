"""Report downloads: ``/report/pdf|html`` over a web session, streamed to a file or file object."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from ops_helpers import TRANSPORTS, leftovers

from zenoo_rpc import ZenooClient
from zenoo_rpc.errors import InvalidArgument, NotAuthenticated, PasswordRequired, ReportError
from zenoo_rpc.testing.emulator.database import ADMIN_API_KEY
from zenoo_rpc.testing.emulator.server import Emulator

REPORT = "sale.report_saleorder"


async def order_names(client: ZenooClient, limit: int = 3) -> dict[int, str]:
    rows = await client.search_read("sale.order", [], ["display_name"], limit=limit, order="id")
    return {row["id"]: row["display_name"] for row in rows}


def authenticated_sessions(emulator: Emulator) -> int:
    return sum(session.authenticated for session in emulator.sessions)


async def test_pdf_to_a_path_through_a_side_session(
    client: ZenooClient, emulator: Emulator, tmp_path: Path
) -> None:
    orders = await order_names(client)
    target = tmp_path / "orders.pdf"
    written = await client.download_report(REPORT, list(orders), target)
    pdf = target.read_bytes()
    assert written == len(pdf)
    assert pdf.startswith(b"%PDF-")
    assert pdf.rstrip().endswith(b"%%EOF")
    assert pdf.count(b"/Type /Page ") == len(orders)
    for name in orders.values():
        assert name.encode("latin-1", "replace") in pdf
    assert leftovers(tmp_path) == ["orders.pdf"]
    assert authenticated_sessions(emulator) == 0  # the side session was ended


async def test_html_report_to_a_file_object(web_client: ZenooClient) -> None:
    orders = await order_names(web_client, limit=2)
    sink = io.BytesIO()
    written = await web_client.download_report(REPORT, list(orders), sink, converter="html")
    html = sink.getvalue().decode()
    assert written == len(sink.getvalue())
    assert html.lstrip().lower().startswith("<!doctype html>")
    assert html.count('class="page"') == 2
    assert all(name in html for name in orders.values())


async def test_chunk_size_bounds_each_write(web_client: ZenooClient) -> None:
    class Recorder(io.BytesIO):
        sizes: list[int] = []

        def write(self, data: bytes | memoryview) -> int:  # type: ignore[override]
            self.sizes.append(len(data))
            return super().write(data)

    orders = await order_names(web_client, limit=3)
    sink = Recorder()
    written = await web_client.download_report(REPORT, list(orders), sink, chunk_size=100)
    assert max(sink.sizes) <= 100
    assert sum(sink.sizes) == written > 100


@pytest.mark.parametrize("transport", TRANSPORTS)
@pytest.mark.zenoo_emulator(version=17)
async def test_pdf_over_loopback_http(server_url: str, transport: str, tmp_path: Path) -> None:
    async with ZenooClient(server_url, protocol="web", transport=transport, plugins=[]) as client:
        await client.login("demo", "admin", "admin")
        orders = await order_names(client)
        target = tmp_path / "r.pdf"
        written = await client.download_report(REPORT, list(orders), target)
        assert target.read_bytes()[:5] == b"%PDF-"
        assert target.stat().st_size == written
        assert target.read_bytes().count(b"/Type /Page ") == len(orders)


async def test_unknown_report_leaves_no_file(client: ZenooClient, tmp_path: Path) -> None:
    orders = await order_names(client, limit=1)
    with pytest.raises(ReportError) as info:
        await client.download_report("sale.no_such_report", list(orders), tmp_path / "x.pdf")
    assert info.value.status == 500
    assert info.value.report_name == "sale.no_such_report"
    assert "Internal Server Error" in str(info.value)
    assert leftovers(tmp_path) == []


async def test_records_that_do_not_exist(client: ZenooClient, tmp_path: Path) -> None:
    with pytest.raises(ReportError) as info:
        await client.download_report(REPORT, [987654], tmp_path / "x.pdf")
    assert info.value.status == 400
    assert "Record does not exist or has been deleted" in info.value.message
    assert leftovers(tmp_path) == []


@pytest.mark.zenoo_emulator(version=19)
async def test_context_reaches_the_server(emulator: Emulator, tmp_path: Path) -> None:
    async with ZenooClient(emulator.memory_url, protocol="web", plugins=[]) as client:
        await client.login("demo", "admin", "admin")
        orders = await order_names(client, limit=1)
        with pytest.raises(ReportError, match="Invalid language code: xx_XX"):
            await client.download_report(
                REPORT, list(orders), tmp_path / "x.pdf", context={"lang": "xx_XX"}
            )


@pytest.mark.parametrize(
    ("name", "ids", "converter"),
    [
        ("", [1], "pdf"),
        ("sale/report", [1], "pdf"),
        (REPORT, [], "pdf"),
        (REPORT, ["1"], "pdf"),
        (REPORT, [True], "pdf"),
        (REPORT, [0], "pdf"),
        (REPORT, "1", "pdf"),
        (REPORT, [1], "docx"),
    ],
)
async def test_bad_arguments_send_nothing(
    client: ZenooClient, emulator: Emulator, name: str, ids: object, converter: str
) -> None:
    fault = emulator.faults.latency(0, path="/report/*")
    with pytest.raises(InvalidArgument):
        await client.download_report(name, ids, io.BytesIO(), converter=converter)  # type: ignore[arg-type]
    assert fault.hits == 0


async def test_not_logged_in(emulator: Emulator) -> None:
    async with ZenooClient(emulator.memory_url, plugins=[]) as client:
        with pytest.raises(NotAuthenticated):
            await client.download_report(REPORT, [1], io.BytesIO())


@pytest.mark.zenoo_emulator(version=19)
async def test_api_key_alone_cannot_open_a_web_session(emulator: Emulator) -> None:
    async with ZenooClient(emulator.memory_url, protocol="json2", plugins=[]) as client:
        await client.login("demo", "admin", api_key=ADMIN_API_KEY)
        with pytest.raises(PasswordRequired, match="password"):
            await client.download_report(REPORT, [1], io.BytesIO())


async def test_expired_web_session_logs_in_again(
    web_client: ZenooClient, emulator: Emulator
) -> None:
    orders = await order_names(web_client, limit=1)
    emulator.expire_sessions()
    sink = io.BytesIO()
    assert await web_client.download_report(REPORT, list(orders), sink) > 0
    assert sink.getvalue().startswith(b"%PDF-")
    assert await web_client.search_count("sale.order", []) > 0  # the session works again


async def test_a_login_page_twice_is_an_error(web_client: ZenooClient, emulator: Emulator) -> None:
    orders = await order_names(web_client, limit=1)
    emulator.faults.expire_sessions(path="/report/*")
    with pytest.raises(ReportError, match="login page"):
        await web_client.download_report(REPORT, list(orders), io.BytesIO())
